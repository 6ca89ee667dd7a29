"""The yearly reminders: the 七一 letter and the 腊月 forum, from the profile's dates,
as notifications for the origin organization, never twice."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongjian.audit.models import AuditEntry
from gongjian.members.models import ReminderKind, ReminderLog
from gongjian.members.policy import MembersRules, twelfth_month
from gongjian.members.services_reminders import reminders_due, reminders_send
from gongjian.rounds.models import Notification

pytestmark = pytest.mark.django_db


def test_twelfth_lunar_month_in_gregorian_dates() -> None:
    # 农历乙巳年腊月: 2026-01-19 to 2026-02-16 (春节 2026-02-17)
    assert twelfth_month(2025) == (datetime.date(2026, 1, 19), datetime.date(2026, 2, 16))
    # 农历甲辰年腊月: 2024-12-31 to 2025-01-28 (腊八 2025-01-07, 春节 2025-01-29)
    assert twelfth_month(2024) == (datetime.date(2024, 12, 31), datetime.date(2025, 1, 28))


def test_windows_follow_the_rules() -> None:
    rules = MembersRules(
        report_grace_days=15,
        query_answer_days=10,
        letter_due="07-01",
        letter_lead_days=30,
        forum_lead_days=10,
        agreement_before_leaving=True,
    )
    assert reminders_due(rules, datetime.date(2026, 5, 31), 3) == []
    (letter,) = reminders_due(rules, datetime.date(2026, 6, 1), 3)
    assert letter.kind == ReminderKind.LETTER and letter.year == 2026 and "2026年7月1日" in letter.title
    assert reminders_due(rules, datetime.date(2026, 7, 1), 3) == []
    assert reminders_due(rules, datetime.date(2026, 1, 8), 3) == []
    (forum,) = reminders_due(rules, datetime.date(2026, 1, 9), 3)
    assert forum.kind == ReminderKind.FORUM and forum.year == 2025 and "2026年1月19日" in forum.title
    assert reminders_due(rules, datetime.date(2026, 2, 17), 3) == []


def test_command_creates_each_reminder_once(cast, member) -> None:
    out = StringIO()
    call_command("members_reminders", "--date", "2026-06-10", stdout=out)
    assert "新建提醒 1 条" in out.getvalue()
    note = Notification.objects.get(organization=cast.village)
    assert "1名流动党员" in note.title
    call_command("members_reminders", "--date", "2026-06-20", stdout=StringIO())
    assert ReminderLog.objects.count() == 1 and Notification.objects.count() == 1
    # the lead days come from the profile (forum_lead_days: 10 in the test profile)
    assert reminders_send(today=datetime.date(2026, 1, 8)) == []
    (forum,) = reminders_send(today=datetime.date(2026, 1, 9))
    assert forum.kind == ReminderKind.FORUM and forum.year == 2025 and forum.organization == cast.village
    assert reminders_send(today=datetime.date(2026, 1, 9)) == []
    assert AuditEntry.objects.filter(action="member_reminder.create", success=True).count() == 2
    with pytest.raises(CommandError):
        call_command("members_reminders", "--date", "10/06/2026")


def test_no_reminder_without_members_out(cast) -> None:
    assert reminders_send(today=datetime.date(2026, 6, 10)) == []
