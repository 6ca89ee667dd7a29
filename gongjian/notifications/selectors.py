"""Reading a user's own notifications. A notification is the user's when it is addressed to
them, or to their organization without a named user; anything else is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from gongjian.notifications.models import Notification, Receipt


def notifications_of(*, user: Any) -> QuerySet[Notification]:
    """The user's notifications, newest first, each with ``is_read`` for this user."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return Notification.objects.none()
    own = Q(user_id=user.pk)
    if user.organization_id is not None:
        own |= Q(user__isnull=True, organization_id=user.organization_id)
    return Notification.objects.filter(own).annotate(is_read=_read(user)).order_by("-created_at", "-pk")


def _read(user: Any) -> Exists:
    return Exists(Receipt.objects.filter(notification=OuterRef("pk"), user_id=user.pk))


def unread_of(*, user: Any) -> QuerySet[Notification]:
    """The user's unread notifications that still matter (not done)."""
    return notifications_of(user=user).filter(~_read(user), done_at__isnull=True)


def unread_count(*, user: Any) -> int:
    """How many notifications the navigation shows as unread."""
    return unread_of(user=user).count()


def notification_get(*, user: Any, pk: int) -> Notification:
    """One of the user's notifications; another's is a 404."""
    return get_object_or_404(notifications_of(user=user), pk=pk)
