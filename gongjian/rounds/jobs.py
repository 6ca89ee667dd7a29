"""The rounds' long work, registered with the jobs (:mod:`gongjian.jobs.work`) from
:class:`gongjian.rounds.apps.RoundsConfig`: an allocation run, the agreement PDFs of a round
written in bulk, and the geography import of a round."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from gongjian.core.progress import counted, step
from gongjian.jobs.models import Job, JobKind
from gongjian.jobs.services import job_start, request_key
from gongjian.jobs.work import Outcome, register, register_importer
from gongjian.rounds.access import can_administer
from gongjian.rounds.models import Agreement, Round
from gongjian.rounds.services_setup import geography_import

# Read the snapshot, solve, store (the service reports each step).
ALLOCATION_STEPS = 3


def run_allocation(job: Job) -> Outcome:
    """An allocation run of a round (rounds' own service: read a snapshot, solve outside any
    transaction, store in a short one that re-checks the snapshot and ends the job)."""
    from gongjian.rounds.services_allocation import allocation_run

    round_ = Round.objects.get(pk=job.params["round_id"])
    step(0, ALLOCATION_STEPS, stage=_("正在读取名录与意向"))
    run = allocation_run(
        actor=job.starter,  # type: ignore[arg-type]
        round_=round_,
        pins=[tuple(p) for p in job.params.get("pins", [])],
        forbids=[tuple(f) for f in job.params.get("forbids", [])],
        open_only=bool(job.params.get("open_only")),
    )
    return allocation_outcome(run)


def allocation_outcome(run: Any) -> Outcome:
    """A stored allocation run as the job's result: its figures and its page."""
    result = {"run": run.number, "covered_slots": run.covered_slots, "required_slots": run.required_slots}
    return Outcome(result, reverse("rounds:run", kwargs={"pk": run.round_id, "number": run.number}))


def run_agreement_pdfs(job: Job) -> Outcome:
    """The 共建协议书 PDFs of a round's pairs signed outside the app (a round written in
    bulk), rendered ahead of their first download: about a second each, so a city's
    pairs take minutes. Each agreement is rendered and stored in its own transaction and
    skipped when it already has its PDFs, so a retried job renders only what is missing."""
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


def agreement_pdfs_start(*, actor: Any, round_: Round) -> Job:
    """Start rendering a round's agreement PDFs (its administrators only: others are
    refused with PermissionDenied); the same round asked twice while it runs is one job."""
    if not can_administer(actor, round_):
        raise PermissionDenied
    return job_start(
        actor=actor,
        kind=JobKind.AGREEMENT_PDFS,
        title=_("生成协议书 PDF：%(round)s") % {"round": round_.name},
        params={"round_id": round_.pk},
        scope_path=round_.scope.path,
        idempotency_key=request_key("agreement_pdfs", round_.pk),
    )


def _geography_round(job: Job) -> dict[str, Any]:
    return {"round_": Round.objects.get(pk=job.params["round_id"])}


def _geography_page(job: Job) -> str:
    return reverse("rounds:geography", kwargs={"pk": job.params["round_id"]})


register(JobKind.ALLOCATION, run_allocation, outcome=allocation_outcome)
register(JobKind.AGREEMENT_PDFS, run_agreement_pdfs, own_transactions=True)
register_importer("geography", geography_import, extra=_geography_round, url=_geography_page)
