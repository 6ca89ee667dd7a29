"""The notifications API: one's own notifications, the unread count, marking read and the
to-do list; another user's notification is a 404."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client

from gongjian.notifications.models import Event
from gongjian.records.services_cards import performance_card_countersign, performance_card_save
from gongjian.rounds.models import Pairing
from tests.conftest import Cast
from tests.notifications.conftest import about, client_for

pytestmark = pytest.mark.django_db
THIS_MONTH = datetime.date.today().replace(day=1)


def post(client: Client, url: str) -> object:
    return client.post(url, data=json.dumps({}), content_type="application/json")


def test_own_notifications_count_read_and_todo(cast: Cast, signed: Pairing) -> None:
    card = performance_card_save(actor=cast.unit_user, pairing=signed, month=THIS_MONTH, work="走访", submit=True)
    [notice] = about(card, Event.CARD_COUNTERSIGN)
    village = client_for(cast.village_user)

    listed = village.get("/api/notifications/").json()
    ids = [n["id"] for n in listed["items"]]
    assert notice.pk in ids
    mine = next(n for n in listed["items"] if n["id"] == notice.pk)
    assert (mine["event"], mine["read"], mine["done"], mine["event_label"]) == (
        "card_countersign",
        False,
        False,
        "工作实绩卡待会签",
    )
    assert village.get("/api/notifications/unread-count").json() == {"unread": 1}
    todo = village.get("/api/notifications/todo").json()
    assert [(g["event"], g["count"]) for g in todo] == [("card_countersign", 1)]
    assert todo[0]["items"][0]["url"] == f"/records/cards/{card.pk}/"

    response = post(village, f"/api/notifications/{notice.pk}/read")
    assert response.status_code == 200 and response.json()["read"] is True  # type: ignore[attr-defined]
    assert village.get("/api/notifications/unread-count").json() == {"unread": 0}

    performance_card_countersign(actor=cast.village_user, card=card, comment="属实")
    assert village.get("/api/notifications/todo").json() == []


def test_an_outsider_gets_404_and_sees_nothing(cast: Cast, signed: Pairing) -> None:
    card = performance_card_save(actor=cast.unit_user, pairing=signed, month=THIS_MONTH, work="走访", submit=True)
    [notice] = about(card)
    for user in (cast.outsider, cast.unit_user, cast.sibling_admin, cast.committee_admin):
        client = client_for(user)
        assert post(client, f"/api/notifications/{notice.pk}/read").status_code == 404, user.username  # type: ignore[attr-defined]
        assert notice.pk not in [n["id"] for n in client.get("/api/notifications/").json()["items"]]
    outsider = client_for(cast.outsider)
    assert outsider.get("/api/notifications/unread-count").json() == {"unread": 0}
    assert outsider.get("/api/notifications/todo").json() == []
    assert Client().get("/api/notifications/").status_code == 401
