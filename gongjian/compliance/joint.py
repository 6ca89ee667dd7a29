"""The joint appraisal of a pair, pure: both sides assessed (issue 16 point 15), computed from
the profile's ``joint_appraisal`` section so that each verdict can be checked by hand.

- Separate (双考核, seed 002): the village side scores ``village.base`` less, for each duty of
  ``village_duties``, ``points`` per period that ended unmet (a quarter for the forum and the
  opinion report, the year for the young member and the delegates), at most ``max`` a duty;
  periods not yet over cost nothing, nor do periods that ended before the pair's term began
  or began after it ended.
  The pair's joint result = (unit weight × unit score + village weight × village score) /
  (sum of the weights), to two places.
- Shared (四位一体 考评一体进行, seed 004 doc 2 二、4): the pair's score is the one result of
  both sides.
- The unit side loses ``unit_plan_points`` without its 分管领导/负责部门/帮扶方案 for the round
  (seed 004 doc 1 (十)), where the profile sets them.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from gongjian.policies.joint_appraisal import JointAppraisalRules
from gongjian.policies.village_duties import VillageDutyRules
from gongjian.records.selectors_village_duties import duty_lines

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class DutyScore:
    """One duty of the village side for the year: periods ended, periods missed, points lost."""

    kind: str
    label: str
    periods: int  # periods of the year that ended within the term (assessed so far)
    missed: int  # of which unmet
    lost: int  # points lost, capped by the duty's ``max``


@dataclass(frozen=True)
class VillageSide:
    score: Decimal
    lost: int
    missed: int  # periods missed over all duties
    duties: tuple[DutyScore, ...]


def village_side(
    rules: JointAppraisalRules,
    duties: VillageDutyRules,
    dates: Mapping[str, Sequence[datetime.date]],
    *,
    year: int,
    as_of: datetime.date,
    term_start: datetime.date,
    term_end: datetime.date | None = None,
) -> VillageSide:
    """The village's side under a separate appraisal: what it did (``dates`` per duty kind, up
    to ``as_of``) against what ``village_duties`` asks, for the periods that ended before
    ``as_of``, not before the term began and not beginning after it ended."""
    lines = duty_lines(duties, {k: list(v) for k, v in dates.items()}, year, as_of)
    scored = []
    for kind, points in rules.duties.items():
        own = [
            line
            for line in lines
            if line.kind == kind and line.due < as_of and line.in_term(term_start, term_end)
        ]
        missed = sum(1 for line in own if not line.met)
        label = own[0].label if own else kind
        scored.append(DutyScore(kind, label, len(own), missed, min(points.max, missed * points.points)))
    lost = sum(d.lost for d in scored)
    return VillageSide(Decimal(rules.village_base - lost), lost, sum(d.missed for d in scored), tuple(scored))


def plan_lost(rules: JointAppraisalRules | None, *, required: bool, filed: bool) -> int:
    """Points the unit side loses for its plan: only where the profile asks for one and sets points."""
    if rules is None or not required or filed:
        return 0
    return rules.unit_plan_points


def joint_score(rules: JointAppraisalRules, unit: Decimal, village: Decimal | None) -> Decimal:
    """The pair's joint result: the weighted mean of both sides (separate), or the pair's one
    score (shared)."""
    if not rules.separate or village is None:
        return unit
    total = rules.unit_weight + rules.village_weight
    value = (rules.unit_weight * unit + rules.village_weight * village) / total
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
