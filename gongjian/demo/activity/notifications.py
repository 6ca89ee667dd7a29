"""Notifications for the demo year's open work, through the notifications service the apps call
when the work is handed on (``notify_all``, with the same events and addressees), so that each
role's unread count equals its 待办 list (#11): the demo writes its cards, opinions, donor
feedback and host queries directly, and its signed pairs stand signed without the
confirmations that would have settled their requests.

Run it last: for the pairs as they stand (an ended pair's cards wait for no one)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from gongjian.funds.models import DonorFeedback
from gongjian.members.models import HostQuery
from gongjian.notifications.models import Notification
from gongjian.notifications.services import Event, notifications_settle, notify_all
from gongjian.records.choices import CardStatus, FeedbackStatus
from gongjian.records.models import FeedbackCard, PerformanceCard
from gongjian.rounds.models import Pairing, PairingStatus, Round


def notify_open_work(round_: Round) -> int:
    """Settle the requests of pairs that stand signed, then notify every piece of open work of
    the round's signed pairs (and the open host queries); returns the notifications created."""
    pairing_type = ContentType.objects.get_for_model(Pairing)
    waiting = (
        Notification.objects.filter(content_type=pairing_type, done_at__isnull=True)
        .filter(object_id__in=Pairing.objects.filter(round=round_).values("pk"))
        .values_list("object_id", flat=True)
        .distinct()
    )
    for pairing in Pairing.objects.filter(pk__in=list(waiting)):
        notifications_settle(object=pairing)
    cards = PerformanceCard.objects.filter(pairing__round=round_, pairing__status=PairingStatus.SIGNED).select_related(
        "pairing__unit", "pairing__village"
    )
    feedback = FeedbackCard.objects.filter(pairing__round=round_, pairing__status=PairingStatus.SIGNED).select_related(
        "pairing__unit", "pairing__village"
    )
    # One call per kind of work (a province's demo has some ten thousand open cards). The card
    # services add the submission's time as the occasion; without it the key is still one per
    # card and addressee, and a later submission of the same card is told under its own.
    batches = (
        (Event.CARD_COUNTERSIGN, cards.filter(status=CardStatus.SUBMITTED)),
        (Event.CARD_RETURNED, cards.filter(status=CardStatus.RETURNED)),
        (Event.CARD_ACKNOWLEDGE, cards.filter(status=CardStatus.COUNTERSIGNED, acknowledged_at=None)),
        (Event.FEEDBACK_ANSWER, feedback.filter(status=FeedbackStatus.OPEN)),
        (Event.FEEDBACK_CLOSE, feedback.filter(status=FeedbackStatus.ANSWERED)),
        (
            Event.DONOR_FEEDBACK,
            DonorFeedback.objects.filter(pairing__round=round_, read_at=None).select_related("pairing__village"),
        ),
        (Event.HOST_QUERY, HostQuery.objects.filter(answered_at=None)),
    )
    created = 0
    for event, objects in batches:
        rows = list(objects.order_by("pk"))
        if rows:
            created += len(notify_all(event=event, objects=rows))
    return created
