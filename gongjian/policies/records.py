"""``records:`` — deadlines of the record-keeping duties (三卡, quarterly reports), in days."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from gongjian.policies.reader import Reader


@dataclass(frozen=True)
class RecordRules:
    """Deadlines of the record-keeping duties (三卡, quarterly reports), in days."""

    feedback_answer_days: int = 15  # a villager's opinion is answered within this many days
    performance_card_due_day: int = 5  # month M's card is submitted by this day of month M+1
    countersign_days: int = 5  # the village countersigns or returns a card within this many days
    quarterly_report_due_days: int = 10  # a quarter's report is due this many days after it ends


def parse(file: str, value: Any, done: Mapping[str, Any]) -> RecordRules:
    reader = Reader(file, value or {}, "records")
    names = {f.name for f in fields(RecordRules)}
    reader.only(names)
    minimum = {"performance_card_due_day": 1}
    return RecordRules(**{n: reader.integer(n, minimum=minimum.get(n, 0)) for n in names if n in reader.data})
