"""The to-do list (待办) on each role's home page, computed from the open work, and the
unread count in the navigation: an item appears when the work waits and is gone once it is
done; another user's notification is a 404."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from gongjian.notifications.models import Event, Notification, Receipt
from gongjian.notifications.selectors import unread_count
from gongjian.notifications.todo import todo_groups
from gongjian.records.services_cards import (
    performance_card_countersign,
    performance_card_return,
    performance_card_save,
)
from gongjian.rounds.models import Pairing
from tests.conftest import Cast
from tests.notifications.conftest import about, client_for

pytestmark = pytest.mark.django_db
THIS_MONTH = datetime.date.today().replace(day=1)


def todo_section(html: str) -> str:
    match = re.search(r'<section class="todo" data-testid="todo">(.*?)</section>', html, re.S)
    assert match, "the home page has no 待办 section"
    return match.group(1)


def unread_badge(html: str) -> int:
    match = re.search(r'data-testid="unread-count"[^>]*>(\d+)<', html)
    return int(match.group(1)) if match else 0


def test_the_village_sees_the_card_to_countersign_until_it_is_countersigned(cast: Cast, signed: Pairing) -> None:
    village = client_for(cast.village_user)
    assert "暂无待办事项" in todo_section(village.get("/").content.decode())
    others = (cast.unit_user, cast.committee_admin, cast.city_admin, cast.sibling_admin, cast.outsider)
    before = {user.username: unread_count(user=user) for user in others}
    card = performance_card_save(actor=cast.unit_user, pairing=signed, month=THIS_MONTH, work="走访", submit=True)

    html = village.get("/").content.decode()
    todo = todo_section(html)
    assert "工作实绩卡待会签" in todo and f'href="/records/cards/{card.pk}/"' in todo
    assert unread_badge(html) == 1 == unread_count(user=cast.village_user)
    # Nobody else is asked: not the unit, not the committee, not an outsider.
    for user in others:
        other = client_for(user).get("/").content.decode()
        assert f"/records/cards/{card.pk}/" not in other, user.username
        assert unread_badge(other) == before[user.username], user.username

    performance_card_countersign(actor=cast.village_user, card=card, comment="情况属实")
    html = village.get("/").content.decode()
    assert f"/records/cards/{card.pk}/" not in todo_section(html)
    assert unread_badge(html) == 0
    assert about(card, Event.CARD_COUNTERSIGN)[0].done_at is not None
    # … and the county, the unit's superior committee, now has it to acknowledge.
    county = client_for(cast.committee_admin).get("/").content.decode()
    assert "工作实绩卡待收阅" in todo_section(county) and unread_badge(county) == 1


def test_a_returned_card_is_on_the_units_list(cast: Cast, signed: Pairing) -> None:
    card = performance_card_save(actor=cast.unit_user, pairing=signed, month=THIS_MONTH, work="走访", submit=True)
    performance_card_return(actor=cast.village_user, card=card, comment="请补充")
    groups = {g.event: g for g in todo_groups(user=cast.unit_user)}
    assert groups[Event.CARD_RETURNED].count == 1 and "退回" in groups[Event.CARD_RETURNED].items[0].title
    assert Event.CARD_COUNTERSIGN not in {g.event for g in todo_groups(user=cast.village_user)}
    performance_card_save(actor=cast.unit_user, pairing=signed, month=THIS_MONTH, work="走访，补充", submit=True)
    assert Event.CARD_RETURNED not in {g.event for g in todo_groups(user=cast.unit_user)}


def test_work_done_by_another_path_leaves_the_list_and_the_count(cast: Cast, signed: Pairing) -> None:
    """The list is computed from the open work, so a card changed behind the services' back
    is gone at once; its notification is settled when the list is next shown."""
    from gongjian.records.models import PerformanceCard

    card = performance_card_save(actor=cast.unit_user, pairing=signed, month=THIS_MONTH, work="走访", submit=True)
    PerformanceCard.objects.filter(pk=card.pk).update(status="countersigned")
    assert todo_groups(user=cast.village_user) == []
    client_for(cast.village_user).get(reverse("notifications:index"))
    assert about(card)[0].done_at is not None and unread_count(user=cast.village_user) == 0


def test_reading_a_notification_opens_its_work_and_an_outsider_gets_404(cast: Cast, signed: Pairing) -> None:
    card = performance_card_save(actor=cast.unit_user, pairing=signed, month=THIS_MONTH, work="走访", submit=True)
    [notice] = about(card)
    url = reverse("notifications:read", args=[notice.pk])
    for user in (cast.outsider, cast.unit_user, cast.committee_admin, cast.sibling_admin):
        assert client_for(user).post(url).status_code == 404, user.username
    assert not Receipt.objects.exists()
    village = client_for(cast.village_user)
    listing = village.get(reverse("notifications:index")).content.decode()
    assert notice.title in listing and "未读" in listing
    response = village.post(url)
    assert response.status_code == 302 and response["Location"] == f"/records/cards/{card.pk}/"
    assert Receipt.objects.filter(notification=notice, user=cast.village_user).count() == 1
    assert unread_count(user=cast.village_user) == 0
    village.post(url)
    assert Receipt.objects.count() == 1  # read twice, one receipt


def test_read_state_is_per_user(cast: Cast, signed: Pairing) -> None:
    from tests.conftest import make_user

    deputy = make_user("village2", "village_user", cast.village)
    performance_card_save(actor=cast.unit_user, pairing=signed, month=THIS_MONTH, work="走访", submit=True)
    assert unread_count(user=cast.village_user) == unread_count(user=deputy) == 1
    client_for(cast.village_user).post(reverse("notifications:read_all"))
    assert (unread_count(user=cast.village_user), unread_count(user=deputy)) == (0, 1)


def test_a_notification_to_one_user_is_not_seen_by_colleagues(cast: Cast) -> None:
    from gongjian.notifications.services import notify
    from tests.conftest import make_user

    colleague = make_user("village2", "village_user", cast.village)
    [note] = notify(event=Event.MESSAGE, users=[cast.village_user], title="请修改密码")
    assert (note.organization_id, note.user_id) == (cast.village.pk, cast.village_user.pk)
    assert unread_count(user=cast.village_user) == 1 and unread_count(user=colleague) == 0
    assert client_for(colleague).post(reverse("notifications:read", args=[note.pk])).status_code == 404
    assert notify(event=Event.MESSAGE, users=[cast.village_user], title="请修改密码") == []
    assert Notification.objects.count() == 1


def test_the_todo_list_reads_in_english(cast: Cast, signed: Pairing) -> None:
    from django.utils import translation

    performance_card_save(actor=cast.unit_user, pairing=signed, month=THIS_MONTH, work="走访", submit=True)
    with translation.override("en"):
        [group] = todo_groups(user=cast.village_user)
    assert group.label == "Performance card to countersign"
    assert group.items[0].title.endswith("please comment and countersign")
