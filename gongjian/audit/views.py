"""The audit log for auditors: search, page, export. There is no edit or delete view."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongjian.audit.selectors import audit_entry_list
from gongjian.audit.services import audit_event
from gongjian.core.downloads import attachment
from gongjian.core.tabular import write_table
from gongjian.core.view_helpers import page_of
from gongjian.orgs.scope import audit_scope_path

HEADERS = ["时间", "账号", "操作", "对象类型", "对象编号", "对象", "修改前", "修改后", "IP 地址", "是否成功", "说明"]


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
    return render(request, "audit/audit_list.html", {"page": page, "filters": filters, "params": request.GET})


@login_required
def audit_export(request: HttpRequest, fmt: str) -> HttpResponse:
    path = audit_scope_path(request.user)
    if path is None or fmt not in ("xlsx", "csv"):
        raise Http404
    entries = audit_entry_list(user=request.user, **_filters(request))
    rows = (
        [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_username,
            e.action,
            e.object_type,
            e.object_id,
            e.object_repr,
            _json(e.before),
            _json(e.after),
            e.ip_address or "",
            "成功" if e.success else "失败",
            e.reason,
        ]
        for e in entries.iterator(chunk_size=2000)
    )
    content = write_table(fmt, HEADERS, rows, sheet_title="审计日志")
    audit_event("audit.export", actor=request.user, scope_path=path, after={"format": fmt})
    return attachment(content, f"audit.{fmt}")


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
