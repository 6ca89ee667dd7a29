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

from lunardate import LunarDate

from gongjian.orgs.models import Organization
from gongjian.orgs.scope import ancestor_paths
from gongjian.policies import MembersRules, PolicyProfileError, load_profile
from gongjian.rounds.models import Round

# The Shanghai profile: its source (seed 004 doc 1 (五)) is the one that sets up the host's
# query to the origin; used only where no round covers the organization, and for a profile
# without a ``members:`` section of its own.
DEFAULT_PROFILE_KEY = "shanghai"

__all__ = ["DEFAULT_PROFILE_KEY", "MembersRules", "profile_key_for", "rules_for", "rules_for_key"]


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
    """The ``members:`` section of profile ``key``; a profile that is gone or has no section
    of its own follows the default profile's (whose section must exist: no code defaults)."""
    try:
        rules = load_profile(key).members
    except PolicyProfileError:
        rules = None
    if rules is None:
        rules = load_profile(DEFAULT_PROFILE_KEY).members
    if rules is None:
        raise PolicyProfileError(f"{DEFAULT_PROFILE_KEY}.yaml：members 缺失（默认配置须写明流动党员管理规则）")
    return rules


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
