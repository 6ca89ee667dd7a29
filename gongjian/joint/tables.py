"""Joint organizations and their members from xlsx/CSV, one row per member; and the export in
the same columns. Any bad row rejects the whole file (row, column, reason); nothing imported.

Rows with the same 联建组织代码 describe one joint organization. A code not yet in the system
sets one up (through ``joint_create``); a known code adds the members it does not have yet
(``joint_member_add``): importing the same file twice changes nothing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import Actor, audited, export_recorded
from gongjian.core.cells import CellValueError, choices_by_label, optional_date
from gongjian.core.errors import Refused
from gongjian.core.progress import importing
from gongjian.core.tabular import CellError, Row, TableRejected, read_table, write_xlsx
from gongjian.joint.models import JointMembership, JointProfile, JointRole, JointType
from gongjian.joint.selectors import joint_list
from gongjian.joint.services import (
    MEMBER_KINDS,
    PARENT_KINDS,
    composition_problems,
    joint_create,
    joint_member_add,
)
from gongjian.orgs.import_organizations import ImportSummary
from gongjian.orgs.models import Organization, OrgKind
from gongjian.orgs.scope import can_manage, in_scope, scope_root

COLUMNS = [
    "联建组织代码",
    "联建组织名称",
    "联建类型",
    "设立组织代码",
    "成立日期",
    "成员组织代码",
    "成员角色",
    "加入日期",
]
REQUIRED = ["联建组织代码", "联建组织名称", "联建类型", "设立组织代码", "成员组织代码"]
NOTES = {
    "联建组织代码": "数字和大写字母；同一联建组织的各行填同一代码；重复导入时按此代码补充成员",
    "联建组织名称": "如：朱家户联村党委",
    "联建类型": "、".join(str(label) for _v, label in JointType.choices),
    "设立组织代码": "设立该联建组织的乡镇党委或地方党委的组织代码",
    "成立日期": "如 2024-03-05；不填为今天",
    "成员组织代码": "成员党组织（村、企业、合作社）的组织代码，每行一个",
    "成员角色": "牵头 或 成员；每个联建组织有且只有 1 个牵头组织",
    "加入日期": "不填为成立日期",
}
TYPE_BY_LABEL = choices_by_label(JointType.choices)
ROLE_BY_LABEL = choices_by_label(JointRole.choices)
_CODE = re.compile(r"^[0-9A-Z][0-9A-Z\-]{0,31}$")


@dataclass
class MemberRow:
    row: int
    code: str
    role: str
    joined_on: datetime.date | None


@dataclass
class JointDraft:
    row: int
    code: str
    name: str
    joint_type: str
    parent_code: str
    founded_on: datetime.date | None
    members: list[MemberRow] = field(default_factory=list)


def _parse(rows: list[Row]) -> tuple[dict[str, JointDraft], list[CellError]]:
    drafts: dict[str, JointDraft] = {}
    errors: list[CellError] = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows:

        def error(column: str, reason: str, row: Row = row) -> None:
            errors.append(CellError(row.number, column, reason))

        code, name = row.get("联建组织代码").upper(), row.get("联建组织名称")
        if not _CODE.match(code):
            error("联建组织代码", "应为数字、大写字母和连字符，最长 32 位")
        if not name or len(name) > 128:
            error("联建组织名称", "不能为空，且不能超过 128 个字")
        joint_type = TYPE_BY_LABEL.get(row.get("联建类型"), "")
        if not joint_type:
            error("联建类型", f"应为：{NOTES['联建类型']}")
        dates: dict[str, datetime.date | None] = {}
        for column in ("成立日期", "加入日期"):
            try:
                dates[column] = optional_date(row.get(column))
            except CellValueError as exc:
                dates[column] = None
                error(column, str(exc))
        founded_on, joined_on = dates["成立日期"], dates["加入日期"]
        role = ROLE_BY_LABEL.get(row.get("成员角色") or str(JointRole.MEMBER.label), "")
        if not role:
            error("成员角色", "应填“牵头”或“成员”")
        member_code = row.get("成员组织代码").upper()
        if (code, member_code) in seen:
            error("成员组织代码", f"与第 {seen[code, member_code]} 行重复")
        seen[code, member_code] = row.number
        draft = drafts.get(code)
        if draft is None:
            draft = drafts[code] = JointDraft(
                row.number, code, name, joint_type, row.get("设立组织代码").upper(), founded_on
            )
        else:
            for column, mine, first in [
                ("联建组织名称", name, draft.name),
                ("联建类型", joint_type, draft.joint_type),
                ("设立组织代码", row.get("设立组织代码").upper(), draft.parent_code),
            ]:
                if mine != first:
                    error(column, f"同一联建组织各行应一致（与第 {draft.row} 行不同）")
            if founded_on and draft.founded_on and founded_on != draft.founded_on:
                error("成立日期", f"同一联建组织各行应一致（与第 {draft.row} 行不同）")
            draft.founded_on = draft.founded_on or founded_on
        draft.members.append(MemberRow(row.number, member_code, role, joined_on))
    return drafts, errors


def _check(actor: Actor | None, drafts: dict[str, JointDraft], errors: list[CellError]) -> dict[str, Organization]:
    """Check every joint against the registry; return the organizations by code."""
    codes = {d.code for d in drafts.values()} | {d.parent_code for d in drafts.values()}
    codes |= {m.code for d in drafts.values() for m in d.members}
    orgs = {o.code: o for o in Organization.objects.filter(code__in=codes)}
    profiles = {p.organization_id: p for p in JointProfile.objects.filter(organization__code__in=list(drafts))}
    for d in drafts.values():
        existing = orgs.get(d.code)
        parent = orgs.get(d.parent_code)
        if parent is None or (actor is not None and not can_manage(actor, parent)):
            errors.append(CellError(d.row, "设立组织代码", "找不到该组织，或它不在您的管理范围内"))
        elif parent.kind not in PARENT_KINDS:
            errors.append(CellError(d.row, "设立组织代码", "联建组织应设在乡镇党委或地方党委之下"))
        if existing is not None:
            profile = profiles.get(existing.pk)
            if profile is None or existing.kind != OrgKind.JOINT:
                errors.append(CellError(d.row, "联建组织代码", "该代码已被其他（非联建）组织使用"))
                continue
            if actor is not None and not can_manage(actor, existing):
                errors.append(CellError(d.row, "联建组织代码", "该联建组织不在您的管理范围内"))
                continue
            if profile.joint_type != d.joint_type or existing.parent_id != (parent.pk if parent else None):
                errors.append(CellError(d.row, "联建类型", "与系统中已有的该联建组织的类型或设立组织不一致"))
        members: list[Organization] = []
        allowed = MEMBER_KINDS.get(d.joint_type, frozenset())
        for m in d.members:
            member = orgs.get(m.code)
            if member is None or (actor is not None and not in_scope(actor, member)):
                errors.append(CellError(m.row, "成员组织代码", "找不到该组织，或它不在您的管理范围内"))
            elif d.joint_type and member.kind not in allowed:
                errors.append(CellError(m.row, "成员组织代码", f"{member.name}不能成为该类联建组织的成员"))
            else:
                members.append(member)
        if existing is None and d.joint_type and len(members) == len(d.members):
            leads = [m for m in d.members if m.role == JointRole.LEAD]
            if len(leads) != 1:
                reason = f"每个联建组织应有且只有 1 个牵头组织（现有 {len(leads)} 个）"
                errors.append(CellError(d.row, "成员角色", reason))
                continue
            problems = composition_problems(d.joint_type, members, orgs[leads[0].code])
            for column, reason in problems.items():
                errors.append(CellError(d.row, "成员角色" if column == "lead" else "成员组织代码", reason))
        elif existing is not None and any(m.role == JointRole.LEAD for m in d.members):
            lead = JointMembership.objects.filter(joint=existing, left_on__isnull=True, role=JointRole.LEAD).first()
            for m in d.members:
                if m.role == JointRole.LEAD and (lead is None or lead.member.code != m.code):
                    errors.append(CellError(m.row, "成员角色", "与系统中该联建组织的牵头组织不一致"))
    return orgs


@audits_refusals
def joint_import(*, actor: Actor | None, data: bytes, filename: str) -> ImportSummary:
    """Validate and import a joint organizations file; reject the whole file on any bad row."""
    root = scope_root(actor) if actor is not None else None
    with audited("joint.import", actor=actor, scope_path=root.path if root else "") as record:
        record.extra = {"file": filename}
        rows = read_table(data, filename, columns=COLUMNS, required=REQUIRED)
        drafts, errors = _parse(rows)
        orgs = _check(actor, drafts, errors)
        if errors:
            errors.sort(key=lambda e: (e.row, e.column))
            raise TableRejected(errors)
        summary = ImportSummary()
        for d in importing(list(drafts.values())):
            existing = orgs.get(d.code)
            try:
                if existing is None:
                    lead = next(orgs[m.code] for m in d.members if m.role == JointRole.LEAD)
                    joint_create(
                        actor=actor,
                        parent=orgs[d.parent_code],
                        code=d.code,
                        name=d.name,
                        joint_type=d.joint_type,
                        members=[orgs[m.code] for m in d.members],
                        lead=lead,
                        founded_on=d.founded_on,
                        joined={orgs[m.code].pk: m.joined_on for m in d.members},
                    )
                    summary.created += 1
                    continue
                have = set(
                    JointMembership.objects.filter(joint=existing, left_on__isnull=True).values_list(
                        "member__code", flat=True
                    )
                )
                added = [m for m in d.members if m.code not in have]
                for m in added:
                    joint_member_add(
                        actor=actor, joint=existing, member=orgs[m.code], role=m.role, joined_on=m.joined_on
                    )
                summary.updated += 1 if added else 0
                summary.unchanged += 0 if added else 1
            except (Refused, ValidationError, PermissionDenied) as exc:
                # A rule only the service knows (a date before the founding…): still all or nothing.
                reason = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                raise TableRejected([CellError(d.row, "", reason)]) from exc
        record.after = summary.as_dict()
    return summary


def _export_rows(user: Any) -> Iterator[list[Any]]:
    for joint in joint_list(user=user).iterator(chunk_size=500):
        profile = getattr(joint, "joint_profile", None)
        memberships = JointMembership.objects.filter(joint=joint, left_on__isnull=True).select_related("member")
        for m in memberships.order_by("role", "member__path"):
            yield [
                joint.code,
                joint.name,
                JointType(profile.joint_type).label if profile else "",
                joint.parent.code if joint.parent else "",
                profile.founded_on if profile else "",
                m.member.code,
                JointRole(m.role).label,
                m.joined_on,
            ]


def joint_export(*, user: Any) -> bytes:
    """The joint organizations the user may see, one row per current member (import columns)."""
    root = scope_root(user)
    content = write_xlsx(COLUMNS, _export_rows(user), sheet_title="联建组织", required=REQUIRED)
    export_recorded("joint.export", actor=user, scope_path=root.path if root else "", format="xlsx")
    return content


def joint_template() -> bytes:
    """An empty file with the columns and, on a second sheet, what each takes."""
    return write_xlsx(
        COLUMNS,
        [],
        sheet_title="联建组织",
        required=REQUIRED,
        extra_sheets=[("填写说明", ["列", "说明"], [[c, NOTES[c]] for c in COLUMNS])],
    )
