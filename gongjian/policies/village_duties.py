"""``village_duties:`` — what the village owes its helping unit (双向受益; seed 002 "农村党组织……每季度
组织党员进入共建单位开展一次座谈交流、反映一次社情民意，每年帮机关培养一名年轻党员，选派一批党员群众
代表参与共建单位党员评议和公务员考核").

Each key is a count the village owes per period; 0 means the place does not ask it. A profile
without the section asks nothing of the village."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gongjian.policies.reader import Reader


@dataclass(frozen=True)
class VillageDutyRules:
    forums_per_quarter: int  # 每季度组织党员进入共建单位开展一次座谈交流
    opinions_per_quarter: int  # 每季度反映一次社情民意
    young_members_per_year: int  # 每年帮机关培养一名年轻党员
    review_delegates_per_year: int  # 选派党员群众代表参与共建单位党员评议（每年至少几次）


def parse(file: str, value: Any, done: Mapping[str, Any]) -> VillageDutyRules | None:
    if value is None:
        return None
    reader = Reader(file, value, "village_duties")
    names = ("forums_per_quarter", "opinions_per_quarter", "young_members_per_year", "review_delegates_per_year")
    reader.only(set(names))
    return VillageDutyRules(**{n: reader.integer(n) for n in names})
