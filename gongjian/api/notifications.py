"""Notifications endpoints: the caller's own notifications, the unread count, marking read,
and the to-do list (the same selectors as the pages; another user's notification is a 404)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from gongjian.notifications import selectors, services
from gongjian.notifications.todo import todo_groups

router = Router(tags=["通知与待办"])


class NotificationOut(Schema):
    id: int
    event: str
    event_label: str
    title: str
    body: str
    url: str
    created_at: str
    read: bool
    done: bool


class UnreadOut(Schema):
    unread: int


class TodoItemOut(Schema):
    title: str
    url: str
    since: str | None


class TodoGroupOut(Schema):
    event: str
    label: str
    count: int
    items: list[TodoItemOut]


def _out(n: Any) -> dict[str, Any]:
    return {
        "id": n.pk,
        "event": n.event,
        "event_label": str(n.get_event_display()),
        "title": n.title,
        "body": n.body,
        "url": n.url,
        "created_at": n.created_at.isoformat(),
        "read": bool(getattr(n, "is_read", False)),
        "done": n.done_at is not None,
    }


@router.get("/", response=list[NotificationOut], summary="本人的通知（新的在前）")
@paginate
def list_notifications(request: HttpRequest, unread: bool = False) -> Any:
    """The caller's notifications; ``unread=true``: only the unread ones that still matter."""
    rows = selectors.unread_of(user=request.user) if unread else selectors.notifications_of(user=request.user)
    return [_out(n) for n in rows[:1000]]


@router.get("/unread-count", response=UnreadOut, summary="未读通知数")
def unread_count(request: HttpRequest) -> Any:
    return {"unread": selectors.unread_count(user=request.user)}


@router.post("/{notification_id}/read", response=NotificationOut, summary="标为已读")
def mark_read(request: HttpRequest, notification_id: int) -> Any:
    """Mark one of the caller's notifications read; anyone else's is a 404."""
    notification = selectors.notification_get(user=request.user, pk=notification_id)
    services.notification_mark_read(actor=request.user, notification=notification)
    return _out(selectors.notification_get(user=request.user, pk=notification_id))


@router.get("/todo", response=list[TodoGroupOut], summary="待办事项（按类别，由未完成的工作实时计算）")
def todo(request: HttpRequest) -> Any:
    return [
        {
            "event": g.event,
            "label": g.label,
            "count": g.count,
            "items": [
                {"title": i.title, "url": i.url, "since": i.since.isoformat() if i.since else None} for i in g.items
            ],
        }
        for g in todo_groups(user=request.user)
    ]
