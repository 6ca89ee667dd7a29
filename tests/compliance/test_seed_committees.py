"""Issue 16 point 13 — seed 004 doc 1 (十): "各区县党委、市委各工作党委要切实加强对结对帮扶工作的
领导和指导……并将结对帮扶活动情况纳入年度基层党建责任制考核内容".

The ones assessed are the district / county committees and the work committees: the
assessment page and its workbook rank them, not only units and pairs. By hand (Shanghai
profile, 2026 final): 商南县委's pairs score 101, 85 and 60 (see test_profiles_year) → mean
82.00, one pair fully met; 丹凤县委's one pair did nothing → 100 − 10 − 10 − 20 = 60 →
mean 60.00. 商南县委 ranks 1st, 丹凤县委 2nd.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

from django.test import Client
from openpyxl import load_workbook

from gongjian.rounds.models import DirectoryEntry, Pairing, PairingOrigin, PairingStatus
from tests.compliance.helpers import run, shanghai_records

D = datetime.date


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _world(world_factory: Any) -> Any:
    w = world_factory("shanghai")
    shanghai_records(w)
    Pairing.objects.create(
        round=w.round, entry=DirectoryEntry.objects.get(round=w.round, village=w.cast.sibling_village),
        unit=w.cast.sibling_unit, village=w.cast.sibling_village, origin=PairingOrigin.ALLOCATION,
        status=PairingStatus.SIGNED,
    )  # fmt: skip
    run(w, D(2027, 1, 31))
    return w


def test_the_workbook_ranks_the_committees(world_factory: Any) -> None:
    w = _world(world_factory)
    response = _client(w.cast.city_admin).get("/compliance/assessment/export.xlsx?year=2026")
    book = load_workbook(io.BytesIO(response.content))
    sheets = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
    title = next(t for t in sheets if "党委" in t and "排名" in t)
    rows = sheets[title][1:]
    assert [(r[0], r[1], r[2]) for r in rows] == [(1, "商南县委", 3), (2, "丹凤县委", 1)]
    assert [Decimal(str(r[4])) for r in rows] == [Decimal("82.00"), Decimal("60.00")]


def test_the_page_ranks_the_committees_within_the_scope(world_factory: Any) -> None:
    w = _world(world_factory)
    page = _client(w.cast.city_admin).get("/compliance/assessment/?year=2026").content.decode()
    assert "区县党委、工作党委考核排名" in page
    assert page.index("商南县委") < page.index("丹凤县委")
    # A county admin sees its own committee's line (with its rank among the city's), not the other's.
    county = _client(w.cast.committee_admin).get("/compliance/assessment/?year=2026").content.decode()
    assert "区县党委、工作党委考核排名" in county and "丹凤县委" not in county
    # Units see no committee ranking.
    unit = _client(w.cast.unit_user).get("/compliance/assessment/?year=2026").content.decode()
    assert "区县党委、工作党委考核排名" not in unit
