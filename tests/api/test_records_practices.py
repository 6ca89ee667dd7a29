"""A pair's practices over the API, with the standing cast: 五个一 targets and the public
commitments by the unit, the 评议 and the village's duties by the village; an outsider gets
404; once the pair has ended a write is a 409 with a Chinese detail."""

from __future__ import annotations

import datetime
from typing import Any

from gongjian.rounds.models import Pairing
from gongjian.rounds.services_pairing import pairing_end
from tests.api.helpers import assert_refused, bearer, is_chinese, post, session
from tests.conftest import Cast

TODAY = datetime.date.today()


def put(client: Any, url: str, body: Any) -> Any:
    return client.put(url, body, content_type="application/json")


def test_five_ones(cast: Cast, signed: Pairing) -> None:
    url = f"/api/records/pairings/{signed.pk}/five-ones"
    body = {"plan": "换届选出 5 人班子", "status": "in_progress"}
    assert session(cast.outsider).get(url).status_code == 404
    assert put(session(cast.outsider), f"{url}/branch_team", body).status_code == 404
    assert put(session(cast.unit_user), f"{url}/flying", body).status_code == 404
    assert put(session(cast.village_user), f"{url}/branch_team", body).status_code == 403
    client, _secret = bearer(cast.unit_user)
    saved = put(client, f"{url}/branch_team", body)
    assert saved.status_code == 200, saved.content
    assert saved.json()["status_label"] == "推进中" and saved.json()["files"] == []
    listed = session(cast.village_user).get(url).json()
    assert listed["year"] == TODAY.year and not listed["can_record"]
    rows = {row["kind"]: row for row in listed["items"]}
    assert len(rows) == 5 and rows["branch_team"]["target"]["plan"] == "换届选出 5 人班子"
    blank = put(client, f"{url}/branch_team", {**body, "plan": " "})
    assert blank.status_code == 400 and is_chinese(blank.json()["errors"]["plan"][0])
    pairing_end(actor=cast.city_admin, pairing=signed, reason="单位撤并")
    assert assert_refused(put(client, f"{url}/branch_team", body), (409,))["code"] == "not_signed"


def test_commitments_report_and_review(cast: Cast, signed: Pairing) -> None:
    url = f"/api/records/pairings/{signed.pk}/commitments"
    assert session(cast.outsider).get(url).status_code == 404
    assert post(session(cast.outsider), url, {"year": TODAY.year, "content": "修路"}).status_code == 404
    created = post(session(cast.unit_user), url, {"year": TODAY.year, "content": "帮村里修通产业路"})
    assert created.status_code == 201, created.content
    item = created.json()
    report_url = f"/api/records/commitments/{item['id']}/report"
    assert post(session(cast.outsider), report_url, {"outcome": "done", "report": "已修通"}).status_code == 404
    review = {"year": TODAY.year, "result": "good", "participants": 30}
    # 评议 follows 述职: refused while a commitment is unreported.
    assert assert_refused(post(session(cast.village_user), f"{url}/review", review), (409,))
    reported = post(session(cast.unit_user), report_url, {"outcome": "done", "report": "已修通 3 公里"})
    assert reported.status_code == 200 and reported.json()["outcome_label"] == "已兑现"
    assert post(session(cast.outsider), f"{url}/review", review).status_code == 404
    reviewed = post(session(cast.village_user), f"{url}/review", review)
    assert reviewed.status_code == 201 and reviewed.json()["result_label"] == "好"
    seen = session(cast.committee_admin).get(url).json()
    assert seen["reported"] == 1 and seen["review"]["participants"] == 30
    late = post(session(cast.unit_user), url, {"year": TODAY.year, "content": "再加一项"})
    assert assert_refused(late, (409,))["code"] == "reviewed"


def test_village_duties(cast: Cast, signed: Pairing) -> None:
    url = f"/api/records/pairings/{signed.pk}/village-duties/"
    body = {"kind": "forum", "date": TODAY.isoformat(), "content": "到局机关座谈", "people": "张书记等 5 人"}
    assert post(session(cast.outsider), url, body).status_code == 404
    assert session(cast.outsider).get(url).status_code == 404
    assert post(session(cast.unit_user), url, body).status_code == 403
    created = post(session(cast.village_user), url, body)
    assert created.status_code == 201, created.content
    assert created.json()["kind_label"] == "党员到共建单位座谈交流"
    assert session(cast.unit_user).get(url).json()["count"] == 1
    lines = session(cast.unit_user).get(f"{url}status").json()
    forum = [line for line in lines if line["kind"] == "forum"]
    assert forum and forum[-1]["done"] == 1
    future = post(session(cast.village_user), url, {**body, "date": (TODAY + datetime.timedelta(days=2)).isoformat()})
    assert future.status_code == 400 and is_chinese(future.json()["errors"]["date"][0])
