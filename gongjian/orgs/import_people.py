"""Importing people from xlsx/CSV; all rows valid or nothing imported. A row is keyed by its
ID number when it has one (found through the blind index), else by organization, name and
phone: the ID number is optional (个人信息保护法 第六条, collected only where needed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gongjian.audit.models import AuditEntry
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import Actor, AuditRecord, audited, snapshot
from gongjian.core.cells import CellValueError, optional_phone
from gongjian.core.progress import importing
from gongjian.core.tabular import CellError, TableRejected, read_table
from gongjian.orgs import io_columns as cols
from gongjian.orgs.import_organizations import CHUNK, ImportSummary, _existing_by_code
from gongjian.orgs.models import Person
from gongjian.orgs.personal_data import id_number_problem
from gongjian.orgs.scope import in_scope, scope_root
from gongjian.orgs.search import search_keys
from gongjian.orgs.services import PERSON_FIELDS

VALUE_FIELDS = ["name", "organization_id", "post", "phone", "is_party_member"]


@dataclass
class PersonRow:
    row: int
    name: str
    organization_code: str
    post: str
    phone: str
    id_number: str
    is_party_member: bool


def _parse(rows: list[Any]) -> tuple[list[PersonRow], list[CellError]]:
    parsed, errors = [], []
    seen: dict[str, int] = {}
    for row in rows:

        def error(column: str, reason: str, row: Any = row) -> None:
            errors.append(CellError(row.number, column, reason))

        name = row.get("姓名")
        if not name:
            error("姓名", "不能为空")
        elif len(name) > 64:
            error("姓名", "不能超过 64 个字")
        phone = ""
        try:
            phone = optional_phone(row.get("手机号码"), mobile_only=True)
        except CellValueError as exc:
            error("手机号码", str(exc))
        id_number = row.get("身份证号").upper()
        problem = id_number_problem(id_number) if id_number else None
        key = id_number or "\x00".join(["", row.get("所在组织代码").upper(), name, phone])
        if problem:
            error("身份证号", problem)
        elif key in seen:
            error("身份证号" if id_number else "姓名", f"与第 {seen[key]} 行重复")
        else:
            seen[key] = row.number
        member_text = row.get("是否党员")
        if member_text not in cols.YES | cols.NO:
            error("是否党员", "应填“是”或“否”")
        parsed.append(
            PersonRow(
                row=row.number,
                name=name,
                organization_code=row.get("所在组织代码").upper(),
                post=row.get("职务")[:64],
                phone=phone,
                id_number=id_number,
                is_party_member=member_text in cols.YES or member_text == "",
            )
        )
    return parsed, errors


def _plain_key(values: dict[str, Any], name: str, phone: str) -> tuple[Any, str, str]:
    return (values["organization_id"], name, phone)


def _existing_without_id(rows: list[PersonRow], orgs: dict[str, Any]) -> dict[tuple[Any, str, str], Person]:
    """People registered without an ID number that rows without one may update: same
    organization, name and phone (phones compared after decryption, in Python)."""
    codes = {r.organization_code for r in rows if r.organization_code in orgs}
    if not codes:
        return {}
    found = Person.objects.filter(
        id_number__isnull=True,
        erased_at__isnull=True,
        organization__in=[orgs[c] for c in codes],
        name__in={r.name for r in rows},
    )
    return {(p.organization_id, p.name, p.phone): p for p in found}


@audits_refusals
def person_import(*, actor: Actor | None, data: bytes, filename: str) -> ImportSummary:
    """Validate and import a people file; reject the whole file on any bad row."""
    root = scope_root(actor) if actor is not None else None
    with audited("person.import", actor=actor, scope_path=root.path if root else "") as record:
        record.extra = {"file": filename}
        rows = read_table(data, filename, columns=cols.PERSON_COLUMNS, required=cols.PERSON_REQUIRED)
        parsed, errors = _parse(rows)
        orgs = _existing_by_code(sorted({r.organization_code for r in parsed}))
        existing: dict[str, Person] = {}
        ids = [r.id_number for r in parsed if r.id_number]
        for start in range(0, len(ids), CHUNK):
            for person in Person.objects.filter(id_number__in=ids[start : start + CHUNK]).select_related(
                "organization"
            ):
                existing[person.id_number or ""] = person
        without_id = _existing_without_id([r for r in parsed if not r.id_number], orgs)
        for r in parsed:
            org = orgs.get(r.organization_code)
            if org is None or (actor is not None and not in_scope(actor, org)):
                errors.append(CellError(r.row, "所在组织代码", "找不到该组织，或它不在您的管理范围内"))
            known = existing.get(r.id_number) if r.id_number else None
            if known is not None and actor is not None and not in_scope(actor, known.organization):
                errors.append(CellError(r.row, "身份证号", "该人员已登记在您管理范围以外的组织"))
        if errors:
            errors.sort(key=lambda e: (e.row, e.column))
            raise TableRejected(errors)
        summary = ImportSummary()
        new: list[Person] = []
        changed: list[Person] = []
        audit_rows: list[tuple[AuditRecord, Person]] = []
        for r in importing(parsed):
            values = {
                "name": r.name,
                "organization_id": orgs[r.organization_code].pk,
                "post": r.post,
                "phone": r.phone,
                "is_party_member": r.is_party_member,
            }
            found = existing.get(r.id_number) if r.id_number else without_id.get(_plain_key(values, r.name, r.phone))
            entry = AuditRecord(action="person.create", actor=actor, scope_path=orgs[r.organization_code].path)
            if found is None:
                person = Person(id_number=r.id_number or None, **values)
                person.name_pinyin, person.name_initials = search_keys(r.name)
                new.append(person)
            elif any(getattr(found, k) != v for k, v in values.items()):
                person = found
                entry.action = "person.update"
                entry.before = snapshot(person, PERSON_FIELDS)  # phone and ID masked
                for k, v in values.items():
                    setattr(person, k, v)
                person.name_pinyin, person.name_initials = search_keys(r.name)
                changed.append(person)
            else:
                summary.unchanged += 1
                continue
            entry.after = snapshot(person, PERSON_FIELDS)
            audit_rows.append((entry, person))
        Person.objects.bulk_create(new, batch_size=CHUNK)
        Person.objects.bulk_update(changed, [*VALUE_FIELDS, "name_pinyin", "name_initials"], batch_size=CHUNK)
        for entry, person in audit_rows:
            entry.target = person
        AuditEntry.objects.bulk_create([e.entry(success=True) for e, _p in audit_rows], batch_size=CHUNK)
        summary.created, summary.updated = len(new), len(changed)
        record.after = summary.as_dict()
    return summary
