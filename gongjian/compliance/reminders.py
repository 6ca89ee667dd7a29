"""Reminders before a deadline: one in-app notification and one e-mail per organization and
run, listing its pairs' open obligations whose deadline is within a lead time of the profile
(``remind_days``). Each (pair, obligation, deadline, lead) is sent once, ever. A duty of the
village side (the feedback to the donor, seed 004 doc 1 (十一)) reminds the village; every
other duty the unit."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail

from gongjian.compliance.evaluate import Outcome, PairResult, Status, chinese_date
from gongjian.compliance.models import ReminderSent
from gongjian.notifications.services import Event, notify
from gongjian.orgs.models import Organization
from gongjian.policies import PolicyProfile

OPEN = (Status.PENDING, Status.AT_RISK)
VILLAGE_DUTIES = frozenset({"funds_feedback"})


def _due_leads(outcome: Outcome, remind_days: tuple[int, ...], as_of: datetime.date) -> list[int]:
    """The lead times already reached for this outcome (all recorded, one message sent)."""
    if outcome.status not in OPEN or outcome.deadline is None:
        return []
    days_left = (outcome.deadline - as_of).days
    return [lead for lead in remind_days if 0 <= days_left <= lead]


def send_reminders(
    results: list[PairResult], rows: dict[int, Any], profiles: dict[str, PolicyProfile], *, as_of: datetime.date
) -> tuple[int, int]:
    """Notify each responsible unit once about what is newly due; returns (reminders, e-mails)."""
    wanted: list[tuple[int, Outcome, list[int]]] = []
    for result in results:
        profile = profiles[rows[result.pairing_id].policy_key]
        for outcome in result.outcomes:
            obligation = profile.obligation(outcome.obligation_id)
            leads = _due_leads(outcome, obligation.remind_days if obligation else (), as_of)
            if leads:
                wanted.append((result.pairing_id, outcome, leads))
    if not wanted:
        return 0, 0
    sent = set(
        ReminderSent.objects.filter(
            pairing_id__in=[pid for pid, _, _ in wanted], deadline__gte=as_of
        ).values_list("pairing_id", "obligation_id", "deadline", "lead_days")
    )
    by_unit: dict[int, list[str]] = defaultdict(list)
    new_rows: list[ReminderSent] = []
    for pid, outcome, leads in wanted:
        unit_id = rows[pid].village_id if outcome.kind in VILLAGE_DUTIES else rows[pid].unit_id
        fresh = [lead for lead in leads if (pid, outcome.obligation_id, outcome.deadline, lead) not in sent]
        if not fresh or outcome.deadline is None:
            continue
        by_unit[unit_id].append(f"{rows[pid].village_name}：{outcome.reason}")
        new_rows.extend(
            ReminderSent(
                pairing_id=pid, obligation_id=outcome.obligation_id, deadline=outcome.deadline, lead_days=lead,
                organization_id=unit_id,
            )
            for lead in fresh
        )  # fmt: skip
    if not by_unit:
        return 0, 0
    title = f"结对共建任务提醒（{chinese_date(as_of)}）"
    for unit_id, lines in by_unit.items():  # this module e-mails its own digest (below)
        body = "\n".join(lines)
        notify(event=Event.DEADLINE, recipients=[unit_id], title=title, body=body, occasion=str(as_of), outbound=False)
    emails = _emails(by_unit, title)
    count_by_unit: dict[int, int] = defaultdict(int)
    for recipient_unit, _ in emails:
        count_by_unit[recipient_unit] += 1
    for row in new_rows:
        row.emails = count_by_unit.get(row.organization_id, 0)
    ReminderSent.objects.bulk_create(new_rows, batch_size=5000, ignore_conflicts=True)
    send_mass_mail([message for _, message in emails], fail_silently=False)
    return len(new_rows), len(emails)


def _emails(by_unit: dict[int, list[str]], title: str) -> list[tuple[int, tuple[str, str, str, list[str]]]]:
    """One message per user with an e-mail address in each unit."""
    names = dict(Organization.objects.filter(id__in=by_unit).values_list("id", "name"))
    users = get_user_model().objects.filter(organization_id__in=by_unit, is_active=True).exclude(email="")
    messages = []
    for unit_id, email in users.values_list("organization_id", "email"):
        body = f"{names.get(unit_id, '')}：\n\n以下结对共建任务即将到期，请及时完成并在共建平台登记：\n\n"
        body += "\n".join(f"· {line}" for line in by_unit[unit_id])
        body += "\n\n（本邮件由城乡结对共建平台自动发送）"
        messages.append((unit_id, (title, body, settings.DEFAULT_FROM_EMAIL, [email])))
    return messages
