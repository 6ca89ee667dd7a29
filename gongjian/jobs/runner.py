"""Running a job exactly once, wherever it runs.

Three modes (``settings.JOBS_MODE``):

- ``celery``: a broker is configured (``CELERY_BROKER_URL`` or ``REDIS_URL``); the job is
  sent to the workers after the request's transaction commits, and the request answers at
  once with the progress page.
- ``thread``: no broker (``make run`` on SQLite); the job runs in a daemon thread of the web
  server's own process, through the same record and progress page, so the request does
  not wait for the work and the page still shows its progress.
- ``eager``: the test profile without a broker; the job runs inside the request, so that
  tests see its result at once.

Exactly once: the claim (state *running*, attempts + 1) is committed first. Then one of two
ways, as the kind is registered (:func:`gongjian.jobs.work.register`):

- *in the job's transaction* (imports, evaluations…): in one transaction, the job row is
  locked (``SELECT … FOR UPDATE``: a second delivery of the same message waits here until
  the first commits or dies), its state checked again, the work done and the job's final
  state written;
- *in steps of its own* (rendering a round's agreement PDFs): each step commits alone and
  is idempotent (a retry redoes only what is missing); the job's end is written after;
- *storing itself* (allocation and matching runs): the work holds no transaction while it
  computes (a solve of seconds must not keep rows locked, issue 14); its service stores the
  result in its own short transaction and calls :func:`gongjian.core.progress.stored` there,
  and the job's end is written in *that* transaction (the row locked, a job already finished
  by another delivery rolls the store back). The result and "done" commit together.

A worker killed in the middle takes its open transaction with it: nothing of the work is
left, and the broker's redelivery (``acks_late`` + ``reject_on_worker_lost``) runs it again
from the start on another worker. A delivery that finds the job finished does nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongjian.audit.services import AuditRecord
from gongjian.core.errors import Refused
from gongjian.core.progress import Listener, listening
from gongjian.core.tabular import TableRejected
from gongjian.jobs import progress
from gongjian.jobs.models import ACTIVE_STATES, Job, JobState
from gongjian.policies import PolicyProfileError

if TYPE_CHECKING:
    from gongjian.jobs.work import JobWork, Outcome

logger = logging.getLogger(__name__)

MAX_ERRORS_KEPT = 1000  # bad cells listed on the job page, as on the import pages


def mode() -> str:
    """``celery``, ``thread`` or ``eager`` (see the module's docstring)."""
    return str(settings.JOBS_MODE)


def dispatch(job: Job) -> None:
    """Hand a freshly recorded job to whoever runs it, once the caller's transaction commits
    (a worker must find the row)."""
    how = mode()
    if how == "celery":
        from gongjian.jobs.tasks import run_job

        job_id, task_id = job.pk, str(job.uuid)
        transaction.on_commit(lambda: run_job.apply_async(args=(job_id,), task_id=task_id))
    elif how == "thread":
        job_id = job.pk
        transaction.on_commit(lambda: _start_thread(job_id))
    else:
        execute(job.pk, worker="eager")


def revoke(job: Job) -> None:
    """Tell the workers to drop a cancelled job's message (the claim refuses it anyway)."""
    if mode() == "celery":
        from gongjian.celery import app

        app.control.revoke(str(job.uuid))


def _start_thread(job_id: int) -> None:
    def main() -> None:
        try:
            execute(job_id, worker=f"thread:{threading.get_ident()}")
        finally:
            connections.close_all()  # this thread's connections only

    threading.Thread(target=main, name=f"job-{job_id}", daemon=True).start()


def _claim(job_id: int, worker: str) -> bool:
    claimed = Job.objects.filter(pk=job_id, state__in=ACTIVE_STATES).update(
        state=JobState.RUNNING,
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
        worker=worker[:200],
        stage=_("开始执行"),
    )
    return bool(claimed)


def _ended_stage(state: str, stopped_at: str) -> str:
    """The stage an ended job shows: "已完成"; a job that did not finish says where it stopped
    ("失败（停在：正在读取并校验各行）"), so that its last running words do not read as if it
    were still at work."""
    label = str(JobState(state).label)
    if state == JobState.DONE or not stopped_at:
        return label
    return (_("%(state)s（停在：%(stage)s）") % {"state": label, "stage": stopped_at})[:200]


def _finish(job: Job, *, state: str, result: Any = None, url: str = "", error: str = "") -> None:
    """Write the job's final state and its audit row (inside the work's transaction)."""
    live = progress.live(job.pk) or {}
    job.state = state
    job.result = result
    job.result_url = url
    job.error = error
    job.finished_at = timezone.now()
    total = int(live.get("total") or job.progress_total)
    job.progress_total = total
    job.progress_done = total if state == JobState.DONE else int(live.get("done") or 0)
    job.stage = _ended_stage(state, str(live.get("stage") or job.stage))
    job.save()
    # Written in the job's own transaction, failed or not: a job's end and its audit row
    # commit together (once), unlike a refused write's row, which outlives its rollback.
    record = AuditRecord(
        action="job.finish",
        actor=job.starter,
        target=job,
        scope_path=job.scope_path,
        after={"kind": job.kind, "state": state, "attempts": job.attempts, "result": result if result else None},
    )
    record.entry(success=state == JobState.DONE, reason=error).save()


class AlreadyFinished(Exception):
    """Another delivery of the same job stored its result first: this one's store is rolled
    back (raised from inside the service's storing transaction)."""


def _refusal_or_outcome(job: Job, work: Callable[[Job], Outcome]) -> dict[str, Any]:
    """Run the work; the job's end as :func:`_finish` takes it, a refusal as *failed* with
    its Chinese message (a rejected table with every bad cell)."""
    try:
        outcome = work(job)
    except TableRejected as exc:
        errors = [{"row": e.row, "column": e.column, "reason": e.reason} for e in exc.errors]
        message = _("文件有 %(n)d 处错误，未导入任何数据。请修改后重新导入。") % {"n": len(errors)}
        kept = {"errors": errors[:MAX_ERRORS_KEPT], "error_count": len(errors)}
        return {"state": JobState.FAILED, "result": kept, "error": message}
    except Refused as exc:
        return {"state": JobState.FAILED, "error": exc.message, "result": {"code": exc.code}}
    except PolicyProfileError as exc:
        return {"state": JobState.FAILED, "error": str(exc)}
    except PermissionDenied as exc:
        return {"state": JobState.FAILED, "error": str(exc) or _("无权执行此操作")}
    return {"state": JobState.DONE, "result": outcome.result, "url": outcome.url}


def _in_transaction(job_id: int, kind: JobWork) -> str:
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.finished:
            return "skipped"
        _finish(job, **_refusal_or_outcome(job, kind.run))
        return job.state


def _storing_itself(job_id: int, kind: JobWork) -> str:
    job = Job.objects.get(pk=job_id)
    end = _refusal_or_outcome(job, kind.run)  # the service's store called _stored_hook
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.finished:  # stored and finished in the service's transaction
            return str(job.state)
        # A refusal, or work committing in idempotent steps of its own (own_transactions):
        # its end is written here.
        _finish(job, **end)
        return job.state


def _stored_hook(job_id: int, kind: JobWork) -> Callable[[Any], None]:
    """The completion callback of a job storing itself: inside the service's storing
    transaction, lock the job, refuse if another delivery finished it, else write its end."""
    outcome = kind.outcome
    assert outcome is not None

    def stored(value: Any) -> None:
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.finished:
            raise AlreadyFinished(f"job {job_id} is already {job.state}")
        result = outcome(value)
        _finish(job, state=JobState.DONE, result=result.result, url=result.url)

    return stored


def _report(done: int, total: int | None, stage: str) -> None:
    progress.report(done=done, total=total, stage=stage)


def execute(job_id: int, *, worker: str) -> str:
    """Run one job to its end (see the module's docstring) in its starter's language; returns
    its final state, or ``skipped`` when the job was already finished or cancelled."""
    language = Job.objects.filter(pk=job_id).values_list("language", flat=True).first()
    with translation.override(language or settings.LANGUAGE_CODE):
        return _execute(job_id, worker=worker)


def _execute(job_id: int, *, worker: str) -> str:
    from gongjian.jobs.work import KINDS

    if not _claim(job_id, worker):
        return "skipped"
    kind = KINDS.get(Job.objects.values_list("kind", flat=True).get(pk=job_id))
    if kind is None:  # a kind this worker's code does not know (an older release)
        logger.error("job %s: unknown kind", job_id)
        with transaction.atomic():
            job = Job.objects.select_for_update().get(pk=job_id)
            _finish(job, state=JobState.FAILED, error=_("任务执行出错，未写入任何数据，请联系系统管理员"))
        return JobState.FAILED
    token = progress.current_job.set(job_id)
    storing_itself = kind.outcome is not None or kind.own_transactions
    stored = _stored_hook(job_id, kind) if kind.outcome is not None else None
    listener = Listener(progress=_report, stored=stored)
    try:
        with listening(listener):
            state = _storing_itself(job_id, kind) if storing_itself else _in_transaction(job_id, kind)
    except AlreadyFinished:
        state = "skipped"
    except Exception as exc:
        # A fault of ours or a time limit: the work was rolled back; say so in Chinese and
        # keep the trace in the log for the operator.
        from celery.exceptions import SoftTimeLimitExceeded

        timed_out = isinstance(exc, SoftTimeLimitExceeded)
        if not timed_out:
            logger.exception("job %s failed", job_id)
        error = (
            _("任务超过时限，已停止，未写入任何数据")
            if timed_out
            else _("任务执行出错，未写入任何数据，请联系系统管理员")
        )
        with transaction.atomic():
            job = Job.objects.select_for_update().get(pk=job_id)
            if not job.finished:  # a store that committed stays done
                _finish(job, state=JobState.FAILED, error=error)
            state = job.state
    finally:
        progress.current_job.reset(token)
    progress.clear(job_id)
    _remove_file(job_id)
    return state


def _remove_file(job_id: int) -> None:
    """Delete a finished job's uploaded file (after its transaction committed)."""
    name = Job.objects.filter(pk=job_id).values_list("params__file", flat=True).first()
    if name and Job.objects.filter(pk=job_id, state__in=[JobState.DONE, JobState.FAILED]).exists():
        transaction.on_commit(lambda: default_storage.delete(str(name)))
