from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gongjian.core"
    verbose_name = _("平台")

    def ready(self) -> None:
        # A missing or malformed personal-data keyring stops every process at start-up
        # (production has no fallback), not at the first row it cannot read.
        from gongjian.core.crypto import DataKeyError, data_keys

        try:
            data_keys()
        except DataKeyError as exc:
            raise ImproperlyConfigured(str(exc)) from exc
