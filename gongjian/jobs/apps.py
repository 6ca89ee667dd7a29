from typing import Any

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
        from django.conf import settings

        from gongjian.celery import app
        from gongjian.jobs import tasks  # noqa: F401

        if settings.JOBS_MODE == "celery":
            warm_up(app)


def warm_up(app: Any) -> None:
    """Load what sending the first task needs (the broker's and the result store's clients,
    about 100 modules) while the server starts, not inside the first user's upload (it made
    that request 0.2–0.4 s slower). Nothing connects here."""
    import encodings.idna  # noqa: F401  (the broker's host name)

    import celery.canvas
    import celery.contrib.django.task
    import celery.events.dispatcher
    import celery.result  # noqa: F401

    app.backend  # noqa: B018  (the property builds the Redis result backend)
    connection = app.connection_for_write()
    try:
        connection.transport  # noqa: B018  (imports kombu's Redis transport and redis-py)
    finally:
        connection.release()
