"""The dashboard's workbook: the figures of the page (same round, year, area), audited; 404
wherever the page is 404 (outsider, beside or above the user's node); login required."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongjian.audit.models import AuditEntry
from gongjian.portal import selectors_dashboard
from tests.conftest import Cast
from tests.portal.test_dashboard_selectors import AS_OF, YEAR, DashWorld, make_dash_world
from tests.portal.test_dashboard_views import client_for


@pytest.fixture
def dash(cast: Cast, monkeypatch: pytest.MonkeyPatch, dashboard_policy: str) -> DashWorld:
    monkeypatch.setattr(selectors_dashboard, "today", lambda: AS_OF)
    return make_dash_world(cast, dashboard_policy)


def export_url(w: DashWorld, **params: object) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"round": w.world.round.pk, "year": YEAR, **params}.items())
    return f"{reverse('dashboard:export')}?{query}"


def sheets(content: bytes) -> list[list[tuple[Any, ...]]]:
    return [list(s.iter_rows(values_only=True)) for s in load_workbook(io.BytesIO(content)).worksheets]


def test_export_holds_the_pages_rows_and_total(dash: DashWorld) -> None:
    client = client_for("city")
    board = client.get(export_url(dash).replace(reverse("dashboard:export"), reverse("dashboard:index"))).context[
        "board"
    ]
    response = client.get(export_url(dash))
    assert response.status_code == 200
    assert quote("共建看板") in response["Content-Disposition"]
    table, heat = sheets(response.content)
    assert [r[0] for r in table[1:]] == [r.name for r in board.rows] + ["合计"]
    total = table[-1]
    t = board.total
    assert total[1:7] == (t.villages, t.covered, t.coverage_pct, t.pairings, t.signed, t.signed_pct)
    assert (total[7], total[8], total[10]) == (float(t.visits_done), float(t.visits_due), float(t.paid))
    assert t.paid > 0 and t.signed > 0
    assert len(heat) == len(board.rows) + 2 and heat[-1][1:13] == tuple(c.met_pct if c.due else None for c in t.months)
    entry = AuditEntry.objects.filter(action="dashboard.export").latest("pk")
    assert entry.actor_username == "city" and entry.after["rows"] == len(board.rows)


def test_town_export_lists_the_pairs(dash: DashWorld) -> None:
    response = client_for("county").get(export_url(dash, area=dash.cast.town.pk))
    table, _heat = sheets(response.content)
    assert table[0][:3] == ("村", "结对单位", "结对状态")
    assert "花家村党支部" in {r[0] for r in table[1:]} and table[-1][0] == "合计"


def test_export_is_404_where_the_page_is(dash: DashWorld) -> None:
    assert client_for("outsider").get(export_url(dash)).status_code == 404
    assert client_for("outsider").get(reverse("dashboard:export")).status_code == 404
    sibling = client_for("sibling")
    for area in (dash.cast.county, dash.cast.town, dash.cast.city):
        assert sibling.get(export_url(dash, area=area.pk)).status_code == 404
    assert Client().get(export_url(dash)).status_code == 302


def test_export_in_english(dash: DashWorld) -> None:
    response = client_for("city").get(export_url(dash), HTTP_ACCEPT_LANGUAGE="en")
    assert "dashboard-" in response["Content-Disposition"]
    table, heat = sheets(response.content)
    assert "Directory villages" in table[0] and heat[0][1] == "Countersigned in month 1 (%)"
