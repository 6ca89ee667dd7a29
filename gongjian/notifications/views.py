"""The notifications page (to-do list above, messages below) and marking read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from gongjian.core.view_helpers import page_of
from gongjian.notifications import selectors, services
from gongjian.notifications.todo import todo_groups


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The user's to-do list and notifications, newest first."""
    if request.user.organization_id is not None:  # type: ignore[union-attr]
        services.notifications_settle_for(organization_id=request.user.organization_id)  # type: ignore[union-attr]
    groups = todo_groups(user=request.user)
    return render(
        request,
        "notifications/index.html",
        {
            "groups": groups,
            "todo_total": sum(g.count for g in groups),
            "page": page_of(request, selectors.notifications_of(user=request.user)),
        },
    )


@login_required
@require_POST
def read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and open its page (the work it asks for)."""
    notification = selectors.notification_get(user=request.user, pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:index")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    """Mark every unread notification of the user read."""
    services.notifications_mark_all_read(actor=request.user, notifications=list(selectors.unread_of(user=request.user)))
    return redirect("notifications:index")
