"""What each kind of job does. The jobs know no app above them: each app registers its
own work from its ``AppConfig.ready`` (its module ``jobs.py``), so a worker process, which
loads every app before it takes a task, knows every kind.

Registering a kind (an app's long work): add the kind to
:class:`gongjian.jobs.models.JobKind` (and its migration), write ``run(job) -> Outcome``
calling the app's own service (which audits its write) with the job's starter as actor,
and register it::

    register(JobKind.NOTIFICATIONS, run_notifications)

An import started from an upload page (:mod:`gongjian.jobs.uploads`) names a registered
importer (a whitelist: a job's parameters never name code)::

    register_importer("organizations", organization_import, page="orgs:list")

``run`` is called by :func:`gongjian.jobs.runner.execute` inside the job's transaction
(the work's writes and the job's end commit together); a refusal
(:class:`gongjian.core.errors.Refused`, ``PermissionDenied``, a rejected table) becomes the
job's Chinese error. Work that must not hold a transaction while it computes (a solve)
registers with ``outcome=``: it runs outside any transaction, its service stores in its own
short transaction and calls :func:`gongjian.core.progress.stored` there with what it
stored, and ``outcome(stored)`` names the job's result, written in that same transaction.
Progress: :func:`gongjian.core.progress.report` / :func:`~gongjian.core.progress.counted`
from anywhere below.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.audit.services import jsonable
from gongjian.core.progress import report
from gongjian.core.uploads import count_rows
from gongjian.jobs.models import Job, JobKind


@dataclass
class Outcome:
    """A finished job's result (JSON) and the page that shows it ("" when the job page does)."""

    result: dict[str, Any]
    url: str = ""


@dataclass(frozen=True)
class Importer:
    """An import the upload pages can start as a job: ``function(actor=, data=, filename=,
    **extra(job))``; the page listing what it imported is the URL name ``page``, or
    ``url(job)`` when it depends on the job's parameters."""

    function: Callable[..., Any]
    page: str = ""
    extra: Callable[[Job], dict[str, Any]] | None = None
    url: Callable[[Job], str] | None = None

    @property
    def path(self) -> str:
        """The importing function's dotted path (how an upload page names it)."""
        return f"{self.function.__module__}.{self.function.__qualname__}"


# Each import the pages can start as a job, by key (a whitelist: a job's parameters name a
# key, never code); filled by the apps (:func:`register_importer`).
IMPORTERS: dict[str, Importer] = {}


def register_importer(
    key: str,
    function: Callable[..., Any],
    *,
    page: str = "",
    extra: Callable[[Job], dict[str, Any]] | None = None,
    url: Callable[[Job], str] | None = None,
) -> None:
    """Make ``function`` an import the upload pages may start under ``key`` (see
    :class:`Importer`)."""
    IMPORTERS[key] = Importer(function, page, extra, url)


def summary_of(value: Any) -> dict[str, Any]:
    """A service's summary as a job's JSON result (``as_dict()``, a dataclass's fields but
    its errors, a count, or the value)."""
    if hasattr(value, "as_dict"):
        return dict(value.as_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: jsonable(v) for k, v in dataclasses.asdict(value).items() if k != "errors"}
    if isinstance(value, int):
        return {"count": value}
    return {"value": jsonable(value)}


def run_import(job: Job) -> Outcome:
    """A spreadsheet import: the file kept when the job started, through the importer."""
    importer = IMPORTERS[job.params["importer"]]
    with default_storage.open(job.params["file"], "rb") as handle:
        data = handle.read()
    filename = job.params.get("filename") or "import.xlsx"
    rows = count_rows(data, filename)
    report(done=0, total=rows, stage=_("正在校验并导入 %(n)d 行") % {"n": rows})
    extra = importer.extra(job) if importer.extra is not None else {}
    url = importer.url(job) if importer.url is not None else (reverse(importer.page) if importer.page else "")
    summary = importer.function(actor=job.starter, data=data, filename=filename, **extra)
    report(done=rows, total=rows, stage=_("导入完成"))
    return Outcome({"rows": rows, **summary_of(summary)}, url)


def as_of(job: Job) -> datetime.date:
    """The day a nightly job works for: its ``date`` parameter, else today."""
    text = job.params.get("date")
    return datetime.date.fromisoformat(text) if text else timezone.localdate()


def run_export_job(job: Job) -> Outcome:
    """A large export (gongjian/jobs/exports.py): the file kept for the starter's download."""
    from gongjian.jobs.exports import run_export

    result, url = run_export(job)
    return Outcome(result, url)


@dataclass(frozen=True)
class JobWork:
    """How a kind of job runs: ``run(job)``, and for work storing itself (see the module's
    docstring) ``outcome(stored)``, the job's result named from what the service stored."""

    run: Callable[[Job], Outcome]
    outcome: Callable[[Any], Outcome] | None = None
    own_transactions: bool = False


KINDS: dict[str, JobWork] = {}


def register(
    kind: str,
    run: Callable[[Job], Outcome],
    *,
    outcome: Callable[[Any], Outcome] | None = None,
    own_transactions: bool = False,
) -> None:
    """Make ``kind`` runnable by the jobs (once per kind; see the module's docstring).
    ``own_transactions``: the work commits in steps of its own, each idempotent (a retry
    redoes only what is missing), and runs outside the job's transaction."""
    KINDS[kind] = JobWork(run, outcome, own_transactions)


register(JobKind.IMPORT, run_import)
register(JobKind.EXPORT, run_export_job)
