"""The unread count in the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gongjian.notifications.selectors import unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    """``nav_unread``: the signed-in user's unread notifications that still matter."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_unread": 0}
    return {"nav_unread": unread_count(user=user)}
