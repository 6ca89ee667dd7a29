"""Writing notifications: :func:`notify` (never twice), marking read, and settling (a
notification whose work is done leaves the count and the to-do list).

Capabilities call :func:`notify` or :func:`notifications_settle` once from the service that
changes the state of the work; the words, addressees and open-check of each event live in
:mod:`gongjian.notifications.events`."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited
from gongjian.notifications.events import SPECS
from gongjian.notifications.models import Channel, Delivery, Event, Notification, Receipt

logger = logging.getLogger(__name__)

__all__ = ["Event", "notifications_settle", "notify", "notify_all"]

# Where in the key the parts go; a key longer than the column is cut (the parts before the
# occasion are short ids, so the cut never makes two keys equal that differ in recipient).
KEY_LENGTH = 255


def _key(event: str, ct_id: int | None, object_id: Any, recipient: str, occasion: str) -> str:
    key = f"{event}:{ct_id or 0}:{object_id or 0}:{recipient}"
    return (f"{key}:{occasion}" if occasion else key)[:KEY_LENGTH]


def _org_id(recipient: Any) -> int:
    return int(getattr(recipient, "pk", recipient))


def notify(
    *,
    event: str,
    object: models.Model | None = None,
    recipients: Iterable[Any] | None = None,
    users: Iterable[Any] = (),
    title: str = "",
    body: str = "",
    url: str = "",
    occasion: str = "",
    outbound: bool = True,
) -> list[Notification]:
    """Tell ``recipients`` (organizations or their ids; by default the event's own
    addressees) and ``users`` (one user each) about ``object``; returns the notifications
    created by this call. Idempotent per (event, object, recipient[, occasion]): a second
    call creates nothing. For an event that waits for an action, only an addressee whose
    action is still awaited is told, and the other notifications on the same object whose
    work is now done are settled first (the next step settles the previous one).

    ``occasion`` tells repeated rounds of the same work apart (a card submitted again after
    it was returned is a new request); ``outbound=False`` keeps it in the application (the
    caller sends its own e-mail)."""
    return notify_all(
        event=event,
        objects=[object] if object is not None else [None],
        recipients=recipients,
        users=users,
        title=title,
        body=body,
        url=url,
        occasion=occasion,
        outbound=outbound,
    )


def notify_all(
    *,
    event: str,
    objects: Sequence[models.Model | None],
    recipients: Iterable[Any] | None = None,
    users: Iterable[Any] = (),
    title: str = "",
    body: str = "",
    url: str = "",
    occasion: str = "",
    outbound: bool = True,
) -> list[Notification]:
    """:func:`notify` for many objects at once (a published allocation, renewal offers).

    A fault here never undoes the caller's work (the card is countersigned even if telling
    the committee fails): it runs in a savepoint and is logged."""
    try:
        with transaction.atomic():
            return _notify_all(
                event=event,
                objects=objects,
                recipients=recipients,
                users=users,
                title=title,
                body=body,
                url=url,
                occasion=occasion,
                outbound=outbound,
            )
    except Exception:
        logger.exception("notify %s failed", event)
        return []


def _notify_all(
    *,
    event: str,
    objects: Sequence[models.Model | None],
    recipients: Iterable[Any] | None,
    users: Iterable[Any],
    title: str,
    body: str,
    url: str,
    occasion: str,
    outbound: bool,
) -> list[Notification]:
    spec = SPECS.get(event)
    given = [_org_id(r) for r in recipients] if recipients is not None else None
    user_ids = [int(getattr(u, "pk", u)) for u in users]
    wanted: list[Notification] = []
    if spec is not None and len(objects) > 1:
        objects = _with_related(spec.model, objects)
    _settle_many(objects)
    for obj in objects:
        ct_id = ContentType.objects.get_for_model(obj).pk if obj is not None else None
        object_id = obj.pk if obj is not None else None
        orgs = given if given is not None else (spec.recipients(obj) if spec and obj is not None else [])
        for org_id in dict.fromkeys(orgs):
            if spec is not None and obj is not None and not spec.is_open(obj, org_id):
                continue
            wanted.append(
                Notification(
                    event=event,
                    organization_id=org_id,
                    content_type_id=ct_id,
                    object_id=object_id,
                    title=(title or (spec.title(obj, org_id) if spec and obj is not None else ""))[:200],
                    body=body,
                    url=url or (spec.url(obj) if spec and obj is not None else ""),
                    key=_key(event, ct_id, object_id, f"o{org_id}", occasion),
                )
            )
        for user_id in user_ids:
            org_id = get_user_model().objects.filter(pk=user_id).values_list("organization_id", flat=True).first()
            if org_id is None:
                continue
            wanted.append(
                Notification(
                    event=event,
                    organization_id=org_id,
                    user_id=user_id,
                    content_type_id=ct_id,
                    object_id=object_id,
                    title=(title or (spec.title(obj, org_id) if spec and obj is not None else ""))[:200],
                    body=body,
                    url=url or (spec.url(obj) if spec and obj is not None else ""),
                    key=_key(event, ct_id, object_id, f"u{user_id}", occasion),
                )
            )
    if not wanted:
        return []
    keys = [n.key for n in wanted]
    existing = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))
    fresh = [n for n in wanted if n.key not in existing]
    # A concurrent call with the same key loses quietly: the unique key keeps one row.
    Notification.objects.bulk_create(fresh, batch_size=2000, ignore_conflicts=True)
    created = list(Notification.objects.filter(key__in=[n.key for n in fresh]))
    if outbound and created:
        _queue_deliveries(created)
    return created


# What the words of each kind of object read, fetched in one query for many objects.
RELATED: dict[str, tuple[str, ...]] = {
    "rounds.Pairing": ("round", "unit", "village"),
    "records.PerformanceCard": ("pairing__unit", "pairing__village"),
    "records.FeedbackCard": ("pairing__unit", "pairing__village"),
}


def _with_related(label: str, objects: Sequence[models.Model | None]) -> list[models.Model | None]:
    ids = [o.pk for o in objects if o is not None]
    model = apps.get_model(label)
    fetched = model._default_manager.select_related(*RELATED.get(label, ())).in_bulk(ids)
    return [fetched[pk] for pk in ids if pk in fetched]


def _queue_deliveries(notifications: list[Notification]) -> None:
    """An e-mail to each active user (of the organization, or the one user) with an address,
    and one copy to the gateway when one is configured; then a job sends them."""
    org_ids = {n.organization_id for n in notifications if n.user_id is None}
    user_ids = {n.user_id for n in notifications if n.user_id is not None}
    people = get_user_model().objects.filter(is_active=True).exclude(email="")
    by_org: dict[int, list[tuple[int, str]]] = {}
    for pk, org_id, email in people.filter(Q(organization_id__in=org_ids) | Q(pk__in=user_ids)).values_list(
        "pk", "organization_id", "email"
    ):
        by_org.setdefault(org_id, []).append((pk, email))
    rows: list[Delivery] = []
    webhook = bool(getattr(settings, "NOTIFICATIONS_WEBHOOK_URL", ""))
    for n in notifications:
        for pk, email in by_org.get(n.organization_id, []):
            if n.user_id is None or n.user_id == pk:
                rows.append(Delivery(notification=n, channel=Channel.EMAIL, address=email, key=f"email:{n.pk}:{pk}"))
        if webhook:
            rows.append(Delivery(notification=n, channel=Channel.WEBHOOK, key=f"webhook:{n.pk}"))
    if not rows:
        return
    Delivery.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    first = min(n.pk for n in notifications)
    ids = [n.pk for n in notifications]

    def start() -> None:
        from gongjian.notifications.outbound import deliveries_start

        deliveries_start(notification_ids=ids, batch=f"{first}:{len(ids)}")

    transaction.on_commit(start)


def notifications_settle(*, object: models.Model) -> int:
    """Mark done every waiting notification about ``object`` whose work is no longer open
    (the card countersigned, the pairing confirmed by this side…); returns how many."""
    ct = ContentType.objects.get_for_model(object)
    waiting = list(
        Notification.objects.filter(content_type=ct, object_id=object.pk, done_at__isnull=True, event__in=list(SPECS))
    )
    if not waiting:
        return 0
    fresh = type(object)._default_manager.filter(pk=object.pk).first()
    done = [n.pk for n in waiting if fresh is None or not SPECS[n.event].is_open(fresh, n.organization_id)]
    if done:
        Notification.objects.filter(pk__in=done).update(done_at=timezone.now())
    return len(done)


def _settle_many(objects: Sequence[models.Model | None]) -> None:
    """Settle the objects that have waiting notifications (one query to find them)."""
    present = [o for o in objects if o is not None]
    if not present:
        return
    ct = ContentType.objects.get_for_model(present[0])
    waiting = set(
        Notification.objects.filter(
            content_type=ct, object_id__in=[o.pk for o in present], done_at__isnull=True
        ).values_list("object_id", flat=True)
    )
    for obj in present:
        if obj.pk in waiting:
            notifications_settle(object=obj)


def notifications_settle_for(*, organization_id: int, limit: int = 200) -> int:
    """Settle an organization's waiting notifications whose work was done by a path that
    did not say so (a pairing withdrawn by a new publication…): the safety net run when its
    users open their list or home page."""
    waiting = (
        Notification.objects.filter(organization_id=organization_id, done_at__isnull=True, event__in=list(SPECS))
        .exclude(content_type=None)
        .order_by("-pk")[:limit]
    )
    done: list[int] = []
    for n in waiting.select_related("content_type"):
        model = n.content_type.model_class() if n.content_type is not None else None
        fresh = model._default_manager.filter(pk=n.object_id).first() if model is not None else None
        if fresh is None or not SPECS[n.event].is_open(fresh, n.organization_id):
            done.append(n.pk)
    if done:
        Notification.objects.filter(pk__in=done).update(done_at=timezone.now())
    return len(done)


@audits_refusals
def notification_mark_read(*, actor: Any, notification: Notification) -> Receipt:
    """The acting user has read ``notification`` (chosen through the selector, so it is
    theirs); reading twice keeps the first time."""
    with audited("notification.read", actor=actor, target=notification) as record:
        receipt, created = Receipt.objects.get_or_create(notification=notification, user_id=actor.pk)
        record.after = {"first": created}
    return receipt


@audits_refusals
def notifications_mark_all_read(*, actor: Any, notifications: Iterable[Notification]) -> int:
    """Mark every notification given (the user's own unread ones) read; returns how many."""
    with audited("notification.read_all", actor=actor) as record:
        rows = [Receipt(notification=n, user_id=actor.pk) for n in notifications]
        Receipt.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        record.after = {"count": len(rows)}
    return len(rows)
