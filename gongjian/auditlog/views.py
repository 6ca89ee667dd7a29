"""The audit log for auditors: search, page, export. There is no edit or delete view."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjian.audit.actions import action_choices, action_label
from gongjian.audit.services import audit_event
from gongjian.auditlog.selectors import audit_entry_list, scope_names
from gongjian.core.downloads import attachment, file_name
from gongjian.core.tabular import write_table
from gongjian.core.view_helpers import page_of
from gongjian.orgs.scope import audit_scope_path

HEADERS = [
    gettext_lazy("时间"),
    gettext_lazy("账号"),
    gettext_lazy("操作"),
    gettext_lazy("操作代码"),
    gettext_lazy("对象类型"),
    gettext_lazy("对象编号"),
    gettext_lazy("对象"),
    gettext_lazy("所属组织"),
    gettext_lazy("修改前"),
    gettext_lazy("修改后"),
    gettext_lazy("IP 地址"),
    gettext_lazy("是否成功"),
    gettext_lazy("说明"),
]


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
    entries = audit_entry_list(user=request.user, **_filters(request))
    # Each row names its object and the organization it concerns, not only their ids.
    names = scope_names(set(entries.order_by().values_list("scope_path", flat=True).distinct()))
    ok, failed = _("成功"), _("失败")
    rows = (
        [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_username,
            action_label(e.action),
            e.action,
            e.object_type,
            e.object_id,
            e.object_repr,
            names.get(e.scope_path, ""),
            _json(e.before),
            _json(e.after),
            e.ip_address or "",
            ok if e.success else failed,
            e.reason,
        ]
        for e in entries.iterator(chunk_size=2000)
    )
    content = write_table(fmt, [str(h) for h in HEADERS], rows, sheet_title=_("审计日志"))
    audit_event("audit.export", actor=request.user, scope_path=path, after={"format": fmt})
    return attachment(content, file_name(f"{_('审计日志')}{timezone.localdate():%Y%m%d}", ext=fmt))


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
