"""``members:`` — mobile party members and individual pairing (seed 004 doc 3 Suifenhe: 管理一协议、
半年一汇报、七一慰问信、腊月一座谈; seed 004 doc 1 (五) the host's query to the origin).

Every key is required when the section is present: the numbers are the place's own (or
marked as local default in the file), never a code default. A profile without the section
has no rules of its own here (``members.policy`` then uses its default profile's)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gongjian.policies.reader import Reader


@dataclass(frozen=True)
class MembersRules:
    """Deadlines and reminder dates of mobile-member management and individual pairing."""

    report_grace_days: int  # a half-year's report is missing this many days after it ends
    query_answer_days: int  # the origin answers a host's query within this many days
    letter_due: str  # 每年“七一”前夕慰问信: the letter goes out before this month-day
    letter_lead_days: int  # the reminder appears this many days before ``letter_due``
    forum_lead_days: int  # the 腊月 forum reminder appears this many days before 腊月 begins
    agreement_before_leaving: bool  # 外出前签订管理协议 (seed 004 doc 3)

    def letter_date(self, year: int) -> datetime.date:
        month, day = (int(x) for x in self.letter_due.split("-"))
        return datetime.date(year, month, day)


def parse(file: str, value: Any, done: Mapping[str, Any]) -> MembersRules | None:
    if value is None:
        return None
    reader = Reader(file, value, "members")
    reader.only(
        {"report_grace_days", "query_answer_days", "letter_due", "letter_lead_days", "forum_lead_days",
         "agreement_before_leaving"}
    )  # fmt: skip
    return MembersRules(
        report_grace_days=reader.integer("report_grace_days"),
        query_answer_days=reader.integer("query_answer_days", minimum=1),
        letter_due=reader.month_day("letter_due"),
        letter_lead_days=reader.integer("letter_lead_days"),
        forum_lead_days=reader.integer("forum_lead_days"),
        agreement_before_leaving=reader.boolean("agreement_before_leaving"),
    )
