"""The archive over the API, with the standing cast: the pairing's own side succeeds, an
outsider (and a sibling county) gets 404, a refusal is a 409/422 with a Chinese detail."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client

from gongjian.records.models import Contact, FeedbackCard, PerformanceCard
from gongjian.rounds.models import Pairing
from tests.api.helpers import assert_refused, bearer, post, session
from tests.conftest import Cast

TODAY = datetime.date.today()
LAST_MONTH = (TODAY.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def call(client: Client, method: str, url: str, body: Any = None) -> Any:
    if method == "get":
        return client.get(url)
    if method == "delete":
        return client.delete(url)
    return post(client, url, body)


def writes(p: int) -> list[tuple[str, str, dict[str, Any], str]]:
    """Each write of a pairing: method, address, body, who may do it."""
    day = TODAY.isoformat()
    return [
        (
            "post",
            f"/api/records/pairings/{p}/visits/",
            {"date": day, "visitor_level": "principal", "visitors": "李建国 书记", "content": "走访困难户"},
            "unit_user",
        ),
        (
            "post",
            f"/api/records/pairings/{p}/six-musts/",
            {"date": day, "kind": "party_lesson", "content": "讲一次党课"},
            "unit_user",
        ),
        (
            "post",
            f"/api/records/pairings/{p}/deliveries/",
            {"date": day, "kind": "funds", "content": "送资金", "amount": "5000.00"},
            "unit_user",
        ),
        (
            "post",
            f"/api/records/pairings/{p}/projects/",
            {"name": "水渠", "goal": "灌溉", "budget": "10000", "start": day, "end": day},
            "unit_user",
        ),
        (
            "post",
            f"/api/records/pairings/{p}/contacts/",
            {"side": "village", "name": "张秀英", "post": "书记", "phone": "13912345678"},
            "village_user",
        ),
        (
            "post",
            f"/api/records/pairings/{p}/feedback/",
            {"villager_name": "王大爷", "opinion": "修路"},
            "village_user",
        ),
        (
            "post",
            f"/api/records/pairings/{p}/cards/",
            {"month": LAST_MONTH.isoformat(), "work": "走访三次", "submit": True},
            "unit_user",
        ),
    ]


def test_pairing_reads(cast: Cast, signed: Pairing) -> None:
    p = signed.pk
    for who in ("unit_user", "village_user", "committee_admin", "city_admin"):
        client = session(getattr(cast, who))
        listed = client.get("/api/records/pairings/").json()
        assert [x["id"] for x in listed["items"]] == [p], who
        detail = client.get(f"/api/records/pairings/{p}").json()
        assert detail["summary"]["visits"] == 0 and detail["village"] == "花家村党支部"
    assert session(cast.unit_user).get(f"/api/records/pairings/{p}").json()["my_side"] == "unit"
    for who in ("outsider", "sibling_admin"):
        client = session(getattr(cast, who))
        assert client.get("/api/records/pairings/").json()["count"] == 0
        for suffix in ("", "/visits/", "/six-musts/", "/deliveries/", "/projects/", "/contacts/"):
            assert client.get(f"/api/records/pairings/{p}{suffix}").status_code == 404, (who, suffix)


def test_each_write_by_its_side_and_404_for_outsiders(cast: Cast, signed: Pairing) -> None:
    for method, url, body, who in writes(signed.pk):
        for stranger in (cast.outsider, cast.sibling_admin):
            assert call(session(stranger), method, url, body).status_code == 404, (url, stranger)
        response = call(session(getattr(cast, who)), method, url, body)
        assert response.status_code in (200, 201), (url, response.content)
        created = response.json()
        assert created["id"] and created["pairing_id"] == signed.pk, url
        item = f"{url.split('/pairings/')[0]}/{url.rstrip('/').rsplit('/', 1)[1]}/{created['id']}"
        if "contacts" not in url:
            assert session(getattr(cast, who)).get(item).json()["id"] == created["id"], item
            assert session(cast.outsider).get(item).status_code == 404, item
        listing = session(cast.committee_admin).get(url)
        assert listing.status_code == 200, url


def test_the_wrong_side_is_403(cast: Cast, signed: Pairing) -> None:
    body = {"date": TODAY.isoformat(), "visitor_level": "principal", "visitors": "x", "content": "x"}
    response = post(session(cast.village_user), f"/api/records/pairings/{signed.pk}/visits/", body)
    assert response.status_code == 403 and response.json()["detail"]


def test_invalid_values_are_400_with_reasons(cast: Cast, signed: Pairing) -> None:
    future = (TODAY + datetime.timedelta(days=3)).isoformat()
    body = {"date": future, "visitor_level": "principal", "visitors": "x", "content": "x"}
    response = post(session(cast.unit_user), f"/api/records/pairings/{signed.pk}/visits/", body)
    assert response.status_code == 400 and "日期不能晚于今天" in response.json()["errors"]["date"][0]


def test_performance_card_workflow(cast: Cast, signed: Pairing) -> None:
    unit, village = session(cast.unit_user), session(cast.village_user)
    card = post(
        unit,
        f"/api/records/pairings/{signed.pk}/cards/",
        {"month": LAST_MONTH.isoformat(), "work": "走访三次", "submit": False},
    ).json()
    assert card["status"] == "draft"
    url = f"/api/records/cards/{card['id']}"
    # A draft cannot be countersigned: 409 with the reason.
    assert assert_refused(post(village, f"{url}/countersign", {"comment": "同意"}), (409,))["code"] == "not_submitted"
    card = post(
        unit,
        f"/api/records/pairings/{signed.pk}/cards/",
        {"month": LAST_MONTH.isoformat(), "work": "走访三次", "submit": True},
    ).json()
    assert card["status"] == "submitted"
    returned = post(village, f"{url}/return", {"comment": "请补充走访对象"}).json()
    assert returned["status"] == "returned" and returned["return_comment"] == "请补充走访对象"
    post(
        unit,
        f"/api/records/pairings/{signed.pk}/cards/",
        {"month": LAST_MONTH.isoformat(), "work": "走访三次，慰问五户", "submit": True},
    )
    # A countersignature without a comment: 422 naming the field.
    assert assert_refused(post(village, f"{url}/countersign", {"comment": " "}), (422,))["field"] == "comment"
    assert post(session(cast.outsider), f"{url}/countersign", {"comment": "同意"}).status_code == 404
    signed_card = post(village, f"{url}/countersign", {"comment": "情况属实"}).json()
    assert signed_card["status"] == "countersigned" and signed_card["village_comment"] == "情况属实"
    # Changing a countersigned card: 409.
    locked = post(
        unit,
        f"/api/records/pairings/{signed.pk}/cards/",
        {"month": LAST_MONTH.isoformat(), "work": "改", "submit": False},
    )
    assert assert_refused(locked, (409,))["code"] == "locked"
    # The superior committee acknowledges it once; the village is not the superior.
    assert_refused(post(village, f"{url}/acknowledge"), (409,))
    assert post(session(cast.committee_admin), f"{url}/acknowledge").json()["acknowledged_at"]
    assert PerformanceCard.objects.get(pk=card["id"]).acknowledged_at is not None
    assert [c["id"] for c in unit.get("/api/records/cards/?status=countersigned").json()["items"]] == [card["id"]]
    assert session(cast.outsider).get("/api/records/cards/").json()["count"] == 0


def test_feedback_workflow(cast: Cast, signed: Pairing) -> None:
    unit, village = session(cast.unit_user), session(cast.village_user)
    card = post(village, f"/api/records/pairings/{signed.pk}/feedback/", {"villager_name": "王大爷", "opinion": "修路"})
    url = f"/api/records/feedback/{card.json()['id']}"
    assert assert_refused(post(village, f"{url}/close"), (409,))["code"] == "not_answered"
    assert post(session(cast.outsider), f"{url}/answer", {"answer": "好"}).status_code == 404
    assert post(unit, f"{url}/answer", {"answer": "已列入计划"}).json()["status"] == "answered"
    assert assert_refused(post(unit, f"{url}/answer", {"answer": "再答"}), (409,))["code"] == "not_open"
    assert post(village, f"{url}/close").json()["status"] == "closed"
    assert FeedbackCard.objects.get().status == "closed"
    assert unit.get("/api/records/feedback/").json()["count"] == 1
    assert session(cast.outsider).get("/api/records/feedback/").json()["count"] == 0


def test_projects_progress_and_contacts(cast: Cast, signed: Pairing) -> None:
    unit = session(cast.unit_user)
    day = TODAY.isoformat()
    project = post(
        unit,
        f"/api/records/pairings/{signed.pk}/projects/",
        {"name": "水渠", "goal": "灌溉", "budget": "10000", "start": day, "end": day},
    ).json()
    url = f"/api/records/projects/{project['id']}/progress"
    assert post(session(cast.outsider), url, {"status": "in_progress", "progress": 50}).status_code == 404
    assert post(unit, url, {"status": "in_progress", "progress": 50}).json()["progress"] == 50
    assert post(unit, url, {"status": "done", "progress": 50}).status_code == 400
    contact = post(
        unit, f"/api/records/pairings/{signed.pk}/contacts/", {"side": "unit", "name": "李建国", "phone": "13912345678"}
    ).json()
    assert contact["phone"] == "139****5678"
    assert session(cast.outsider).delete(f"/api/records/contacts/{contact['id']}").status_code == 404
    assert session(cast.village_user).delete(f"/api/records/contacts/{contact['id']}").status_code == 403
    assert unit.delete(f"/api/records/contacts/{contact['id']}").status_code == 204
    assert not Contact.objects.exists()


def test_a_token_reads_the_archive_like_its_user(cast: Cast, signed: Pairing) -> None:
    client, _secret = bearer(cast.village_user)
    assert client.get(f"/api/records/pairings/{signed.pk}").status_code == 200
    outsider, _secret = bearer(cast.sibling_admin)
    assert outsider.get(f"/api/records/pairings/{signed.pk}").status_code == 404


def test_quarterly_report(cast: Cast, signed: Pairing) -> None:
    year, quarter = TODAY.year, (TODAY.month - 1) // 3 + 1
    unit = session(cast.unit_user)
    draft = unit.get(f"/api/records/reports/draft?year={year}&quarter={quarter}")
    assert draft.status_code == 200 and draft.json()["id"] is None and draft.json()["body"]
    assert (
        session(cast.village_user).get(f"/api/records/reports/draft?year={year}&quarter={quarter}").status_code == 403
    )
    body = {"year": year, "quarter": quarter, "body": "本季度走访三次", "submit": True}
    assert post(session(cast.village_user), "/api/records/reports/", body).status_code == 403
    report = post(unit, "/api/records/reports/", body).json()
    assert report["status"] == "submitted"
    assert assert_refused(post(unit, "/api/records/reports/", body), (409,))["code"] == "submitted"
    assert session(cast.committee_admin).get(f"/api/records/reports/{report['id']}").json()["id"] == report["id"]
    assert session(cast.outsider).get(f"/api/records/reports/{report['id']}").status_code == 404
    assert session(cast.sibling_admin).get("/api/records/reports/").json()["count"] == 0
