"""``adjustment:`` — dynamic adjustment (动态调整): a pair that works badly is replaced by a
new unit, re-matched and signed outside the round's schedule for that pair alone (seed 004
doc 1 (八) "需调整的，可进入全市帮扶平台重新选择结对单位"; doc 2 二、1 "加强对结对共建工作的
动态管理，对共建效果不太好的单位，要及时进行优化调整").

A profile without the section has no replacement outside the schedule (a pair can still be
ended, and its village re-matched within the round's own dates)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gongjian.policies.reader import Reader


@dataclass(frozen=True)
class AdjustmentRules:
    """The replacement pair's own schedule."""

    # Both sides of the replacement confirm and sign within this many days of the adjustment
    # (the round's 4月30日 / 7月1日 do not apply to it).
    replacement_days: int


def parse(file: str, value: Any, done: Mapping[str, Any]) -> AdjustmentRules | None:
    if value is None:
        return None
    reader = Reader(file, value, "adjustment")
    reader.only({"replacement_days"})
    return AdjustmentRules(replacement_days=reader.integer("replacement_days", minimum=1))
