"""``member_reports:`` — the first link of the reporting chain (seed 004 doc 5 三、3 "机关单位
党员每季度向所在党组织报告一次，机关单位党组织每季度向所在上级党委报告一次，各党委每半年对共建
情况进行一次检查通报"): each party member of a unit reports to the unit's organization every
quarter, before the organization reports to its superior.

A profile without the section sets no such duty (the page records reports without a due day)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gongjian.policies.reader import Reader


@dataclass(frozen=True)
class MemberReportRules:
    """When a member's quarterly report to the unit's organization is due."""

    due_days: int  # this many days after the quarter ends


def parse(file: str, value: Any, done: Mapping[str, Any]) -> MemberReportRules | None:
    if value is None:
        return None
    reader = Reader(file, value, "member_reports")
    reader.only({"due_days"})
    return MemberReportRules(due_days=reader.integer("due_days"))
