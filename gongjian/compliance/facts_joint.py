"""Facts of the joint appraisal for all pairs at once (two queries, never one per pair): what
each village did for its unit, and which units filed their plan for the round."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gongjian.compliance.joint import VillageSide, joint_score, plan_lost, village_side
from gongjian.policies import PolicyProfile
from gongjian.records.models_village_duties import VillageDuty
from gongjian.rounds.models import UnitPlan


@dataclass(frozen=True)
class JointFacts:
    """A pair's joint-appraisal inputs already scored: the village side (None where the profile
    does not score it) and what the unit side loses for a missing plan."""

    village: VillageSide | None
    plan_lost: int


def joint_facts(
    rows: Mapping[int, Any], profile_of: Mapping[int, PolicyProfile], *, year: int, as_of: datetime.date
) -> dict[int, JointFacts]:
    """pairing → its joint facts, for the pairs whose profile has ``joint_appraisal``. ``rows``
    are :class:`compliance.facts.PairRow` by pairing id."""
    wanted = {pid for pid in rows if profile_of[pid].joint_appraisal is not None}
    if not wanted:
        return {}
    separate = [pid for pid in wanted if profile_of[pid].joint_appraisal.separate]  # type: ignore[union-attr]
    dates: dict[int, dict[str, list[datetime.date]]] = defaultdict(lambda: defaultdict(list))
    for pid, kind, day in VillageDuty.objects.filter(
        pairing_id__in=separate, date__year=year, date__lte=as_of
    ).values_list("pairing_id", "kind", "date"):
        dates[pid][kind].append(day)
    planned = {pid for pid in wanted if profile_of[pid].helping_side.plan_required}
    filed = set(
        UnitPlan.objects.filter(
            round_id__in={rows[p].round_id for p in planned}, unit_id__in={rows[p].unit_id for p in planned}
        ).values_list("round_id", "unit_id")
    )
    out = {}
    for pid in wanted:
        profile, row = profile_of[pid], rows[pid]
        rules = profile.joint_appraisal
        assert rules is not None
        village = None
        if rules.separate and profile.village_duties is not None:
            village = village_side(
                rules,
                profile.village_duties,
                dates.get(pid, {}),
                year=year,
                as_of=as_of,
                term_start=row.term_start,
                term_end=row.term_end,
            )
        lost = plan_lost(rules, required=pid in planned, filed=(row.round_id, row.unit_id) in filed)
        out[pid] = JointFacts(village, lost)
    return out


# The joint appraisal's columns of a PairStatus row, in this order (services.PAIR_COLUMNS).
JOINT_COLUMNS = (
    "plan_lost", "joint_mode", "village_score", "village_lost", "village_missed", "village_duties", "joint_score",
)  # fmt: skip


def joint_columns(profile: PolicyProfile, facts: JointFacts | None, unit_score: Decimal) -> tuple[Any, ...]:
    """A pair's joint-appraisal columns given its unit side's ``unit_score`` (plan already off)."""
    rules = profile.joint_appraisal
    if rules is None or facts is None:
        return (0, "", None, 0, 0, [], None)
    village = facts.village
    duties = (
        [{"kind": d.kind, "periods": d.periods, "missed": d.missed, "lost": d.lost} for d in village.duties]
        if village
        else []
    )
    village_score = village.score if village else None
    return (
        facts.plan_lost, rules.mode, village_score, village.lost if village else 0,
        village.missed if village else 0, duties, joint_score(rules, unit_score, village_score),
    )  # fmt: skip
