"""What a page that started a job answers."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect

from gongjian.jobs.models import Job, JobState


def job_response(job: Job) -> HttpResponse:
    """The job's progress page; straight to its result when it has already finished (it ran
    inside the request: the test profile without a broker)."""
    if job.state == JobState.DONE and job.result_url:
        return redirect(job.result_url)
    return redirect("jobs:detail", pk=job.pk)
