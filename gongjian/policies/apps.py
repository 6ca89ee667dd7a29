from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "gongjian.policies"
    verbose_name = _("政策配置")

    def ready(self) -> None:
        from gongjian.policies import checks  # noqa: F401  (registers the start-up check)
