"""A job's files in the shared storage: an export killed before its end commits leaves no
file; finished exports are deleted after the retention period and orphaned files after a
grace period (cleanup_job_files, also on celery beat), through the storage API, audited."""

from __future__ import annotations

import datetime
import io
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from gongjian.audit.models import AuditEntry
from gongjian.jobs import runner
from gongjian.jobs.files import job_files_cleanup
from gongjian.jobs.models import Job, JobKind, JobState
from gongjian.jobs.runner import execute
from tests.conftest import Cast

pytestmark = pytest.mark.postgres


class Killed(BaseException):
    """The worker's process dies: no handler of ours runs (not an Exception)."""


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(media: Path) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def queued_export(cast: Cast, monkeypatch: pytest.MonkeyPatch, settings: Any) -> tuple[Client, Job]:
    settings.EXPORT_INLINE_ROWS = 1
    monkeypatch.setattr(runner, "dispatch", lambda job: None)  # left queued: delivered by the test
    client = Client()
    client.force_login(cast.committee_admin)
    assert client.get("/orgs/export/organizations.xlsx").status_code == 302
    return client, Job.objects.get(kind=JobKind.EXPORT)


def test_an_export_killed_before_its_end_commits_leaves_no_file_and_its_retry_one(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, settings: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client, job = queued_export(cast, monkeypatch, settings)

    def die(*args: Any, **kwargs: Any) -> None:
        raise Killed  # the file is built, the job's end not yet committed

    with monkeypatch.context() as patch, django_capture_on_commit_callbacks(execute=True):
        patch.setattr(runner, "_finish", die)
        with pytest.raises(Killed):
            execute(job.pk, worker="w1")
    assert stored_files(media) == []  # nothing left behind by the dead delivery
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.attempts == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert execute(job.pk, worker="w2") == JobState.DONE  # the broker's redelivery
    job.refresh_from_db()
    assert stored_files(media) == [f"jobs/{job.uuid}/export.xlsx"] == [job.result["stored"]]
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200 and len(b"".join(download.streaming_content)) == job.result["size"]


def finished_job(cast: Cast, *, kind: str, days_ago: float, state: str = JobState.DONE, **result: Any) -> Job:
    job = Job.objects.create(
        kind=kind,
        starter=cast.committee_admin,
        title="任务",
        state=state,
        finished_at=timezone.now() - datetime.timedelta(days=days_ago) if state != JobState.RUNNING else None,
    )
    if result:
        job.result = {"rows": 2, "filename": "组织名册.xlsx", **result}
        job.result_url = f"/jobs/{job.pk}/download/"
        job.save()
    return job


def put(name: str) -> str:
    return default_storage.save(name, ContentFile(b"PK\x03\x04 a workbook"))


def test_cleanup_deletes_expired_exports_and_orphans_and_keeps_the_rest(cast: Cast, settings: Any, media: Path) -> None:
    settings.JOB_FILES_RETENTION_DAYS = 7
    old = finished_job(cast, kind=JobKind.EXPORT, days_ago=8, stored="")
    old.result["stored"] = put(f"jobs/{old.uuid}/export.xlsx")
    old.save()
    fresh = finished_job(cast, kind=JobKind.EXPORT, days_ago=1, stored="")
    fresh.result["stored"] = put(f"jobs/{fresh.uuid}/export.xlsx")
    fresh.save()
    running = finished_job(cast, kind=JobKind.IMPORT, days_ago=0, state=JobState.RUNNING)
    upload = put(f"jobs/{running.uuid}/名册.xlsx")
    cancelled = finished_job(cast, kind=JobKind.IMPORT, days_ago=0.5, state=JobState.CANCELLED)
    left_over = put(f"jobs/{cancelled.uuid}/名册.xlsx")  # a cancelled job's upload, never read
    no_job = put(f"jobs/{uuid.uuid4()}/名册.xlsx")  # a request that died before its job committed
    stray = put("jobs/not-a-job/x.csv")

    # Just written: the orphans are within their grace period (a job may be committing).
    first = job_files_cleanup()
    assert first.expired == [old.result["stored"]] and first.orphaned == []
    old.refresh_from_db()
    assert old.result["expired"] is True
    client = Client()
    client.force_login(cast.committee_admin)
    assert client.get(f"/jobs/{old.pk}/download/").status_code == 404
    page = client.get(f"/jobs/{old.pk}/").content.decode()
    assert "导出文件已超过保留期限并已删除" in page and f"/jobs/{old.pk}/download/" not in page
    assert f"/jobs/{fresh.pk}/download/" in client.get(f"/jobs/{fresh.pk}/").content.decode()
    assert client.get(f"/jobs/{fresh.pk}/download/").status_code == 200

    later = job_files_cleanup(now=timezone.now() + datetime.timedelta(hours=2))
    assert sorted(later.orphaned) == sorted([left_over, no_job, stray]) and later.expired == []
    assert stored_files(media) == sorted([fresh.result["stored"], upload])
    audits = AuditEntry.objects.filter(action="job.files_cleanup").order_by("pk")
    assert [a.after for a in audits] == [
        {"expired": 1, "orphaned": 0, "retention_days": 7},
        {"expired": 0, "orphaned": 3, "retention_days": 7},
    ]
    assert all(a.success and a.actor_id is None for a in audits)


def test_the_command_and_the_nightly_task_run_the_cleanup(cast: Cast, settings: Any, media: Path) -> None:
    settings.JOB_FILES_RETENTION_DAYS = 3
    old = finished_job(cast, kind=JobKind.EXPORT, days_ago=4, stored="")
    old.result["stored"] = put(f"jobs/{old.uuid}/export.csv")
    old.save()
    out = io.StringIO()
    call_command("cleanup_job_files", stdout=out)
    assert "已删除过期导出文件 1 个（保留 3 天）、无主文件 0 个" in out.getvalue()
    assert stored_files(media) == []
    from gongjian.celery import app
    from gongjian.jobs.tasks import cleanup_files

    task: Callable[[], dict[str, int]] = cleanup_files
    assert task() == {"expired": 0, "orphaned": 0}
    nightly = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "gongjian.jobs.cleanup_files" in nightly and "gongjian.jobs.cleanup_files" in app.tasks
