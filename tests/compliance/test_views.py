"""Compliance pages: scoped lists, detail, assessment, export (audited), re-evaluation."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from gongjian.audit.models import AuditEntry
from tests.compliance.helpers import run, shanghai_records

D = datetime.date


@pytest.fixture
def evaluated(world_factory: Any) -> Any:
    """The Shanghai world of test_profiles_year, evaluated for 2026 after its deadlines."""
    w = world_factory("shanghai")
    shanghai_records(w)
    run(w, D(2027, 1, 31))
    return w


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_overview_lists_the_pairs_of_the_scope_with_reasons(evaluated: Any) -> None:
    w = evaluated
    page = client_for(w.cast.committee_admin).get("/compliance/?year=2026").content.decode()
    for name in ("花家村党支部", "王家沟村党支部", "石门村党支部"):
        assert name in page
    assert "分管领导走访（每年）1/2 次，截止 2026年12月31日" in page
    missed = client_for(w.cast.committee_admin).get("/compliance/?year=2026&status=missed").content.decode()
    assert "王家沟村党支部" in missed and "石门村党支部" in missed and "花家村党支部" not in missed
    funds = client_for(w.cast.committee_admin).get("/compliance/?year=2026&obligation=funds_weak").content.decode()
    assert "石门村党支部" in funds and "王家沟村党支部" not in funds


def test_units_and_villages_see_their_own_pairs_outsiders_nothing(evaluated: Any) -> None:
    w = evaluated
    unit_page = client_for(w.cast.unit_user).get("/compliance/?year=2026").content.decode()
    assert "花家村党支部" in unit_page and "王家沟村党支部" in unit_page and "石门村党支部" not in unit_page
    village_page = client_for(w.cast.village_user).get("/compliance/?year=2026").content.decode()
    assert "花家村党支部" in village_page and "王家沟村党支部" not in village_page
    for user in (w.cast.outsider, w.cast.sibling_admin):
        page = client_for(user).get("/compliance/?year=2026").content.decode()
        assert "花家村党支部" not in page and "石门村党支部" not in page
        assert client_for(user).get(f"/compliance/pairs/{w.a.pk}/?year=2026").status_code == 404
        assessment = client_for(user).get("/compliance/assessment/?year=2026").content.decode()
        assert "商南县农业农村局机关党委" not in assessment
    assert client_for(w.cast.village_user).get(f"/compliance/pairs/{w.c.pk}/?year=2026").status_code == 404
    assert client_for(w.cast.auditor).get("/compliance/").status_code == 404


def test_pair_detail_shows_each_obligation_and_score_without_money(evaluated: Any) -> None:
    w = evaluated
    page = client_for(w.cast.unit_user).get(f"/compliance/pairs/{w.b.pk}/?year=2026").content.decode()
    assert '<span class="num">85</span>' in page and "奖惩金额" not in page
    assert "可检查评估的具体项目" in page and "党委主要领导走访" in page and "具体负责部门走访" in page
    c_page = client_for(w.cast.committee_admin).get(f"/compliance/pairs/{w.c.pk}/?year=2026").content.decode()
    assert "年度得分 60 低于 80 分" in c_page


def test_assessment_ranks_units_and_lists_pairs_to_adjust(evaluated: Any) -> None:
    w = evaluated
    page = client_for(w.cast.committee_admin).get("/compliance/assessment/?year=2026").content.decode()
    assert page.index("商南县农业农村局机关党委") < page.index("商南县卫生健康局机关党委")  # 93 before 60
    assert "93" in page and "需调整的结对（1 对）" in page and "石门村党支部" in page


def test_export_is_scoped_and_audited(evaluated: Any) -> None:
    w = evaluated
    response = client_for(w.cast.committee_admin).get("/compliance/assessment/export.xlsx?year=2026")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    units, pairs, adjust, committees = (list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets)
    assert committees[1][:3] == (1, "商南县委", 3)
    assert units[1][:5] == ("商南县委", 1, "商南县农业农村局机关党委", 2, 93)
    assert units[2][:5] == ("商南县委", 2, "商南县卫生健康局机关党委", 1, 60)
    assert len(pairs) == 4 and [row[1] for row in pairs[1:]] == [1, 2, 3]
    assert adjust[1][:2] == ("商南县卫生健康局机关党委", "石门村党支部")
    entry = AuditEntry.objects.filter(action="compliance.export").latest("pk")
    assert entry.actor_username == "county"
    assert entry.after == {"format": "xlsx", "year": 2026, "units": 2, "pairs": 3, "to_adjust": 1, "committees": 1}

    # The sibling county's admin exports nothing of this county; units cannot export.
    sibling = client_for(w.cast.sibling_admin).get("/compliance/assessment/export.xlsx?year=2026")
    rows = [list(s.iter_rows(values_only=True)) for s in load_workbook(io.BytesIO(sibling.content)).worksheets]
    assert [len(r) for r in rows] == [1, 1, 1, 1]  # headers only
    assert client_for(w.cast.unit_user).get("/compliance/assessment/export.xlsx").status_code == 404
    assert client_for(w.cast.outsider).get("/compliance/assessment/export.xlsx?year=2026").status_code == 200


def test_admin_re_evaluates_from_the_page(evaluated: Any) -> None:
    w = evaluated
    before = AuditEntry.objects.filter(action="compliance.evaluate").count()
    response = client_for(w.cast.committee_admin).post("/compliance/evaluate/")
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="compliance.evaluate", success=True).count() == before + 1
    assert client_for(w.cast.unit_user).post("/compliance/evaluate/").status_code == 403
    assert client_for(w.cast.auditor).post("/compliance/evaluate/").status_code == 404
