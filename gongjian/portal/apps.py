from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "gongjian.portal"
    verbose_name = _("公开门户")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from gongjian.portal.sqlite_functions import register

        # The dashboards group by split_part() on every database (SQLite lacks it).
        connection_created.connect(register, dispatch_uid="gongjian.portal.sqlite_functions")
