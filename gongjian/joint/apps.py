from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JointConfig(AppConfig):
    name = "gongjian.joint"
    label = "joint"
    verbose_name = _("联建党组织")

    def ready(self) -> None:
        # Its import, registered with the jobs (which import no app).
        from gongjian.joint import jobs  # noqa: F401
