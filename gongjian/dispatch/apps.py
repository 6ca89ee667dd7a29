from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "gongjian.dispatch"
    verbose_name = _("选派干部")

    def ready(self) -> None:
        # Its long work, imports and exports, registered with the jobs (which import no app).
        from gongjian.dispatch import jobs  # noqa: F401
