from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    name = "gongjian.rounds"
    verbose_name = _("结对轮次")
