"""Starting and cancelling jobs (audited), and the file a job works on."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import Actor, audited
from gongjian.core.errors import Refused
from gongjian.jobs import runner
from gongjian.jobs.models import ACTIVE_STATES, Job, JobState


class JobActionRefused(Refused):
    """A job action that is not possible now (cancelling a job that already started…)."""


def _no_subtree(user: Any) -> str | None:
    return None


# Where a job started from a page is filed (its audit rows' scope path): the path of the
# starter's subtree. That is the registry's scope rule, and the registry sits above the
# jobs, so it registers the rule here (``OrgsConfig.ready``) instead of the jobs importing it.
_filing: list[Callable[[Any], str | None]] = [_no_subtree]


def register_filing(subtree_path: Callable[[Any], str | None]) -> None:
    """Set how a starter's jobs are filed: ``subtree_path(user)``, the path of the user's
    subtree or None (filed under no subtree)."""
    _filing[0] = subtree_path


def filing_path(user: Any) -> str:
    """The scope path a job started by ``user`` from a page is filed under ("" for none)."""
    return _filing[0](user) or ""


def request_key(*parts: Any) -> str:
    """An idempotency key for a request: the same starter asking for the same work (same
    kind, same parameters, same file) while it is still queued or running gets that job."""
    digest = hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()
    return digest[:64]


def file_digest(data: bytes) -> str:
    """A short fingerprint of an uploaded file, for :func:`request_key`."""
    return hashlib.sha256(data).hexdigest()[:32]


@audits_refusals
def job_start(
    *,
    actor: Actor | None,
    kind: str,
    title: str,
    params: dict[str, Any] | None = None,
    scope_path: str = "",
    idempotency_key: str = "",
    reuse_finished: bool = False,
    file: tuple[str, bytes] | None = None,
) -> Job:
    """Record a job and hand it to the workers (or to a thread of this process when no broker
    is configured). A job with the same ``idempotency_key`` that is queued or running (or,
    with ``reuse_finished``, done) is returned instead of starting the work twice. ``file``
    (name, content) is kept in the default storage, where any worker can read it."""
    starter = actor if actor is not None and actor.is_authenticated else None
    if idempotency_key:
        states = [*ACTIVE_STATES, JobState.DONE] if reuse_finished else list(ACTIVE_STATES)
        same = Job.objects.filter(idempotency_key=idempotency_key, state__in=states).order_by("-pk").first()
        if same is not None:
            return same
    try:
        with audited("job.start", actor=actor, scope_path=scope_path) as record:
            job = Job(
                kind=kind,
                starter=starter,  # type: ignore[misc]  # an authenticated actor is a User
                title=title[:200],
                language=(translation.get_language() or "")[:16] if starter is not None else "",
                params=dict(params or {}),
                scope_path=scope_path,
                idempotency_key=idempotency_key,
                stage=_("排队等待执行"),
            )
            if file is not None:
                name, content = file
                job.params["file"] = default_storage.save(f"jobs/{job.uuid}/{name}", ContentFile(content))
                job.params["filename"] = name
            job.save()
            record.target = job
            record.after = {"kind": kind, "title": job.title, "mode": runner.mode()}
    except IntegrityError:
        # Another request with the same key won the race: follow its job.
        same = Job.objects.filter(idempotency_key=idempotency_key, state__in=ACTIVE_STATES).first()
        if same is None:
            raise
        return same
    runner.dispatch(job)
    if runner.mode() == "eager":
        job.refresh_from_db()  # it has run already
    return job


@audits_refusals
def job_cancel(*, actor: Actor, job: Job) -> Job:
    """Cancel a job that has not started yet (nothing of its work was done, so cancelling is
    safe); a running job is refused: its work commits whole or not at all."""
    with audited("job.cancel", actor=actor, target=job, scope_path=job.scope_path) as record:
        cancelled = Job.objects.filter(pk=job.pk, state=JobState.QUEUED).update(
            state=JobState.CANCELLED, finished_at=timezone.now(), stage=_("已取消")
        )
        if not cancelled:
            raise JobActionRefused(_("任务已开始执行或已结束，不能取消"), code="job_started")
        record.after = {"state": JobState.CANCELLED}
    transaction.on_commit(lambda: runner.revoke(job))
    job.refresh_from_db()
    return job
