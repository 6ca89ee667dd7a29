"""Mobile members as xlsx/CSV: export (masked unless the user may see personal data; audited)
and import (every row valid or nothing imported; each bad cell named by row, column and
reason). Registered members found again in a file are left as they are (moves are
recorded on the member's page, so that the hosting history stays true)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited, export_recorded
from gongjian.core.cells import CellValueError, optional_phone, parse_date
from gongjian.core.progress import importing
from gongjian.core.tabular import CellError, Row, TableRejected, read_table, write_table
from gongjian.members.access import can_manage_member
from gongjian.members.models import MemberAgreement, MemberStatus, MobileMember, ServiceStation
from gongjian.members.selectors_mobile import member_list
from gongjian.members.services_mobile import agreement_record_signed, member_register
from gongjian.orgs.models import Organization, Person
from gongjian.orgs.personal_data import id_number_problem, mask_id_number, mask_phone
from gongjian.orgs.scope import can_view_personal_data, scope_root, subtree_path

TITLE = "流动党员"
COLUMNS = [
    "姓名",
    "身份证号",
    "流出地组织代码",
    "流入地组织代码",
    "服务站",
    "外出地点",
    "从事工作",
    "联系电话",
    "外出日期",
    "协议签订日期",
    "协议签订人",
    "状态",
]
REQUIRED = ["身份证号", "外出地点", "从事工作", "外出日期"]
STATUS_LABELS = {value: str(label) for value, label in MemberStatus.choices}


def _rows(user: Any, full: bool) -> Iterator[list[Any]]:
    agreements = {a.member_id: a for a in MemberAgreement.objects.filter(member__in=member_list(user=user))}
    for m in member_list(user=user).iterator(chunk_size=2000):
        agreement = agreements.get(m.pk)
        yield [
            m.person.name,
            (m.person.id_number or "") if full else mask_id_number(m.person.id_number or ""),
            m.origin.code,
            m.host.code if m.host else "",
            m.station.name if m.station else "",
            m.location,
            m.work,
            m.phone if full else mask_phone(m.phone),
            m.left_on,
            agreement.signed_on if agreement and agreement.signed_on else "",
            agreement.branch_signer if agreement else "",
            STATUS_LABELS[m.status],
        ]


def export_members(*, user: Any, fmt: str, full: bool = False) -> bytes:
    """The user's mobile members; ``full`` needs ``orgs.view_personal_data``; audited."""
    full = full and can_view_personal_data(user)
    export_recorded(
        "mobile_member.export", actor=user, scope_path=subtree_path(user) or "", format=fmt, full_personal_data=full
    )
    return write_table(fmt, COLUMNS, _rows(user, full), sheet_title=TITLE, required=REQUIRED)


def template_members(*, fmt: str) -> bytes:
    return write_table(fmt, COLUMNS, [], sheet_title=TITLE, required=REQUIRED)


@dataclass
class MemberImportSummary:
    created: int = 0
    skipped: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "skipped": self.skipped}


@dataclass
class _Parsed:
    row: int
    person: Person
    host: Organization | None
    station: ServiceStation | None
    location: str
    work: str
    phone: str
    left_on: datetime.date
    signed_on: datetime.date | None
    signer: str


def _parse(actor: Any, rows: list[Row]) -> tuple[list[_Parsed], list[CellError], int]:
    errors: list[CellError] = []
    parsed: list[_Parsed] = []
    skipped = 0
    ids = [r.get("身份证号").upper() for r in rows]
    people = {p.id_number: p for p in Person.objects.filter(id_number__in=ids).select_related("organization")}
    live = set(
        MobileMember.objects.filter(person__id_number__in=ids)
        .exclude(status=MemberStatus.RETURNED)
        .values_list("person__id_number", flat=True)
    )
    codes = {r.get("流入地组织代码").upper() for r in rows} - {""}
    hosts = {o.code: o for o in Organization.objects.filter(code__in=codes)}
    stations: dict[str, list[ServiceStation]] = {}
    for known in ServiceStation.objects.filter(name__in={r.get("服务站") for r in rows} - {""}):
        stations.setdefault(known.name, []).append(known)
    seen: dict[str, int] = {}
    for row in rows:
        before = len(errors)

        def error(column: str, reason: str, row: Row = row) -> None:
            errors.append(CellError(row.number, column, reason))

        id_number = row.get("身份证号").upper()
        person = people.get(id_number)
        if problem := id_number_problem(id_number):
            error("身份证号", problem + "（不能是打码后的号码）" if "*" in id_number else problem)
        elif id_number in seen:
            error("身份证号", f"与第 {seen[id_number]} 行重复")
        elif person is None or not can_manage_member(actor, person.organization):
            error("身份证号", "人员名册中没有该党员，或不在您的管理范围内")
        elif not person.is_party_member:
            error("身份证号", "该人员不是党员")
        seen.setdefault(id_number, row.number)
        origin_code = row.get("流出地组织代码").upper()
        if person is not None and origin_code and origin_code != person.organization.code:
            error("流出地组织代码", f"与人员名册不一致（应为 {person.organization.code}）")
        host_code = row.get("流入地组织代码").upper()
        host = hosts.get(host_code) if host_code else None
        if host_code and host is None:
            error("流入地组织代码", "找不到该组织")
        station_name = row.get("服务站")
        found = stations.get(station_name, []) if station_name else []
        if station_name and len(found) != 1:
            error("服务站", "找不到该服务站" if not found else "有多个同名服务站，请在页面上登记")
        station = found[0] if len(found) == 1 else None
        if station is not None and host is not None and station.organization_id != host.pk:
            error("服务站", f"该服务站属于{station.organization.name}，与流入地组织不一致")
        for column in ("外出地点", "从事工作"):
            if not row.get(column):
                error(column, "不能为空")
        phone = ""
        try:
            phone = optional_phone(row.get("联系电话"), mobile_only=True)
        except CellValueError as exc:
            error("联系电话", str(exc))
        dates: dict[str, datetime.date | None] = {}
        for column in ("外出日期", "协议签订日期"):
            text, dates[column] = row.get(column), None
            if not text:
                if column == "外出日期":
                    error(column, "不能为空")
                continue
            try:
                dates[column] = parse_date(text)
            except CellValueError as exc:
                error(column, str(exc))
        if (signed := dates["协议签订日期"]) is not None and signed > timezone.localdate():
            error("协议签订日期", "不能晚于今天")
        if person is not None and host is not None and host.pk == person.organization_id:
            error("流入地组织代码", "流入地党组织不能是流出地党组织本身")
        if dates["协议签订日期"] is not None and not row.get("协议签订人"):
            error("协议签订人", "填写了协议签订日期时必填")
        if len(errors) > before or person is None or dates["外出日期"] is None:
            continue
        if id_number in live:
            skipped += 1
            continue
        parsed.append(
            _Parsed(
                row=row.number,
                person=person,
                host=host,
                station=station,
                location=row.get("外出地点"),
                work=row.get("从事工作"),
                phone=phone,
                left_on=dates["外出日期"],
                signed_on=dates["协议签订日期"],
                signer=row.get("协议签订人"),
            )
        )
    return parsed, errors, skipped


@audits_refusals
def import_members(*, actor: Any, data: bytes, filename: str) -> MemberImportSummary:
    """Register every row's member (and the agreement's signing where given), or none."""
    root = scope_root(actor)
    with audited("mobile_member.import", actor=actor, scope_path=root.path if root else "") as record:
        record.extra = {"file": filename}
        rows = read_table(data, filename, columns=COLUMNS, required=REQUIRED)
        parsed, errors, skipped = _parse(actor, rows)
        if errors:
            raise TableRejected(sorted(errors, key=lambda e: (e.row, e.column)))
        summary = MemberImportSummary(skipped=skipped)
        for item in importing(parsed):
            member = member_register(
                actor=actor,
                person=item.person,
                location=item.location,
                work=item.work,
                phone=item.phone,
                left_on=item.left_on,
                host=item.host,
                station=item.station,
            )
            if item.signed_on is not None:
                agreement_record_signed(actor=actor, member=member, signed_on=item.signed_on, branch_signer=item.signer)
            summary.created += 1
        record.after = summary.as_dict()
    return summary
