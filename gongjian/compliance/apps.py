from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "gongjian.compliance"
    verbose_name = _("合规与考核")

    def ready(self) -> None:
        # Its long work, imports and exports, registered with the jobs (which import no app).
        from gongjian.compliance import jobs  # noqa: F401
