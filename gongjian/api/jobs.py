"""Jobs endpoint: the same job resource as the progress page (the starter's jobs only)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from gongjian.jobs import selectors

router = Router(tags=["后台任务"])


class JobOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    state: str
    state_label: str
    finished: bool
    done: int
    total: int
    percent: int | None
    stage: str
    result_url: str
    error: str
    created_at: str | None
    started_at: str | None
    finished_at: str | None


@router.get("/{job_id}", response=JobOut, summary="后台任务的状态、进度与结果链接")
def get_job(request: HttpRequest, job_id: int) -> Any:
    """A job the caller started; anyone else's job is a 404."""
    return selectors.job_status(selectors.job_get(user=request.user, pk=job_id))
