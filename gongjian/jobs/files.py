"""The files jobs keep in the shared storage, and their cleanup.

Every file of a job lives in its folder ``jobs/<job uuid>/`` of the default storage (the
shared file system or the S3-compatible store: only the storage API is used): the uploaded
spreadsheet of an import (deleted when the job ends) and the file an export made (written
once its job's result has committed, kept for its starter's download).

:func:`job_files_cleanup` (command ``cleanup_job_files``, and celery beat every night)
deletes

- *expired* export files: their job finished more than ``JOB_FILES_RETENTION_DAYS`` ago
  (setting; local default 7 days). The job's result is marked ``expired``: its page says so
  instead of offering the download;
- *orphaned* files: a folder whose job does not exist (a request or worker that died
  between writing a file and committing its job), or a file of a finished job that is not
  its export (an upload its job never got to delete: a cancelled job, a worker killed after
  its end committed). Only files older than ``ORPHAN_GRACE`` are taken: a job being
  started writes its upload a moment before its row commits.

A queued or running job's files are never touched. The cleanup is audited (one row with
what it deleted).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from gongjian.audit.services import audited
from gongjian.jobs.models import FINISHED_STATES, Job, JobKind

FOLDER = "jobs"
# A file with no job is left alone this long: a job's upload is written just before its
# row commits (seconds); an hour is far beyond any request.
ORPHAN_GRACE = datetime.timedelta(hours=1)


def job_folder(job: Job) -> str:
    """The storage folder of a job's files (with its trailing slash)."""
    return f"{FOLDER}/{job.uuid}/"


def retention() -> datetime.timedelta:
    """How long a finished export's file is kept (setting ``JOB_FILES_RETENTION_DAYS``)."""
    return datetime.timedelta(days=int(settings.JOB_FILES_RETENTION_DAYS))


@dataclass
class CleanupSummary:
    """What a cleanup deleted: expired exports and orphaned files (storage names)."""

    expired: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        """The counts, for the audit row and the command's output."""
        return {"expired": len(self.expired), "orphaned": len(self.orphaned)}


def _files(folder: str) -> list[str]:
    """Every file below ``folder`` (storage names), however deep."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    found = [f"{folder}{name}" for name in files]
    for sub in folders:
        found += _files(f"{folder}{sub}/")
    return found


def _older_than(name: str, moment: datetime.datetime) -> bool:
    try:
        return default_storage.get_modified_time(name) < moment
    except FileNotFoundError:  # deleted meanwhile
        return False


def _job_of(folder: str) -> Job | None:
    try:
        key = uuid.UUID(folder)
    except ValueError:
        return None
    return Job.objects.filter(uuid=key).first()


def job_files_cleanup(*, now: datetime.datetime | None = None) -> CleanupSummary:
    """Delete expired export files and orphaned files through the storage API (see the
    module's docstring); audited as ``job.files_cleanup`` with the counts."""
    now = now or timezone.now()
    summary = CleanupSummary()
    expired_jobs: list[Job] = []
    try:
        folders, loose = default_storage.listdir(f"{FOLDER}/")
    except FileNotFoundError:
        folders, loose = [], []
    candidates: list[tuple[Job | None, str]] = [(None, f"{FOLDER}/{name}") for name in loose]
    for folder in folders:
        job = _job_of(folder)
        if job is not None and job.state not in FINISHED_STATES:
            continue  # its upload is being read, its export being built
        kept = job.result.get("stored") if job is not None and isinstance(job.result, dict) else None
        for name in _files(f"{FOLDER}/{folder}/"):
            if job is None or name != kept:
                candidates.append((job, name))
            elif job.kind == JobKind.EXPORT and job.finished_at and job.finished_at < now - retention():
                summary.expired.append(name)
                expired_jobs.append(job)
    summary.orphaned = [name for _job, name in candidates if _older_than(name, now - ORPHAN_GRACE)]
    with audited("job.files_cleanup", actor=None) as record:
        for job in expired_jobs:
            Job.objects.filter(pk=job.pk).update(result={**(job.result or {}), "expired": True})
        record.after = {**summary.as_dict(), "retention_days": retention().days}
    # The rows say the files are gone before they are: a download in between gets a 404,
    # never a row pointing at nothing that still offers it.
    for name in [*summary.expired, *summary.orphaned]:
        default_storage.delete(name)
    return summary
