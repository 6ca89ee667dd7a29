"""The members app's numbers, from the policy profile's ``members:`` block, and the dates
they give (half-years, the 七一 letter, the 腊月 forum).

Which profile applies to an organization outside any round? The newest round whose scope
contains the organization decides (the place that last ran pairing there is the place whose
rules its party organizations follow); where no round ever covered it, the profile named by
:data:`DEFAULT_PROFILE_KEY` applies. Both are read from data, not from settings, so the
answer is the same for every process and every test.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields
from typing import Any

from lunardate import LunarDate

from gongjian.core.policies import PolicyProfileError, load_profile
from gongjian.orgs.models import Organization
from gongjian.rounds.access import ancestor_paths
from gongjian.rounds.models import Round

# The Shanghai profile: its source (seed 004 doc 1 (五)) is the one that sets up the host's
# query to the origin; used only where no round covers the organization.
DEFAULT_PROFILE_KEY = "shanghai"


@dataclass(frozen=True)
class MembersRules:
    """Deadlines and reminder dates of mobile-member management and individual pairing.

    The defaults are the seeds' own words (半年一汇报, 七一前夕, 腊月), used only when a
    profile has no ``members:`` block yet.
    """

    report_grace_days: int = 15  # a half-year's report is missing this many days after it ends
    query_answer_days: int = 10  # the origin answers a host's query within this many days
    letter_due: str = "07-01"  # 每年“七一”前夕慰问信: the letter goes out before this month-day
    letter_lead_days: int = 30  # the reminder appears this many days before ``letter_due``
    forum_lead_days: int = 15  # the 腊月 forum reminder appears this many days before 腊月 begins
    agreement_before_leaving: bool = True  # 外出前签订管理协议 (seed 004 doc 3)

    @classmethod
    def from_mapping(cls, data: dict[str, Any], *, source: str) -> MembersRules:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise PolicyProfileError(f"{source}：members 下无法识别的键 {'、'.join(unknown)}")
        try:
            rules = cls(**data)
            rules.letter_date(2000)
        except (TypeError, ValueError) as exc:
            raise PolicyProfileError(f"{source}：members 配置有误（{exc}）") from exc
        return rules

    def letter_date(self, year: int) -> datetime.date:
        month, day = (int(x) for x in self.letter_due.split("-"))
        return datetime.date(year, month, day)


def profile_key_for(organization: Organization) -> str:
    """The policy key of the newest round covering ``organization`` (or the default)."""
    key = (
        Round.objects.filter(scope__path__in=ancestor_paths(organization.path))
        .order_by("-term_start", "-created_at", "-pk")
        .values_list("policy_key", flat=True)
        .first()
    )
    return key or DEFAULT_PROFILE_KEY


def rules_for_key(key: str) -> MembersRules:
    """The ``members:`` rules of a profile; a missing profile or block gives the defaults."""
    try:
        profile = load_profile(key)
    except PolicyProfileError:
        return MembersRules()
    return MembersRules.from_mapping(dict(profile.raw.get("members") or {}), source=f"{key}.yaml")


def rules_for(organization: Organization) -> MembersRules:
    """The rules that apply to an (origin) organization."""
    return rules_for_key(profile_key_for(organization))


# ---------------------------------------------------------------- half-years


def half_of(day: datetime.date) -> tuple[int, int]:
    return day.year, 1 if day.month <= 6 else 2


def half_end(year: int, half: int) -> datetime.date:
    return datetime.date(year, 6, 30) if half == 1 else datetime.date(year, 12, 31)


def next_half(year: int, half: int) -> tuple[int, int]:
    return (year, 2) if half == 1 else (year + 1, 1)


def half_label(year: int, half: int) -> str:
    return f"{year}年{'上' if half == 1 else '下'}半年"


def halves_due(
    left_on: datetime.date, returned_on: datetime.date | None, today: datetime.date, grace_days: int
) -> list[tuple[int, int, datetime.date]]:
    """Half-years a member owes a report for, with the day each becomes missing: every
    half-year at whose end the member was away (left on or before it, not yet back), once
    its grace period is over."""
    out: list[tuple[int, int, datetime.date]] = []
    year, half = half_of(left_on)
    while True:
        end = half_end(year, half)
        due = end + datetime.timedelta(days=grace_days)
        if due >= today or (returned_on is not None and returned_on <= end):
            return out
        out.append((year, half, due))
        year, half = next_half(year, half)


# ---------------------------------------------------------------- 腊月


def twelfth_month(lunar_year: int) -> tuple[datetime.date, datetime.date]:
    """The Gregorian first and last day of the twelfth month (腊月) of ``lunar_year`` (a leap
    twelfth month, if any, counts as part of it: the forum is for the homecoming season)."""
    first = LunarDate(lunar_year, 12, 1).to_solar_date()
    last = LunarDate(lunar_year + 1, 1, 1).to_solar_date() - datetime.timedelta(days=1)
    return first, last
