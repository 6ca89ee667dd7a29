"""Dashboard figures against hand-counted fixtures, and the dashboard's scope.

The world (a round over 商洛市, Shangnan's profile with a yearly visit duty (``conftest``),
term 2025-07-01 to 2028-06-30, year 2026, "today" 15 April 2026 so that January to March
are over):

- 商南县 / 富水镇: pair A (农业农村局–花家村), B (农业农村局–王家沟村), C (卫健局–石门村)
  signed; E (卫健局–北山村) only confirmed. 4 directory villages, 3 covered.
- 丹凤县 / 龙驹寨街道: pair D (医院–清泉村) signed. 1 directory village, covered.

Visits (in charge and department, 2 a year each — levels are not summed, seed 004 (十)):
A 2 (in charge), B 1 (department), C 0, D 1 (in charge) → 商南 3 of 12 due, 丹凤 1 of 4.
Monthly cards: A January countersigned, February submitted; B January returned; D January
countersigned → 商南 January 1 met / 1 at risk / 1 missed of 3, February 0 / 1 / 2; 丹凤
January 1 of 1 met.
Funds 2026: A pledged 20,000, paid 15,000 (received 15,000) and 1,000 in December 2025 (not
this year); B paid 5,000; D pledged and paid 10,000.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation

from gongjian.audit.services import audit_event, audited
from gongjian.compliance.models import PairStatus
from gongjian.compliance.services import compliance_evaluate
from gongjian.funds.models import Pledge, Receipt, Transfer
from gongjian.orgs.models import Organization, OrgKind, OrgLevel
from gongjian.portal import selectors_dashboard
from gongjian.portal.dashboard_scope import dashboard_round, dashboard_slice, dashboard_year
from gongjian.portal.selectors_dashboard import Dashboard, dashboard
from gongjian.records.choices import CardStatus, VisitorLevel
from gongjian.records.models import PerformanceCard, Visit
from gongjian.rounds.models import DirectoryEntry, Pairing, PairingOrigin, PairingStatus
from tests.compliance.conftest import World, at, make_world
from tests.conftest import Cast, make_org

D = Decimal
YEAR = 2026
AS_OF = datetime.date(2026, 4, 15)


@dataclass
class DashWorld:
    world: World
    d: Pairing
    e: Pairing
    north: Organization

    @property
    def cast(self) -> Cast:
        return self.world.cast


def _pair(world: World, unit: Organization, village: Organization, status: str) -> Pairing:
    return Pairing.objects.create(
        round=world.round,
        entry=DirectoryEntry.objects.get(round=world.round, village=village),
        unit=unit,
        village=village,
        origin=PairingOrigin.ALLOCATION,
        status=status,
    )


def _card(pairing: Pairing, month: int, status: str) -> None:
    PerformanceCard.objects.create(pairing=pairing, month=datetime.date(YEAR, month, 1), work="本月工作", status=status)


def make_dash_world(cast: Cast, policy_key: str) -> DashWorld:
    north = make_org(cast.town, "C0201", "北山村党支部", OrgLevel.BRANCH, OrgKind.VILLAGE)
    world = make_world(cast, policy_key)
    d = _pair(world, cast.sibling_unit, cast.sibling_village, PairingStatus.SIGNED)
    e = _pair(world, world.unit2, north, PairingStatus.CONFIRMED)
    for pairing, day, level in [
        (world.a, datetime.date(YEAR, 2, 3), VisitorLevel.IN_CHARGE),
        (world.a, datetime.date(YEAR, 3, 9), VisitorLevel.IN_CHARGE),
        (world.b, datetime.date(YEAR, 3, 1), VisitorLevel.DEPARTMENT),
        (d, datetime.date(YEAR, 1, 20), VisitorLevel.IN_CHARGE),
    ]:
        Visit.objects.create(pairing=pairing, date=day, visitor_level=level, visitors="张三 局长", content="走访")
    _card(world.a, 1, CardStatus.COUNTERSIGNED)
    _card(world.a, 2, CardStatus.SUBMITTED)
    _card(world.b, 1, CardStatus.RETURNED)
    _card(d, 1, CardStatus.COUNTERSIGNED)
    admin = cast.city_admin
    Pledge.objects.create(
        pairing=world.a, year=YEAR, amount=D("20000.00"), purpose="产业", pledged_at=datetime.date(YEAR, 1, 5),
        recorded_by=admin,
    )  # fmt: skip
    Pledge.objects.create(
        pairing=d, year=YEAR, amount=D("10000.00"), purpose="产业", pledged_at=datetime.date(YEAR, 1, 5),
        recorded_by=admin,
    )  # fmt: skip
    paid = Transfer.objects.create(
        pairing=world.a, date=datetime.date(YEAR, 3, 1), amount=D("15000.00"), recorded_by=admin
    )
    Receipt.objects.create(
        transfer=paid, received_on=datetime.date(YEAR, 3, 3), amount=D("15000.00"), confirmed_by=admin
    )
    Transfer.objects.create(
        pairing=world.a, date=datetime.date(YEAR - 1, 12, 1), amount=D("1000.00"), recorded_by=admin
    )
    Transfer.objects.create(pairing=world.b, date=datetime.date(YEAR, 2, 1), amount=D("5000.00"), recorded_by=admin)
    Transfer.objects.create(pairing=d, date=datetime.date(YEAR, 1, 10), amount=D("10000.00"), recorded_by=admin)
    compliance_evaluate(actor=admin, round_or_scope=world.round, as_of=AS_OF, year=YEAR, remind=False)
    return DashWorld(world=world, d=d, e=e, north=north)


@pytest.fixture
def dash(cast: Cast, monkeypatch: pytest.MonkeyPatch, dashboard_policy: str) -> DashWorld:
    monkeypatch.setattr(selectors_dashboard, "today", lambda: AS_OF)
    return make_dash_world(cast, dashboard_policy)


def board(user: Any, w: DashWorld, area: Organization | None = None) -> Dashboard:
    round_ = dashboard_round(user=user, pk=w.world.round.pk)
    assert round_ is not None
    slice_ = dashboard_slice(user=user, round_=round_, year=YEAR, area_id=area.pk if area else None)
    return dashboard(slice_=slice_)


def by_name(b: Dashboard) -> dict[str, Any]:
    return {r.name: r for r in b.rows}


def test_city_admin_sees_counties_with_hand_counted_figures(dash: DashWorld) -> None:
    b = board(dash.cast.city_admin, dash)
    assert not b.leaf and b.slice.area == dash.cast.city
    rows = by_name(b)
    assert set(rows) == {"商南县委", "丹凤县委"}
    shangnan, danfeng = rows["商南县委"], rows["丹凤县委"]
    assert (shangnan.villages, shangnan.covered, shangnan.pairings, shangnan.signed) == (4, 3, 4, 3)
    assert (danfeng.villages, danfeng.covered, danfeng.pairings, danfeng.signed) == (1, 1, 1, 1)
    assert (shangnan.visits_done, shangnan.visits_due) == (D(3), D(12))
    assert (danfeng.visits_done, danfeng.visits_due) == (D(1), D(4))
    assert (shangnan.pledged, shangnan.paid, shangnan.received) == (D("20000"), D("20000"), D("15000"))
    assert (danfeng.pledged, danfeng.paid, danfeng.received) == (D("10000"), D("10000"), D(0))
    t = b.total
    assert (t.villages, t.covered, t.pairings, t.signed) == (5, 4, 5, 4)
    assert (t.visits_done, t.visits_due, t.pledged, t.paid) == (D(4), D(16), D("30000"), D("30000"))
    assert t.coverage_pct == 80.0 and t.signed_pct == 80.0 and t.visits_pct == 25.0


def test_heat_map_months_from_cards_and_year_from_stored_results(dash: DashWorld) -> None:
    rows = by_name(board(dash.cast.city_admin, dash))
    jan, feb, mar, apr = rows["商南县委"].months[:4]
    assert (jan.pairs, jan.met, jan.at_risk, jan.missed) == (3, 1, 1, 1)
    assert jan.met_pct == 33.3 and jan.at_risk_pct == 33.3
    assert (feb.met, feb.at_risk, feb.missed) == (0, 1, 2)
    assert (mar.met, mar.at_risk, mar.missed, mar.missed_pct) == (0, 0, 3, 100.0)
    assert not apr.due and apr.met_pct is None  # April is not over on 15 April
    assert rows["丹凤县委"].months[0].met_pct == 100.0
    # The whole year: exactly the stored results of the county's three signed pairs.
    stored = list(PairStatus.objects.filter(year=YEAR, village__path__startswith=dash.cast.county.path))
    assert len(stored) == 3
    for status in ("met", "pending", "at_risk", "missed"):
        assert rows["商南县委"].statuses[status] == sum(s.status == status for s in stored)


def test_drill_down_county_town_pairs(dash: DashWorld) -> None:
    admin = dash.cast.city_admin
    towns = board(admin, dash, dash.cast.county)
    assert [r.name for r in towns.rows] == ["富水镇党委"] and not towns.leaf
    assert [n.name for n in towns.slice.trail] == ["商洛市委", "商南县委"]
    pairs = board(admin, dash, dash.cast.town)
    assert pairs.leaf
    rows = {r.key: r for r in pairs.rows}
    w = dash.world
    assert set(rows) == {w.a.pk, w.b.pk, w.c.pk, dash.e.pk}
    assert (rows[w.a.pk].visits_done, rows[w.a.pk].paid, rows[w.a.pk].village_name) == (
        D(2),
        D("15000"),
        "花家村党支部",
    )
    assert rows[dash.e.pk].pairing_status == PairingStatus.CONFIRMED and rows[dash.e.pk].compliance == ""
    assert rows[w.a.pk].compliance == PairStatus.objects.get(pairing=w.a, year=YEAR).status
    assert (pairs.total.villages, pairs.total.covered, pairs.total.signed) == (4, 3, 3)


def test_an_ended_pair_with_money_of_the_year_is_a_row_of_its_town(dash: DashWorld) -> None:
    """A pair ended during the year (replaced in a dynamic adjustment) keeps what it paid and
    its stored status: a row at the bottom, so that the town's pairs add up to the town's row
    on the county board; an ended pair with nothing in the year has no row."""
    w = dash.world
    Pairing.objects.filter(pk__in=[w.b.pk, dash.e.pk]).update(status=PairingStatus.ENDED)
    admin = dash.cast.city_admin
    town_row = by_name(board(admin, dash, dash.cast.county))["富水镇党委"]
    pairs = board(admin, dash, dash.cast.town)
    rows = {r.key: r for r in pairs.rows}
    assert set(rows) == {w.a.pk, w.b.pk, w.c.pk}  # e: ended with nothing in the year
    ended = rows[w.b.pk]
    assert (ended.pairing_status, ended.pairings, ended.signed, ended.villages, ended.covered) == (
        PairingStatus.ENDED, 0, 0, 0, 0,
    )  # fmt: skip
    assert (ended.paid, sum(ended.statuses.values())) == (D("5000"), 1)
    assert ended.village_name == w.b.village.name and ended.pairing_status_label == "已终止"
    with translation.override("en"):  # rows are cached for readers of every language
        assert ended.pairing_status_label == "Ended"
    t = pairs.total
    assert (t.paid, t.pairings, t.signed) == (D("20000"), 2, 2)  # a: 15,000 and b: 5,000 of the year
    for name in ("villages", "covered", "pairings", "signed", "visits_done", "visits_due", "pledged", "paid"):
        assert getattr(t, name) == getattr(town_row, name), name
    assert t.statuses == town_row.statuses


def test_county_admin_starts_at_own_county_and_cannot_go_up_or_aside(dash: DashWorld) -> None:
    admin = dash.cast.committee_admin
    b = board(admin, dash)
    assert b.slice.area == dash.cast.county
    assert (b.total.villages, b.total.visits_done, b.total.paid) == (4, D(3), D("20000"))
    for outside in (dash.cast.city, dash.cast.sibling_county, dash.cast.sibling_village):
        with pytest.raises(Http404):
            board(admin, dash, outside)


def test_sibling_county_admin_sees_only_own_county(dash: DashWorld) -> None:
    b = board(dash.cast.sibling_admin, dash)
    assert b.slice.area == dash.cast.sibling_county
    assert (b.total.villages, b.total.signed, b.total.visits_done, b.total.paid) == (1, 1, D(1), D("10000"))
    with pytest.raises(Http404):
        board(dash.cast.sibling_admin, dash, dash.cast.town)


def test_unit_and_village_users_see_their_own_pairs(dash: DashWorld) -> None:
    w = dash.world
    unit = board(dash.cast.unit_user, dash)
    assert unit.leaf and {r.key for r in unit.rows} == {w.a.pk, w.b.pk}
    assert (unit.total.visits_done, unit.total.paid, unit.total.villages) == (D(3), D("20000"), 2)
    village = board(dash.cast.village_user, dash)
    assert village.leaf and [r.key for r in village.rows] == [w.a.pk]
    assert (village.total.visits_done, village.total.pledged) == (D(2), D("20000"))


def test_outsider_and_auditor_see_nothing(dash: DashWorld) -> None:
    for user in (dash.cast.outsider, dash.cast.auditor):
        assert dashboard_round(user=user, pk=None) is None
        with pytest.raises(Http404):
            dashboard_round(user=user, pk=dash.world.round.pk)


def test_year_defaults_to_the_newest_with_stored_results(dash: DashWorld) -> None:
    round_ = dash.world.round
    assert dashboard_year(round_=round_, year=None) == YEAR
    assert dashboard_year(round_=round_, year="2025") == 2025
    assert dashboard_year(round_=round_, year="1999") == YEAR  # not a year of the round


def test_a_new_visit_shows_after_the_next_evaluation(dash: DashWorld) -> None:
    w = dash.world
    Visit.objects.create(
        pairing=w.c,
        date=datetime.date(YEAR, 4, 1),
        visitor_level=VisitorLevel.IN_CHARGE,
        visitors="李四",
        content="走访",
    )
    before = by_name(board(dash.cast.city_admin, dash))["商南县委"].visits_done
    compliance_evaluate(actor=dash.cast.city_admin, round_or_scope=w.round, as_of=AS_OF, year=YEAR, remind=False)
    after = by_name(board(dash.cast.city_admin, dash))["商南县委"].visits_done
    assert (before, after) == (D(3), D(4))  # stored results, not live counting


def test_query_count_does_not_grow_with_rows(dash: DashWorld, django_assert_max_num_queries: Any) -> None:
    w = dash.world
    for month in (5, 6, 7):
        PerformanceCard.objects.create(
            pairing=w.c, month=datetime.date(YEAR, month, 1), work="x", submitted_at=at(AS_OF)
        )
    with django_assert_max_num_queries(14):
        board(dash.cast.city_admin, dash)


def test_cached_figures_last_until_the_next_audited_write(dash: DashWorld, django_assert_num_queries: Any) -> None:
    from gongjian.portal.dashboard_cache import dashboard_cached

    admin, w = dash.cast.city_admin, dash.world
    round_ = dashboard_round(user=admin, pk=w.round.pk)
    assert round_ is not None
    slice_ = dashboard_slice(user=admin, round_=round_, year=YEAR)
    first = dashboard_cached(slice_=slice_)
    with django_assert_num_queries(1):  # the write version only
        again = dashboard_cached(slice_=slice_)
    assert again.total.visits_done == first.total.visits_done == D(4)
    # Audited events that change nothing keep the cache: a sign-in, an export, a refused write.
    audit_event("account.login", actor=admin, target=admin)
    audit_event("compliance.export", actor=admin, after={"year": YEAR})
    with pytest.raises(ValidationError), audited("visit.create", actor=admin, target=w.c):
        raise ValidationError("日期不能晚于今天")
    with django_assert_num_queries(1):
        dashboard_cached(slice_=slice_)
    Visit.objects.create(
        pairing=w.c,
        date=datetime.date(YEAR, 4, 1),
        visitor_level=VisitorLevel.IN_CHARGE,
        visitors="李四",
        content="走访",
    )
    # The evaluation is audited: the next read recomputes and shows the new visit.
    compliance_evaluate(actor=admin, round_or_scope=w.round, as_of=AS_OF, year=YEAR, remind=False)
    assert dashboard_cached(slice_=slice_).total.visits_done == D(5)
