"""The rounds API: the pairing workflow over REST, scoped, every error a 4xx with a reason."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.utils.crypto import get_random_string

from gongjian.rounds.models import DirectoryEntry, Intent, IntentStatus, Pairing, Round
from tests.conftest import Cast, make_user
from tests.portal.test_board import county_round
from tests.rounds.conftest import make_round


def api_client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, data: Any = None) -> Any:
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


def assert_error(response: Any, *statuses: int) -> dict[str, Any]:
    assert response.status_code in statuses, (response.status_code, response.content)
    body = response.json()
    assert body.get("detail"), body
    return body


def test_rounds_list_and_detail(cast: Cast) -> None:
    round_ = make_round(cast)
    listed = api_client(cast.committee_admin).get("/api/rounds/").json()
    assert [r["id"] for r in listed] == [round_.pk] and listed[0]["scope_name"] == "商洛市委"
    assert listed[0]["status"] == "open" and listed[0]["status_label"] == "选择中"
    assert api_client(cast.city_admin).get(f"/api/rounds/{round_.pk}").json()["can_administer"] is True
    assert api_client(cast.committee_admin).get(f"/api/rounds/{round_.pk}").json()["can_administer"] is False
    assert api_client(cast.outsider).get("/api/rounds/").json() == []
    assert api_client(cast.auditor).get("/api/rounds/").json() == []


def test_directory_is_paginated_and_filtered(cast: Cast) -> None:
    round_ = make_round(cast)
    client = api_client(cast.unit_user)
    url = f"/api/rounds/{round_.pk}/directory"
    data = client.get(url).json()
    assert data["count"] == 3
    hua = next(e for e in data["items"] if e["village"] == "花家村党支部")
    assert hua["tags"] == ["weak"] and hua["needs"] == ["funds", "technology"]
    assert (hua["county"], hua["town"], hua["stage"], hua["places_left"]) == ("商南县", "富水镇", "none", 1)
    assert client.get(url, {"county": "商南县"}).json()["count"] == 2
    assert [e["village"] for e in client.get(url, {"q": "hjc"}).json()["items"]] == ["花家村党支部"]
    assert client.get(url, {"tag": "lax"}).json()["items"][0]["village"] == "王家沟村党支部"
    assert client.get(url, {"need": "technology"}).json()["count"] == 1
    assert client.get(url, {"stage": "signed"}).json()["count"] == 0
    assert client.get(url, {"town": "富水镇", "page": 1}).json()["count"] == 2


def test_intent_submit_list_withdraw(cast: Cast) -> None:
    round_ = make_round(cast)
    client = api_client(cast.unit_user)
    response = post(client, f"/api/rounds/{round_.pk}/intents", {"village_id": cast.village.pk, "rank": 1})
    assert response.status_code == 201, response.content
    intent = response.json()
    assert (intent["village"], intent["unit"], intent["rank"], intent["status"]) == (
        "花家村党支部",
        "商南县农业农村局机关党委",
        1,
        "active",
    )
    assert DirectoryEntry.objects.get(round=round_, village=cast.village).intent_count == 1
    mine = client.get(f"/api/rounds/{round_.pk}/intents").json()
    assert mine["count"] == 1 and [i["id"] for i in mine["items"]] == [intent["id"]]
    # The village sees the intent on it; the sibling county's admin does not.
    assert api_client(cast.village_user).get(f"/api/rounds/{round_.pk}/intents").json()["count"] == 1
    assert api_client(cast.sibling_admin).get(f"/api/rounds/{round_.pk}/intents").json() == {"items": [], "count": 0}
    withdrawn = post(client, f"/api/rounds/{round_.pk}/intents/{intent['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert client.get(f"/api/rounds/{round_.pk}/intents").json()["count"] == 0
    assert client.get(f"/api/rounds/{round_.pk}/intents", {"active": "false"}).json()["count"] == 1
    again = post(client, f"/api/rounds/{round_.pk}/intents", {"village_id": cast.village.pk})
    assert again.status_code == 201 and again.json()["rank"] == 1


def test_full_village_is_409_with_reason(cast: Cast) -> None:
    round_ = make_round(cast)
    hospital = make_user("hospital", "unit_user", cast.sibling_unit)
    assert (
        post(
            api_client(cast.unit_user), f"/api/rounds/{round_.pk}/intents", {"village_id": cast.village.pk}
        ).status_code
        == 201
    )
    response = post(api_client(hospital), f"/api/rounds/{round_.pk}/intents", {"village_id": cast.village.pk})
    body = assert_error(response, 409)
    assert body["code"] == "village_full" and "名额已满" in body["detail"]
    assert Intent.objects.filter(entry__village=cast.village, status=IntentStatus.ACTIVE).count() == 1


def test_passed_deadline_is_409_with_reason(cast: Cast) -> None:
    round_ = make_round(cast)
    Round.objects.filter(pk=round_.pk).update(intent_deadline=round_.intent_deadline - datetime.timedelta(days=60))
    response = post(api_client(cast.unit_user), f"/api/rounds/{round_.pk}/intents", {"village_id": cast.village.pk})
    body = assert_error(response, 409)
    assert body["code"] == "deadline" and "截止" in body["detail"]


def test_every_error_is_4xx_with_detail(cast: Cast) -> None:
    round_ = make_round(cast)
    unit = api_client(cast.unit_user)
    base = f"/api/rounds/{round_.pk}"
    assert post(unit, f"{base}/intents", {"village_id": cast.village.pk}).status_code == 201
    hospital_user = make_user("hospital", "unit_user", cast.sibling_unit)
    hospital_intent = post(api_client(hospital_user), f"{base}/intents", {"village_id": cast.sibling_village.pk}).json()
    cases: list[tuple[Any, set[int]]] = [
        (post(unit, f"{base}/intents", {"village_id": cast.village.pk}), {409}),  # already chose it
        (post(unit, f"{base}/intents", {"village_id": cast.other_city.pk}), {404}),  # not in the directory
        (post(unit, f"{base}/intents", {"village_id": "abc"}), {422}),
        (post(unit, f"{base}/intents", {"village_id": cast.village.pk, "rank": 0}), {422}),
        (unit.post(f"{base}/intents", data="not json", content_type="application/json"), {400, 422}),
        (post(unit, "/api/rounds/999999/intents", {"village_id": cast.village.pk}), {404}),
        (post(api_client(cast.city_admin), f"{base}/intents", {"village_id": cast.other_village.pk}), {403}),
        (post(unit, f"{base}/intents/{hospital_intent['id']}/withdraw"), {404}),  # another unit's intent
        (post(unit, f"{base}/intents/999999/withdraw"), {404}),
        (unit.get(f"{base}/runs"), {403}),
        (post(unit, f"{base}/runs"), {403}),
        (post(api_client(cast.committee_admin), f"{base}/runs"), {403}),
        (api_client(cast.city_admin).get(f"{base}/runs/999999"), {404}),
        (post(api_client(cast.city_admin), f"{base}/runs", {"pins": [{"unit_id": 1}]}), {422}),
        (post(unit, f"{base}/pairings/999999/confirm"), {404}),
        (unit.get("/api/rounds/999999"), {404}),
        (unit.get("/api/rounds/abc"), {404}),
        (unit.get(f"{base}/directory", {"page": -1}), {422}),
        (unit.get(f"{base}/board/villages"), {422}),  # county and town are required
        (unit.get(f"{base}/nowhere"), {404}),
        (Client().get("/api/rounds/"), {401}),
        (post(Client(), f"{base}/intents", {"village_id": cast.village.pk}), {401}),
    ]
    for response, expected in cases:
        assert_error(response, *expected)
    withdrawn = post(api_client(hospital_user), f"{base}/intents/{hospital_intent['id']}/withdraw")
    assert withdrawn.status_code == 200
    again = post(api_client(hospital_user), f"{base}/intents/{hospital_intent['id']}/withdraw")
    assert assert_error(again, 409)["detail"]
    # Pins that name nobody in the round: the engine's reason, not a crash.
    bad = post(api_client(cast.city_admin), f"{base}/runs", {"pins": [{"unit_id": 999999, "village_id": 999999}]})
    assert bad.status_code in {201, 409}, bad.content
    if bad.status_code == 409:
        assert bad.json()["code"] == "bad_input"


def test_csrf_is_checked_with_session_auth(cast: Cast) -> None:
    round_ = make_round(cast)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.unit_user)
    url = f"/api/rounds/{round_.pk}/intents"
    assert post(client, url, {"village_id": cast.village.pk}).status_code == 403
    token = get_random_string(32)
    client.cookies["csrftoken"] = token
    response = client.post(
        url, data=json.dumps({"village_id": cast.village.pk}), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201, response.content


def test_run_publish_pairings_confirm_and_board(cast: Cast) -> None:
    round_ = make_round(cast)
    base = f"/api/rounds/{round_.pk}"
    admin = api_client(cast.city_admin)
    post(api_client(cast.unit_user), f"{base}/intents", {"village_id": cast.other_village.pk})
    run = post(
        admin,
        f"{base}/runs",
        {
            "pins": [{"unit_id": cast.unit.pk, "village_id": cast.village.pk}],
            "forbids": [{"unit_id": cast.unit.pk, "village_id": cast.other_village.pk}],
        },
    )
    assert run.status_code == 201, run.content
    run_id = run.json()["id"]
    assert run.json()["pins"] == [[cast.unit.pk, cast.village.pk]]
    assert [r["id"] for r in admin.get(f"{base}/runs").json()] == [run_id]
    detail = admin.get(f"{base}/runs/{run_id}").json()
    assert {"unit_id": cast.unit.pk, "village_id": cast.village.pk} in [
        {"unit_id": p["unit_id"], "village_id": p["village_id"]} for p in detail["pairs"]
    ]
    published = post(admin, f"{base}/runs/{run_id}/publish")
    assert published.status_code == 200 and published.json()["published"] == len(detail["pairs"])
    assert published.json()["run"]["published_at"]

    unit_pairings = api_client(cast.unit_user).get(f"{base}/pairings").json()
    mine = next(p for p in unit_pairings["items"] if p["village"] == "花家村党支部")
    assert mine["status"] == "proposed" and mine["county"] == "商南县"
    assert (
        api_client(cast.sibling_admin).get(f"{base}/pairings").json()["count"]
        == Pairing.objects.filter(round=round_, village=cast.sibling_village).count()
        + Pairing.objects.filter(round=round_, unit=cast.sibling_unit).exclude(village=cast.sibling_village).count()
    )
    # The admin sees the pairing but is not a side of it: 403 with the reason.
    assert_error(post(api_client(cast.committee_admin), f"{base}/pairings/{mine['id']}/confirm"), 403)
    assert post(api_client(cast.unit_user), f"{base}/pairings/{mine['id']}/confirm").json()["status"] == "proposed"
    confirmed = post(api_client(cast.village_user), f"{base}/pairings/{mine['id']}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert_error(post(api_client(cast.village_user), f"{base}/pairings/{mine['id']}/confirm"), 409)

    board = admin.get(f"{base}/board").json()
    assert board["scoped"] is False and board["total"]["confirmed"] == 1 and board["total"]["coverage_pct"] == 33.3
    shangnan = next(c for c in board["counties"] if c["name"] == "商南县")
    assert shangnan["towns"][0]["name"] == "富水镇" and shangnan["total"] == 2
    villages = admin.get(f"{base}/board/villages", {"county": "商南县", "town": "富水镇"}).json()
    hua = next(v for v in villages if v["name"] == "花家村党支部")
    assert hua["stage"] == "confirmed" and hua["partners"] == ["商南县农业农村局机关党委"] and hua["tags"] == ["weak"]
    mine_board = api_client(cast.committee_admin).get(f"{base}/board").json()
    assert mine_board["scoped"] is True and mine_board["total"]["total"] == 2
    assert [c["name"] for c in mine_board["counties"]] == ["商南县"]


@pytest.mark.parametrize("who", ["outsider", "sibling_admin", "auditor"])
def test_every_round_call_outside_the_subtree_is_404(cast: Cast, who: str) -> None:
    round_ = county_round(cast)
    # Something to point at: an intent, a run and a pairing in the county's round.
    unit = api_client(cast.unit_user)
    base = f"/api/rounds/{round_.pk}"
    intent = post(unit, f"{base}/intents", {"village_id": cast.village.pk}).json()
    run = post(api_client(cast.committee_admin), f"{base}/runs").json()
    post(api_client(cast.committee_admin), f"{base}/runs/{run['id']}/publish")
    pairing = Pairing.objects.filter(round=round_).first()
    assert pairing is not None
    client = api_client(getattr(cast, who))
    calls = [
        client.get(base),
        client.get(f"{base}/directory"),
        client.get(f"{base}/intents"),
        post(client, f"{base}/intents", {"village_id": cast.village.pk}),
        post(client, f"{base}/intents/{intent['id']}/withdraw"),
        client.get(f"{base}/board"),
        client.get(f"{base}/board/villages", {"county": "商南县", "town": "富水镇"}),
        client.get(f"{base}/runs"),
        post(client, f"{base}/runs"),
        client.get(f"{base}/runs/{run['id']}"),
        post(client, f"{base}/runs/{run['id']}/publish"),
        client.get(f"{base}/pairings"),
        post(client, f"{base}/pairings/{pairing.pk}/confirm"),
    ]
    for response in calls:
        body = assert_error(response, 404)
        assert "花家村" not in json.dumps(body, ensure_ascii=False)
    assert round_.pk not in [r["id"] for r in client.get("/api/rounds/").json()]


def test_openapi_documents_the_round_endpoints(cast: Cast) -> None:
    spec = Client().get("/api/openapi.json").json()
    for path in (
        "/api/rounds/",
        "/api/rounds/{round_id}/directory",
        "/api/rounds/{round_id}/intents",
        "/api/rounds/{round_id}/board",
        "/api/rounds/{round_id}/runs/{run_id}/publish",
        "/api/rounds/{round_id}/pairings/{pairing_id}/confirm",
    ):
        assert path in spec["paths"], path
    responses = spec["paths"]["/api/rounds/{round_id}/intents"]["post"]["responses"]
    assert {"201", "403", "404", "409"} <= set(responses)
