"""The audit log as a table for auditors (xlsx or CSV), its own export on record."""

from __future__ import annotations

import json
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjian.audit.actions import action_label
from gongjian.audit.services import export_recorded
from gongjian.auditlog.selectors import audit_entry_list, scope_names
from gongjian.core.tabular import write_table

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


def audit_log_table(*, user: Any, scope_path: str, fmt: str, filters: dict[str, Any]) -> bytes:
    """The entries the auditor may read (``scope_path``: their part of the tree), filtered as
    on the page; each row names its object and the organization it concerns, not only ids.
    The export itself goes on record."""
    entries = audit_entry_list(user=user, **filters)
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
    export_recorded("audit.export", actor=user, scope_path=scope_path, format=fmt)
    return content


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
