from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo wing: no models, only generators and the ``demo`` / ``demo_activity`` commands."""

    name = "gongjian.demo"
    label = "demo"
    verbose_name = _("演示数据")
