"""Dispatch over the API, with the standing cast: the pool's steps, needs profiles, a run's
confirmation, logs and the term's assessment; outsiders get 404; refusals are 409 (422 when
one field is at fault, naming it) with a Chinese detail and a code."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from gongjian.dispatch.models import Appointment, WorkLog
from gongjian.dispatch.services_match import match_run
from gongjian.dispatch.services_term import appointment_create
from tests.api.helpers import assert_refused, bearer, post, session
from tests.conftest import Cast
from tests.dispatch.conftest import (  # noqa: F401
    POLICY_KEY,
    MakeCandidate,
    id_number,
    make_candidate,
    needs,
    policy_dir,
    skills,
)


@pytest.fixture
def appointment(cast: Cast, make_candidate: MakeCandidate, policy_dir) -> Appointment:  # type: ignore[no-untyped-def]  # noqa: F811
    """A first secretary of 花家村 whose two-year term started 26 months ago (now over)."""
    start = (timezone.localdate().replace(day=1) - datetime.timedelta(days=26 * 30)).replace(day=1)
    return appointment_create(
        actor=cast.committee_admin,
        candidate=make_candidate(),
        village=cast.village,
        role="first_secretary",
        term_start=start,
        policy_key=POLICY_KEY,
    )


def test_pool_recommend_and_vet(cast: Cast, make_candidate: MakeCandidate) -> None:  # noqa: F811
    candidate = make_candidate(stage="applied")
    url = f"/api/dispatch/candidates/{candidate.pk}"
    assert session(cast.unit_user).get(url).json()["name"] == "赵志远"
    assert "id_number" not in session(cast.unit_user).get(url).json()
    for stranger in (cast.outsider, cast.sibling_admin):
        assert session(stranger).get(url).status_code == 404
        assert post(session(stranger), f"{url}/recommend", {}).status_code == 404
        assert session(stranger).get("/api/dispatch/candidates/").json()["count"] == 0
    assert_refused(post(session(cast.committee_admin), f"{url}/vet", {"approve": True}), (409,))
    recommended = post(session(cast.unit_user), f"{url}/recommend", {"comment": "同意推荐"})
    assert recommended.json()["status"] == "recommended"
    assert_refused(post(session(cast.unit_user), f"{url}/recommend", {}), (409,))
    reasonless = assert_refused(post(session(cast.committee_admin), f"{url}/vet", {"approve": False}), (422,))
    assert reasonless["field"] == "comment" and reasonless["code"] == "reason_required"
    pooled = post(session(cast.committee_admin), f"{url}/vet", {"approve": True, "comment": "考察合格"})
    assert pooled.json()["status"] == "pooled"
    assert session(cast.committee_admin).get("/api/dispatch/candidates/counts").json()["pooled"] == 1


def test_needs_profile(cast: Cast, skills) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    url = f"/api/dispatch/villages/{cast.village.pk}/needs"
    body = {"population": 900, "industries": "茶叶", "skills": ["agriculture"], "cadres_needed": 1}
    for stranger in (cast.outsider, cast.sibling_admin):
        assert session(stranger).put(url, body, content_type="application/json").status_code == 404
    saved = session(cast.village_user).put(url, body, content_type="application/json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["needs"]["skills"] == ["agriculture"]
    unknown = session(cast.village_user).put(url, {**body, "skills": ["flying"]}, content_type="application/json")
    assert unknown.status_code == 400 and "flying" in unknown.json()["errors"]["skills"][0]
    needing = session(cast.committee_admin).get("/api/dispatch/villages/?only_needing=true").json()
    assert [v["id"] for v in needing["items"]] == [cast.village.pk]
    assert session(cast.outsider).get(f"/api/dispatch/villages/{cast.village.pk}").status_code == 404


def test_run_confirmed_once(cast: Cast, skills, make_candidate: MakeCandidate, policy_dir) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    make_candidate()
    needs(cast, cast.village, skills, ("agriculture",))
    run = match_run(actor=cast.committee_admin, policy_key=POLICY_KEY)
    url = f"/api/dispatch/runs/{run.pk}"
    assert session(cast.committee_admin).get(url).json()["matched"] == 1
    body = {"role": "first_secretary", "term_start": timezone.localdate().isoformat()}
    assert post(session(cast.outsider), f"{url}/confirm", body).status_code == 404
    assert post(session(cast.unit_user), f"{url}/confirm", body).status_code == 403
    assert post(session(cast.committee_admin), f"{url}/confirm", {**body, "role": "mayor"}).status_code == 422
    done = post(session(cast.committee_admin), f"{url}/confirm", body)
    assert done.json() == {"appointed": 1, "skipped": 0}
    assert_refused(post(session(cast.committee_admin), f"{url}/confirm", body), (409,))
    listed = session(cast.village_user).get("/api/dispatch/appointments/").json()
    assert [a["village"] for a in listed["items"]] == ["花家村党支部"]


def test_logs_and_assessment(cast: Cast, appointment: Appointment) -> None:
    url = f"/api/dispatch/appointments/{appointment.pk}"
    month = appointment.term_start.isoformat()
    for stranger in (cast.outsider, cast.sibling_admin):
        assert session(stranger).get(url).status_code == 404
        assert post(session(stranger), f"{url}/logs/", {"month": month, "content": "走访"}).status_code == 404
    client, _secret = bearer(cast.unit_user)
    logged = post(client, f"{url}/logs/", {"month": month, "content": "入户走访 30 户"})
    assert logged.status_code == 201 and WorkLog.objects.count() == 1
    twice = assert_refused(post(client, f"{url}/logs/", {"month": month, "content": "again"}), (422,))
    assert twice["field"] == "month" and twice["code"] == "month_logged"
    assert session(cast.committee_admin).get(f"{url}/logs/").json()["count"] == 1
    body = {"grade": "excellent", "comment": "带富能力强"}
    assert post(session(cast.unit_user), f"{url}/assessment", body).status_code == 403
    assert post(session(cast.committee_admin), f"{url}/assessment", body).status_code == 201
    assert_refused(post(session(cast.committee_admin), f"{url}/assessment", body), (409,))
    assert session(cast.committee_admin).get(url).json()["status"] == "ended"


def test_apply_for_the_pool(cast: Cast, skills) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    body = {
        "unit_id": cast.unit.pk,
        "name": "钱学森",
        "gender": "M",
        "birth_date": "1985-03-01",
        "id_number": id_number(),
        "phone": "13800002222",
        "education": "bachelor",
        "political_status": "member",
        "skills": ["agriculture"],
        "county_ids": [cast.county.pk],
        "village_codes": [cast.village.code],
    }
    # The sibling county's admin cannot apply for the unit (outside their scope): 404.
    assert post(session(cast.sibling_admin), "/api/dispatch/candidates/", body).status_code == 404
    assert post(session(cast.outsider), "/api/dispatch/candidates/", body).status_code == 404
    unknown = post(session(cast.unit_user), "/api/dispatch/candidates/", {**body, "village_codes": ["NOPE"]})
    assert unknown.status_code == 400 and "NOPE" in unknown.json()["errors"]["village_codes"][0]
    created = post(session(cast.unit_user), "/api/dispatch/candidates/", body)
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "applied" and created.json()["skills"] == ["agriculture"]
    assert "id_number" not in created.json() and "phone" not in created.json()
    twice = assert_refused(post(session(cast.unit_user), "/api/dispatch/candidates/", body), (422,))
    assert twice["field"] == "id_number" and twice["code"] == "id_number_taken"
