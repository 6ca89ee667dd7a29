from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "gongjian.jobs"
    label = "jobs"
    verbose_name = _("后台任务")

    def ready(self) -> None:
        # Load the Celery app with Django so that every task binds to it (web servers send
        # tasks, workers run them); gongjian/__init__.py stays free of imports so that the
        # pure engine (gongjian.matching) can still be imported without Django.
        from gongjian.celery import app  # noqa: F401
        from gongjian.jobs import tasks  # noqa: F401
