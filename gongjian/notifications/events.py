"""What each event that waits for someone's action means: who is told, in which words,
where the work is done, and whether it is still open.

One table (:data:`SPECS`) drives three things, so they cannot disagree: whom
:func:`~gongjian.notifications.services.notify` addresses (only a side whose work is open),
when a notification is *done* (its work is no longer open), and the to-do list
(:mod:`gongjian.notifications.todo`), which is computed from the same open work, never
from stored copies.

The domain models are reached through the app registry (``apps.get_model``) rather than
imported: the capabilities call this app's services, and this app must not import theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _

from gongjian.notifications.models import Event

# The states the checks below compare with (records.choices / rounds.models vocabulary).
SUBMITTED, RETURNED, COUNTERSIGNED = "submitted", "returned", "countersigned"
FEEDBACK_OPEN, FEEDBACK_ANSWERED = "open", "answered"
PROPOSED, CONFIRMED = "proposed", "confirmed"
RENEWAL = "renewal"


def _month(card: Any) -> dict[str, Any]:
    return {"year": card.month.year, "month": card.month.month}


def _other_side(pairing: Any, org_id: int) -> str:
    return str(pairing.village.name if org_id == pairing.unit_id else pairing.unit.name)


def _side_signed(pairing: Any, org_id: int) -> bool:
    agreement = apps.get_model("rounds", "Agreement").objects.filter(pairing_id=pairing.pk).first()
    if agreement is None:
        return False
    return (agreement.unit_signed_at if org_id == pairing.unit_id else agreement.village_signed_at) is not None


def _side_confirmed(pairing: Any, org_id: int) -> bool:
    return (pairing.unit_confirmed_at if org_id == pairing.unit_id else pairing.village_confirmed_at) is not None


def _superior(card: Any) -> list[int]:
    """The committee directly above the unit (报上级党委, seed 000)."""
    parent = card.pairing.unit.parent_id
    return [parent] if parent else []


@dataclass(frozen=True)
class Spec:
    """One actionable event: its addressees, words, page and open-check."""

    model: str  # "app_label.ModelName" of the object it is about
    recipients: Callable[[Any], list[int]]  # organization ids told of it
    title: Callable[[Any, int], str]  # (object, addressee organization id) → title
    url: Callable[[Any], str]
    is_open: Callable[[Any, int], bool]  # is the addressee's action still awaited?


SPECS: dict[str, Spec] = {
    Event.CARD_COUNTERSIGN: Spec(
        "records.PerformanceCard",
        lambda card: [card.pairing.village_id],
        lambda card, _org: (
            _("%(unit)s报送了%(year)s年%(month)s月工作实绩卡，请签注意见并会签")
            % {"unit": card.pairing.unit.name, **_month(card)}
        ),
        lambda card: reverse("records:card", args=[card.pk]),
        lambda card, _org: card.status == SUBMITTED,
    ),
    Event.CARD_RETURNED: Spec(
        "records.PerformanceCard",
        lambda card: [card.pairing.unit_id],
        lambda card, _org: (
            _("%(village)s退回了%(year)s年%(month)s月工作实绩卡，请修改后重新报送")
            % {"village": card.pairing.village.name, **_month(card)}
        ),
        lambda card: reverse("records:card", args=[card.pk]),
        lambda card, _org: card.status == RETURNED,
    ),
    Event.CARD_ACKNOWLEDGE: Spec(
        "records.PerformanceCard",
        _superior,
        lambda card, _org: (
            # a unit helping two villages sends two cards a month: the village tells them apart
            _("%(unit)s帮扶%(village)s的%(year)s年%(month)s月工作实绩卡已经村党组织签注意见，请收阅")
            % {"unit": card.pairing.unit.name, "village": card.pairing.village.name, **_month(card)}
        ),
        lambda card: reverse("records:card", args=[card.pk]),
        lambda card, _org: card.status == COUNTERSIGNED and card.acknowledged_at is None,
    ),
    Event.FEEDBACK_ANSWER: Spec(
        "records.FeedbackCard",
        lambda card: [card.pairing.unit_id],
        lambda card, _org: (
            _("%(village)s登记了群众意见，请于%(due)s前答复")
            % {"village": card.pairing.village.name, "due": f"{card.due:%Y-%m-%d}"}
        ),
        lambda card: reverse("records:feedback", args=[card.pk]),
        lambda card, _org: card.status == FEEDBACK_OPEN,
    ),
    Event.FEEDBACK_CLOSE: Spec(
        "records.FeedbackCard",
        lambda card: [card.pairing.village_id],
        lambda card, _org: _("%(unit)s已答复群众意见，请告知反映人后办结") % {"unit": card.pairing.unit.name},
        lambda card: reverse("records:feedback", args=[card.pk]),
        lambda card, _org: card.status == FEEDBACK_ANSWERED,
    ),
    Event.DONOR_FEEDBACK: Spec(
        "funds.DonorFeedback",
        lambda feedback: [feedback.pairing.unit_id],
        lambda feedback, _org: (
            _("%(village)s反馈了帮扶资金使用情况，请阅知") % {"village": feedback.pairing.village.name}
        ),
        lambda feedback: reverse("funds:pairing", args=[feedback.pairing_id]),
        lambda feedback, _org: feedback.read_at is None,
    ),
    Event.PAIRING_CONFIRM: Spec(
        "rounds.Pairing",
        lambda pairing: [pairing.unit_id, pairing.village_id],
        lambda pairing, org: (
            _("%(round)s：与%(other)s的结对待确认") % {"round": pairing.round.name, "other": _other_side(pairing, org)}
        ),
        lambda pairing: reverse("rounds:pairings", args=[pairing.round_id]),
        lambda pairing, org: pairing.status == PROPOSED and not _side_confirmed(pairing, org),
    ),
    Event.RENEWAL_ANSWER: Spec(
        "rounds.Pairing",
        lambda pairing: [pairing.unit_id, pairing.village_id],
        lambda pairing, org: (
            _("%(round)s：与%(other)s的结对可续签，请确认续签或不续签")
            % {"round": pairing.round.name, "other": _other_side(pairing, org)}
        ),
        lambda pairing: reverse("rounds:renewals", args=[pairing.round_id]),
        lambda pairing, org: pairing.status == PROPOSED and not _side_confirmed(pairing, org),
    ),
    Event.AGREEMENT_SIGN: Spec(
        "rounds.Pairing",
        lambda pairing: [pairing.unit_id, pairing.village_id],
        lambda pairing, org: (
            _("%(round)s：与%(other)s的共建协议书待签署")
            % {"round": pairing.round.name, "other": _other_side(pairing, org)}
        ),
        lambda pairing: reverse("rounds:pairings", args=[pairing.round_id]),
        lambda pairing, org: pairing.status == CONFIRMED and not _side_signed(pairing, org),
    ),
    Event.HOST_QUERY: Spec(
        "members.HostQuery",
        lambda query: [query.origin_id],
        lambda query, _org: (
            _("%(host)s发来联系函，请于%(due)s前答复") % {"host": query.host.name, "due": f"{query.due_on:%Y-%m-%d}"}
        ),
        lambda query: reverse("members:query", args=[query.pk]),
        lambda query, _org: query.answered_at is None,
    ),
}


def pairing_event(pairing: Any) -> str:
    """Which confirmation a proposed pairing waits for: a renewal's answer or a new pair's."""
    return Event.RENEWAL_ANSWER if pairing.origin == RENEWAL else Event.PAIRING_CONFIRM
