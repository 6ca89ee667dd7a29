"""Every figure a leader reads, cross-checked on real-shaped data (issue 11, points 1–2).

On the county *and* the city demo (``manage.py demo`` + ``manage.py demo_activity``, built
once per scale for the whole module inside a transaction that is rolled back at the end),
for the city admin, a county admin and a town drill-down: the dashboard, the public and
internal status boards, the compliance overview, the assessment ranking, the funds ledgers
and the public funds page are fetched through their views and every figure they hand the
page is compared with the same figure recomputed from the rows in plain Python
(``figures_independent``); no percentage is above 100 and totals are the sums of their rows.

Runs on whatever ``DATABASE_URL`` names — PostgreSQL in ``make test``, and the embedded
SQLite database of ``make run`` (the dashboards once took a different code path there).
"""

from __future__ import annotations

import datetime
import hashlib
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongjian.accounts.models import User
from gongjian.compliance.models import ComplianceStatus
from gongjian.funds.models import Disclosure
from gongjian.orgs.models import Organization, OrgKind
from gongjian.policies import load_profile
from gongjian.rounds.models import Agreement, Pairing, PairingStatus, Round
from gongjian.rounds.services_agreement_archive import agreement_documents
from tests.demo.rolled_back import built_for_module
from tests.portal import figures_independent as ind

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("figures_crosscheck")]

SCALES = ("county", "city")


@dataclass
class Demo:
    scale: str
    round: Round
    year: int
    city_admin: User
    county_admin: User
    county: Organization  # the county admin's node
    town: Organization  # a town of that county with signed pairs


@pytest.fixture(scope="module", params=SCALES)
def demo(request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any) -> Iterator[Demo]:
    """The demo of one scale, built once for the module and rolled back after it."""

    def build() -> Demo:
        call_command("demo", scale=request.param, seed=1, stdout=StringIO())
        call_command("demo_activity", seed=1, stdout=StringIO())
        round_ = Round.objects.get()
        county_admin = User.objects.select_related("organization").get(username="committee_admin")
        county = county_admin.organization
        assert county is not None
        town = (
            Organization.objects.filter(kind=OrgKind.TOWN, path__startswith=county.path)
            .filter(children__kind=OrgKind.VILLAGE)
            .distinct()
            .order_by("name")  # not the path: its order follows the ids, which differ from run to run
            .first()
        )
        assert town is not None
        return Demo(
            scale=request.param,
            round=round_,
            year=ind.today().year,
            city_admin=User.objects.get(username="city_admin"),
            county_admin=county_admin,
            county=county,
            town=town,
        )

    yield from built_for_module(django_db_blocker, build)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assert_share(value: float | None) -> None:
    assert value is None or 0 <= value <= 100, f"a share of {value} %"


def assert_money(actual: Decimal | float, expected: Decimal, what: str) -> None:
    assert Decimal(str(actual)).quantize(Decimal("0.01")) == expected.quantize(Decimal("0.01")), what


# --- the dashboard ------------------------------------------------------------------------


def _dashboard(demo: Demo, user: User, area: Organization | None = None) -> tuple[Any, dict[str, Any]]:
    params = f"?round={demo.round.pk}&year={demo.year}" + (f"&area={area.pk}" if area is not None else "")
    response = client_for(user).get(reverse("dashboard:index") + params)
    assert response.status_code == 200
    return response.context["board"], ind.page_json(response.content.decode(), "dashboard-data")


def _check_dashboard(demo: Demo, user: User, area: Organization | None) -> Any:
    board, data = _dashboard(demo, user, area)
    visit_ids = [o.id for o in load_profile(demo.round.policy_key).visits]
    by_pair = board.leaf
    expected_rows, expected_total = ind.dashboard_expected(
        demo.round, demo.year, board.slice.area, by_pair=by_pair, visit_ids=visit_ids
    )
    as_of = ind.today()
    # The rows: one per child area with villages (or per pair at the bottom), each recomputed.
    assert sorted(r.key for r in board.rows) == sorted(expected_rows), "the dashboard's rows"
    assert data["keys"] == [r.key for r in board.rows]
    for i, row in enumerate(board.rows):
        e = expected_rows[row.key]
        where = f"{demo.scale} {board.slice.area.name} › {row.name}"
        assert (row.villages, row.covered, row.pairings, row.signed) == (
            e.villages if not by_pair else int(row.pairing_status == PairingStatus.SIGNED),
            e.covered,
            e.pairings,
            e.signed,
        ), where
        assert_money(row.visits_done, e.visits_done, where + " visits done")
        assert_money(row.visits_due, e.visits_due, where + " visits due")
        assert_money(row.pledged, e.pledged, where + " pledged")
        assert_money(row.paid, e.paid, where + " paid")
        assert_money(row.received, e.received, where + " received")
        assert {k: v for k, v in row.statuses.items() if v} == dict(e.statuses), where + " statuses"
        # What the page's charts draw (the JSON the script reads):
        assert data["coverage"][i] == ind.pct(e.covered, row.villages), where
        assert data["signed"][i] == ind.pct(e.signed, e.pairings), where
        assert data["visits_done"][i] == pytest.approx(float(e.visits_done)), where
        assert data["pledged"][i] == pytest.approx(float(e.pledged)), where
        assert data["paid"][i] == pytest.approx(float(e.paid)), where
        shares = ind.month_shares(e, demo.round, demo.year, as_of)
        heat = [cell for cell in data["heat"] if cell[1] == i]
        assert [tuple(c[2:]) for c in sorted(heat)[:12]] == [s[1:] for s in shares], where + " heat map"
        year_cell = next(c for c in heat if c[0] == 12)
        evaluated = sum(e.statuses.values())
        assert year_cell[2:] == [ind.pct(e.statuses[s], evaluated) for s in ("met", "at_risk", "missed")], where
    # No share above 100, anywhere on the page.
    for series in ("coverage", "signed"):
        for value in data[series]:
            assert_share(value)
    for cell in data["heat"]:
        for value in cell[2:]:
            assert_share(value)
    t = board.total
    for value in (t.coverage_pct, t.signed_pct, t.visits_pct, t.paid_pct):
        assert_share(value)
    for cell in t.months:
        for value in (cell.met_pct, cell.at_risk_pct, cell.missed_pct):
            assert_share(value)
    # The total: recomputed on its own, and the sum of its rows.
    where = f"{demo.scale} {board.slice.area.name} total"
    assert (t.villages, t.covered, t.pairings, t.signed) == (
        expected_total.villages,
        expected_total.covered,
        expected_total.pairings,
        expected_total.signed,
    ), where
    assert_money(t.visits_done, expected_total.visits_done, where)
    assert_money(t.visits_due, expected_total.visits_due, where)
    assert_money(t.pledged, expected_total.pledged, where)
    assert_money(t.paid, expected_total.paid, where)
    assert_money(t.received, expected_total.received, where)
    assert {k: v for k, v in t.statuses.items() if v} == dict(expected_total.statuses), where
    assert t.signed == sum(r.signed for r in board.rows) and t.pairings == sum(r.pairings for r in board.rows)
    if not by_pair:
        assert t.villages == sum(r.villages for r in board.rows) and t.covered == sum(r.covered for r in board.rows)
    assert [(c.met_pct, c.at_risk_pct, c.missed_pct) for c in t.months] == [
        s[1:] for s in ind.month_shares(expected_total, demo.round, demo.year, as_of)
    ], where + " months"
    assert t.signed > 0, "the demo has signed pairs here"
    return board


def test_dashboard_city_admin(demo: Demo) -> None:
    board = _check_dashboard(demo, demo.city_admin, None)
    assert board.slice.area == demo.round.scope and not board.leaf
    # The dashboard's signed villages are the public board's.
    public = client_for(demo.city_admin).get(reverse("portal:board", args=[demo.round.pk])).context["board"]
    assert (board.total.covered, board.total.villages) == (public.total.by_stage["signed"], public.total.total)


def test_dashboard_county_admin(demo: Demo) -> None:
    board = _check_dashboard(demo, demo.county_admin, None)
    assert board.slice.area == demo.county
    internal = client_for(demo.county_admin).get(reverse("portal:internal_board", args=[demo.round.pk]))
    total = internal.context["board"].total
    assert (board.total.covered, board.total.villages) == (total.by_stage["signed"], total.total)


def test_dashboard_town_drill_down(demo: Demo) -> None:
    board = _check_dashboard(demo, demo.county_admin, demo.town)
    assert board.leaf and board.slice.area == demo.town
    same = _check_dashboard(demo, demo.city_admin, demo.town)
    assert same.total.signed == board.total.signed


FIGURES = ("villages", "covered", "pairings", "signed", "visits_done", "visits_due", "pledged", "paid", "received")


def test_every_area_adds_up_to_its_row_one_level_up(demo: Demo) -> None:
    """Every board from the top down to each town's pairs is recomputed, and a drilled-into
    area's total is its row on the board above: an ended pair's money and status (a pair
    replaced in a dynamic adjustment) count with its pairs at the bottom as with its area.
    The county demo is walked whole from the city admin's top; the city demo's county."""
    user = demo.city_admin if demo.scale == "county" else demo.county_admin
    above: list[tuple[Any, Any]] = [(_check_dashboard(demo, user, None), None)]
    boards = 0
    while above:
        board, row_above = above.pop()
        boards += 1
        if row_above is not None:
            where = f"{demo.scale} {board.slice.area.name}"
            assert [getattr(board.total, f) for f in FIGURES] == [getattr(row_above, f) for f in FIGURES], where
            assert {k: v for k, v in board.total.statuses.items() if v} == {
                k: v for k, v in row_above.statuses.items() if v
            }, where
        if board.leaf:
            continue
        for row in board.rows:
            area = Organization.objects.get(pk=row.key)
            above.append((_check_dashboard(demo, user, area), row))
    assert boards > 3


def test_dashboard_opens_on_the_newest_round_with_data(demo: Demo) -> None:
    """A newer round without a signed pair (just created) is not where the dashboard opens."""
    from gongjian.rounds.services_setup import round_create

    today = ind.today()
    newer = round_create(
        actor=demo.city_admin,
        scope=demo.round.scope,
        name="下一轮（草稿）",
        policy_key=demo.round.policy_key,
        intent_deadline=today + datetime.timedelta(days=30),
        signing_deadline=today + datetime.timedelta(days=60),
        term_start=today + datetime.timedelta(days=60),
        term_end=today + datetime.timedelta(days=60 + 365 * 3),
    )
    response = client_for(demo.city_admin).get(reverse("dashboard:index"))
    assert response.context["round"] == demo.round
    assert newer in list(response.context["rounds"])


# --- the status boards ----------------------------------------------------------------------


def _check_board(board: Any, expected: dict[str, Any], data: dict[str, Any]) -> None:
    total = board.total
    assert (total.total, total.by_stage["signed"], total.covered) == (
        expected["total"]["total"],
        expected["total"]["signed"],
        expected["total"]["covered"],
    )
    assert data["total"]["signed"] == total.by_stage["signed"] and data["total"]["total"] == total.total
    for county in board.counties:
        e = expected["counties"][county.name]
        assert (county.tally.total, county.tally.by_stage["signed"], county.tally.covered) == (
            e["total"],
            e["signed"],
            e["covered"],
        ), county.name
        assert county.tally.total == sum(t.tally.total for t in county.towns)
        for town in county.towns:
            et = expected["towns"][(county.name, town.name)]
            assert (town.tally.total, town.tally.by_stage["signed"]) == (et["total"], et["signed"]), town.name
            assert_share(town.tally.coverage_pct)
            assert_share(town.tally.signed_pct)
        assert_share(county.tally.coverage_pct)
        assert_share(county.tally.signed_pct)
    assert total.total == sum(c.tally.total for c in board.counties)
    assert total.by_stage["signed"] == sum(c.tally.by_stage["signed"] for c in board.counties)
    assert_share(total.coverage_pct)
    assert_share(total.signed_pct)


def test_public_board(demo: Demo) -> None:
    response = Client().get(reverse("portal:board", args=[demo.round.pk]))
    assert response.status_code == 200
    expected = ind.board_expected(demo.round, None)
    _check_board(response.context["board"], expected, response.context["board_data"])
    assert (
        expected["total"]["signed"]
        # villages only: a town's pair (coverage.towns_paired) is counted by rounds.coverage
        == Pairing.objects.filter(round=demo.round, status="signed", entry__is_town=False)
        .values("village")
        .distinct()
        .count()
    )


def test_internal_board_city_and_county(demo: Demo) -> None:
    for user, scope_path in ((demo.city_admin, None), (demo.county_admin, demo.county.path)):
        response = client_for(user).get(reverse("portal:internal_board", args=[demo.round.pk]))
        assert response.status_code == 200
        _check_board(
            response.context["board"], ind.board_expected(demo.round, scope_path), response.context["board_data"]
        )


# --- compliance -----------------------------------------------------------------------------


def test_compliance_overview(demo: Demo) -> None:
    for user in (demo.city_admin, demo.county_admin):
        response = client_for(user).get(reverse("compliance:index") + f"?year={demo.year}")
        assert response.status_code == 200
        path = user.organization.path  # type: ignore[union-attr]
        expected = ind.statuses_in_scope(path, demo.year)
        counts = response.context["counts"]
        assert {k: v for k, v in counts.items() if v} == dict(expected), user.username
        assert response.context["page"].paginator.count == sum(expected.values())
        signed_in_scope = sum(
            1
            for up, vp in Pairing.objects.filter(status="signed").values_list("unit__path", "village__path")
            if up.startswith(path) or vp.startswith(path)
        )
        assert sum(counts.values()) == signed_in_scope, "every signed pair evaluated once"
    # The city's dashboard counts the same statuses as the city's compliance overview.
    board, _ = _dashboard(demo, demo.city_admin)
    city = client_for(demo.city_admin).get(reverse("compliance:index") + f"?year={demo.year}").context["counts"]
    assert {k: v for k, v in board.total.statuses.items() if v} == {k: v for k, v in city.items() if v}


def test_assessment_ranking(demo: Demo) -> None:
    expected = ind.unit_scores_expected(demo.year)
    for user in (demo.city_admin, demo.county_admin):
        client = client_for(user)
        seen = 0
        page_number = 1
        while True:
            response = client.get(reverse("compliance:assessment") + f"?year={demo.year}&page={page_number}")
            assert response.status_code == 200
            page = response.context["page"]
            for row in page:
                pairs, score, rank = expected[row.unit_id]
                assert (row.pairs, row.score, row.rank) == (pairs, score, rank), row.unit.name
                seen += 1
            if not page.has_next():
                break
            page_number += 1
        path = user.organization.path  # type: ignore[union-attr]
        units_in_scope = {
            u
            for u, p in Organization.objects.filter(pk__in=list(expected)).values_list("pk", "path")
            if p.startswith(path)
        }
        assert seen == len(units_in_scope) > 0, user.username


# --- funds ----------------------------------------------------------------------------------


def _ledger_matches(ledger: Any, expected: dict[str, Decimal], what: str) -> None:
    for name, value in expected.items():
        assert_money(getattr(ledger, name), value, f"{what} {name}")
    assert ledger.balance >= 0 and ledger.in_transit >= 0, what


def test_funds_ledgers(demo: Demo) -> None:
    for user in (demo.city_admin, demo.county_admin):
        client = client_for(user)
        villages = client.get(reverse("funds:villages"))
        assert villages.status_code == 200
        for village, ledger in villages.context["rows"]:
            _ledger_matches(ledger, ind.village_money(village.pk), village.name)
        pairings = client.get(reverse("funds:index"))
        for pairing, ledger in pairings.context["rows"]:
            _ledger_matches(ledger, ind.pairing_money(pairing.pk), str(pairing))
        for village, _ledger in villages.context["rows"][:5]:
            detail = client.get(reverse("funds:village", args=[village.pk])).context["ledger"]
            _ledger_matches(detail.total, ind.village_money(village.pk), village.name)
            assert detail.total == detail.lines_sum(), "a village's total is the sum of its lines"


def test_public_funds_page(demo: Demo) -> None:
    client = Client()
    index = client.get(reverse("portal_funds:index"))
    assert index.status_code == 200
    # The villages' 村务公开 (seed 004 (十一)): a paired town's disclosures are not on this page.
    published = set(
        Disclosure.objects.filter(village__is_active=True, village__kind=OrgKind.VILLAGE).values_list(
            "village_id", flat=True
        )
    )
    assert index.context["page"].paginator.count == len(published) > 0
    html = index.content.decode()
    places = dict(
        (pk, (town, county))
        for pk, town, county in Organization.objects.filter(pk__in=published).values_list(
            "pk", "region__name", "region__parent__name"
        )
    )
    for village in index.context["page"]:
        town, county = places[village.pk]
        assert town and county and town in html and county in html, f"{village.name}: its town and county"
    for village in list(index.context["page"])[:5]:
        response = client.get(reverse("portal_funds:village", args=[village.pk]))
        html = response.content.decode()
        town, county = places[village.pk]
        assert town in html and county in html
        for d in response.context["disclosures"]:
            received, used, balance = ind.period_money(village.pk, d.period_start, d.period_end)
            assert (d.received_total, d.used_total, d.balance_at_end) == (received, used, balance), village.name
            assert sum(Decimal(r["amount"]) for r in d.content["receipts"]) == d.received_total
            assert sum(Decimal(u["amount"]) for u in d.content["uses"]) == d.used_total


# --- the archive a round leaves -------------------------------------------------------------


def test_every_signed_demo_pair_has_its_agreement(demo: Demo) -> None:
    signed = Pairing.objects.filter(round=demo.round, status="signed")
    without = signed.filter(agreement__isnull=True).count()
    assert without == 0, f"{without} of {signed.count()} signed pairs have no agreement"
    unsigned = signed.filter(agreement__unit_signed_at__isnull=True) | signed.filter(
        agreement__village_signed_at__isnull=True
    )
    assert not unsigned.exists(), "both sides signed every signed pair's agreement"


def test_an_archived_demo_agreement_renders_on_first_download(demo: Demo) -> None:
    """The PDFs of a bulk-signed agreement are rendered once, stored with their SHA-256."""
    agreement = Agreement.objects.filter(pairing__round=demo.round, pdf="").select_related("pairing").first()
    assert agreement is not None and agreement.unit_signer_name and agreement.village_signer_post
    response = client_for(demo.city_admin).get(reverse("rounds:agreement_pdf", args=[agreement.pairing_id]))
    assert response.status_code == 200
    served = b"".join(response.streaming_content) if response.streaming else response.content
    done = Agreement.objects.get(pk=agreement.pk)
    assert served.startswith(b"%PDF") and hashlib.sha256(served).hexdigest() == done.signed_sha256
    with done.pdf.open("rb") as unsigned, done.signed_pdf.open("rb") as signed:
        assert hashlib.sha256(unsigned.read()).hexdigest() == done.sha256
        assert hashlib.sha256(signed.read()).hexdigest() == done.signed_sha256
    again = agreement_documents(actor=demo.city_admin, agreement=Agreement.objects.get(pk=agreement.pk))
    assert (again.pdf.name, again.signed_sha256) == (done.pdf.name, done.signed_sha256)


# --- the exports carry the same figures -----------------------------------------------------


def test_dashboard_and_compliance_exports_carry_the_page_figures(demo: Demo) -> None:
    client = client_for(demo.county_admin)
    board, _ = _dashboard(demo, demo.county_admin)
    response = client.get(reverse("dashboard:export") + f"?round={demo.round.pk}&year={demo.year}")
    table = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert len(table) == len(board.rows) + 2
    for row, figures in zip(table[1:], [*board.rows, board.total], strict=True):
        assert row[1:3] == (figures.villages, figures.covered) and row[5] == figures.signed
        assert_money(row[10], figures.paid, str(row[0]))
    overview = client.get(reverse("compliance:index") + f"?year={demo.year}").context
    export = client.get(reverse("compliance:overview_export") + f"?year={demo.year}")
    rows = list(load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows(values_only=True))[1:]
    labels = {str(label): code for code, label in ComplianceStatus.choices}
    assert len(rows) == overview["page"].paginator.count
    assert Counter(labels[r[3]] for r in rows) == Counter({k: v for k, v in overview["counts"].items() if v})
