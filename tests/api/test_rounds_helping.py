"""The helping side over the API, with the standing cast: the unit fills its 结对帮扶方案, the
round's admins read every unit's, the agency's pair gets an enterprise as co-helper under a
profile that allows it; an outsider gets 404; a refusal is a 409/422 in Chinese."""

from __future__ import annotations

from typing import Any

from gongjian.orgs.models import OrgKind, OrgLevel
from gongjian.rounds.models import PairingStatus, Round
from tests.api.helpers import assert_refused, bearer, post, session
from tests.conftest import Cast, make_org
from tests.rounds.seed_rounds import pair, profile_round


def put(client: Any, url: str, body: Any) -> Any:
    return client.put(url, body, content_type="application/json")


def test_unit_plan(cast: Cast) -> None:
    round_ = profile_round(cast, "shanghai")
    pair(round_, cast.unit, cast.village, PairingStatus.SIGNED)
    url = f"/api/rounds/{round_.pk}/plan"
    body = {"leader_name": "李建国", "leader_post": "副局长", "department": "办公室", "plan": "产业帮扶、技术培训"}
    assert put(session(cast.outsider), url, body).status_code == 404
    assert session(cast.unit_user).get(url).status_code == 404  # none yet
    client, _secret = bearer(cast.unit_user)
    saved = put(client, url, body)
    assert saved.status_code == 200, saved.content
    assert client.get(url).json()["department"] == "办公室"
    blank = put(client, url, {**body, "plan": " "})
    assert assert_refused(blank, (409,))["code"] == "invalid"
    rows = session(cast.city_admin).get(f"/api/rounds/{round_.pk}/plans").json()
    assert rows["count"] == 1
    assert [(r["unit"], r["pairs"], r["plan"]["leader_name"]) for r in rows["items"]] == [(cast.unit.name, 1, "李建国")]
    assert session(cast.unit_user).get(f"/api/rounds/{round_.pk}/plans").status_code == 403
    assert session(cast.outsider).get(f"/api/rounds/{round_.pk}/plans").status_code == 404


def test_combined_pairing_partner(cast: Cast) -> None:
    round_ = profile_round(cast, "town_quarterly")  # its profile does not allow 组合帮扶
    pairing = pair(round_, cast.unit, cast.village, PairingStatus.SIGNED)
    firm = make_org(cast.county, "C0201", "商南县茶业公司党支部", OrgLevel.BRANCH, OrgKind.STATE_ENTERPRISE)
    url = f"/api/rounds/{round_.pk}/pairings/{pairing.pk}/partners"
    assert post(session(cast.outsider), url, {"partner_id": firm.pk}).status_code == 404
    assert session(cast.outsider).get(url).status_code == 404
    assert assert_refused(post(session(cast.unit_user), url, {"partner_id": cast.village.pk}), (422,))
    assert assert_refused(post(session(cast.unit_user), url, {"partner_id": firm.pk}), (409,))
    Round.objects.filter(pk=round_.pk).update(policy_key="shanghai")
    added = post(session(cast.unit_user), url, {"partner_id": firm.pk})
    assert added.status_code == 201, added.content
    assert [p["partner"] for p in session(cast.village_user).get(url).json()] == ["商南县茶业公司党支部"]


def test_plans_come_a_page_at_a_time_missing_plans_first(cast: Cast) -> None:
    """Two units with live pairs: one per page, the one without a plan first, each with its
    number of live pairs (an ended pair is not counted)."""
    round_ = profile_round(cast, "shanghai")
    pair(round_, cast.unit, cast.village, PairingStatus.SIGNED)
    pair(round_, cast.unit, cast.sibling_village, PairingStatus.ENDED)
    pair(round_, cast.sibling_unit, cast.sibling_village, PairingStatus.CONFIRMED)
    client, _secret = bearer(cast.unit_user)
    body = {"leader_name": "李建国", "leader_post": "副局长", "department": "办公室", "plan": "产业帮扶"}
    assert put(client, f"/api/rounds/{round_.pk}/plan", body).status_code == 200
    admin = session(cast.city_admin)
    url = f"/api/rounds/{round_.pk}/plans?page_size=1"
    first, second = admin.get(url).json(), admin.get(url + "&page=2").json()
    assert (first["count"], second["count"]) == (2, 2)
    assert [(r["unit"], r["pairs"], r["plan"]) for r in first["items"]] == [(cast.sibling_unit.name, 1, None)]
    assert [(r["unit"], r["pairs"], r["plan"]["department"]) for r in second["items"]] == [
        (cast.unit.name, 1, "办公室")
    ]
    assert admin.get(url + "&page=3").json()["items"] == []
