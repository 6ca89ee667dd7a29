from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "gongjian.funds"
    verbose_name = _("帮扶资金")
