"""Correcting the archive over the API, with the standing cast: the unit corrects or removes
its visits, 六个一 and 五送 entries, adds and completes a project's milestones and prefills the
contact card; an outsider gets 404, the village side 403; a refusal is a 409 in Chinese."""

from __future__ import annotations

import datetime
from typing import Any

from gongjian.records.models import Delivery, SixMustRecord
from gongjian.rounds.models import Pairing
from tests.api.helpers import assert_refused, bearer, is_chinese, post, session
from tests.conftest import Cast

TODAY = datetime.date.today()


def put(client: Any, url: str, body: Any) -> Any:
    return client.put(url, body, content_type="application/json")


def created(cast: Cast, url: str, body: dict[str, Any]) -> int:
    response = post(session(cast.unit_user), url, body)
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def test_entries_corrected_and_removed(cast: Cast, signed: Pairing) -> None:
    base = f"/api/records/pairings/{signed.pk}"
    day = TODAY.isoformat()
    visit = {"date": day, "visitor_level": "principal", "visitors": "李建国 书记", "content": "走访困难户"}
    six = {"date": day, "kind": "joint_meeting", "content": "召开联席会议"}
    gift = {"date": day, "kind": "warmth", "content": "慰问困难党员", "amount": "800"}
    entries = {
        "visits": (created(cast, f"{base}/visits/", visit), visit),
        "six-musts": (created(cast, f"{base}/six-musts/", six), six),
        "deliveries": (created(cast, f"{base}/deliveries/", gift), gift),
    }
    client, _secret = bearer(cast.unit_user)
    for path, (pk, body) in entries.items():
        url = f"/api/records/{path}/{pk}"
        changed = {**body, "content": "更正后的内容"}
        assert put(session(cast.outsider), url, changed).status_code == 404
        assert put(session(cast.village_user), url, changed).status_code == 403
        corrected = put(client, url, changed)
        assert corrected.status_code == 200 and corrected.json()["content"] == "更正后的内容", path
        future = put(client, url, {**changed, "date": (TODAY + datetime.timedelta(days=3)).isoformat()})
        assert future.status_code == 400 and is_chinese(future.json()["errors"]["date"][0]), path
    for path in ("six-musts", "deliveries"):
        url = f"/api/records/{path}/{entries[path][0]}"
        assert session(cast.outsider).delete(url).status_code == 404
        assert session(cast.village_user).delete(url).status_code == 403
        assert client.delete(url).status_code == 204
    assert not SixMustRecord.objects.exists() and not Delivery.objects.exists()


def test_milestones_and_contact_prefill(cast: Cast, signed: Pairing) -> None:
    project = {"name": "茶园改造", "goal": "改造 50 亩", "budget": "50000", "start": str(TODAY), "end": str(TODAY)}
    project_id = created(cast, f"/api/records/pairings/{signed.pk}/projects/", project)
    url = f"/api/records/projects/{project_id}/milestones"
    step = {"title": "完成土地平整", "due": TODAY.isoformat()}
    assert post(session(cast.outsider), url, step).status_code == 404
    assert post(session(cast.village_user), url, step).status_code == 403
    added = post(session(cast.unit_user), url, step)
    assert added.status_code == 201 and added.json()["done_on"] is None
    done_url = f"/api/records/milestones/{added.json()['id']}/done"
    assert post(session(cast.outsider), done_url, {}).status_code == 404
    done = post(session(cast.unit_user), done_url, {})
    assert done.status_code == 200 and done.json()["done_on"] == TODAY.isoformat()
    assert assert_refused(post(session(cast.unit_user), done_url, {}), (409,))["code"] == "already_done"

    prefill = f"/api/records/pairings/{signed.pk}/contacts/prefill"
    assert post(session(cast.outsider), prefill).status_code == 404
    filled = post(session(cast.unit_user), prefill)
    assert filled.status_code == 200 and filled.json()["added"] >= 1
    contacts = session(cast.village_user).get(f"/api/records/pairings/{signed.pk}/contacts/").json()
    assert len(contacts) == filled.json()["added"]
    assert assert_refused(post(session(cast.unit_user), prefill), (409,))["code"] == "not_empty"
