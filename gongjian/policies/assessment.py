"""``assessment:`` — the helping units' annual assessment (seed 004 doc 1 (十)): base score,
points lost for missed obligations, bonus, and when a pair is listed for adjustment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gongjian.policies.reader import Reader


@dataclass(frozen=True)
class BonusRule:
    """Points for doing more than an obligation asks: ``points`` per ``per`` beyond it."""

    id: str
    label: str
    obligation: str
    per: Decimal
    points: int
    max_points: int


@dataclass(frozen=True)
class AdjustRule:
    """When a pair is listed for adjustment (seed 004 doc 2: 共建效果不太好的…及时优化调整)."""

    consecutive_missed_years: int = 2  # some obligation missed this many years running
    score_below: Decimal | None = None  # or the year's score below this


@dataclass(frozen=True)
class AssessmentRules:
    """The helping units' annual assessment (seed 004 doc 1 (十): 纳入年度基层党建责任制考核):
    base score, minus points for missed obligations, plus bonus. No money: the dual-hundred's
    ¥ a point is village secretaries' pay (:class:`SecretaryRules`), not the units'."""

    base: int = 100
    mark: int = 100
    bonus: tuple[BonusRule, ...] = ()
    adjust: AdjustRule = field(default_factory=AdjustRule)


def _assessment(file: str, value: Any, obligation_ids: set[str]) -> AssessmentRules:
    reader = Reader(file, value or {}, "assessment")
    reader.only({"base", "mark", "bonus", "adjust"})
    bonus = []
    for i, item in enumerate(reader.data.get("bonus") or []):
        b = Reader(file, item, f"assessment.bonus[{i}]")
        b.only({"id", "label", "obligation", "per", "points", "max_points"})
        target = b.text("obligation")
        if target not in obligation_ids:
            raise b.fail("obligation", f"指向不存在的义务 {target}")
        per = b.decimal("per", 1)
        if per <= 0:
            raise b.fail("per", "应大于 0")
        bonus.append(
            BonusRule(
                id=b.text("id"),
                label=b.text("label"),
                obligation=target,
                per=per,
                points=b.integer("points", 1),
                max_points=b.integer("max_points", 5),
            )
        )
    adjust = reader.child("adjust")
    adjust.only({"consecutive_missed_years", "score_below"})
    below = adjust.data.get("score_below")
    return AssessmentRules(
        base=reader.integer("base", 100),
        mark=reader.integer("mark", 100),
        bonus=tuple(bonus),
        adjust=AdjustRule(
            consecutive_missed_years=adjust.integer("consecutive_missed_years", 2, minimum=1),
            score_below=None if below is None else adjust.decimal("score_below"),
        ),
    )


def parse(file: str, value: Any, done: Mapping[str, Any]) -> AssessmentRules:
    return _assessment(file, value, {o.id for o in done["obligations"]})
