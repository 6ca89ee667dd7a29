"""Demo duties that run the other way or one link down the reporting chain, each only where the
round's profile asks for it:

- the village's duties to its helping unit (``village_duties``: seed 002 每季度座谈交流、反映社情民意，
  每年培养一名年轻党员、选派代表参与党员评议): most villages meet them, some miss a quarter or a
  year's duty, so that the village side of the assessment has met and overdue lines;
- the unit's party members' quarterly reports (``member_reports``: seed 004 doc 5 三、3): most
  report within the profile's ``due_days`` after the quarter, some late, some not at all.

Rows are written directly (as the rest of the demo year), one audit row per generator, each with
a generator of its own so that the rest of the demo year stays as it was.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence

from django.db import transaction

from gongjian.audit.services import audit_event
from gongjian.orgs.models import Organization
from gongjian.policies import load_profile
from gongjian.policies.member_reports import MemberReportRules
from gongjian.policies.village_duties import VillageDutyRules
from gongjian.records.models import MemberReport
from gongjian.records.models_village_duties import VillageDuty, VillageDutyKind
from gongjian.records.selectors_member_reports import member_report_due, member_rules, unit_members
from gongjian.records.selectors_reports import quarter_bounds
from gongjian.rounds.models import Pairing, PairingStatus

DUTY_TEXT: dict[str, str] = {
    VillageDutyKind.FORUM: "组织村党员到共建单位座谈交流，介绍村集体经济发展和群众关心的问题",
    VillageDutyKind.OPINION: "向共建单位反映本季度社情民意：灌溉水渠维修、农产品销路、留守老人照料",
    VillageDutyKind.YOUNG_MEMBER: "推荐本村返乡青年到共建单位跟岗学习，作为入党积极分子共同培养",
    VillageDutyKind.REVIEW_DELEGATES: "选派党员和群众代表参加共建单位年度党员民主评议",
}
DUTY_PEOPLE = ("村党支部书记及党员代表 6 人", "村“两委”成员 3 人、党员 4 人", "党员群众代表 5 人")
# Shares of villages that meet every duty, miss now and then, or often.
MISS_RATE = (("good", 0.0, 0.6), ("fair", 0.2, 0.25), ("lagging", 0.6, 0.15))
REPORT_TEXT = (
    "本季度参加支部“三会一课”{n}次，到结对村走访{v}次，帮助联系户落实产业帮扶措施",
    "本季度按时交纳党费，参加集中学习{n}次，为结对村群众办实事{v}件",
    "本季度参加机关志愿服务{n}次，结对帮扶困难群众{v}户，思想和工作情况良好",
)


def _miss_rate(rng: random.Random) -> float:
    roll, acc = rng.random(), 0.0
    for _name, rate, share in MISS_RATE:
        acc += share
        if roll < acc:
            return rate
    return MISS_RATE[-1][1]


def _day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def generate_village_duties(pairings: Sequence[Pairing], year: int, *, today: datetime.date, seed: int = 15) -> int:
    """The village duties of ``year`` (up to yesterday) for the signed ``pairings`` whose profile
    has ``village_duties``; returns the rows written."""
    rng = random.Random(seed)
    last = today - datetime.timedelta(days=1)
    rows: list[VillageDuty] = []
    for pairing in pairings:
        rules = load_profile(pairing.round.policy_key).village_duties
        if rules is not None and pairing.status == PairingStatus.SIGNED:
            rows += _pair_duties(rng, pairing, rules, year, last)
    with transaction.atomic():
        VillageDuty.objects.bulk_create(rows, batch_size=5000)
        if rows:
            audit_event("demo.records", actor=None, after={"year": year, "village_duty": len(rows)})
    return len(rows)


def _pair_duties(
    rng: random.Random, pairing: Pairing, rules: VillageDutyRules, year: int, last: datetime.date
) -> list[VillageDuty]:
    """One village's duties of ``year`` up to ``last``: each owed one done, unless the village's
    miss rate skips it (a skipped quarter is overdue once the quarter is over)."""
    first = max(datetime.date(year, 1, 1), pairing.round.term_start)
    miss = _miss_rate(rng)
    rows: list[VillageDuty] = []

    def add(kind: str, start: datetime.date, end: datetime.date) -> None:
        lo, hi = max(start, first), min(end, last)
        if lo <= hi and rng.random() >= miss:
            day = _day(rng, lo, hi)
            rows.append(
                VillageDuty(
                    pairing=pairing, kind=kind, date=day, content=DUTY_TEXT[kind], people=rng.choice(DUTY_PEOPLE)
                )
            )

    for quarter in (1, 2, 3, 4):
        start, end = quarter_bounds(year, quarter)
        for _ in range(rules.forums_per_quarter):
            add(VillageDutyKind.FORUM, start, end)
        for _ in range(rules.opinions_per_quarter):
            add(VillageDutyKind.OPINION, start, end)
    year_end = datetime.date(year, 12, 31)
    for _ in range(rules.young_members_per_year):
        add(VillageDutyKind.YOUNG_MEMBER, first, year_end)
    for _ in range(rules.review_delegates_per_year):
        add(VillageDutyKind.REVIEW_DELEGATES, first, year_end)
    return rows


def ended_quarters(today: datetime.date, count: int = 4) -> list[tuple[int, int]]:
    """The ``count`` latest quarters that ended before ``today``, oldest first."""
    year, quarter = today.year, (today.month - 1) // 3 + 1
    out = []
    for _ in range(count):
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
        out.append((year, quarter))
    return out[::-1]


def generate_member_reports(pairings: Sequence[Pairing], *, today: datetime.date, seed: int = 9) -> int:
    """The reports of the last four ended quarters by the party members of the units of the
    signed ``pairings``, where the unit's profile has ``member_reports``; returns the rows."""
    signed = [p for p in pairings if p.status == PairingStatus.SIGNED]
    if all(load_profile(key).member_reports is None for key in {p.round.policy_key for p in signed}):
        return 0  # no round here asks for them (the unit's rule is its latest round's, read below)
    rng = random.Random(seed)
    quarters = ended_quarters(today)
    units = {p.unit_id: p.unit for p in signed}
    seen: set[int] = set()  # a person reports once, to the deepest unit holding them
    rows: list[MemberReport] = []
    # Deepest first; then by id, whose order (unlike a path's, text of ids) is the same on every generation.
    for unit in sorted(units.values(), key=lambda u: (-u.depth, u.pk)):
        rules = member_rules(unit)
        if rules is None:
            continue
        for person in unit_members(unit):
            if person.pk in seen:
                continue
            seen.add(person.pk)
            rows += _reports(rng, unit, person.pk, quarters, today, rules)
    with transaction.atomic():
        MemberReport.objects.bulk_create(rows, batch_size=5000)
        if rows:
            audit_event("demo.records", actor=None, after={"quarters": quarters, "member_report": len(rows)})
    return len(rows)


def _reports(
    rng: random.Random,
    unit: Organization,
    person_id: int,
    quarters: list[tuple[int, int]],
    today: datetime.date,
    rules: MemberReportRules,
) -> list[MemberReport]:
    """One member's reports: on time (most), late now and then, or missing."""
    late, missing = rng.choice(((0.0, 0.0),) * 6 + ((0.3, 0.0), (0.1, 0.3)))
    out = []
    for year, quarter in quarters:
        _start, end = quarter_bounds(year, quarter)
        due = member_report_due(rules, year, quarter)
        if due is None or rng.random() < missing:
            continue
        days = (due - end).days
        reported = end + datetime.timedelta(days=rng.randint(1, max(1, days)))
        if rng.random() < late:
            reported = due + datetime.timedelta(days=rng.randint(1, 20))
        if reported >= today:
            continue  # not yet reported
        text = rng.choice(REPORT_TEXT).format(n=rng.randint(2, 6), v=rng.randint(1, 3))
        out.append(
            MemberReport(
                organization=unit, person_id=person_id, year=year, quarter=quarter, reported_on=reported, content=text
            )
        )
    return out
