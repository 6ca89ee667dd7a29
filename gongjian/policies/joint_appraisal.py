"""``joint_appraisal:`` — both sides of a pair are assessed (issue 16 point 15).

- ``mode: separate`` (双考核, seed 002 "全面推行‘双承诺、双帮扶、双考核、双述职’"): the unit is
  scored by ``assessment`` as before, the village on what it owes the unit (``village_duties``):
  ``village.base`` less ``points`` for each period a duty was not met, each duty at most ``max``.
  The pair's joint result is the two sides' scores weighted by ``weights``.
- ``mode: shared`` (四位一体, seed 004 doc 2 二、4 "目标一体谋划、工作一体商定、责任一体承担、考评
  一体进行"): one appraisal of the pair, the same result for both sides (counted in the organ's
  assessment and in the village's 三级联创 alike); no village keys.
- ``unit_plan_points`` (either mode; only with ``helping_side.plan_required``): what the unit
  side loses when it has not named its 分管领导 and 负责部门 and filed its 帮扶方案 for the round
  (seed 004 doc 1 (十)).

A profile without the section has no joint appraisal: only the unit is scored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gongjian.policies.reader import Reader

SEPARATE = "separate"
SHARED = "shared"
# The village duties that can be scored, with the VillageDutyRules count that asks for each.
DUTY_COUNTS = {
    "forum": "forums_per_quarter",
    "opinion": "opinions_per_quarter",
    "young_member": "young_members_per_year",
    "review_delegates": "review_delegates_per_year",
}


@dataclass(frozen=True)
class DutyPoints:
    """Points a village loses for one period of a duty not met, and at most for the year."""

    points: int
    max: int


@dataclass(frozen=True)
class JointAppraisalRules:
    mode: str  # SEPARATE or SHARED
    village_base: int = 0  # the village side's score before deductions (separate mode)
    duties: Mapping[str, DutyPoints] = field(default_factory=dict)  # duty kind → points (separate mode)
    unit_weight: int = 1  # the sides' shares of the pair's joint result (separate mode)
    village_weight: int = 0
    unit_plan_points: int = 0  # the unit side without 分管领导/负责部门/帮扶方案 loses this

    @property
    def separate(self) -> bool:
        return self.mode == SEPARATE


def parse(file: str, value: Any, done: Mapping[str, Any]) -> JointAppraisalRules | None:
    """The section, checked against ``village_duties`` and ``helping_side`` (parsed before)."""
    if value is None:
        return None
    reader = Reader(file, value, "joint_appraisal")
    reader.only({"mode", "village", "weights", "unit_plan_points"})
    mode = reader.text("mode")
    plan_points = reader.integer("unit_plan_points", 0)
    if plan_points and not done["helping_side"].plan_required:
        raise reader.fail("unit_plan_points", "需要 helping_side.plan_required: true（本配置不要求帮扶方案）")
    if mode == SHARED:
        for name in ("village", "weights"):
            if name in reader.data:
                raise reader.fail(name, "一体考评（shared）双方同一结果，不设村方分值或权重")
        return JointAppraisalRules(mode=SHARED, unit_plan_points=plan_points)
    if mode != SEPARATE:
        raise reader.fail("mode", f"应为 {SEPARATE} 或 {SHARED}（现为 {mode!r}）")
    village_rules = done.get("village_duties")
    if village_rules is None:
        raise reader.fail("village", "分别考核（separate）需要 village_duties 一节")
    village = reader.child("village")
    village.only({"base", "duties"})
    asked = {kind for kind, count in DUTY_COUNTS.items() if getattr(village_rules, count)}
    listed = village.child("duties")
    listed.only(asked)
    duties = {}
    for kind in sorted(asked):
        if kind not in listed.data:
            raise listed.fail(kind, "缺失（village_duties 要求的每项都应写明扣分）")
        item = listed.child(kind)
        item.only({"points", "max"})
        duties[kind] = DutyPoints(points=item.integer("points"), max=item.integer("max"))
    weights = reader.child("weights")
    weights.only({"unit", "village"})
    unit_weight, village_weight = weights.integer("unit"), weights.integer("village")
    if unit_weight + village_weight == 0:
        raise weights.fail("unit", "双方权重不能都为 0")
    return JointAppraisalRules(
        mode=SEPARATE,
        village_base=village.integer("base", minimum=1),
        duties=duties,
        unit_weight=unit_weight,
        village_weight=village_weight,
        unit_plan_points=plan_points,
    )
