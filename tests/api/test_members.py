"""Party members over the API, with the standing cast: "1+2" and household pairs by the
unit, mobile members seen by their origin and host only, reports and queries; outsiders get
404; refusals are 409/422 with a Chinese detail (a choice the API itself cannot find, 400)."""

from __future__ import annotations

import datetime
from typing import Any

from gongjian.members.models import CadrePair, HouseholdPair, MobileMember
from gongjian.members.policy import half_of
from gongjian.orgs.models import Person
from gongjian.rounds.models import Pairing
from tests.api.helpers import assert_refused, bearer, is_chinese, post, session
from tests.conftest import Cast
from tests.members.conftest import cadre, member, needy_member, pairing, policy_dir, villager  # noqa: F401

TODAY = datetime.date.today()


def test_cadre_pair_by_the_unit(cast: Cast, pairing: Pairing, cadre: Person, needy_member: Person) -> None:  # noqa: F811
    url = f"/api/members/pairings/{pairing.pk}/cadre-pairs/"
    body: dict[str, Any] = {
        "cadre_id": cadre.pk,
        "needy_member_id": needy_member.pk,
        "new_villager": {"name": "赵大娘", "difficulty": "独居老人"},
    }
    for stranger in (cast.outsider, cast.sibling_admin):
        assert post(session(stranger), url, body).status_code == 404
        assert session(stranger).get(url).status_code == 404
    created = post(session(cast.unit_user), url, body)
    assert created.status_code == 201, created.content
    pair = created.json()
    assert pair["kind"] == "cadre" and pair["helper"] == "李建国" and pair["helped"] == ["张秀英", "赵大娘"]
    assert CadrePair.objects.count() == 1
    listed = session(cast.committee_admin).get(url).json()
    assert [p["id"] for p in listed["items"]] == [pair["id"]]
    # A person who is not the unit's: the form's error, naming the field, in Chinese.
    wrong = post(session(cast.unit_user), url, {**body, "cadre_id": needy_member.pk})
    assert wrong.status_code == 400 and is_chinese(wrong.json()["errors"]["cadre_id"][0])
    detail_url = f"/api/members/pairs/cadre/{pair['id']}"
    assert session(cast.village_user).get(detail_url).json()["id"] == pair["id"]
    assert session(cast.outsider).get(detail_url).status_code == 404
    assert post(session(cast.outsider), f"{detail_url}/end", {}).status_code == 404
    ended = post(session(cast.unit_user), f"{detail_url}/end", {})
    assert ended.json()["status"] == "ended" and ended.json()["ended_on"] == TODAY.isoformat()
    again = post(session(cast.unit_user), f"{detail_url}/end", {})
    assert again.status_code == 409 and is_chinese(again.json()["detail"]) and again.json()["code"] == "ended"


def test_household_pair_by_the_unit(cast: Cast, pairing: Pairing, cadre: Person) -> None:  # noqa: F811
    url = f"/api/members/pairings/{pairing.pk}/household-pairs/"
    body = {"cadre_id": cadre.pk, "new_household": {"name": "钱老汉", "household_size": 3, "difficulty": "因病致贫"}}
    assert post(session(cast.outsider), url, body).status_code == 404
    client, _secret = bearer(cast.unit_user)
    created = post(client, url, body)
    assert created.status_code == 201, created.content
    assert created.json()["kind"] == "household" and created.json()["helped"] == ["钱老汉"]
    household_id = HouseholdPair.objects.get().household_id
    taken = post(client, url, {"cadre_id": cadre.pk, "household_id": household_id})
    assert (
        taken.status_code == 422
        and taken.json()["field"] == "household"
        and "已有领导干部联系" in taken.json()["detail"]
    )
    assert session(cast.village_user).get(url).json()["count"] == 1
    assert session(cast.sibling_admin).get(url).status_code == 404


def test_mobile_member_scope(cast: Cast, member: MobileMember) -> None:  # noqa: F811
    for who in ("village_user", "city_admin", "sibling_admin"):  # origin, its superior, the host's county
        client = session(getattr(cast, who))
        assert [m["id"] for m in client.get("/api/members/mobile/").json()["items"]] == [member.pk], who
        body = client.get(f"/api/members/mobile/{member.pk}").json()
        assert body["name"] == "张秀英" and body["host"] == "清泉村党支部" and "phone" not in body
    for who in ("outsider", "unit_user"):
        client = session(getattr(cast, who))
        assert client.get("/api/members/mobile/").json()["count"] == 0
        assert client.get(f"/api/members/mobile/{member.pk}").status_code == 404
        assert client.get(f"/api/members/mobile/{member.pk}/reports/").status_code == 404


def test_half_year_report(cast: Cast, member: MobileMember) -> None:  # noqa: F811
    year, half = half_of(TODAY)
    url = f"/api/members/mobile/{member.pk}/reports/"
    body = {"year": year, "half": half, "channel": "phone", "work": "木工", "thoughts": "思想稳定"}
    assert post(session(cast.outsider), url, body).status_code == 404
    filed = post(session(cast.village_user), url, body)
    assert filed.status_code == 201 and filed.json()["on_behalf"] is True
    twice = post(session(cast.sibling_admin), url, body)
    assert twice.status_code == 422 and twice.json()["field"] == "half" and "已报送" in twice.json()["detail"]
    assert session(cast.sibling_admin).get(url).json()["count"] == 1


def test_host_query_and_answer(cast: Cast, member: MobileMember) -> None:  # noqa: F811
    ask_url = f"/api/members/mobile/{member.pk}/queries/"
    assert post(session(cast.outsider), ask_url, {"question": "党费交纳情况？"}).status_code == 404
    assert post(session(cast.village_user), ask_url, {"question": "？"}).status_code == 403
    query = post(session(cast.sibling_admin), ask_url, {"question": "党费交纳情况？"}).json()
    assert query["status"] == "open" and query["origin"] == "花家村党支部"
    url = f"/api/members/queries/{query['id']}"
    received = session(cast.village_user).get("/api/members/queries/?direction=received").json()
    assert [q["id"] for q in received["items"]] == [query["id"]]
    assert session(cast.outsider).get(url).status_code == 404
    assert post(session(cast.outsider), f"{url}/answer", {"answer": "按月交纳"}).status_code == 404
    answered = post(session(cast.village_user), f"{url}/answer", {"answer": "按月交纳"})
    assert answered.json()["status"] == "answered"
    body = assert_refused(post(session(cast.village_user), f"{url}/answer", {"answer": "再答"}), (409,))
    assert body["code"] == "answered"
