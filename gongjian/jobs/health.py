"""``/healthz``: is this app server able to serve? JSON, no login, no personal data.

Checks the database (``SELECT 1``), the shared cache and broker (Redis ``PING``) and the
Celery workers (a broadcast ping, answered within a second). 200 when every configured
part answers, 503 otherwise, so that a load balancer takes the server out of rotation.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _timed(check: Any) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        detail = check()
    except Exception as exc:  # any failure of a part is reported, never raised
        return {"ok": False, "error": type(exc).__name__, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return {"ok": True, **(detail or {}), "ms": round((time.perf_counter() - started) * 1000, 1)}


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _redis() -> dict[str, Any]:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL or settings.CELERY_BROKER_URL, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return {}


def _workers() -> dict[str, Any]:
    from gongjian.celery import app

    replies = app.control.ping(timeout=1.0) or []
    if not replies:
        raise RuntimeError("no worker answered")
    return {"count": len(replies)}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The app's health for load balancers and monitoring."""
    checks: dict[str, Any] = {"app": {"ok": True}, "database": _timed(_database)}
    if settings.REDIS_URL or settings.CELERY_BROKER_URL.startswith("redis"):
        checks["redis"] = _timed(_redis)
    if settings.JOBS_MODE == "celery":
        checks["workers"] = _timed(_workers)
    else:
        checks["workers"] = {"ok": True, "mode": settings.JOBS_MODE}  # jobs run in this process
    ok = all(part["ok"] for part in checks.values())
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)
