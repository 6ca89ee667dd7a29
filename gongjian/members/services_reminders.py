"""The yearly reminders to origin organizations (seed 004 doc 3): a letter to their mobile
members before 1 July (慰问一封信) and a forum in the twelfth lunar month (腊月一座谈).

Run daily by ``manage.py members_reminders``. A reminder appears as an in-app notification
for the origin organization once its window opens (``*_lead_days`` before the date, from
the policy profile) and never twice: :class:`ReminderLog`'s unique key (organization, kind,
year) is checked and, under a concurrent run, enforced by the database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count

from gongjian.audit.services import audited
from gongjian.members.models import (
    MemberLetter,
    MemberStatus,
    MobileMember,
    ReminderKind,
    ReminderLog,
    WinterForum,
)
from gongjian.members.policy import MembersRules, profile_key_for, rules_for_key, twelfth_month
from gongjian.notifications.services import Event, notify
from gongjian.orgs.models import Organization
from gongjian.rounds.agreement_pdf import chinese_date
from gongjian.rounds.models import Notification


@dataclass(frozen=True)
class Due:
    kind: str
    year: int  # Gregorian for the letter, lunar for the forum
    title: str
    body: str


def reminders_due(rules: MembersRules, today: datetime.date, members_out: int) -> list[Due]:
    """The reminders whose window holds ``today`` for an organization with ``members_out``."""
    out = []
    letter = rules.letter_date(today.year)
    if letter - datetime.timedelta(days=rules.letter_lead_days) <= today < letter:
        out.append(
            Due(
                ReminderKind.LETTER,
                today.year,
                f"七一慰问信：请于{chinese_date(letter)}前向{members_out}名流动党员寄发慰问信",
                "每年“七一”前夕，向流动党员寄发一封慰问信，通报党组织工作思路、核心任务以及取得的成效，"
                "让流动党员了解家乡发展近况。",
            )
        )
    for lunar_year in (today.year - 1, today.year):
        first, last = twelfth_month(lunar_year)
        if first - datetime.timedelta(days=rules.forum_lead_days) <= today <= last:
            out.append(
                Due(
                    ReminderKind.FORUM,
                    lunar_year,
                    f"腊月座谈会：{chinese_date(first)}至{chinese_date(last)}为腊月，请组织{members_out}名流出党员座谈",
                    "在腊月流出党员返乡高峰，组织流出党员召开座谈会，交流在外务工心得，进行党组织述职，接受评议，"
                    "听取他们对党组织的意见和建议。",
                )
            )
    return out


def reminders_send(*, today: datetime.date) -> list[ReminderLog]:
    """Create today's due reminders for every origin organization with members out."""
    counts: dict[int, int] = dict(
        MobileMember.objects.filter(status=MemberStatus.OUT)
        .values("origin_id")
        .annotate(n=Count("pk"))
        .values_list("origin_id", "n")
    )
    origin_ids = sorted(counts)
    done = set(
        ReminderLog.objects.filter(organization_id__in=origin_ids).values_list("organization_id", "kind", "year")
    )
    # A letter or forum already recorded as done needs no reminder (seed 004 doc 3: the letter
    # is sent, the forum held — recorded by services_care).
    for org_id, year in MemberLetter.objects.filter(organization_id__in=origin_ids).values_list(
        "organization_id", "year"
    ):
        done.add((org_id, ReminderKind.LETTER, year))
    for org_id, year in WinterForum.objects.filter(organization_id__in=origin_ids).values_list(
        "organization_id", "lunar_year"
    ):
        done.add((org_id, ReminderKind.FORUM, year))
    rules_by_key: dict[str, MembersRules] = {}
    created = []
    for origin in Organization.objects.filter(pk__in=origin_ids).order_by("path"):
        key = profile_key_for(origin)
        rules = rules_by_key.setdefault(key, rules_for_key(key))
        for due in reminders_due(rules, today, counts[origin.pk]):
            if (origin.pk, due.kind, due.year) in done:
                continue
            log = _send(origin, due)
            if log is not None:
                created.append(log)
    return created


def _send(origin: Organization, due: Due) -> ReminderLog | None:
    try:
        with audited("member_reminder.create", actor=None, scope_path=origin.path) as record, transaction.atomic():
            notification = Notification.objects.create(organization=origin, title=due.title, body=due.body)
            log = ReminderLog.objects.create(
                organization=origin, kind=due.kind, year=due.year, notification=notification
            )
            record.target = log
            record.after = {"kind": due.kind, "year": due.year, "title": due.title}
            notify(event=Event.MESSAGE, object=log, recipients=[origin], title=due.title, body=due.body)
    except IntegrityError:
        return None  # another run sent it a moment ago
    return log
