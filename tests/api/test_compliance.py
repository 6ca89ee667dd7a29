"""Compliance over the API, with the standing cast: the scope's admin and the pair's own
unit see the pairs, an outsider (and the sibling county) sees none and gets 404 for a
pair; a bad year is a 422 with a Chinese detail; evaluation is an administrator's job."""

from __future__ import annotations

import datetime

import pytest

from gongjian.jobs.models import Job
from tests.api.helpers import is_chinese, post, session
from tests.compliance.conftest import World, make_world
from tests.compliance.helpers import run, shanghai_records
from tests.conftest import Cast

YEAR = "?year=2026"


@pytest.fixture
def world(cast: Cast) -> World:
    w = make_world(cast, "shanghai")
    shanghai_records(w)
    run(w, datetime.date(2027, 1, 31))
    return w


def test_statuses_and_detail_are_scoped(world: World) -> None:
    cast = world.cast
    admin = session(cast.committee_admin)
    rows = admin.get(f"/api/compliance/statuses/{YEAR}").json()
    assert {r["village"] for r in rows["items"]} == {"花家村党支部", "王家沟村党支部", "石门村党支部"}
    unit_rows = session(cast.unit_user).get(f"/api/compliance/statuses/{YEAR}").json()
    assert {r["pairing_id"] for r in unit_rows["items"]} == {world.a.pk, world.b.pk}
    counts = admin.get(f"/api/compliance/statuses/counts{YEAR}").json()
    assert sum(counts.values()) == 3
    missed = admin.get(f"/api/compliance/statuses/{YEAR}&status=missed").json()
    assert all(r["status"] == "missed" for r in missed["items"])
    detail = session(cast.village_user).get(f"/api/compliance/pairings/{world.a.pk}{YEAR}").json()
    assert detail["status"]["pairing_id"] == world.a.pk and detail["obligations"]
    assert all(o["reason"] for o in detail["obligations"])
    assert admin.get(f"/api/compliance/pairings/{world.a.pk}/history").json()[0]["year"] == 2026
    obligations = admin.get(f"/api/compliance/obligations/{YEAR}").json()
    assert obligations and all(is_chinese(o["label"]) for o in obligations)
    assert admin.get("/api/compliance/years").json() == [2026]
    for who in ("outsider", "sibling_admin"):
        client = session(getattr(cast, who))
        assert client.get(f"/api/compliance/statuses/{YEAR}").json()["count"] == 0
        assert client.get(f"/api/compliance/pairings/{world.a.pk}{YEAR}").status_code == 404
        assert client.get(f"/api/compliance/pairings/{world.a.pk}/history").status_code == 404
        assert client.get("/api/compliance/years").json() == []
    # The unit of pair C sees nothing of pair A.
    assert session(world.unit2_user).get(f"/api/compliance/pairings/{world.a.pk}{YEAR}").status_code == 404


def test_assessment(world: World) -> None:
    cast = world.cast
    admin = session(cast.committee_admin)
    pairs = admin.get(f"/api/compliance/assessment/pairs/{YEAR}").json()
    assert pairs["count"] == 3 and all(r["rank"] for r in pairs["items"])
    units = admin.get(f"/api/compliance/assessment/units/{YEAR}").json()
    assert {u["unit"] for u in units["items"]} == {"商南县农业农村局机关党委", "商南县卫生健康局机关党委"}
    committees = session(cast.city_admin).get(f"/api/compliance/assessment/committees/{YEAR}").json()
    assert [c["committee"] for c in committees] == ["商南县委"] and committees[0]["pairs"] == 3
    assert session(cast.unit_user).get(f"/api/compliance/assessment/committees/{YEAR}").json() == []
    assert admin.get(f"/api/compliance/assessment/to-adjust/{YEAR}").status_code == 200
    for who in ("outsider", "sibling_admin"):
        client = session(getattr(cast, who))
        assert client.get(f"/api/compliance/assessment/pairs/{YEAR}").json()["count"] == 0
        assert client.get(f"/api/compliance/assessment/units/{YEAR}").json()["count"] == 0
        assert client.get(f"/api/compliance/assessment/committees/{YEAR}").json() == []


def test_bad_year_is_422_in_chinese(world: World) -> None:
    response = session(world.cast.committee_admin).get("/api/compliance/statuses/?year=1066")
    assert response.status_code == 422 and response.json()["detail"] == "请求数据校验未通过：year"


def test_evaluate_is_an_administrators_job(world: World) -> None:
    cast = world.cast
    response = post(session(cast.committee_admin), "/api/compliance/evaluate")
    assert response.status_code == 202, response.content
    job = Job.objects.get(pk=response.json()["id"])
    assert job.starter_id == cast.committee_admin.pk and job.params["scope_id"] == cast.county.pk
    refused = post(session(cast.unit_user), "/api/compliance/evaluate")
    assert refused.status_code == 403 and is_chinese(refused.json()["detail"])
    assert Job.objects.count() == 1
