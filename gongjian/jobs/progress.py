"""Progress of the running job, shared through the cache.

The work of a job runs inside one transaction (so that a retry never writes twice), and rows
written in it are invisible to other connections until it commits; progress therefore goes
to the cache: Redis when ``REDIS_URL`` is set (every web server sees it), the process's own
memory in the embedded set-up, where the job runs in a thread of the web server itself.
"""

from __future__ import annotations

import contextvars
import time
from typing import Any

from django.core.cache import cache

from gongjian.core.progress import percent as share

# The id of the job this thread or task is running (None outside a job).
current_job: contextvars.ContextVar[int | None] = contextvars.ContextVar("current_job", default=None)

TIMEOUT = 6 * 3600  # seconds; longer than any job's time limit


def key(job_id: int) -> str:
    """The cache key of a job's live progress."""
    return f"gongjian:job:{job_id}:progress"


def report(*, done: int, total: int | None, stage: str) -> None:
    """Record the running job's progress (``done`` of ``total``, ``total`` 0 when unknown,
    None to keep the total reported before) and the stage in words; does nothing outside a
    job. Services call :mod:`gongjian.core.progress`, which the runner routes here; a job
    in steps (:func:`gongjian.core.progress.step`) also records the bar's share, which
    never goes back (None: the reader shows ``done/total``)."""
    job_id = current_job.get()
    if job_id is None:
        return
    if total is None:
        total = int((live(job_id) or {}).get("total") or 0)
    done = max(0, min(done, total)) if total else max(0, done)
    value = {"done": done, "total": total, "stage": stage, "at": time.time(), "percent": share()}
    cache.set(key(job_id), value, TIMEOUT)


def live(job_id: int) -> dict[str, Any] | None:
    """The last progress a running job reported, or None."""
    value = cache.get(key(job_id))
    return value if isinstance(value, dict) else None


def clear(job_id: int) -> None:
    """Forget a finished job's live progress (its record holds the final figures)."""
    cache.delete(key(job_id))
