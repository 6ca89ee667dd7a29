"""Village secretaries' dual-hundred pay and the public's evaluation over the API, with the
standing cast: the county's admin records a secretary's year and departure under 绥芬河's
profile, the pair's village enters the public's answers; an outsider gets 404; a refusal is
a 409/422 with a Chinese detail."""

from __future__ import annotations

import datetime
from typing import Any

from gongjian.compliance.models import SecretaryYearPay
from gongjian.compliance.models_evaluation import EvaluationResponse
from gongjian.rounds.models import Pairing, Round
from tests.api.helpers import assert_refused, bearer, post, session
from tests.compliance.conftest import world_factory  # noqa: F401

TODAY = datetime.date.today()
ANSWERS = {"help": "satisfied", "style": "satisfied", "results": "basic"}


def test_secretaries_pay_and_departure(world_factory: Any) -> None:  # noqa: F811
    cast = world_factory("suifenhe").cast
    body = {"village_id": cast.village.pk, "year": TODAY.year - 1, "secretary": "李书记", "score": "106",
            "base_yuan": "22000", "village_income": "45000", "insurance_premiums": "4300"}  # fmt: skip
    for stranger in (cast.outsider, cast.sibling_admin, cast.unit_user):
        assert post(session(stranger), "/api/compliance/secretaries/pays/", body).status_code == 404
        assert session(stranger).get("/api/compliance/secretaries/pays/").json()["count"] == 0
    client, _secret = bearer(cast.committee_admin)
    created = post(client, "/api/compliance/secretaries/pays/", body)
    assert created.status_code == 201, created.content
    assert created.json()["total_yuan"] == "26800.00" and created.json()["profile_key"] == "suifenhe"
    assert SecretaryYearPay.objects.get().performance_yuan == 300
    assert session(cast.city_admin).get("/api/compliance/secretaries/pays/").json()["count"] == 1

    leave = {"village_id": cast.village.pk, "secretary": "赵书记", "left_on": TODAY.isoformat(),
             "consecutive_years": 5, "total_years": 12, "current_base_yuan": "22000"}  # fmt: skip
    assert post(session(cast.outsider), "/api/compliance/secretaries/departures/", leave).status_code == 404
    # Too short for the periodic subsidy: the one-time grant must be given (the field is named).
    short = assert_refused(post(client, "/api/compliance/secretaries/departures/", leave), (422,))
    assert short["field"] == "one_time_yuan"
    granted = post(client, "/api/compliance/secretaries/departures/", {**leave, "one_time_yuan": "8000"})
    assert granted.status_code == 201 and granted.json()["kind"] == "one_time"
    assert client.get("/api/compliance/secretaries/departures/").json()["items"][0]["secretary"] == "赵书记"


def test_secretaries_refused_where_the_profile_has_no_rule(world_factory: Any) -> None:  # noqa: F811
    cast = world_factory("shangnan").cast
    body = {"village_id": cast.village.pk, "year": TODAY.year - 1, "secretary": "李书记", "score": "100",
            "base_yuan": "22000"}  # fmt: skip
    refused = assert_refused(post(session(cast.committee_admin), "/api/compliance/secretaries/pays/", body), (422,))
    assert refused["code"] == "no_rule"


def test_public_evaluation(cast: Any, signed: Pairing) -> None:
    url = f"/api/compliance/pairings/{signed.pk}/evaluation"
    body = {"year": TODAY.year, "respondent": "villager", "answers": ANSWERS, "comment": "希望多来村里"}
    assert session(cast.outsider).get(url).status_code == 404
    assert post(session(cast.outsider), f"{url}/responses", body).status_code == 404
    assert post(session(cast.unit_user), f"{url}/responses", body).status_code == 403
    client, _secret = bearer(cast.village_user)
    assert client.get(url).json()["collecting"] is True
    entered = post(client, f"{url}/responses", body)
    assert entered.status_code == 201, entered.content
    assert entered.json()["answers"] == ANSWERS
    seen = session(cast.unit_user).get(f"{url}?year={TODAY.year}").json()
    assert seen["respondents"] == 1 and not seen["collecting"] and seen["configured"]
    assert {q["id"]: q["counts"] for q in seen["questions"]}["results"] == {"basic": 1}
    partial = post(client, f"{url}/responses", {**body, "answers": {"help": "satisfied"}})
    assert partial.status_code == 400
    Round.objects.filter(pk=signed.round_id).update(policy_key="shanghai")  # no 群众评议 in its seed
    assert assert_refused(post(client, f"{url}/responses", body), (409,))["code"] == "no_evaluation"
    assert EvaluationResponse.objects.count() == 1
