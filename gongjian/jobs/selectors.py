"""Reading jobs: a job is visible to its starter only (anyone else gets a 404)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from gongjian.jobs import progress
from gongjian.jobs.models import Job, JobKind, JobState


def job_list(*, user: Any) -> QuerySet[Job]:
    """The jobs the user started, newest first (none for an anonymous visitor)."""
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    return Job.objects.filter(starter=user)


def job_get(*, user: Any, pk: int) -> Job:
    """One job of the user's; a job started by anyone else (or by the system) is a 404."""
    job = job_list(user=user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def result_shape(job: Job) -> dict[str, bool]:
    """How the progress page offers a finished job's result: a run opens its own page
    (``open_result``), an export is a file (``download``); an import's or an evaluation's
    result is the summary on the progress page itself."""
    return {
        "open_result": job.kind in (JobKind.ALLOCATION, JobKind.DISPATCH_MATCH),
        "download": job.kind == JobKind.EXPORT,
    }


def job_status(job: Job) -> dict[str, Any]:
    """State, progress (the live figures while running), stage, result link and error: what
    the progress page polls and the API returns. Percentages never exceed 100."""
    done, total, stage = job.progress_done, job.progress_total, job.stage
    share = None  # a job in steps reports the bar's share itself (it never goes back)
    if job.state == JobState.RUNNING:
        live = progress.live(job.pk)
        if live is not None:
            done, total, stage, share = int(live["done"]), int(live["total"]), str(live["stage"]), live.get("percent")
    percent = min(100, done * 100 // total) if total else (100 if job.state == JobState.DONE else None)
    percent = int(share) if share is not None else percent
    return {
        "id": job.pk,
        "kind": job.kind,
        "kind_label": str(job.get_kind_display()),
        "title": job.title,
        "state": job.state,
        "state_label": str(JobState(job.state).label),
        "finished": job.finished,
        "done": done,
        "total": total,
        "percent": percent,
        "stage": stage,
        "result_url": job.result_url,
        "error": job.error,
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }
