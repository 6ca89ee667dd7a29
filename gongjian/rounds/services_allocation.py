"""Allocation and balancing: run the engine on the round (what-if runs are kept with their
inputs), publish a run as pairings, re-match open villages after adjustments."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gongjian.accounts.models import User
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audit_event, audited
from gongjian.core.progress import solving, step, stored
from gongjian.jobs.models import Job, JobKind, JobState
from gongjian.jobs.services import JobActionRefused, job_start, request_key
from gongjian.matching import (
    AllocationInputError,
    Instance,
    Result,
    allocate,
    candidate_pair_count,
    describe,
    input_error_reason,
    instance_from_json,
    instance_to_json,
    result_from_json,
    result_to_json,
)
from gongjian.notifications.services import Event, notify_all
from gongjian.rounds.access import can_administer
from gongjian.rounds.errors import RoundActionRefused
from gongjian.rounds.models import (
    AllocationRun,
    DirectoryEntry,
    Pairing,
    PairingOrigin,
    PairingStatus,
    Round,
    RoundStatus,
)
from gongjian.rounds.selectors.allocation import (
    WITHDRAWN_BY_REPUBLISH,
    AllocationSnapshot,
    allocation_snapshot,
    instance_namer,
)
from gongjian.rounds.stage import refresh_stage

__all__ = [
    "WITHDRAWN_BY_REPUBLISH",
    "allocation_publish",
    "allocation_run",
    "end_pairing",
    "instance_from_json",  # the engine's reader, for callers that re-derive a stored run
    "run_difference",
]


def _language() -> str:
    return "en" if (get_language() or "zh").startswith("en") else "zh"


def _require_tractable(instance: Instance) -> None:
    """Refuse a run the server cannot hold in memory: a province-wide round without a district
    table offers every unit for every village (15,000 × 20,000 = 300 million pairs)."""
    count = candidate_pair_count(instance)
    limit: int = settings.ALLOCATION_MAX_CANDIDATE_PAIRS
    if count > limit:
        raise RoundActionRefused(
            _(
                "本次分配需要比较约 %(count)s 个“单位—村”组合，超过单次分配上限 %(limit)s 个。"
                "请先导入对口安排表（区县↔县），把各区县单位的候选范围限定在对口的县，或分区域开展轮次。"
            )
            % {"count": f"{count:,}", "limit": f"{limit:,}"},
            code="too_large",
        )


def _audit_refusal(actor: User, round_: Round, exc: RoundActionRefused) -> None:
    """Audit a refusal that happened before the store transaction (no write to roll back)."""
    audit_event(
        "allocation.run", actor=actor, target=round_, scope_path=round_.scope.path, success=False, reason=exc.message
    )


def allocation_run(
    *,
    actor: User,
    round_: Round,
    pins: Sequence[tuple[int, int]] = (),
    forbids: Sequence[tuple[int, int]] = (),
    open_only: bool = False,
    workers: int = 1,
) -> AllocationRun:
    """Run the engine (a what-if until published). Every run is kept with its inputs.

    ``workers``: processes the engine may fork for a large round; 1 (no forking) inside a
    threaded web server; more from a job (a daemonic Celery child solves in place anyway).

    The solve holds no database transaction: the round's rows are read as a snapshot, the
    engine runs, and the run is stored in a short transaction that first locks the round and
    re-reads the snapshot; if anything the engine read changed meanwhile (an intent, a
    directory entry, a pairing...), the run is refused and nothing is stored.
    """
    if not can_administer(actor, round_):
        raise PermissionDenied(_("只有本轮次的组织部门管理员可以运行组织分配"))
    started = time.perf_counter()
    try:
        if round_.status not in (RoundStatus.OPEN, RoundStatus.PUBLISHED):
            raise RoundActionRefused(_("名录发布后才能运行组织分配"), code="not_open")
        snapshot = allocation_snapshot(round_, pins=list(pins), forbids=list(forbids), open_only=open_only)
        _require_tractable(snapshot.instance)
        sizes = {"villages": len(snapshot.instance.villages), "units": len(snapshot.instance.units)}
        step(1, 3, stage=_("正在求解（%(villages)d 个村、%(units)d 个单位）") % sizes)
        try:
            result = allocate(snapshot.instance, workers=workers, progress=solving())
        except AllocationInputError as exc:
            reason = describe(input_error_reason(exc), _language(), instance_namer(snapshot.instance))  # type: ignore[arg-type]
            raise RoundActionRefused(reason, code=exc.code) from exc
    except RoundActionRefused as exc:
        _audit_refusal(actor, round_, exc)
        raise
    return _store_run(actor, round_, snapshot, result, pins, forbids, open_only, time.perf_counter() - started)


def _store_run(
    actor: User,
    round_: Round,
    snapshot: AllocationSnapshot,
    result: Result,
    pins: Sequence[tuple[int, int]],
    forbids: Sequence[tuple[int, int]],
    open_only: bool,
    seconds: float,
) -> AllocationRun:
    """Store a solved run in one short audited transaction, if the round is as it was read."""
    step(2, 3, stage=_("正在核对数据并保存方案"))
    with audited("allocation.run", actor=actor, target=round_, scope_path=round_.scope.path) as record:
        Round.objects.select_for_update().filter(pk=round_.pk).first()  # one store at a time per round
        now = allocation_snapshot(round_, pins=list(pins), forbids=list(forbids), open_only=open_only)
        changed = snapshot.changed_parts(now)
        if changed:
            raise RoundActionRefused(
                _("分配计算期间本轮次的数据有变化（%(parts)s），本次结果未保存，请重新运行组织分配。")
                % {"parts": "、".join(changed)},
                code="round_changed",
            )
        number = (
            AllocationRun.objects.filter(round=round_).order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        run = AllocationRun.objects.create(
            round=round_,
            number=number,
            open_only=open_only,
            instance=instance_to_json(snapshot.instance),
            result=result_to_json(result),
            pins=[list(p) for p in pins],
            forbids=[list(f) for f in forbids],
            covered_slots=result.covered_slots,
            required_slots=result.required_slots,
            total_score=result.total_score,
            seconds=seconds,
            created_by=actor,
        )
        record.after = {
            "run": number,
            "covered_slots": result.covered_slots,
            "required_slots": result.required_slots,
            "total_score": result.total_score,
            "pins": len(pins),
            "forbids": len(forbids),
        }
        # A job running this ends in this transaction: the run and "done" commit together.
        stored(run)
    return run


def run_difference(run: AllocationRun, previous: AllocationRun | None) -> dict[str, list[tuple[str, str]]]:
    """Pairs added and removed against an earlier run (what-if comparison). A re-match of open
    villages is compared on those villages only: every other pair stands, whatever it shows."""
    now = {(p.unit, p.village) for p in result_from_json(run.result).pairs}
    before = {(p.unit, p.village) for p in result_from_json(previous.result).pairs} if previous else set()
    if run.open_only:
        villages = {v.id for v in instance_from_json(run.instance).villages}
        before = {(u, v) for u, v in before if v in villages}
    return {"added": sorted(now - before), "removed": sorted(before - now)}


@audits_refusals
def allocation_publish(*, actor: User, run: AllocationRun) -> int:
    """Publish a run: its pairs become pairings to confirm. Unconfirmed pairings of an
    earlier publication that this run does not keep are withdrawn."""
    round_ = run.round
    if not can_administer(actor, round_):
        raise PermissionDenied(_("只有本轮次的组织部门管理员可以发布分配结果"))
    with audited("allocation.publish", actor=actor, target=round_, scope_path=round_.scope.path) as record:
        wanted = {(int(p.unit), int(p.village)): p for p in result_from_json(run.result).pairs}
        proposed = Pairing.objects.filter(round=round_, status=PairingStatus.PROPOSED).exclude(
            origin=PairingOrigin.RENEWAL
        )
        withdrawn = 0
        if not run.open_only:
            for pairing in proposed:
                if (pairing.unit_id, pairing.village_id) not in wanted:
                    end_pairing(pairing, WITHDRAWN_BY_REPUBLISH)
                    withdrawn += 1
        live = set(
            Pairing.objects.filter(round=round_)
            .exclude(status=PairingStatus.ENDED)
            .values_list("unit_id", "village_id")
        )
        entries = {
            e.village_id: e for e in DirectoryEntry.objects.filter(round=round_, village_id__in={v for _u, v in wanted})
        }
        origin = PairingOrigin.REMATCH if run.open_only else PairingOrigin.ALLOCATION
        created = Pairing.objects.bulk_create(
            Pairing(
                round=round_,
                entry=entries[v],
                unit_id=u,
                village_id=v,
                origin=origin,
                run=run,
                score=p.score,
                reasons=p.reasons[:255],
            )
            for (u, v), p in wanted.items()
            if (u, v) not in live
        )
        for entry in entries.values():
            refresh_stage(entry)
        notify_all(event=Event.PAIRING_CONFIRM, objects=created)
        run.published_at = timezone.now()
        run.save(update_fields=["published_at"])
        if round_.status == RoundStatus.OPEN:
            round_.status = RoundStatus.PUBLISHED
            round_.save(update_fields=["status"])
        record.after = {"run": run.number, "published": len(created), "withdrawn": withdrawn}
    return len(created)


def end_pairing(pairing: Pairing, reason: str) -> None:
    """Mark a pairing ended (callers audit it) and give its village's place back."""
    pairing.status = PairingStatus.ENDED
    pairing.ended_at = timezone.now()
    pairing.end_reason = reason
    pairing.save(update_fields=["status", "ended_at", "end_reason"])
    refresh_stage(pairing.entry)


def allocation_start(
    *,
    actor: User,
    round_: Round,
    pins: Iterable[tuple[int, int]],
    forbids: Iterable[tuple[int, int]],
    open_only: bool,
) -> Job:
    """Start an allocation run of ``round_`` as a job (:mod:`gongjian.jobs`; the page answers
    at once with its progress bar). The same request while it runs follows the same job. A run
    refused inside the request (without a broker the job runs at once) is raised as the job's
    refusal."""
    params = {"round_id": round_.pk, "pins": sorted(set(pins)), "forbids": sorted(forbids), "open_only": open_only}
    job = job_start(
        actor=actor,
        kind=JobKind.ALLOCATION,
        title=_("组织分配：%(round)s") % {"round": round_.name},
        params=params,
        scope_path=round_.scope.path,
        idempotency_key=request_key("allocation", actor.pk, params),
    )
    if job.state == JobState.FAILED:
        raise JobActionRefused(job.error, code="job_failed")
    return job
