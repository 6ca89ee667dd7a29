"""Deadline reminders of a round: before its intent, confirmation and signing deadlines,
each organization whose part is undone is told once per deadline and lead time."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from gongjian.notifications.deadlines import deadlines_notify, lead_days
from gongjian.notifications.models import Event, Notification
from gongjian.rounds.models import Round, RoundUnit
from gongjian.rounds.services_choosing import intent_submit
from tests.conftest import Cast
from tests.rounds.conftest import make_round

pytestmark = pytest.mark.django_db


def test_units_that_have_not_chosen_are_reminded_before_the_intent_deadline(cast: Cast) -> None:
    round_ = make_round(cast, days=30)
    deadline = timezone.localdate(round_.intent_deadline)
    from gongjian.rounds.models import DirectoryEntry

    entry = DirectoryEntry.objects.get(round=round_, village=cast.village)
    intent_submit(actor=cast.unit_user, entry=entry)

    leads = lead_days(round_)
    assert leads == (7, 1)  # the shangnan profile's round.remind_days
    far = deadline - datetime.timedelta(days=max(leads) + 1)
    assert deadlines_notify(today=far) == []
    near = deadline - datetime.timedelta(days=max(leads))
    created = deadlines_notify(today=near)
    units = set(RoundUnit.objects.filter(round=round_).values_list("unit_id", flat=True))
    told = {n.organization_id for n in created}
    assert told == units - {cast.unit.pk} and told  # the unit that chose is not reminded
    assert all(n.event == Event.DEADLINE and "选择结对村" in n.title for n in created)
    assert deadlines_notify(today=near) == []  # once per lead time
    assert len(deadlines_notify(today=deadline - datetime.timedelta(days=1))) == len(told)  # the next lead
    assert deadlines_notify(today=deadline + datetime.timedelta(days=1)) == []  # past: nothing
    assert not Notification.objects.filter(organization=cast.outsider.organization).exists()


def test_a_round_not_open_reminds_nobody(cast: Cast) -> None:
    round_ = make_round(cast, open_it=False, days=3)
    assert Round.objects.get(pk=round_.pk).status == "draft"
    assert deadlines_notify(today=timezone.localdate(round_.intent_deadline)) == []


def test_the_command_reminds_and_sends_once(cast: Cast) -> None:
    import io

    from django.core.management import call_command

    round_ = make_round(cast, days=3)
    day = timezone.localdate(round_.intent_deadline) - datetime.timedelta(days=1)
    out = io.StringIO()
    call_command("notifications_send", "--deadlines", f"--date={day.isoformat()}", stdout=out)
    made = Notification.objects.filter(event=Event.DEADLINE).count()
    assert made and f"新建截止提醒 {made} 条" in out.getvalue()
    call_command("notifications_send", "--deadlines", f"--date={day.isoformat()}", stdout=io.StringIO())
    assert Notification.objects.filter(event=Event.DEADLINE).count() == made


def test_the_lead_days_come_from_the_profile() -> None:
    from gongjian.policies.errors import PolicyProfileError
    from gongjian.policies.round import parse

    assert parse("某地.yaml", {"remind_days": [3, 10, 3]}, {}).remind_days == (10, 3)
    assert parse("某地.yaml", {}, {}).remind_days == (7, 1)
    with pytest.raises(PolicyProfileError, match="remind_days"):
        parse("某地.yaml", {"remind_days": [-1]}, {})
    with pytest.raises(PolicyProfileError, match="remind_days"):
        parse("某地.yaml", {"remind_days": "7"}, {})
