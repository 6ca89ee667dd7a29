"""Sending notifications out (e-mail, the gateway) and the nightly deadline reminders, as
jobs of kind ``notifications`` (run by :mod:`gongjian.jobs`; in-process without a broker).

Never twice: each delivery has a unique key and is sent only while it is not *sent*; the
row is locked while it is sent (a second job on the same batch skips it), and its state is
written in the job's transaction right after the channel took it."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.notifications.channels import DeliveryFailed, gateway, send_email
from gongjian.notifications.models import Channel, Delivery, DeliveryState, Notification

JOB_KIND = "notifications"


def deliveries_start(*, notification_ids: list[int], batch: str) -> None:
    """Start the job that sends these notifications' deliveries (one job per batch)."""
    from gongjian.jobs.services import job_start

    job_start(
        actor=None,
        kind=JOB_KIND,
        title=_("发送通知"),
        params={"action": "send", "notifications": notification_ids},
        idempotency_key=f"{JOB_KIND}:send:{batch}",
        reuse_finished=True,
    )


def payload(notification: Notification, *, recipients: bool) -> dict[str, Any]:
    """What the channels send: the notification, its link, and (for the gateway, which
    fans out by SMS or chat) who should receive it."""
    base = str(getattr(settings, "NOTIFICATIONS_SITE_URL", "")).rstrip("/")
    data: dict[str, Any] = {
        "event": notification.event,
        "event_label": str(notification.get_event_display()),
        "title": notification.title,
        "body": notification.body,
        "link": f"{base}{notification.url}" if notification.url else "",
        "organization": {
            "id": notification.organization_id,
            "code": notification.organization.code,
            "name": notification.organization.name,
        },
        "created_at": notification.created_at.isoformat(),
    }
    if recipients:
        from django.contrib.auth import get_user_model

        people = get_user_model().objects.filter(is_active=True)
        people = (
            people.filter(pk=notification.user_id)
            if notification.user_id
            else people.filter(organization_id=notification.organization_id)
        )
        data["recipients"] = [
            {"username": u.username, "name": u.get_full_name(), "phone": u.phone} for u in people.order_by("pk")
        ]
    return data


def deliveries_send(*, notification_ids: list[int] | None = None) -> dict[str, int]:
    """Send every unsent delivery (of these notifications, or all); returns counts."""
    rows = Delivery.objects.exclude(state=DeliveryState.SENT).select_related("notification__organization")
    if notification_ids is not None:
        rows = rows.filter(notification_id__in=notification_ids)
    counts = {"sent": 0, "failed": 0}
    backend = None
    for delivery in rows.select_for_update(skip_locked=True, of=("self",)).order_by("pk"):
        delivery.attempts += 1
        try:
            if delivery.channel == Channel.EMAIL:
                send_email(delivery, payload(delivery.notification, recipients=False))
            else:
                backend = backend or gateway()
                backend.send(delivery, {"delivery": delivery.key, **payload(delivery.notification, recipients=True)})
        except DeliveryFailed as exc:
            delivery.state, delivery.error = DeliveryState.FAILED, str(exc)[:2000]
            counts["failed"] += 1
        else:
            delivery.state, delivery.error, delivery.sent_at = DeliveryState.SENT, "", timezone.now()
            counts["sent"] += 1
        delivery.save(update_fields=["state", "error", "sent_at", "attempts"])
    return counts


def job_work(params: dict[str, Any]) -> dict[str, Any]:
    """A ``notifications`` job's work: ``send`` (a batch, or every unsent delivery: the
    retry) or ``deadlines`` (the nightly reminders of a day)."""
    if params.get("action") == "deadlines":
        from gongjian.notifications.deadlines import deadlines_notify

        day = params.get("date")
        today = datetime.date.fromisoformat(day) if day else timezone.localdate()
        created = deadlines_notify(today=today)
        return {"notifications": len(created), "date": today.isoformat()}
    return deliveries_send(notification_ids=params.get("notifications"))


def run_job(job: Any) -> Any:
    """The jobs app's entry for kind ``notifications`` (registered in ``apps.py``)."""
    from gongjian.jobs.work import Outcome

    return Outcome(job_work(dict(job.params or {})))
