"""The audit log for auditors: search, page, export. There is no edit or delete view."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.audit.actions import action_choices, action_label
from gongjian.auditlog.exports import audit_log_table
from gongjian.auditlog.selectors import audit_entry_list, scope_names
from gongjian.core.downloads import attachment, file_name
from gongjian.core.view_helpers import page_of
from gongjian.orgs.scope import audit_scope_path


def _date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _filters(request: HttpRequest) -> dict[str, Any]:
    success = request.GET.get("success", "")
    return {
        "query": request.GET.get("q", "").strip(),
        "action": request.GET.get("action", "").strip(),
        "success": {"1": True, "0": False}.get(success),
        "since": _date(request.GET.get("since")),
        "until": _date(request.GET.get("until")),
    }


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if audit_scope_path(request.user) is None:
        raise Http404
    filters = _filters(request)
    page = page_of(request, audit_entry_list(user=request.user, **filters))
    names = scope_names({e.scope_path for e in page})
    for entry in page:
        entry.action_label = action_label(entry.action)  # type: ignore[attr-defined]
        entry.scope_name = names.get(entry.scope_path, "")  # type: ignore[attr-defined]
    context = {"page": page, "filters": filters, "params": request.GET, "actions": action_choices()}
    return render(request, "audit/audit_list.html", context)


@login_required
def audit_export(request: HttpRequest, fmt: str) -> HttpResponse:
    path = audit_scope_path(request.user)
    if path is None or fmt not in ("xlsx", "csv"):
        raise Http404
    content = audit_log_table(user=request.user, scope_path=path, fmt=fmt, filters=_filters(request))
    return attachment(content, file_name(f"{_('审计日志')}{timezone.localdate():%Y%m%d}", ext=fmt))
