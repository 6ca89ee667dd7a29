"""A branch's pair, plans, progress and 五送 of party members' pairs, missing half-year reports
and service stations over the API, with the standing cast: the unit succeeds, an outsider
gets 404, the wrong side 403; the services' refusals are 422 (a field's value) or 409 (the
pair's state) with a Chinese detail."""

from __future__ import annotations

import datetime

from gongjian.members.models import MobileMember
from gongjian.orgs.models import Person
from gongjian.rounds.models import Pairing
from tests.api.helpers import bearer, is_chinese, post, session
from tests.conftest import Cast
from tests.members.conftest import member, needy_member, pairing, policy_dir  # noqa: F401

TODAY = datetime.date.today()


def test_branch_pair_plan_progress_and_delivery(cast: Cast, pairing: Pairing, needy_member: Person) -> None:  # noqa: F811
    url = f"/api/members/pairings/{pairing.pk}/branch-pairs/"
    body = {"branch_id": cast.unit.pk, "needy_member_id": needy_member.pk}
    assert post(session(cast.outsider), url, body).status_code == 404
    assert post(session(cast.village_user), url, body).status_code == 403
    client, _secret = bearer(cast.unit_user)
    created = post(client, url, body)
    assert created.status_code == 201, created.content
    assert created.json()["kind"] == "branch" and created.json()["helped"] == ["张秀英"]
    twice = post(client, url, body)
    assert twice.status_code == 422 and twice.json()["field"] == "needy_member" and is_chinese(twice.json()["detail"])

    pair_url = f"/api/members/pairs/branch/{created.json()['id']}"
    plan = {"beneficiary": "member", "difficulty": "因病缺劳力", "goals": "年收入过万", "measures": "发展养蜂",
            "target_date": (TODAY + datetime.timedelta(days=300)).isoformat()}  # fmt: skip
    assert post(session(cast.outsider), f"{pair_url}/plans/", plan).status_code == 404
    assert post(session(cast.village_user), f"{pair_url}/plans/", plan).status_code == 403
    wrong = post(client, f"{pair_url}/plans/", {**plan, "beneficiary": "household"})
    assert wrong.status_code == 422 and wrong.json()["field"] == "beneficiary" and is_chinese(wrong.json()["detail"])
    made = post(client, f"{pair_url}/plans/", plan)
    assert made.status_code == 201 and made.json()["progress"] == []
    step = {"recorded_on": TODAY.isoformat(), "note": "购入蜂箱 10 个", "percent": 30}
    progress_url = f"{pair_url}/plans/{made.json()['id']}/progress"
    assert post(session(cast.outsider), progress_url, step).status_code == 404
    assert post(client, progress_url, step).status_code == 201
    gift = {"kind": "warmth", "delivered_on": TODAY.isoformat(), "content": "春节慰问", "amount": "500"}
    assert post(session(cast.outsider), f"{pair_url}/deliveries/", gift).status_code == 404
    assert post(client, f"{pair_url}/deliveries/", gift).status_code == 201
    work = session(cast.village_user).get(f"{pair_url}/work").json()
    assert not work["can_write"] and work["plans"][0]["progress_percent"] == 30
    assert work["plans"][0]["progress"][0]["note"] == "购入蜂箱 10 个"
    assert work["deliveries"][0]["kind_label"] == "送温暖"
    assert session(cast.outsider).get(f"{pair_url}/work").status_code == 404
    post(client, f"{pair_url}/end", {})
    ended = post(client, f"{pair_url}/deliveries/", gift)
    assert ended.status_code == 409 and is_chinese(ended.json()["detail"]) and ended.json()["code"] == "ended"


def test_missing_reports_and_stations(cast: Cast, member: MobileMember) -> None:  # noqa: F811
    missing = session(cast.committee_admin).get("/api/members/reports/missing/").json()
    assert missing["count"] >= 1 and {m["name"] for m in missing["items"]} == {"张秀英"}
    assert session(cast.outsider).get("/api/members/reports/missing/").json()["count"] == 0
    body = {"organization_id": cast.county.pk, "name": "商南县驻西安流动党员服务站", "address": "西安市"}
    assert post(session(cast.outsider), "/api/members/stations/", body).status_code == 404
    created = post(session(cast.committee_admin), "/api/members/stations/", body)
    assert created.status_code == 201, created.content
    assert created.json()["members_out"] == 0
    twice = post(session(cast.committee_admin), "/api/members/stations/", body)
    assert twice.status_code == 422 and twice.json()["field"] == "name" and is_chinese(twice.json()["detail"])
    assert session(cast.city_admin).get("/api/members/stations/").json()["count"] == 1
    assert session(cast.outsider).get("/api/members/stations/").json()["count"] == 0
