"""Dashboard pages: 200 for the people in scope with the figures and drill-down links,
404 for the outsider and beside or above the user's node; login required."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gongjian.accounts.models import User
from gongjian.portal import selectors_dashboard
from tests.conftest import Cast
from tests.portal.test_dashboard_selectors import AS_OF, YEAR, DashWorld, make_dash_world


@pytest.fixture
def dash(cast: Cast, monkeypatch: pytest.MonkeyPatch, dashboard_policy: str) -> DashWorld:
    monkeypatch.setattr(selectors_dashboard, "today", lambda: AS_OF)
    return make_dash_world(cast, dashboard_policy)


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def url(w: DashWorld, **params: object) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"round": w.world.round.pk, "year": YEAR, **params}.items())
    return f"{reverse('dashboard:index')}?{query}"


def test_login_required(dash: DashWorld) -> None:
    response = Client().get(reverse("dashboard:index"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_city_admin_page_has_charts_tables_and_drill_links(dash: DashWorld) -> None:
    response = client_for("city").get(url(dash))
    assert response.status_code == 200
    html = response.content.decode()
    assert "vendor/echarts/echarts.min.js" in html and 'id="dashboard-data"' in html
    assert 'id="chart-heat"' in html and 'id="heat-table"' in html
    assert f"area={dash.cast.county.pk}" in html and "商南县委" in html and "丹凤县委" in html
    board = response.context["board"]
    assert (board.total.visits_done, board.total.visits_due) == (4, 16)


def test_default_round_and_year(dash: DashWorld) -> None:
    response = client_for("city").get(reverse("dashboard:index"))
    assert response.status_code == 200
    assert response.context["round"] == dash.world.round and response.context["year"] == YEAR


def test_town_page_lists_pairs_linking_to_the_pair_page(dash: DashWorld) -> None:
    response = client_for("county").get(url(dash, area=dash.cast.town.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("dashboard:pair", args=[dash.world.a.pk]) in html and "花家村党支部" in html


def test_pair_page_links_to_archive_and_compliance(dash: DashWorld) -> None:
    a = dash.world.a
    response = client_for("county").get(reverse("dashboard:pair", args=[a.pk]) + f"?year={YEAR}")
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("records:archive", args=[a.pk]) in html
    assert reverse("compliance:pair_detail", args=[a.pk]) in html
    page = response.context["page"]
    assert page.visits == 2 and [m.visits for m in page.months[:3]] == [0, 1, 1]
    assert page.months[0].card_status == "countersigned" and page.pledged == 20000
    assert page.area_id == dash.cast.town.pk


def test_outsider_sees_nothing(dash: DashWorld) -> None:
    client = client_for("outsider")
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200 and response.context["board"] is None
    assert "花家村" not in response.content.decode()
    assert client.get(url(dash)).status_code == 404
    assert client.get(reverse("dashboard:pair", args=[dash.world.a.pk])).status_code == 404


def test_sibling_county_admin_gets_404_beside_and_above(dash: DashWorld) -> None:
    client = client_for("sibling")
    response = client.get(url(dash))
    assert response.status_code == 200
    assert "清泉村" not in response.content.decode()  # not a leaf: its town is a row
    assert "商南县委" not in response.content.decode()
    for area in (dash.cast.county, dash.cast.town, dash.cast.city):
        assert client.get(url(dash, area=area.pk)).status_code == 404
    assert client.get(url(dash, area="x")).status_code == 404
    assert client.get(reverse("dashboard:pair", args=[dash.world.a.pk])).status_code == 404
    assert client.get(reverse("dashboard:pair", args=[dash.d.pk])).status_code == 200


def test_unit_user_cannot_open_another_units_pair(dash: DashWorld) -> None:
    client = client_for("unit")
    response = client.get(url(dash))
    assert response.status_code == 200
    assert {r.key for r in response.context["board"].rows} == {dash.world.a.pk, dash.world.b.pk}
    assert client.get(reverse("dashboard:pair", args=[dash.world.c.pk])).status_code == 404


def test_portal_index_links_to_public_funds(dash: DashWorld) -> None:
    response = Client().get(reverse("portal:index"))
    assert response.status_code == 200
    assert reverse("portal_funds:index") in response.content.decode()
