from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "gongjian.members"
    verbose_name = _("党员结对与流动党员")

    def ready(self) -> None:
        # Its long work, imports and exports, registered with the jobs (which import no app).
        from gongjian.members import jobs  # noqa: F401
