"""Celery tasks. Every task acknowledges its message only when it has finished
(``acks_late``) and gives it back when its worker dies (``reject_on_worker_lost``), has a
time limit, and is idempotent: :func:`gongjian.jobs.runner.execute` runs a job's work and
writes its end in one transaction, and does nothing for a job already finished."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from gongjian.jobs.models import JobKind

TASK_OPTIONS: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "time_limit": settings.JOBS_TIME_LIMIT,
    "soft_time_limit": max(1, settings.JOBS_TIME_LIMIT - 30),
}


@shared_task(name="gongjian.jobs.run", bind=True, **TASK_OPTIONS)
def run_job(self: Any, job_id: int) -> str:
    """Run one recorded job; returns its final state (``skipped`` if it had already ended)."""
    from gongjian.jobs.runner import execute

    return execute(job_id, worker=str(self.request.hostname or "celery"))


def _nightly(kind: str, title: str) -> int:
    from gongjian.jobs.services import job_start

    today = timezone.localdate().isoformat()
    # One job a night: beat firing twice (a restart, two beats by mistake) finds it.
    job = job_start(
        actor=None,
        kind=kind,
        title=title,
        params={"date": today},
        idempotency_key=f"{kind}:{today}",
        reuse_finished=True,
    )
    return job.pk


@shared_task(name="gongjian.jobs.nightly_compliance", **TASK_OPTIONS)
def nightly_compliance() -> int:
    """Beat, every night: evaluate every round with signed pairs and send due reminders."""
    return _nightly(JobKind.NIGHTLY_COMPLIANCE, "每晚合规评估")


@shared_task(name="gongjian.jobs.members_reminders", **TASK_OPTIONS)
def members_reminders() -> int:
    """Beat, every night: today's yearly reminders for mobile members."""
    return _nightly(JobKind.MEMBERS_REMINDERS, "流动党员年度提醒")


@shared_task(name="gongjian.jobs.cleanup_files", **TASK_OPTIONS)
def cleanup_files() -> dict[str, int]:
    """Beat, every night: delete expired export files and orphaned job files."""
    from gongjian.jobs.files import job_files_cleanup

    return job_files_cleanup().as_dict()
