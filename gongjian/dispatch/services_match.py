"""Matching runs: run the engine on the pool (each run kept with its inputs), and confirm a
run: its pairs, less those the admin took out, become appointments."""

from __future__ import annotations

import datetime
import time
from collections import Counter
from collections.abc import Collection, Sequence

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.accounts.models import User
from gongjian.audit.models import AuditEntry
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import AuditRecord, audit_event, audited
from gongjian.core.progress import solving, step, stored
from gongjian.dispatch.access import is_admin
from gongjian.dispatch.errors import DispatchActionRefused
from gongjian.dispatch.matching import build_instance
from gongjian.dispatch.models import (
    Appointment,
    AppointmentStatus,
    Candidate,
    CandidateStatus,
    CandidateStep,
    MatchRun,
    NeedsProfile,
    StepKind,
)
from gongjian.dispatch.policy import dispatch_rules
from gongjian.dispatch.services_term import term_end_for
from gongjian.jobs.models import Job, JobKind, JobState
from gongjian.jobs.services import JobActionRefused, job_start, request_key
from gongjian.matching import allocate, instance_to_json, result_from_json, result_to_json
from gongjian.orgs.scope import can_manage, scope_root, subtree_path, under

CHUNK = 2000


@audits_refusals
def match_run(*, actor: User, policy_key: str, forbids: Sequence[tuple[int, int]] = ()) -> MatchRun:
    """Match the pooled candidates of the actor's subtree to its villages needing a cadre.

    The pool is read and the engine solves outside any transaction; the run is then stored
    in one short audited transaction.
    """
    scope = scope_root(actor)
    if scope is None or not is_admin(actor):
        raise PermissionDenied(_("只有组织部门可以运行选派匹配"))
    rules = dispatch_rules(policy_key)
    started = time.perf_counter()
    instance = build_instance(scope, rules, forbids)
    refusal = None
    if not instance.units:
        refusal = DispatchActionRefused(_("人才库中没有已入库、待选派的人选"), code="pool_empty")
    elif not instance.villages:
        refusal = DispatchActionRefused(_("没有需要选派干部的村：请先维护村情需求档案"), code="no_needs")
    if refusal is not None:
        audit_event(
            "dispatch.match.run",
            actor=actor,
            target=scope,
            scope_path=scope.path,
            success=False,
            reason=refusal.message,
        )
        raise refusal
    # workers=1: no forking inside a threaded web server. Short of ``max``: every village
    # that needs more cadres than it got is listed, not only the priority ones.
    sizes = {"n": len(instance.units), "v": len(instance.villages)}
    step(1, 3, stage=_("正在求解（%(n)d 名人选、%(v)d 个村）") % sizes)
    result = allocate(instance, workers=1, short_of="max", progress=solving())
    step(2, 3, stage=_("正在保存匹配方案"))
    with audited("dispatch.match.run", actor=actor, target=scope, scope_path=scope.path) as record:
        run = MatchRun.objects.create(
            scope=scope,
            policy_key=policy_key,
            instance=instance_to_json(instance),
            result=result_to_json(result),
            candidates=len(instance.units),
            villages=len(instance.villages),
            candidate_pairs=result.candidate_pairs,
            covered_slots=result.covered_slots,
            required_slots=result.required_slots,
            matched=len(result.pairs),
            total_score=result.total_score,
            seconds=time.perf_counter() - started,
            created_by=actor,
        )
        record.target = run
        record.after = {
            "run": run.pk,
            "policy": policy_key,
            "candidates": run.candidates,
            "villages": run.villages,
            "matched": run.matched,
            "covered_slots": run.covered_slots,
            "required_slots": run.required_slots,
            "forbids": len(instance.forbids),
        }
        # A job running this ends in this transaction: the run and "done" commit together.
        stored(run)
    return run


@audits_refusals
def match_confirm(
    *,
    actor: User,
    run: MatchRun,
    exclude: Collection[tuple[int, int]],
    role: str,
    term_start: datetime.date,
    incentives: str = "",
) -> tuple[int, int]:
    """Appoint the run's pairs except ``exclude``. Pairs whose candidate is no longer in the
    pool, or whose village no longer needs a cadre, are skipped. Returns (appointed, skipped)."""
    if not can_manage(actor, run.scope):
        raise PermissionDenied(_("只有本方案范围的组织部门可以确认选派"))
    years = dispatch_rules(run.policy_key).term_years
    term_end = term_end_for(term_start, years)
    with audited("dispatch.match.confirm", actor=actor, target=run, scope_path=run.scope.path) as record:
        run = MatchRun.objects.select_for_update().get(pk=run.pk)
        if run.confirmed_at is not None:
            raise DispatchActionRefused(_("该方案已确认，不能再次确认"), code="already_confirmed")
        wanted = [
            (int(p.unit), int(p.village), p.score, p.reasons)
            for p in result_from_json(run.result).pairs
            if (int(p.unit), int(p.village)) not in exclude
        ]
        ids = [c for c, _v, _s, _r in wanted]
        pooled: dict[int, Candidate] = {}
        for start in range(0, len(ids), CHUNK):
            for candidate in Candidate.objects.select_for_update().filter(
                pk__in=ids[start : start + CHUNK], status=CandidateStatus.POOLED
            ):
                pooled[candidate.pk] = candidate
        villages = {v for _c, v, _s, _r in wanted}
        room = Counter(
            dict(NeedsProfile.objects.filter(under(run.scope, "village")).values_list("village_id", "cadres_needed"))
        )
        room.subtract(
            dict(
                Appointment.objects.filter(under(run.scope, "village"), status=AppointmentStatus.SERVING)
                .values("village_id")
                .annotate(n=Count("id"))
                .values_list("village_id", "n")
            )
        )
        appointments, skipped = [], 0
        for c, v, score, reasons in wanted:
            if c not in pooled or v not in villages or room[v] <= 0:
                skipped += 1
                continue
            room[v] -= 1
            appointments.append(
                Appointment(
                    candidate_id=c,
                    village_id=v,
                    role=role,
                    term_start=term_start,
                    term_end=term_end,
                    incentives=incentives.strip(),
                    policy_key=run.policy_key,
                    run=run,
                    score=score,
                    reasons=reasons[:255],
                    created_by=actor,
                )
            )
        Appointment.objects.bulk_create(appointments, batch_size=CHUNK)
        chosen = [a.candidate_id for a in appointments]
        for start in range(0, len(chosen), CHUNK):
            Candidate.objects.filter(pk__in=chosen[start : start + CHUNK]).update(
                status=CandidateStatus.APPOINTED, updated_at=timezone.now()
            )
        CandidateStep.objects.bulk_create(
            (
                CandidateStep(
                    candidate_id=a.candidate_id, kind=StepKind.APPOINT, actor=actor, comment=f"匹配方案 {run.pk}"
                )
                for a in appointments
            ),
            batch_size=CHUNK,
        )
        # One audit row per appointment, as if each had been made by hand.
        entries = []
        for a in appointments:
            entry = AuditRecord(action="dispatch.appoint", actor=actor, target=a, scope_path=run.scope.path)
            entry.after = {"candidate": a.candidate_id, "village": a.village_id, "run": run.pk, "role": role}
            entries.append(entry.entry(success=True))
        AuditEntry.objects.bulk_create(entries, batch_size=CHUNK)
        run.confirmed_at = timezone.now()
        run.save(update_fields=["confirmed_at"])
        record.after = {"appointed": len(appointments), "excluded": len(exclude), "skipped": skipped}
    return len(appointments), skipped


def match_start(*, actor: User, policy_key: str, forbids: Collection[tuple[int, int]] = ()) -> Job:
    """Start a matching run as a job (:mod:`gongjian.jobs`; the page and the API answer at once
    with its progress). The same request while it runs follows the same job. A run refused
    inside the request (without a broker the job runs at once) is raised as the job's refusal."""
    params = {"policy_key": policy_key, "forbids": sorted(set(forbids))}
    job = job_start(
        actor=actor,
        kind=JobKind.DISPATCH_MATCH,
        title=_("选派匹配"),
        params=params,
        scope_path=subtree_path(actor) or "",
        idempotency_key=request_key("dispatch_match", actor.pk, params),
    )
    if job.state == JobState.FAILED:
        raise JobActionRefused(job.error, code="job_failed")
    return job
