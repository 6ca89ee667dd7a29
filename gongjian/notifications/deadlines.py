"""Deadline reminders of a round: before the intent, confirmation and signing deadlines,
each organization whose part is still undone is told once per deadline and lead time.

The obligations' own deadlines (visits, cards, reports…) are reminded by compliance
(``compliance/reminders.py``), through :func:`~gongjian.notifications.services.notify`."""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjian.notifications.models import Event, Notification
from gongjian.notifications.services import notify

LIVE_ROUNDS = ("open", "published")
# Rounds whose deadline is further away than this are not read at all (a profile's lead
# times are checked against it when a round is looked at: a longer one is still honoured
# as long as it is within this window).
MAX_LEAD_DAYS = 60


def lead_days(round_: Any) -> tuple[int, ...]:
    """The days before a deadline that its reminders go out: the round's profile
    (``round.remind_days``, local default [7, 1])."""
    from gongjian.policies import load_profile

    return tuple(d for d in load_profile(round_.policy_key).round.remind_days if d <= MAX_LEAD_DAYS)


def _waiting(round_: Any, field: str) -> set[int]:
    """Organizations whose part before ``field`` is undone."""
    pairing = apps.get_model("rounds", "Pairing")
    if field == "intent_deadline":
        if round_.status != "open":
            return set()
        round_units = apps.get_model("rounds", "RoundUnit").objects.filter(round=round_)
        units = set(round_units.values_list("unit_id", flat=True))
        chose = apps.get_model("rounds", "Intent").objects.filter(round=round_, status="active")
        return units - set(chose.values_list("unit_id", flat=True))
    if field == "confirmation_deadline":
        proposed = pairing.objects.filter(round=round_, status="proposed")
        return set(proposed.filter(unit_confirmed_at=None).values_list("unit_id", flat=True)) | set(
            proposed.filter(village_confirmed_at=None).values_list("village_id", flat=True)
        )
    confirmed = pairing.objects.filter(round=round_, status__in=("proposed", "confirmed"))
    agreement = apps.get_model("rounds", "Agreement")
    signed = agreement.objects.filter(pairing__round=round_)
    return set(
        confirmed.exclude(pk__in=signed.exclude(unit_signed_at=None).values("pairing_id")).values_list(
            "unit_id", flat=True
        )
    ) | set(
        confirmed.exclude(pk__in=signed.exclude(village_signed_at=None).values("pairing_id")).values_list(
            "village_id", flat=True
        )
    )


LABELS = {
    "intent_deadline": gettext_lazy("选择结对村（提交意向）"),
    "confirmation_deadline": gettext_lazy("确认结对"),
    "signing_deadline": gettext_lazy("签署共建协议书"),
}


def deadlines_notify(*, today: datetime.date) -> list[Notification]:
    """Tell every organization with undone work before a live round's deadline that falls
    within a lead time of ``today``; each (round, deadline, date, lead, organization) once."""
    created: list[Notification] = []
    rounds = apps.get_model("rounds", "Round").objects.filter(status__in=LIVE_ROUNDS)
    horizon = today + datetime.timedelta(days=MAX_LEAD_DAYS)
    for round_ in rounds.filter(
        Q(intent_deadline__date__gte=today, intent_deadline__date__lte=horizon)
        | Q(confirmation_deadline__date__gte=today, confirmation_deadline__date__lte=horizon)
        | Q(signing_deadline__date__gte=today, signing_deadline__date__lte=horizon)
    ):
        for field in ("intent_deadline", "confirmation_deadline", "signing_deadline"):
            moment = getattr(round_, field)
            if moment is None:
                continue
            day = timezone.localdate(moment)
            left = (day - today).days
            leads = [lead for lead in lead_days(round_) if 0 <= left <= lead]
            if not leads:
                continue
            lead = min(leads)  # the nearest lead reached: one message, not one per lead passed
            waiting = _waiting(round_, field)
            if not waiting:
                continue
            title = _("%(round)s：%(what)s将于%(day)s截止（还有%(left)d天）") % {
                "round": round_.name,
                "what": LABELS[field],
                "day": f"{day:%Y-%m-%d}",
                "left": left,
            }
            created += notify(
                event=Event.DEADLINE,
                object=round_,
                recipients=sorted(waiting),
                title=title,
                url=reverse("rounds:detail", args=[round_.pk]),
                occasion=f"{field}:{day.isoformat()}:{lead}",
            )
    return created
