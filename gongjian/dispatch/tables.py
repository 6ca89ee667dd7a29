"""Spreadsheets: importing applications into the pool (every row valid or nothing imported)
and exporting the pool and the appointments (personal data masked unless permitted)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

from gongjian.audit.models import AuditEntry
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import AuditRecord, audited, export_recorded
from gongjian.core.cells import CellValueError, parse_date, parse_phone
from gongjian.core.progress import importing
from gongjian.core.tabular import CellError, TableRejected, read_table, write_table, write_xlsx
from gongjian.dispatch import selectors
from gongjian.dispatch.access import can_apply_for
from gongjian.dispatch.models import (
    Candidate,
    CandidatePreference,
    CandidateStep,
    Education,
    Gender,
    PoliticalStatus,
    Skill,
    StepKind,
)
from gongjian.orgs.models import Organization, OrgKind, OrgLevel
from gongjian.orgs.personal_data import id_number_problem, mask_id_number, mask_phone
from gongjian.orgs.scope import can_view_personal_data, scope_root, subtree_path
from gongjian.orgs.search import search_keys

CANDIDATE_COLUMNS = [
    "姓名", "性别", "出生日期", "身份证号", "手机号码", "学历", "政治面貌",
    "所在单位代码", "职务", "专长", "意向地代码",
]  # fmt: skip
CANDIDATE_REQUIRED = ["姓名", "性别", "出生日期", "身份证号", "手机号码", "学历", "政治面貌", "所在单位代码"]
APPOINTMENT_COLUMNS = [
    "姓名",
    "身份证号",
    "手机号码",
    "所在单位",
    "村",
    "任职",
    "任期开始",
    "任期结束",
    "状态",
    "匹配理由",
]
_SPLIT = re.compile(r"[;；、,，\s]+")


def _choice(label: str, choices: Any) -> str | None:
    for value, text in choices:
        if str(text) == label:
            return str(value)
    return None


@audits_refusals
def candidate_import(*, actor: Any, data: bytes, filename: str) -> int:
    """Import applications (status 已报名, an "apply" step each). Any bad row rejects the file,
    naming row, column and reason; nothing is then imported."""
    root = scope_root(actor)
    with audited("dispatch.candidate.import", actor=actor, scope_path=root.path if root else "") as record:
        record.extra = {"file": filename}
        rows = read_table(data, filename, columns=CANDIDATE_COLUMNS, required=CANDIDATE_REQUIRED)
        skills = {s.name: s for s in Skill.objects.all()}
        codes = {r.get("所在单位代码").upper() for r in rows}
        for r in rows:
            codes.update(c.upper() for c in _SPLIT.split(r.get("意向地代码")) if c)
        orgs = {o.code: o for o in Organization.objects.filter(code__in=codes)}
        taken = set(
            Candidate.objects.filter(id_number__in=[r.get("身份证号").upper() for r in rows]).values_list(
                "id_number", flat=True
            )
        )
        errors: list[CellError] = []
        parsed: list[tuple[Candidate, list[Skill], list[Organization]]] = []
        seen: dict[str, int] = {}
        for r in rows:

            def error(column: str, reason: str, number: int = r.number) -> None:
                errors.append(CellError(number, column, reason))

            name = r.get("姓名")
            if not name or len(name) > 64:
                error("姓名", "不能为空，且不超过 64 个字")
            gender = _choice(r.get("性别"), Gender.choices)
            if gender is None:
                error("性别", "应填“男”或“女”")
            birth: datetime.date | None = None
            try:
                birth = parse_date(r.get("出生日期"))
            except CellValueError as exc:
                error("出生日期", str(exc))
            id_number = r.get("身份证号").upper()
            problem = id_number_problem(id_number)
            if problem:
                error("身份证号", problem)
            elif id_number in taken:
                error("身份证号", "此身份证号已在人才库中报名")
            elif id_number in seen:
                error("身份证号", f"与第 {seen[id_number]} 行重复")
            seen.setdefault(id_number, r.number)
            phone = ""
            try:
                phone = parse_phone(r.get("手机号码"), mobile_only=True)
            except CellValueError as exc:
                error("手机号码", str(exc))
            education = _choice(r.get("学历"), Education.choices)
            if education is None:
                error("学历", f"应为：{'、'.join(str(t) for _v, t in Education.choices)}")
            political = _choice(r.get("政治面貌"), PoliticalStatus.choices)
            if political is None:
                error("政治面貌", f"应为：{'、'.join(str(t) for _v, t in PoliticalStatus.choices)}")
            unit = orgs.get(r.get("所在单位代码").upper())
            if unit is None or not can_apply_for(actor, unit):
                error("所在单位代码", "找不到该单位，或它不在您的管理范围内")
            wanted = [s for s in _SPLIT.split(r.get("专长")) if s]
            unknown = [s for s in wanted if s not in skills]
            if unknown:
                error("专长", f"无法识别：{'、'.join(unknown)}；应为：{'、'.join(skills)}")
            places = [orgs.get(c.upper()) for c in _SPLIT.split(r.get("意向地代码")) if c]
            if any(p is None or (p.kind != OrgKind.VILLAGE and p.level != OrgLevel.COUNTY_COMMITTEE) for p in places):
                error("意向地代码", "应为区县委或村党组织的组织代码")
            elif len({p.pk for p in places if p}) != len(places):
                error("意向地代码", "同一意向地填写了两次")
            if (errors and errors[-1].row == r.number) or None in (gender, birth, education, political, unit):
                continue
            assert gender and birth and education and political and unit  # checked just above
            candidate = Candidate(
                name=name, gender=gender, birth_date=birth, id_number=id_number, phone=phone, education=education,
                political_status=political, unit=unit, post=r.get("职务")[:64],
            )  # fmt: skip
            candidate.name_pinyin, candidate.name_initials = search_keys(name)
            parsed.append((candidate, [skills[s] for s in wanted], [p for p in places if p is not None]))
        if errors:
            raise TableRejected(errors)
        created = Candidate.objects.bulk_create([c for c, _s, _p in parsed])
        Candidate.skills.through.objects.bulk_create(
            Candidate.skills.through(candidate_id=c.pk, skill_id=s.pk) for c, ss, _p in parsed for s in ss
        )
        CandidatePreference.objects.bulk_create(
            CandidatePreference(candidate=c, rank=i, place=p) for c, _s, ps in parsed for i, p in enumerate(ps, 1)
        )
        CandidateStep.objects.bulk_create(
            CandidateStep(candidate=c, kind=StepKind.APPLY, actor=actor, comment=f"导入：{filename}") for c in created
        )
        entries = []
        for c in importing(created):
            entry = AuditRecord(action="dispatch.candidate.apply", actor=actor, target=c, scope_path=c.unit.path)
            entry.after = {"name": c.name, "unit_id": c.unit_id, "imported_from": filename}
            entries.append(entry.entry(success=True))
        AuditEntry.objects.bulk_create(entries)
        record.after = {"created": len(created)}
    return len(created)


def _pool_rows(user: Any, full: bool) -> Iterator[list[Any]]:
    qs = selectors.candidate_list(user=user).prefetch_related("skills")
    for c in qs.iterator(chunk_size=2000):
        yield [
            c.name, c.get_gender_display(), c.birth_date, c.id_number if full else mask_id_number(c.id_number),
            c.phone if full else mask_phone(c.phone), c.get_education_display(), c.get_political_status_display(),
            c.unit.code, c.post, "、".join(s.name for s in c.skills.all()), c.get_status_display(),
        ]  # fmt: skip


def _appointment_rows(user: Any, full: bool) -> Iterator[list[Any]]:
    for a in selectors.appointment_list(user=user).iterator(chunk_size=2000):
        c = a.candidate
        yield [
            c.name, c.id_number if full else mask_id_number(c.id_number), c.phone if full else mask_phone(c.phone),
            c.unit.name, a.village.name, a.get_role_display(), a.term_start, a.term_end, a.get_status_display(),
            a.reasons,
        ]  # fmt: skip


POOL_HEADERS = [*CANDIDATE_COLUMNS[:-2], "专长", "状态"]


def export_table(*, user: Any, sheet: str, fmt: str, full: bool = False) -> bytes:
    """The pool or the appointments in the user's scope; unmasked only with the permission,
    and every export is audited."""
    full = full and can_view_personal_data(user)
    if sheet == "pool":
        title, headers, rows = "人才库", POOL_HEADERS, _pool_rows(user, full)
    else:
        title, headers, rows = "选派任职", APPOINTMENT_COLUMNS, _appointment_rows(user, full)
    export_recorded(
        f"dispatch.{sheet}.export", actor=user, scope_path=subtree_path(user) or "", format=fmt, full_personal_data=full
    )
    return write_table(fmt, headers, rows, sheet_title=title)


def template_table() -> bytes:
    """An empty candidate import template."""
    return write_xlsx(CANDIDATE_COLUMNS, [], sheet_title="人才库报名", required=CANDIDATE_REQUIRED)
