"""The audit log in words: every action code the services write has a Chinese label (one
mapping, gettext, English second), the page shows it, the search finds entries by it
(会签, 登录), and the export names the action and the organization each row concerns."""

from __future__ import annotations

import ast
import io
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from gongjian.audit.actions import ACTIONS, action_label, codes_matching
from gongjian.audit.services import audit_event
from gongjian.auditlog.selectors import audit_entry_list
from tests.conftest import Cast

WRITERS = {"audited", "audit_event", "AuditRecord", "export_recorded", "_correcting", "_delete_entry", "archived_file"}


def written_codes() -> set[str]:
    """Every literal action code passed to the audit writers anywhere in the package."""
    codes: set[str] = set()
    for path in Path(settings.BASE_DIR, "gongjian").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name not in WRITERS:
                continue
            values = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "action")]
            codes |= {v.value for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)}
    return codes


def test_every_written_action_code_has_a_label() -> None:
    codes = written_codes()
    assert len(codes) > 80  # the scan found the services
    missing = sorted(code for code in codes if code not in ACTIONS)
    assert not missing, missing
    for code in ("admin.organization.delete", "dispatch.candidates.export", "cadre_pair.end"):
        assert action_label(code) != code, code


def test_labels_are_chinese_first_and_english_second() -> None:
    with translation.override("zh-hans"):
        assert action_label("account.login") == "登录"
        assert action_label("performance_card.countersign") == "会签工作实绩卡"
    with translation.override("en"):
        assert action_label("account.login").isascii()
        assert action_label("performance_card.countersign").isascii()
        assert "performance_card.countersign" in codes_matching("会签")  # Chinese words work in English too
    assert action_label("no.such_code") == "no.such_code"


def test_the_log_is_shown_and_searched_in_words_and_exported_with_names(cast: Cast) -> None:
    audit_event("performance_card.countersign", actor=cast.village_user, target=cast.village,
                scope_path=cast.village.path)  # fmt: skip
    audit_event("account.login", actor=cast.unit_user, scope_path=cast.unit.path)
    assert [e.action for e in audit_entry_list(user=cast.auditor, query="会签")] == ["performance_card.countersign"]
    assert [e.action for e in audit_entry_list(user=cast.auditor, query="登录")] == ["account.login"]

    client = Client()
    client.force_login(cast.auditor)
    page = client.get("/audit/?q=会签").content.decode()
    assert "会签工作实绩卡" in page and "登录" not in page.split("<tbody>")[1]
    assert "会签工作实绩卡" in client.get("/audit/?action=performance_card.countersign").content.decode()

    export = client.get("/audit/export.xlsx?q=登录")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    # (force_login wrote the auditor's own sign-in too)
    [row] = [r for r in (dict(zip(header, values, strict=False)) for values in rows[1:]) if r["账号"] == "unit"]
    assert row["操作"] == "登录" and row["操作代码"] == "account.login"
    assert row["所属组织"] == cast.unit.name  # the entry had no object: the organization names it
