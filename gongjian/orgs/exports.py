"""Exports and templates of the registry's spreadsheets (same columns as the imports, so an
export can be edited and imported back)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch

from gongjian.audit.services import export_recorded
from gongjian.core.tabular import write_csv, write_table, write_xlsx
from gongjian.orgs import io_columns as cols
from gongjian.orgs import selectors
from gongjian.orgs.models import AgencyLine, OrgKind, OrgLevel, VillageFigure
from gongjian.orgs.personal_data import mask_id_number, mask_phone
from gongjian.orgs.scope import can_view_personal_data, subtree_path

SHEETS = {
    "organizations": ("组织名册", cols.ORG_COLUMNS, cols.ORG_REQUIRED),
    "people": ("人员名册", cols.PERSON_COLUMNS, cols.PERSON_REQUIRED),
}

# What each column takes, for the template's instructions sheet.
COLUMN_NOTES = {
    "组织代码": "统一社会信用代码或组织机构代码，数字和大写字母；重复导入时按此代码更新",
    "组织名称": "如：花家村党支部",
    "上级组织代码": "上级党组织的组织代码；上级须已在系统中或在本文件中",
    "组织层级": "、".join(str(label) for _v, label in OrgLevel.choices),
    "单位类型": "、".join(str(label) for _v, label in OrgKind.choices),
    "机关条线": "机关填写：" + "、".join(str(label) for _v, label in AgencyLine.choices),
    "区县": "如：商南县",
    "乡镇街道": "如：富水镇",
    "区划代码": "GB/T 2260 行政区划代码，6、9 或 12 位",
    "村标签": "多个用顿号分隔，如：经济薄弱、软弱涣散",
    "需求清单": "多个用顿号分隔，如：资金、技术",
    "资源清单": "多个用顿号分隔，如：人才、市场",
    "可结对村数": "整数，结对单位可帮扶的村数",
    "统计年度": "填写村情数据时必填，如 2025",
    "户数": "整数",
    "人口": "整数",
    "党员数": "整数",
    "村集体经济收入（元）": "金额，最多两位小数，如 85000.00",
    "姓名": "如：张三",
    "所在组织代码": "人员所在党组织的组织代码",
    "职务": "如：党支部书记",
    "手机号码": "11 位手机号码",
    "身份证号": "18 位居民身份证号码；重复导入时按此号码更新",
    "是否党员": "是 或 否",
}


def _organization_rows(user: Any) -> Iterator[list[Any]]:
    latest = VillageFigure.objects.order_by("village_id", "-year")
    qs = (
        selectors.organizations_for_register_sheet(user=user)
        .prefetch_related("tags", "needs", "resources", Prefetch("figures", queryset=latest, to_attr="figure_list"))
        .select_related("region__parent", "parent")
    )
    for org in qs.iterator(chunk_size=2000):
        region = org.region
        county = town = ""
        if region is not None:
            if region.level == "town":
                town, county = region.name, region.parent.name if region.parent else ""
            elif region.level == "county":
                county = region.name
        figure = org.figure_list[0] if org.figure_list else None
        yield [
            org.code,
            org.name,
            org.parent.code if org.parent else "",
            OrgLevel(org.level).label,
            OrgKind(org.kind).label,
            AgencyLine(org.line).label if org.line else "",
            county,
            town,
            region.division_code or "" if region is not None else "",
            cols.format_list([t.name for t in org.tags.all()]),
            cols.format_list([r.name for r in org.needs.all()]),
            cols.format_list([r.name for r in org.resources.all()]),
            org.capacity,
            figure.year if figure else "",
            figure.households if figure else "",
            figure.population if figure else "",
            figure.party_members if figure else "",
            figure.collective_income if figure and figure.collective_income is not None else "",
        ]


def _people_rows(user: Any, full: bool) -> Iterator[list[Any]]:
    for person in selectors.person_list(user=user).iterator(chunk_size=2000):
        yield [
            person.name,
            person.organization.code,
            person.post,
            person.phone if full else mask_phone(person.phone),
            (person.id_number or "") if full else mask_id_number(person.id_number or ""),
            "是" if person.is_party_member else "否",
        ]


def export_table(*, user: Any, sheet: str, fmt: str, full: bool = False) -> bytes:
    """The user's scope as xlsx or CSV. ``full`` (unmasked personal data) needs the
    permission and is audited; without it the export is masked."""
    title, headers, required = SHEETS[sheet]
    full = full and sheet == "people" and can_view_personal_data(user)
    rows = _organization_rows(user) if sheet == "organizations" else _people_rows(user, full)
    action = f"{'person' if sheet == 'people' else 'organization'}.export"
    export_recorded(action, actor=user, scope_path=subtree_path(user) or "", format=fmt, full_personal_data=full)
    return write_table(fmt, headers, rows, sheet_title=title, required=required)


def template_table(*, sheet: str, fmt: str) -> bytes:
    """An empty import template with Chinese headers; the xlsx has an instructions sheet."""
    title, headers, required = SHEETS[sheet]
    if fmt != "xlsx":
        return write_csv(headers, [])
    notes = [[h, "必填" if h in required else "选填", COLUMN_NOTES.get(h, "")] for h in headers]
    return write_xlsx(
        headers,
        [],
        sheet_title=title,
        required=required,
        extra_sheets=[("填写说明", ["列名", "是否必填", "填写要求"], notes)],
    )
