"""The demo year's adjustments, village duties, members' quarterly reports and notifications of
open work, on the county demo (``manage.py demo`` + ``demo_activity``) under three profiles:
Shanghai (dynamic adjustment, neither duty), Shangnan (the village's duties, no adjustment) and
the town document (members' quarterly reports, no adjustment). Each rule is checked against the
profile of the round: data where the profile asks for it, none where it does not."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from gongjian.accounts.models import User
from gongjian.notifications.selectors import unread_count
from gongjian.notifications.todo import todo_count
from gongjian.policies import PolicyProfile, load_profile
from gongjian.records.models import MemberReport
from gongjian.records.models_village_duties import VillageDuty, VillageDutyKind
from gongjian.records.selectors_member_reports import member_report_due, member_rows, unit_members
from gongjian.records.selectors_reports import quarter_bounds
from gongjian.records.selectors_village_duties import village_duty_status
from gongjian.rounds.models import Agreement, Pairing, PairingAdjustment, PairingOrigin, PairingStatus, Round, UnitPlan
from gongjian.rounds.selectors_helping import plan_rows
from tests.demo.rolled_back import built_for_module

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_year_end")]

ACCOUNTS = ("city_admin", "committee_admin", "committee_admin2", "unit_user", "village_user")


@dataclass
class Demo:
    policy: str
    profile: PolicyProfile
    round: Round
    today: datetime.date


@pytest.fixture(scope="module", params=("shanghai", "shangnan", "town_quarterly"))
def demo(request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any) -> Iterator[Demo]:
    """The county demo with a year under one profile, built once per profile and rolled back."""

    def build() -> Demo:
        call_command("demo", scale="county", seed=1, stdout=StringIO())
        call_command("demo_activity", seed=1, policy=request.param, stdout=StringIO())
        return Demo(request.param, load_profile(request.param), Round.objects.get(), datetime.date.today())

    yield from built_for_module(django_db_blocker, build)


def test_every_replaced_pair_has_its_adjustment(demo: Demo) -> None:
    adjustments = list(PairingAdjustment.objects.filter(round=demo.round).select_related("old_pairing", "new_pairing"))
    ended = set(Pairing.objects.filter(round=demo.round, status=PairingStatus.ENDED).values_list("pk", flat=True))
    if demo.profile.adjustment is None:
        assert adjustments == [] and ended == set()  # the profile has no dynamic adjustment
        return
    assert len(adjustments) == 3
    assert ended == {a.old_pairing_id for a in adjustments}  # no pair ended without its record
    own = set(User.objects.filter(username__in=ACCOUNTS).values_list("organization_id", flat=True))
    days = demo.profile.adjustment.replacement_days
    for a in adjustments:
        new = a.new_pairing
        assert new.origin == PairingOrigin.ADJUSTMENT and new.village_id == a.village_id == a.old_pairing.village_id
        assert (new.unit_id, a.old_unit_id) == (a.new_unit_id, a.old_pairing.unit_id) and a.new_unit_id != a.old_unit_id
        assert a.reason and abs((a.deadline - a.created_at) - datetime.timedelta(days=days)) < datetime.timedelta(1)
        assert not {a.old_unit_id, a.new_unit_id, a.village_id} & own  # the walk-through's pairs stay
        signed = new.status == PairingStatus.SIGNED
        assert signed == Agreement.objects.filter(pairing=new).exists()
    statuses = sorted(a.new_pairing.status for a in adjustments)
    assert statuses == [PairingStatus.PROPOSED, PairingStatus.SIGNED, PairingStatus.SIGNED]


def test_village_duties_follow_the_profile(demo: Demo) -> None:
    duties = VillageDuty.objects.filter(pairing__round=demo.round)
    rules = demo.profile.village_duties
    if rules is None:
        assert not duties.exists()
        return
    asked = {
        VillageDutyKind.FORUM: rules.forums_per_quarter,
        VillageDutyKind.OPINION: rules.opinions_per_quarter,
        VillageDutyKind.YOUNG_MEMBER: rules.young_members_per_year,
        VillageDutyKind.REVIEW_DELEGATES: rules.review_delegates_per_year,
    }
    assert set(duties.values_list("kind", flat=True)) == {k for k, n in asked.items() if n}
    assert all(
        demo.round.term_start <= d < demo.today and d.year == demo.today.year
        for d in duties.values_list("date", flat=True)
    )
    signed = list(Pairing.objects.filter(round=demo.round, status=PairingStatus.SIGNED).select_related("round"))
    assert set(duties.values_list("pairing_id", flat=True)) <= {p.pk for p in signed}
    lines = [line for p in signed for line in village_duty_status(p, demo.today.year, demo.today)]
    assert any(line.met for line in lines) and any(not line.met for line in lines)
    if demo.today > quarter_bounds(demo.today.year, 1)[1]:  # once a quarter is over, some are overdue
        assert any(line.overdue for line in lines)


def test_unit_plans_follow_the_profile(demo: Demo) -> None:
    """Where the profile asks for plans, most units with a live pair have one and the rest show
    as not filled in on the round's plans page (the demo unit among them); else none."""
    plans = UnitPlan.objects.filter(round=demo.round)
    rows = plan_rows(round_=demo.round, scope_path=None)
    if not demo.profile.helping_side.plan_required:
        assert not plans.exists()
        return
    live = Pairing.objects.filter(round=demo.round).exclude(status=PairingStatus.ENDED)
    assert set(plans.values_list("unit_id", flat=True)) <= set(live.values_list("unit_id", flat=True))
    assert len(rows) == live.values("unit_id").distinct().count() and 0 < rows.missing() < len(rows) / 4
    own = User.objects.get(username="unit_user").organization_id
    assert not plans.filter(unit_id=own).exists() and own in {r.unit.pk for r in rows[: rows.missing()]}
    assert all(p.leader_name and p.department in p.plan for p in plans)


def test_members_quarterly_reports_follow_the_profile(demo: Demo) -> None:
    reports = list(MemberReport.objects.select_related("organization", "person"))
    rules = demo.profile.member_reports
    if rules is None:
        assert reports == []
        return
    assert len(reports) > 100
    units = set(Pairing.objects.filter(round=demo.round, status=PairingStatus.SIGNED).values_list("unit_id", flat=True))
    late = 0
    for report in reports:
        assert report.organization_id in units
        assert unit_members(report.organization).filter(pk=report.person_id).exists()
        _start, end = quarter_bounds(report.year, report.quarter)
        assert end < report.reported_on < demo.today
        due = member_report_due(rules, report.year, report.quarter)
        assert due is not None
        late += report.reported_on > due
    assert 0 < late < len(reports) / 4  # most on time, some late
    last_year, last_quarter = max((r.year, r.quarter) for r in reports)
    overdue = sum(
        row.overdue
        for unit in {r.organization for r in reports}
        for row in member_rows(unit, last_year, last_quarter, demo.today)
    )
    assert overdue > 0  # some members never reported: flagged


def test_the_badge_counts_the_to_do_list(demo: Demo) -> None:
    """#11: each demo account's unread count equals its 待办 count — the village secretary's
    cards to countersign, the committees' cards to acknowledge, the unit's returned cards."""
    counts = {}
    for user in User.objects.filter(username__in=ACCOUNTS):
        counts[user.username] = (unread_count(user=user), todo_count(user=user))
    assert all(badge == todo for badge, todo in counts.values()), counts
    assert counts["committee_admin"][1] > 0 and counts["committee_admin2"][1] > 0
    assert sum(todo for _badge, todo in counts.values()) > 0
