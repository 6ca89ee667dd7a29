"""The compliance overview's workbook: the pairs the page lists (scope, year, filters), all
pages, audited; nothing for a sibling county or an outsider; login required."""

from __future__ import annotations

import datetime
import io
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from openpyxl import load_workbook

from gongjian.audit.models import AuditEntry
from tests.compliance.helpers import run, shanghai_records

URL = "/compliance/export.xlsx"


@pytest.fixture
def evaluated(world_factory: Any) -> Any:
    w = world_factory("shanghai")
    shanghai_records(w)
    run(w, datetime.date(2027, 1, 31))
    return w


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows_of(content: bytes) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))


def test_the_overview_as_xlsx_is_what_the_page_lists(evaluated: Any) -> None:
    w = evaluated
    client = client_for(w.cast.committee_admin)
    page = client.get("/compliance/?year=2026")
    response = client.get(f"{URL}?year=2026")
    assert response.status_code == 200
    assert quote("合规状态") in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    header, *body = rows_of(response.content)
    assert header[:4] == ("结对单位", "村", "区县", "状态")
    listed = [(s.unit.name, s.village.name) for s in page.context["page"]]
    assert [(r[0], r[1]) for r in body] == listed and len(body) == 3
    entry = AuditEntry.objects.filter(action="compliance.overview_export").latest("pk")
    assert entry.actor_username == "county" and entry.after["pairs"] == 3
    # The page's filters apply to the workbook too.
    missed = client.get("/compliance/?year=2026&status=missed").context["page"].paginator.count
    assert len(rows_of(client.get(f"{URL}?year=2026&status=missed").content)) - 1 == missed


def test_the_overview_export_is_scoped(evaluated: Any) -> None:
    w = evaluated
    assert len(rows_of(client_for(w.cast.sibling_admin).get(f"{URL}?year=2026").content)) == 1  # headers only
    assert len(rows_of(client_for(w.cast.outsider).get(f"{URL}?year=2026").content)) == 1
    unit_rows = rows_of(client_for(w.cast.unit_user).get(f"{URL}?year=2026").content)
    assert {r[0] for r in unit_rows[1:]} == {w.unit1.name}
    assert Client().get(URL).status_code == 302
