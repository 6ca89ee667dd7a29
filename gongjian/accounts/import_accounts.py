"""Accounts from a spreadsheet (issue 12 item 7): 账号, 姓名, 角色, 组织编码, 手机号码. Every
row is checked first (role one the importer may give, organization in their subtree by
code, account name new and unique in the file, phone well-formed); one bad cell and
nothing is imported. Each new account gets a one-time password, changed at first sign-in.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gongjian.accounts.models import Role, User
from gongjian.accounts.selectors import organizations_for_accounts
from gongjian.accounts.services import GRANTABLE, one_time_password
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import Actor, audited
from gongjian.core.cells import CellValueError, optional_phone
from gongjian.core.progress import importing
from gongjian.core.tabular import CellError, TableRejected, read_table, write_table

COLUMNS = ("账号", "姓名", "角色", "组织编码", "手机号码")
REQUIRED = ("账号", "姓名", "角色", "组织编码")
USERNAME = re.compile(r"^[\w.@+-]{1,150}$")


def _role(text: str) -> str | None:
    """A role by its code or by its Chinese label (either as in the template)."""
    text = text.strip()
    for value, label in Role.choices:
        if text in (value, str(label)):
            return str(value)
    return None


def template(fmt: str) -> bytes:
    """The empty import sheet with one example row."""
    example = [["zhangsan", "张三", "结对单位用户", "C0006", "13800000000"]]
    return write_table(fmt, list(COLUMNS), example, sheet_title=_("账号"))


@audits_refusals
def account_import(*, actor: Actor, data: bytes, filename: str) -> list[tuple[User, str]]:
    """Create every account of the file, or none; returns each with its one-time password."""
    rows = read_table(data, filename, columns=COLUMNS, required=REQUIRED)
    grantable = GRANTABLE.get(getattr(actor, "role", ""), frozenset())
    organizations = {o.code: o for o in organizations_for_accounts(user=actor)}
    names = [r.values.get("账号", "").strip() for r in rows]
    taken = {u.lower() for u in User.objects.filter(username__in=names).values_list("username", flat=True)}
    seen: set[str] = set()
    errors: list[CellError] = []
    planned: list[dict[str, Any]] = []
    for row in rows:
        values = {k: v.strip() for k, v in row.values.items()}
        username, role = values.get("账号", ""), _role(values.get("角色", ""))
        organization = organizations.get(values.get("组织编码", ""))
        if not USERNAME.match(username):
            errors.append(CellError(row.number, "账号", _("账号只能包含字母、数字和 @ . + - _")))
        elif username.lower() in taken:
            errors.append(CellError(row.number, "账号", _("账号“%(name)s”已存在") % {"name": username}))
        elif username.lower() in seen:
            errors.append(CellError(row.number, "账号", _("文件中重复的账号“%(name)s”") % {"name": username}))
        seen.add(username.lower())
        if not values.get("姓名"):
            errors.append(CellError(row.number, "姓名", _("请填写姓名")))
        if role is None:
            errors.append(
                CellError(row.number, "角色", _("无法识别的角色“%(role)s”") % {"role": values.get("角色", "")})
            )
        elif role not in grantable:
            errors.append(CellError(row.number, "角色", _("您不能创建“%(role)s”账号") % {"role": Role(role).label}))
        if organization is None:
            errors.append(
                CellError(
                    row.number,
                    "组织编码",
                    _("您的管理范围内没有编码为“%(code)s”的组织") % {"code": values.get("组织编码", "")},
                )
            )
        phone = ""
        try:
            phone = optional_phone(values.get("手机号码", ""), mobile_only=True)
        except CellValueError as exc:
            errors.append(CellError(row.number, "手机号码", str(exc)))
        planned.append(
            {"username": username, "name": values.get("姓名", ""), "role": role, "org": organization, "phone": phone}
        )
    if errors:
        raise TableRejected(errors)
    created: list[tuple[User, str]] = []
    scope = organizations_for_accounts(user=actor).order_by("depth").first()
    with audited("account.import", actor=actor, scope_path=scope.path if scope else "") as record:
        with transaction.atomic():
            for plan in importing(planned):
                password = one_time_password()
                user = User(
                    username=plan["username"],
                    first_name=plan["name"],
                    role=plan["role"],
                    organization=plan["org"],
                    phone=plan["phone"],
                )
                user.set_password(password)
                user.save()
                created.append((user, password))
            User.objects.filter(pk__in=[u.pk for u, _p in created]).update(must_change_password=True)
        record.after = {"file": filename, "created": [u.username for u, _p in created]}
    return created
