from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    name = "gongjian.rounds"
    verbose_name = _("结对轮次")

    def ready(self) -> None:
        # Its long work, imports and exports, registered with the jobs (which import no app).
        from gongjian.rounds import jobs  # noqa: F401
