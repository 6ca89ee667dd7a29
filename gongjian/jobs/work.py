"""What each kind of job does: it calls the capability's own public service (which audits
its write) with the job's starter as actor, reports its progress, and names its result.

Registering a kind (for a new app's long work, e.g. notification sending): add the kind to
:class:`gongjian.jobs.models.JobKind` (and its migration), write ``run(job) -> Outcome``
calling the app's service, and register it once at import time of this module's
:data:`KINDS` (or from the app's ``AppConfig.ready``)::

    register(JobKind.NOTIFICATIONS, run_notifications)

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
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.audit.services import jsonable
from gongjian.core.progress import counted, report
from gongjian.core.uploads import count_rows
from gongjian.jobs.models import Job, JobKind


@dataclass
class Outcome:
    """A finished job's result (JSON) and the page that shows it ("" when the job page does)."""

    result: dict[str, Any]
    url: str = ""


# Each import the pages can start as a job: the importer's dotted path (a whitelist: a
# job's parameters never name code) and the page that lists what it imported.
IMPORTERS: dict[str, tuple[str, str]] = {
    "organizations": ("gongjian.orgs.import_organizations.organization_import", "orgs:list"),
    "people": ("gongjian.orgs.import_people.person_import", "orgs:person_list"),
    "joint": ("gongjian.orgs.import_joint.joint_import", "orgs:joint_list"),
    "transfers": ("gongjian.funds.import_transfers.transfer_import", "funds:index"),
    "candidates": ("gongjian.dispatch.tables.candidate_import", "dispatch:index"),
    "members": ("gongjian.members.io_mobile.import_members", "members:index"),
    "pairs": ("gongjian.members.io_pairs.import_pairs", "members:index"),
    "geography": ("gongjian.rounds.services_setup.geography_import", ""),
}


def _callable(path: str) -> Callable[..., Any]:
    module, name = path.rsplit(".", 1)
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


def _summary(value: Any) -> dict[str, Any]:
    if hasattr(value, "as_dict"):
        return dict(value.as_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: jsonable(v) for k, v in dataclasses.asdict(value).items() if k != "errors"}
    if isinstance(value, int):
        return {"count": value}
    return {"value": jsonable(value)}


def run_import(job: Job) -> Outcome:
    """A spreadsheet import: the file kept when the job started, through the importer."""
    path, url_name = IMPORTERS[job.params["importer"]]
    with default_storage.open(job.params["file"], "rb") as handle:
        data = handle.read()
    filename = job.params.get("filename") or "import.xlsx"
    rows = count_rows(data, filename)
    report(done=0, total=rows, stage=_("正在校验并导入 %(n)d 行") % {"n": rows})
    extra: dict[str, Any] = {}
    url = reverse(url_name) if url_name else ""
    if job.params["importer"] == "geography":
        from gongjian.rounds.models import Round

        extra["round_"] = Round.objects.get(pk=job.params["round_id"])
        url = reverse("rounds:geography", kwargs={"pk": job.params["round_id"]})
    summary = _callable(path)(actor=job.starter, data=data, filename=filename, **extra)
    report(done=rows, total=rows, stage=_("导入完成"))
    return Outcome({"rows": rows, **_summary(summary)}, url)


def run_allocation(job: Job) -> Outcome:
    """An allocation run of a round (rounds' own service: read a snapshot, solve outside any
    transaction, store in a short one that re-checks the snapshot and ends the job)."""
    from gongjian.rounds.models import Round
    from gongjian.rounds.services_allocation import allocation_run

    round_ = Round.objects.get(pk=job.params["round_id"])
    report(done=0, total=ALLOCATION_STEPS, stage=_("正在读取名录与意向"))
    run = allocation_run(
        actor=job.starter,  # type: ignore[arg-type]
        round_=round_,
        pins=[tuple(p) for p in job.params.get("pins", [])],
        forbids=[tuple(f) for f in job.params.get("forbids", [])],
        open_only=bool(job.params.get("open_only")),
    )
    return allocation_outcome(run)


# Read the snapshot, solve, store (the service reports each step).
ALLOCATION_STEPS = 3


def allocation_outcome(run: Any) -> Outcome:
    """A stored allocation run as the job's result: its figures and its page."""
    result = {"run": run.number, "covered_slots": run.covered_slots, "required_slots": run.required_slots}
    return Outcome(result, reverse("rounds:run", kwargs={"pk": run.round_id, "number": run.number}))


def run_dispatch_match(job: Job) -> Outcome:
    """A matching run of dispatched cadres (dispatch's own service: solve outside any
    transaction, store in a short one that ends the job)."""
    from gongjian.dispatch.services_match import match_run

    report(done=0, total=ALLOCATION_STEPS, stage=_("正在读取人才库与村情需求并求解"))
    run = match_run(
        actor=job.starter,  # type: ignore[arg-type]
        policy_key=job.params["policy_key"],
        forbids=[tuple(f) for f in job.params.get("forbids", [])],
    )
    return dispatch_outcome(run)


def dispatch_outcome(run: Any) -> Outcome:
    """A stored matching run as the job's result."""
    return Outcome({"run": run.pk}, reverse("dispatch:run", kwargs={"pk": run.pk}))


def run_compliance(job: Job) -> Outcome:
    """A compliance evaluation of the starter's subtree."""
    from gongjian.compliance.services import compliance_evaluate
    from gongjian.orgs.models import Organization

    scope = Organization.objects.get(pk=job.params["scope_id"])
    report(done=0, total=1, stage=_("正在评估 %(scope)s 的全部已签约结对") % {"scope": scope.name})
    summary = compliance_evaluate(actor=job.starter, round_or_scope=scope)
    report(done=1, total=1, stage=_("评估完成"))
    return Outcome(_summary(summary), reverse("compliance:index"))


def _as_of(job: Job) -> datetime.date:
    text = job.params.get("date")
    return datetime.date.fromisoformat(text) if text else timezone.localdate()


def run_nightly_compliance(job: Job) -> Outcome:
    """The nightly evaluation of every round with signed pairs (was the cron command), one
    round after another, with the reminders that are due."""
    from gongjian.compliance.services import compliance_evaluate
    from gongjian.rounds.models import PairingStatus, Round

    as_of = _as_of(job)
    rounds = list(Round.objects.filter(pairings__status=PairingStatus.SIGNED).distinct().order_by("pk"))
    pairs = 0
    for done, round_ in enumerate(rounds):
        report(done=done, total=len(rounds), stage=_("正在评估轮次：%(name)s") % {"name": round_.name})
        pairs += compliance_evaluate(actor=None, round_or_scope=round_, as_of=as_of).pairs
    report(done=len(rounds), total=len(rounds), stage=_("评估完成"))
    return Outcome({"rounds": len(rounds), "pairs": pairs, "as_of": as_of.isoformat()})


def run_members_reminders(job: Job) -> Outcome:
    """Today's yearly reminders for mobile members (七一 letters, 腊月 forums); the service
    never sends the same reminder twice in a year."""
    from gongjian.members.services_reminders import reminders_send

    created = reminders_send(today=_as_of(job))
    return Outcome({"reminders": len(created)})


def run_export_job(job: Job) -> Outcome:
    """A large export (gongjian/jobs/exports.py): the file kept for the starter's download."""
    from gongjian.jobs.exports import run_export

    result, url = run_export(job)
    return Outcome(result, url)


def run_agreement_pdfs(job: Job) -> Outcome:
    """The 共建协议书 PDFs of a round's pairs signed outside the app (a round written in
    bulk), rendered ahead of their first download: about a second each, so a city's
    pairs take minutes. Each agreement is rendered and stored in its own transaction and
    skipped when it already has its PDFs, so a retried job renders only what is missing."""
    from gongjian.rounds.access import can_administer
    from gongjian.rounds.models import Agreement, Round
    from gongjian.rounds.services_agreement_archive import agreement_documents

    round_ = Round.objects.get(pk=job.params["round_id"])
    if job.starter is None or not can_administer(job.starter, round_):
        raise PermissionDenied(_("只有本轮次的组织部门管理员可以生成协议书"))
    missing = Agreement.objects.filter(
        pairing__round=round_, pdf="", unit_signed_at__isnull=False, village_signed_at__isnull=False
    ).order_by("pk")
    ids = list(missing.values_list("pk", flat=True))
    stage = _("正在生成协议书 PDF")
    for agreement in counted(missing.select_related("pairing").iterator(chunk_size=100), stage=stage, total=len(ids)):
        agreement_documents(actor=job.starter, agreement=agreement)
    url = reverse("rounds:pairings", kwargs={"pk": round_.pk})
    return Outcome({"rendered": len(ids)}, url)


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
register(JobKind.ALLOCATION, run_allocation, outcome=allocation_outcome)
register(JobKind.DISPATCH_MATCH, run_dispatch_match, outcome=dispatch_outcome)
register(JobKind.COMPLIANCE_EVALUATION, run_compliance)
register(JobKind.NIGHTLY_COMPLIANCE, run_nightly_compliance)
register(JobKind.MEMBERS_REMINDERS, run_members_reminders)
register(JobKind.EXPORT, run_export_job)
register(JobKind.AGREEMENT_PDFS, run_agreement_pdfs, own_transactions=True)
