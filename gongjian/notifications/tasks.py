"""Celery beat, every night: the round deadline reminders of the day, as one job."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from gongjian.notifications.outbound import JOB_KIND


@shared_task(name="gongjian.notifications.deadlines", acks_late=True, reject_on_worker_lost=True)
def deadlines_nightly() -> int:
    """Start today's deadline-reminder job (one a day, however often beat fires)."""
    from gongjian.jobs.services import job_start

    today = timezone.localdate().isoformat()
    job = job_start(
        actor=None,
        kind=JOB_KIND,
        title="截止日期提醒",
        params={"action": "deadlines", "date": today},
        idempotency_key=f"{JOB_KIND}:deadlines:{today}",
        reuse_finished=True,
    )
    return job.pk
