"""Writes of the compliance app: evaluate a round (or a subtree) and store the results."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited
from gongjian.compliance import assess
from gongjian.compliance.evaluate import PairResult, Status, evaluate_pair
from gongjian.compliance.facts import committees_of, gather, signed_pairs
from gongjian.compliance.facts_joint import JOINT_COLUMNS, joint_columns, joint_facts
from gongjian.compliance.facts_practices import PracticeScore, practice_scores
from gongjian.compliance.models import ObligationResult, PairStatus, UnitScore
from gongjian.compliance.reminders import send_reminders
from gongjian.compliance.upsert import upsert
from gongjian.core.progress import counted, step
from gongjian.orgs.models import Organization
from gongjian.orgs.scope import can_manage, pairings_under
from gongjian.policies import PolicyProfile, load_profile
from gongjian.rounds.models import Pairing, PairingStatus, Round

BATCH = 5000
PAIR_COLUMNS = (
    "pairing_id", "year", "round_id", "unit_id", "village_id", "committee_id", "county", "status", "missed",
    "at_risk", "next_deadline", "score", "points_lost", "bonus", "rank", "to_adjust", "adjust_reason",
    "profile_key", "profile_version", "as_of", "evaluated_at", "evaluation_respondents", "evaluation_rate",
    "evaluation_points", "evaluation_lost", "commitment_lost", "commitment_review",
    *JOINT_COLUMNS,
)  # fmt: skip
OBLIGATION_COLUMNS = (
    "pairing_id", "year", "obligation_id", "kind", "label", "status", "done", "required", "deadline", "reason",
    "points_lost", "evaluated_at",
)  # fmt: skip


@dataclass
class EvaluationSummary:
    """What one run did, as audited."""

    year: int
    as_of: datetime.date
    pairs: int = 0
    obligations: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    to_adjust: int = 0
    reminders: int = 0
    emails: int = 0


def _pairings(round_or_scope: Round | Organization) -> QuerySet[Pairing]:
    if isinstance(round_or_scope, Round):
        return Pairing.objects.filter(round=round_or_scope)
    return Pairing.objects.filter(pairings_under(round_or_scope))


def _target_scope(round_or_scope: Round | Organization) -> Organization:
    return round_or_scope.scope if isinstance(round_or_scope, Round) else round_or_scope


@audits_refusals
def compliance_evaluate(
    *,
    actor: Any,
    round_or_scope: Round | Organization,
    as_of: datetime.date | None = None,
    year: int | None = None,
    remind: bool = True,
) -> EvaluationSummary:
    """Evaluate every signed pair of a round (or of a subtree) for ``year`` as of ``as_of``,
    store status, reasons, deadlines and scores, and send the reminders that are due.

    ``actor`` None is the system (the cron command); a person must administer the scope.
    Audited once per run with the counts.
    """
    scope = _target_scope(round_or_scope)
    as_of = as_of or timezone.localdate()
    year = year or as_of.year
    summary = EvaluationSummary(year=year, as_of=as_of)
    pairings = _pairings(round_or_scope)
    with audited("compliance.evaluate", actor=actor, target=scope, scope_path=scope.path) as entry:
        if actor is not None and not can_manage(actor, scope):
            raise PermissionDenied(_("只有该范围的管理员可以运行合规评估"))
        rows = {row.pairing_id: row for row in signed_pairs(pairings)}
        profiles: dict[str, PolicyProfile] = {key: load_profile(key) for key in {r.policy_key for r in rows.values()}}
        results: list[PairResult] = []
        # A job shows its steps on one bar that never goes back (nothing outside a job):
        # reading every pair's records (a few GROUP BY queries) and evaluating each pair,
        # "x/N", fill the first share; scoring and ranking, storing (and reminding) the
        # next — on a province they take most of the time, so they have shares of their own.
        steps = 4 if remind else 3
        step(0, steps, stage=_("正在读取各结对的记录"))
        evaluating = _("正在评估各结对")
        for facts in counted(gather(pairings, year=year, as_of=as_of), stage=evaluating, total=len(rows)):
            profile = profiles[rows[facts.pairing_id].policy_key]
            results.append(evaluate_pair(facts, profile.obligations, year=year, as_of=as_of))
        step(1, steps, stage=_("正在计算得分与排名"))
        now = timezone.now()
        # Results of pairs no longer signed (ended, adjusted) and of obligations a changed
        # profile no longer has are removed: what is stored is what the profile says now.
        unsigned = pairings.exclude(status=PairingStatus.SIGNED).values("id")
        PairStatus.objects.filter(pairing__in=unsigned, year=year).delete()
        _store(results, rows, profiles, year=year, as_of=as_of, now=now, summary=summary, steps=steps)
        ObligationResult.objects.filter(pairing__in=pairings.values("id"), year=year).exclude(
            evaluated_at=now
        ).delete()
        if remind:
            step(3, steps, stage=_("正在发送提醒"))
            summary.reminders, summary.emails = send_reminders(results, rows, profiles, as_of=as_of)
        entry.after = {
            "year": year,
            "as_of": as_of,
            "pairs": summary.pairs,
            "obligations": summary.obligations,
            "by_status": summary.by_status,
            "to_adjust": summary.to_adjust,
            "reminders": summary.reminders,
            "emails": summary.emails,
        }
    return summary


def _history(pairing_ids: list[int], year: int, run: int) -> dict[int, list[assess.YearRecord]]:
    history: dict[int, list[assess.YearRecord]] = defaultdict(list)
    if run > 1:
        for pid, y, missed, score in PairStatus.objects.filter(
            pairing_id__in=pairing_ids, year__gte=year - run + 1, year__lt=year
        ).values_list("pairing_id", "year", "missed", "score"):
            history[pid].append(assess.YearRecord(y, missed, score))
    return history


def _store(
    results: list[PairResult],
    rows: dict[int, Any],
    profiles: dict[str, PolicyProfile],
    *,
    year: int,
    as_of: datetime.date,
    now: datetime.datetime,
    summary: EvaluationSummary,
    steps: int,
) -> None:
    """Scores, ranks and the adjustment list, then one bulk upsert per table (the job's
    step 2 of ``steps``)."""
    rules_of = {pid: profiles[row.policy_key].assessment for pid, row in rows.items()}
    # The public's evaluation and the commitments weigh in where the pair's profile says so.
    practices = practice_scores(
        [r.pairing_id for r in results], {pid: profiles[row.policy_key] for pid, row in rows.items()},
        year=year, as_of=as_of,
    )  # fmt: skip
    # Both sides assessed where the profile has a joint appraisal (the unit's plan, the village's duties).
    joint = joint_facts(rows, {pid: profiles[row.policy_key] for pid, row in rows.items()}, year=year, as_of=as_of)
    scores = {
        r.pairing_id: assess.score_pair(
            r,
            rules_of[r.pairing_id],
            evaluation=practices[r.pairing_id].evaluation,
            commitment_lost=practices[r.pairing_id].commitment_lost,
            plan_lost=joint[r.pairing_id].plan_lost if r.pairing_id in joint else 0,
        )
        for r in results
    }
    committee_of_unit = committees_of({row.unit_id for row in rows.values()})
    longest = max((p.assessment.adjust.consecutive_missed_years for p in profiles.values()), default=1)
    history = _history(list(scores), year, longest)

    # Ranks cover every pair and unit of the committee stored for the year, not only this run's.
    committees = {c for c in committee_of_unit.values() if c is not None}
    pair_scores: dict[int, Decimal] = {}
    pair_group: dict[int, int | None] = {}
    for pid, committee, score in PairStatus.objects.filter(year=year, committee_id__in=committees).values_list(
        "pairing_id", "committee_id", "score"
    ):
        pair_scores[pid], pair_group[pid] = score, committee
    for pid, item in scores.items():
        pair_scores[pid], pair_group[pid] = item.score, committee_of_unit.get(item.unit_id)
    pair_rank = assess.rank_within(pair_scores, pair_group)

    statuses: list[tuple[Any, ...]] = []
    obligations: list[tuple[Any, ...]] = []
    for result in results:
        pid = result.pairing_id
        row, item, rules = rows[pid], scores[pid], rules_of[pid]
        record = assess.YearRecord(year, item.missed, item.score)
        reason = assess.adjust_reason([*history.get(pid, []), record], rules, year)
        status = result.status
        summary.by_status[status] = summary.by_status.get(status, 0) + 1
        summary.to_adjust += bool(reason)
        profile = profiles[row.policy_key]
        statuses.append(
            (
                pid, year, row.round_id, row.unit_id, row.village_id, committee_of_unit.get(row.unit_id),
                row.county or "", str(status), item.missed,
                sum(1 for o in result.outcomes if o.status == Status.AT_RISK), result.next_deadline, item.score,
                item.points_lost, item.bonus, pair_rank.get(pid), bool(reason), reason[:255],
                profile.key, profile.version[:32], as_of, now,
                *_practice_columns(practices[pid]),
                *joint_columns(profile, joint.get(pid), item.score),
            )
        )  # fmt: skip
        obligations.extend(
            (
                pid, year, o.obligation_id, o.kind, o.label[:128], str(o.status), o.done, o.required, o.deadline,
                o.reason[:255], o.points_lost, now,
            )
            for o in result.outcomes
        )  # fmt: skip
    summary.pairs, summary.obligations = len(statuses), len(obligations)
    step(2, steps, stage=_("正在保存评估结果"))
    upsert(PairStatus, PAIR_COLUMNS, statuses, conflict=("pairing_id", "year"))
    upsert(ObligationResult, OBLIGATION_COLUMNS, obligations, conflict=("pairing_id", "year", "obligation_id"))
    _rerank_others(pair_rank, set(scores), year)
    _store_units(committees, {row.unit_id for row in rows.values()}, year=year, now=now)


def _practice_columns(practice: PracticeScore) -> tuple[Any, ...]:
    """The evaluation's and commitments' columns of a pair's row (in PAIR_COLUMNS' order)."""
    evaluation = practice.evaluation
    return (
        evaluation.respondents if evaluation else 0,
        evaluation.rate if evaluation else None,
        evaluation.points if evaluation else None,
        evaluation.lost if evaluation else Decimal(0),
        practice.commitment_lost,
        practice.review,
    )


def _rerank_others(pair_rank: dict[int, int], evaluated: set[int], year: int) -> None:
    """Pairs of the same committees stored by an earlier run may have moved in the ranking."""
    others = {pid: rank for pid, rank in pair_rank.items() if pid not in evaluated}
    if not others:
        return
    stale = [
        PairStatus(pk=pk, rank=others[pid])
        for pk, pid, rank in PairStatus.objects.filter(year=year, pairing_id__in=list(others)).values_list(
            "pk", "pairing_id", "rank"
        )
        if rank != others[pid]
    ]
    PairStatus.objects.bulk_update(stale, ["rank"], batch_size=1000)


def _store_units(committees: set[int], units: set[int], *, year: int, now: datetime.datetime) -> None:
    """Unit scores from the stored pair rows (mean of its pairs), ranked within the committee."""
    query = PairStatus.objects.filter(year=year).filter(
        Q(committee_id__in=committees) | Q(committee__isnull=True, unit_id__in=units)
    )
    rows = list(query.values("unit_id", "committee_id").annotate(n=Count("id"), s=Avg("score")))
    unit_scores = {r["unit_id"]: assess.money(r["s"]) for r in rows}
    ranks = assess.rank_within(unit_scores, {r["unit_id"]: r["committee_id"] for r in rows})
    UnitScore.objects.bulk_create(
        [
            UnitScore(
                unit_id=r["unit_id"], year=year, committee_id=r["committee_id"], pairs=r["n"],
                score=unit_scores[r["unit_id"]], rank=ranks[r["unit_id"]],
                evaluated_at=now,
            )
            for r in rows
        ],
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["unit", "year"],
        update_fields=["committee", "pairs", "score", "rank", "evaluated_at"],
    )
    # A unit of these committees with no signed pair left has no score this year.
    UnitScore.objects.filter(year=year).filter(
        Q(committee_id__in=committees) | Q(unit_id__in=units)
    ).exclude(evaluated_at=now).delete()
