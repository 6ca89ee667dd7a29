"""``round:`` — a round's schedule and choosing rules (seed 004 doc 1 (八))."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from gongjian.policies.reader import Reader


@dataclass(frozen=True)
class RoundRules:
    """The round's schedule and choosing rules (``round:`` in a profile).

    Dates are month-day strings; ``None`` where the place's document gives no date (the
    admin then fills the date in when creating the round, nothing is copied from another
    place). ``term_end_month``: the term ends at the end of that month ``term_years`` after
    the round's year (seed 004 (八) "协议期限至2013年7月份结束"), not after a computed duration.
    """

    intent_deadline: str | None = None  # units' choices close (month-day)
    confirmation_deadline: str | None = None  # both sides confirm their pair (意向确认) by
    signing_deadline: str | None = None  # 正式签约 by; the term starts that day
    term_years: int = 3
    term_end_month: int | None = None
    extra_intents: int = 2
    joint_organizations_in_directory: bool = False  # 联建组织 listed as pairing partners
    # Days before each deadline that the side which has not acted yet is reminded.
    remind_days: tuple[int, ...] = (7, 1)

    def __post_init__(self) -> None:
        for name in ("intent_deadline", "confirmation_deadline", "signing_deadline"):
            value = getattr(self, name)
            if value is not None:
                _month_day(value, 2000, name)  # 2000: a leap year, so 02-29 is allowed
        if self.term_end_month is not None and not (
            isinstance(self.term_end_month, int) and 1 <= self.term_end_month <= 12
        ):
            raise ValueError(f"round.term_end_month 应为 1–12 的月份，而不是“{self.term_end_month}”")

    @property
    def undated(self) -> list[str]:
        """The schedule keys the profile leaves to the admin (its document gives no date)."""
        names = ("intent_deadline", "confirmation_deadline", "signing_deadline")
        return [n for n in names if getattr(self, n) is None]

    def default_schedule(self, year: int) -> dict[str, datetime.date | None]:
        """The schedule a new round of ``year`` starts from (the admin may change it); a
        date the profile does not give is ``None``."""

        def day(name: str) -> datetime.date | None:
            value = getattr(self, name)
            return None if value is None else _month_day(value, year, name)

        signing = day("signing_deadline")
        term_end = None
        if self.term_end_month is not None:
            end_year = year + self.term_years
            first_of_next = datetime.date(end_year + self.term_end_month // 12, self.term_end_month % 12 + 1, 1)
            term_end = first_of_next - datetime.timedelta(days=1)
        elif signing is not None:
            term_end = signing.replace(year=signing.year + self.term_years) - datetime.timedelta(days=1)
        return {
            "intent_deadline": day("intent_deadline"),
            "confirmation_deadline": day("confirmation_deadline"),
            "signing_deadline": signing,
            "term_start": signing,
            "term_end": term_end if signing is not None else None,
        }


def _month_day(value: Any, year: int, name: str) -> datetime.date:
    """``"04-30"`` in ``year``; a bad value is named in Chinese at load time."""
    try:
        month, day = (int(x) for x in str(value).split("-"))
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"round.{name} 应为“月-日”，如 04-30，而不是“{value}”") from exc


def parse(file: str, value: Any, done: Mapping[str, Any]) -> RoundRules:
    reader = Reader(file, value or {}, "round")
    reader.only({f.name for f in fields(RoundRules)})
    given: dict[str, Any] = {}
    for name in ("intent_deadline", "confirmation_deadline", "signing_deadline"):
        if name in reader.data:
            given[name] = reader.optional_month_day(name)
    if "term_years" in reader.data:
        given["term_years"] = reader.integer("term_years", minimum=1)
    if "term_end_month" in reader.data:
        given["term_end_month"] = reader.optional_integer("term_end_month", minimum=1, maximum=12)
    if "extra_intents" in reader.data:
        given["extra_intents"] = reader.integer("extra_intents")
    if "remind_days" in reader.data:
        days = reader.integers("remind_days")
        if any(d < 0 for d in days):
            raise reader.fail("remind_days", "应为截止前的天数（不小于 0），如 [7, 1]")
        given["remind_days"] = tuple(sorted(set(days), reverse=True))
    if "joint_organizations_in_directory" in reader.data:
        given["joint_organizations_in_directory"] = reader.boolean("joint_organizations_in_directory")
    return RoundRules(**given)
