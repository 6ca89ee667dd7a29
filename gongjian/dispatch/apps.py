from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "gongjian.dispatch"
    verbose_name = _("选派干部")
