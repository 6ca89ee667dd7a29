from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "gongjian.funds"
    verbose_name = _("帮扶资金")

    def ready(self) -> None:
        # Its long work, imports and exports, registered with the jobs (which import no app).
        from gongjian.funds import jobs  # noqa: F401
