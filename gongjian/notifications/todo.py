"""The to-do list (待办): computed on each request from the open work itself, never from
stored copies, so an item is gone the moment its work is done. The words and links come
from the same table as the notifications (:data:`gongjian.notifications.events.SPECS`).

Each role sees what waits for its organization: a unit its cards returned, opinions to
answer, donor feedback to read, pairings to confirm and agreements to sign; a village its
cards to countersign, answered opinions to close, pairings and agreements; a committee the
countersigned cards of the units directly under it to acknowledge (报上级党委, seed 000);
an origin organization the host queries to answer."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet

from gongjian.notifications.events import SPECS, pairing_event
from gongjian.notifications.models import Event

LIMIT = 50  # items listed per kind; the count says how many there are


@dataclass(frozen=True)
class TodoItem:
    event: str
    label: str
    title: str
    url: str
    since: datetime.datetime | None


@dataclass(frozen=True)
class TodoGroup:
    event: str
    label: str
    count: int
    items: list[TodoItem]


def _model(label: str) -> Any:
    return apps.get_model(label)


def _cards(**where: Any) -> QuerySet[Any]:
    model = _model("records.PerformanceCard")
    return model.objects.filter(pairing__status="signed", **where).select_related("pairing__unit", "pairing__village")


def _feedback(**where: Any) -> QuerySet[Any]:
    model = _model("records.FeedbackCard")
    return model.objects.filter(pairing__status="signed", **where).select_related("pairing__unit", "pairing__village")


def _proposed(org_id: int) -> QuerySet[Any]:
    return _model("rounds.Pairing").objects.filter(
        Q(unit_id=org_id, unit_confirmed_at=None) | Q(village_id=org_id, village_confirmed_at=None),
        status="proposed",
    )


def _to_sign(org_id: int) -> QuerySet[Any]:
    agreement = _model("rounds.Agreement").objects.filter(pairing=OuterRef("pk"))
    return (
        _model("rounds.Pairing")
        .objects.filter(status="confirmed")
        .filter(
            Q(unit_id=org_id) & ~Exists(agreement.exclude(unit_signed_at=None))
            | Q(village_id=org_id) & ~Exists(agreement.exclude(village_signed_at=None))
        )
    )


# event → (open objects of an organization, the field that dates them)
QUERIES: dict[str, tuple[Callable[[int], QuerySet[Any]], str]] = {
    Event.CARD_COUNTERSIGN: (lambda org: _cards(status="submitted", pairing__village_id=org), "submitted_at"),
    Event.CARD_RETURNED: (lambda org: _cards(status="returned", pairing__unit_id=org), "updated_at"),
    Event.CARD_ACKNOWLEDGE: (
        lambda org: _cards(status="countersigned", acknowledged_at=None, pairing__unit__parent_id=org),
        "countersigned_at",
    ),
    Event.FEEDBACK_ANSWER: (lambda org: _feedback(status="open", pairing__unit_id=org), "entered_at"),
    Event.FEEDBACK_CLOSE: (lambda org: _feedback(status="answered", pairing__village_id=org), "answered_at"),
    Event.DONOR_FEEDBACK: (
        lambda org: (
            _model("funds.DonorFeedback")
            .objects.filter(read_at=None, pairing__unit_id=org)
            .select_related("pairing__village")
        ),
        "sent_at",
    ),
    Event.PAIRING_CONFIRM: (
        lambda org: _proposed(org).exclude(origin="renewal").select_related("round", "unit", "village"),
        "created_at",
    ),
    Event.RENEWAL_ANSWER: (
        lambda org: _proposed(org).filter(origin="renewal").select_related("round", "unit", "village"),
        "created_at",
    ),
    Event.AGREEMENT_SIGN: (lambda org: _to_sign(org).select_related("round", "unit", "village"), "created_at"),
    Event.HOST_QUERY: (
        lambda org: _model("members.HostQuery").objects.filter(answered_at=None, origin_id=org).select_related("host"),
        "asked_at",
    ),
}


def todo_groups(*, user: Any) -> list[TodoGroup]:
    """What waits for the user's organization, grouped by kind, oldest first in a group."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return []
    org_id = getattr(user, "organization_id", None)
    if org_id is None or getattr(user, "role", "") not in {
        "city_admin",
        "committee_admin",
        "unit_user",
        "village_user",
    }:
        return []
    groups = []
    for event, (query, dated) in QUERIES.items():
        rows = query(org_id)
        count = rows.count()
        if not count:
            continue
        spec = SPECS[event]
        label = str(Event(event).label)
        items = [
            TodoItem(event, label, spec.title(obj, org_id), spec.url(obj), getattr(obj, dated, None))
            for obj in rows.order_by(dated, "pk")[:LIMIT]
            if event not in (Event.PAIRING_CONFIRM, Event.RENEWAL_ANSWER) or pairing_event(obj) == event
        ]
        groups.append(TodoGroup(event, label, count, items))
    return groups


def todo_count(*, user: Any) -> int:
    """How many items wait for the user's organization."""
    return sum(group.count for group in todo_groups(user=user))
