"""``{% todo_panel %}``: the to-do list (待办) on a role's home page."""

from __future__ import annotations

from typing import Any

from django import template

from gongjian.notifications.services import notifications_settle_for
from gongjian.notifications.todo import todo_groups

register = template.Library()


@register.inclusion_tag("notifications/_todo.html", takes_context=True)
def todo_panel(context: dict[str, Any]) -> dict[str, Any]:
    """The open work of the signed-in user's organization."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "organization_id", None) is not None:
        notifications_settle_for(organization_id=user.organization_id)
    groups = todo_groups(user=user) if user is not None else []
    return {"groups": groups, "todo_total": sum(g.count for g in groups)}
