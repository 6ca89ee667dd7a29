"""The Celery application: workers run the jobs of :mod:`gongjian.jobs`, beat runs the
nightly schedule. Broker and result store: Redis (``CELERY_BROKER_URL``, else ``REDIS_URL``).

    celery -A gongjian.celery worker --concurrency 2 -l info
    celery -A gongjian.celery beat -l info

Settings are read from Django's (``CELERY_*``); nothing here imports Django at import time
beyond what Celery's Django fix-up does once the app is used.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongjian.settings")

app = Celery("gongjian")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["gongjian.jobs"])
