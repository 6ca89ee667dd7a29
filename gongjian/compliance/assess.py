"""The helping units' annual assessment, pure: scores per pair and per unit, rankings within
a committee, and the pairs to adjust (seed 004 doc 1 (十): 纳入年度基层党建责任制考核; doc 2).

Score = base − points lost on missed obligations + bonus points (each capped by the
profile). No money: the dual-hundred's ¥50 a point (seed 004 doc 3) is village secretaries'
pay, computed by :mod:`gongjian.compliance.secretaries`, never a unit's reward or fine.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import TypeVar

from gongjian.compliance.evaluate import PairResult, Status
from gongjian.compliance.practices import EvaluationScore
from gongjian.policies import AssessmentRules

K = TypeVar("K", bound=Hashable)
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class PairScore:
    pairing_id: int
    unit_id: int
    score: Decimal
    points_lost: int
    bonus: int
    missed: int  # obligations missed this year
    # The public's evaluation and the commitments, where the profile weighs them in (practices.py).
    evaluation: EvaluationScore | None = None
    commitment_lost: Decimal = Decimal(0)


@dataclass(frozen=True)
class UnitScore:
    unit_id: int
    pairs: int
    score: Decimal  # mean of its pairs' scores, to two places


def money(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def score_pair(
    result: PairResult,
    rules: AssessmentRules,
    *,
    evaluation: EvaluationScore | None = None,
    commitment_lost: Decimal = Decimal(0),
    plan_lost: int = 0,
) -> PairScore:
    """One pair's assessment score for the year; what the public's evaluation did not earn,
    what the commitments cost and the unit's missing plan (``joint_appraisal``) come off it
    too (the profile's own sections)."""
    lost = sum(o.points_lost for o in result.outcomes)
    by_id = {o.obligation_id: o for o in result.outcomes}
    bonus = 0
    for rule in rules.bonus:
        outcome = by_id.get(rule.obligation)
        if outcome is None or outcome.done <= outcome.required:
            continue
        steps = ((outcome.done - outcome.required) / rule.per).to_integral_value(rounding=ROUND_FLOOR)
        bonus += min(rule.max_points, int(steps) * rule.points)
    score = Decimal(rules.base - lost - plan_lost + bonus) - (evaluation.lost if evaluation else 0) - commitment_lost
    return PairScore(
        pairing_id=result.pairing_id,
        unit_id=result.unit_id,
        score=score,
        points_lost=lost,
        bonus=bonus,
        missed=sum(1 for o in result.outcomes if o.status == Status.MISSED),
        evaluation=evaluation,
        commitment_lost=commitment_lost,
    )


def score_units(scores: Iterable[PairScore]) -> list[UnitScore]:
    """A unit's score is the mean of its pairs' (a unit with two villages answers for both)."""
    grouped: dict[int, list[Decimal]] = defaultdict(list)
    for item in scores:
        grouped[item.unit_id].append(item.score)
    result = []
    for unit_id, values in grouped.items():
        result.append(UnitScore(unit_id, len(values), money(sum(values, Decimal(0)) / len(values))))
    return result


def rank_within(scores: Mapping[K, Decimal], group_of: Mapping[K, Hashable]) -> dict[K, int]:
    """Competition ranking (1, 2, 2, 4) by score, highest first, within each group."""
    groups: dict[Hashable, list[K]] = defaultdict(list)
    for key in scores:
        groups[group_of.get(key)].append(key)
    ranks: dict[K, int] = {}
    for members in groups.values():
        ordered = sorted(members, key=lambda k: scores[k], reverse=True)
        for position, key in enumerate(ordered, start=1):
            before = ordered[position - 2] if position > 1 else None
            ranks[key] = ranks[before] if before is not None and scores[before] == scores[key] else position
    return ranks


@dataclass(frozen=True)
class YearRecord:
    """What the adjustment rule needs of one past or present year of a pair."""

    year: int
    missed: int
    score: Decimal


def adjust_reason(history: Sequence[YearRecord], rules: AssessmentRules, year: int) -> str:
    """Why a pair should be adjusted in ``year``, or "" (seed 004 doc 2: 共建效果不太好的单位，
    要及时进行优化调整)."""
    by_year = {item.year: item for item in history}
    current = by_year.get(year)
    if current is None:
        return ""
    reasons = []
    run = rules.adjust.consecutive_missed_years
    if all(by_year.get(y) is not None and by_year[y].missed > 0 for y in range(year - run + 1, year + 1)):
        reasons.append(f"连续 {run} 年有义务未完成" if run > 1 else "本年度有义务未完成")
    if rules.adjust.score_below is not None and current.score < rules.adjust.score_below:
        reasons.append(f"年度得分 {current.score:g} 低于 {rules.adjust.score_below:g} 分")
    return "；".join(reasons)
