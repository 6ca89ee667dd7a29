"""Importing the organization registry from xlsx/CSV.

All rows are validated first; one bad row rejects the whole file and nothing is written.
The organization code is the key: importing the same file again changes nothing.
Writes are in bulk so that a province's 20,000 rows import in seconds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import CharField, Model, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from gongjian.audit.models import AuditEntry
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import Actor, AuditRecord, audited
from gongjian.core.progress import importing, report
from gongjian.core.tabular import CellError, Row, TableRejected, read_table
from gongjian.orgs import io_columns as cols
from gongjian.orgs import register
from gongjian.orgs.models import (
    Organization,
    OrgKind,
    Region,
    RegionLevel,
    Resource,
    Tag,
    VillageFigure,
    organization_code_validator,
)
from gongjian.orgs.scope import can_manage, is_within, scope_root
from gongjian.orgs.search import search_keys
from gongjian.orgs.services import organization_subtree_move, region_get_or_create

CHUNK = 2000
SCALAR_FIELDS = ["name", "level", "kind", "line", "region_id", "capacity"]


@dataclass
class OrgRow:
    row: int
    code: str
    name: str
    parent_code: str
    level: str
    kind: str
    line: str
    county: str
    town: str
    division_code: str
    capacity: int
    tag_ids: set[int]
    need_ids: set[int]
    resource_ids: set[int]
    figure: dict[str, Any] | None
    generation: int = 0


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    figures_written: int = 0
    regions_created: int = 0
    errors: list[CellError] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "figures_written": self.figures_written,
            "regions_created": self.regions_created,
        }


def _by_name_or_code(model: type[Tag] | type[Resource]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for obj in model.objects.all():
        mapping[obj.name] = obj.pk
        mapping[obj.code] = obj.pk
    return mapping


def _existing_by_code(codes: list[str]) -> dict[str, Organization]:
    found: dict[str, Organization] = {}
    for start in range(0, len(codes), CHUNK):
        for org in Organization.objects.filter(code__in=codes[start : start + CHUNK]):
            found[org.code] = org
    return found


class _RowParser:
    """Turns one spreadsheet row into an :class:`OrgRow`, collecting every problem."""

    def __init__(self) -> None:
        self.levels = cols.level_choices()
        self.kinds = cols.kind_choices()
        self.lines = cols.line_choices()
        self.tags = _by_name_or_code(Tag)
        self.resources = _by_name_or_code(Resource)
        self.errors: list[CellError] = []

    def error(self, row: Row, column: str, reason: str) -> None:
        self.errors.append(CellError(row.number, column, reason))

    def _ids(self, row: Row, column: str, vocabulary: dict[str, int], what: str) -> set[int]:
        ids = set()
        for item in cols.split_list(row.get(column)):
            if item in vocabulary:
                ids.add(vocabulary[item])
            else:
                self.error(row, column, f"未知的{what}“{item}”")
        return ids

    def _count(self, row: Row, column: str) -> int | None:
        text = row.get(column)
        if not text:
            return None
        try:
            return cols.parse_count(text)
        except ValueError as exc:
            self.error(row, column, str(exc))
            return None

    def parse(self, row: Row) -> OrgRow:
        code = row.get("组织代码").upper()
        if not code:
            self.error(row, "组织代码", "不能为空")
        else:
            try:
                organization_code_validator(code)
            except ValidationError as exc:
                self.error(row, "组织代码", str(exc.messages[0]))
        name = row.get("组织名称")
        if not name:
            self.error(row, "组织名称", "不能为空")
        elif len(name) > 128:
            self.error(row, "组织名称", "不能超过 128 个字")
        parent_code = row.get("上级组织代码").upper()
        if not parent_code:
            self.error(row, "上级组织代码", "不能为空")
        elif parent_code == code:
            self.error(row, "上级组织代码", "不能是本组织自己")
        level = self.levels.get(row.get("组织层级"), "")
        if not level:
            self.error(row, "组织层级", f"应为：{'、'.join(str(label) for _v, label in cols.OrgLevel.choices)}")
        kind = self.kinds.get(row.get("单位类型"), "")
        if not kind:
            labels = "、".join(str(label) for v, label in OrgKind.choices if v != OrgKind.JOINT)
            self.error(row, "单位类型", f"应为：{labels}（联建组织请在“联建组织”页面导入）")
        line = ""
        if row.get("机关条线"):
            line = self.lines.get(row.get("机关条线"), "")
            if not line:
                self.error(row, "机关条线", "应为：党群、政法、经济、涉农、其他")
            elif kind and kind != OrgKind.AGENCY:
                self.error(row, "机关条线", "只有机关填写机关条线")
        elif kind == OrgKind.AGENCY:
            line = cols.AgencyLine.OTHER
        county, town = row.get("区县"), row.get("乡镇街道")
        if town and not county:
            self.error(row, "区县", "填写乡镇街道时须填写所属区县")
        division_code = row.get("区划代码")
        if division_code and (not division_code.isdigit() or len(division_code) not in (6, 9, 12)):
            self.error(row, "区划代码", "应为 6、9 或 12 位数字（GB/T 2260）")
        if division_code and not county:
            self.error(row, "区划代码", "填写区划代码时须填写区县")
        elif division_code.isdigit() and len(division_code) in (6, 9, 12):
            # The national register decides: an unknown code, or one naming another place, is refused.
            problem = register.code_problem(division_code, county=county, town=town, name=name)
            if problem:
                self.error(row, "区划代码", problem)
        tag_ids = self._ids(row, "村标签", self.tags, "村标签")
        if tag_ids and kind and kind != OrgKind.VILLAGE:
            self.error(row, "村标签", "只有村填写村标签")
        need_ids = self._ids(row, "需求清单", self.resources, "需求类别")
        resource_ids = self._ids(row, "资源清单", self.resources, "资源类别")
        capacity = self._count(row, "可结对村数") or 0
        if capacity > 1000:
            self.error(row, "可结对村数", "不能超过 1000")
        return OrgRow(
            row=row.number,
            code=code,
            name=name,
            parent_code=parent_code,
            level=level,
            kind=kind,
            line=line,
            county=county,
            town=town,
            division_code=division_code,
            capacity=capacity,
            tag_ids=tag_ids,
            need_ids=need_ids,
            resource_ids=resource_ids,
            figure=self._figure(row, kind),
        )

    def _figure(self, row: Row, kind: str) -> dict[str, Any] | None:
        given = [c for c in [*cols.FIGURE_COLUMNS, "村集体经济收入（元）"] if row.get(c)]
        year_text = row.get("统计年度")
        if not year_text:
            if given:
                self.error(row, "统计年度", "填写村情数据时须填写统计年度")
            return None
        if kind and kind != OrgKind.VILLAGE:
            self.error(row, "统计年度", "只有村填写村情数据")
            return None
        year = self._count(row, "统计年度")
        if year is not None and not 1949 <= year <= 2100:
            self.error(row, "统计年度", "年度应在 1949 至 2100 之间")
        figure: dict[str, Any] = {"year": year}
        for column, name in cols.FIGURE_COLUMNS.items():
            figure[name] = self._count(row, column)
        income: Decimal | None = None
        if row.get("村集体经济收入（元）"):
            try:
                income = cols.parse_money(row.get("村集体经济收入（元）"))
            except ValueError as exc:
                self.error(row, "村集体经济收入（元）", str(exc))
        figure["collective_income"] = income
        return figure


def _check_tree(
    actor: Actor | None, rows: list[OrgRow], existing: dict[str, Organization], parents_in_db: dict[str, Organization]
) -> list[CellError]:
    """Codes unique, parents known and manageable, no cycles; sets each row's generation."""
    errors: list[CellError] = []
    by_code: dict[str, OrgRow] = {}
    for r in rows:
        if r.code in by_code:
            errors.append(CellError(r.row, "组织代码", f"与第 {by_code[r.code].row} 行重复"))
        else:
            by_code[r.code] = r
    for r in rows:
        current = existing.get(r.code)
        if current is not None and actor is not None and not can_manage(actor, current):
            errors.append(CellError(r.row, "组织代码", "该代码已被您管理范围以外的组织使用"))
        if not r.parent_code or r.parent_code in by_code:
            continue
        parent = parents_in_db.get(r.parent_code)
        if parent is None:
            errors.append(CellError(r.row, "上级组织代码", f"找不到代码为 {r.parent_code} 的上级组织"))
        elif actor is not None and not can_manage(actor, parent):
            # The top of the importer's own subtree keeps a parent outside it; that is fine
            # as long as the row does not move it.
            current = existing.get(r.code)
            if current is None or current.parent_id != parent.pk:
                errors.append(CellError(r.row, "上级组织代码", "上级组织不在您的管理范围内"))
    # Generations: a row comes after its parent; a parent chain that returns to itself is a cycle.
    for r in rows:
        chain: list[OrgRow] = []
        node: OrgRow | None = r
        while node is not None and node.parent_code in by_code and node not in chain:
            chain.append(node)
            node = by_code[node.parent_code]
        if node is not None and node in chain:
            errors.append(CellError(r.row, "上级组织代码", "上级关系形成了循环"))
        r.generation = len(chain)
    for r in rows:
        current = existing.get(r.code)
        parent = parents_in_db.get(r.parent_code)
        if current is not None and parent is not None and is_within(parent, current):
            errors.append(CellError(r.row, "上级组织代码", "不能把组织移到它自己的下级组织之下"))
    return errors


class _RegionResolver:
    def __init__(self, actor: Actor | None) -> None:
        root = scope_root(actor) if actor is not None else None
        region = root.region if root is not None else None
        # Counties are looked up under the city (or province) that holds the importer's tree.
        while region is not None and region.level in (RegionLevel.COUNTY, RegionLevel.TOWN):
            region = region.parent
        self.top = region
        self.cache: dict[tuple[str, str], Region | None] = {}
        # Counted once before and once after (see ``created``), not twice per new place:
        # a province's file names some 800 towns.
        self.regions_before = Region.objects.count()

    @property
    def created(self) -> int:
        return Region.objects.count() - self.regions_before

    def resolve(self, r: OrgRow) -> Region | None:
        key = (r.county, r.town)
        if not r.county:
            return None
        if key not in self.cache:
            # A village's 12-digit code names its town (9 digits) and county (6) too: each
            # region keeps its own part (the register has checked that they agree).
            code = r.division_code
            county = region_get_or_create(
                name=r.county,
                level=RegionLevel.COUNTY,
                parent=self.top,
                division_code=code[:6] if code and (r.town or len(code) == 6) else None,
            )
            region = county
            if r.town:
                region = region_get_or_create(
                    name=r.town,
                    level=RegionLevel.TOWN,
                    parent=county,
                    division_code=code[:9] if len(code) >= 9 else None,
                )
            self.cache[key] = region
        return self.cache[key]


def _snapshot(org: Organization, r: OrgRow | None = None, m2m: dict[str, set[int]] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"code": org.code, "parent_id": org.parent_id}
    data.update({name: getattr(org, name) for name in SCALAR_FIELDS})
    if m2m is not None:
        data.update({k: sorted(v) for k, v in m2m.items()})
    return data


@audits_refusals
def organization_import(*, actor: Actor | None, data: bytes, filename: str) -> ImportSummary:
    """Validate and import an organization file; reject the whole file on any bad row."""
    root = scope_root(actor) if actor is not None else None
    with audited("organization.import", actor=actor, scope_path=root.path if root else "") as record:
        record.extra = {"file": filename}
        rows = read_table(data, filename, columns=cols.ORG_COLUMNS, required=cols.ORG_REQUIRED)
        parser = _RowParser()
        parsed = [parser.parse(row) for row in rows]
        codes = [r.code for r in parsed if r.code]
        existing = _existing_by_code(codes)
        parent_codes = sorted({r.parent_code for r in parsed if r.parent_code} - set(codes))
        parents_in_db = _existing_by_code(parent_codes) | existing
        errors = parser.errors + _check_tree(actor, parsed, existing, parents_in_db)
        if errors:
            errors.sort(key=lambda e: (e.row, e.column))
            raise TableRejected(errors)
        summary = _apply(actor, parsed, existing, parents_in_db)
        record.after = summary.as_dict()
    return summary


def _apply(
    actor: Actor | None, rows: list[OrgRow], existing: dict[str, Organization], parents_in_db: dict[str, Organization]
) -> ImportSummary:
    summary = ImportSummary()
    regions = _RegionResolver(actor)
    orgs_by_code: dict[str, Organization] = dict(parents_in_db)
    audit_rows: list[AuditEntry] = []
    current_m2m = _current_m2m([org.pk for org in existing.values()])
    moved: list[tuple[Organization, str]] = []
    by_generation: dict[int, list[OrgRow]] = defaultdict(list)
    for r in rows:
        by_generation[r.generation].append(r)
    imported = 0  # rows so far, for a job's progress bar
    for generation in sorted(by_generation):
        new_orgs: list[Organization] = []
        changed: list[Organization] = []
        for r in importing(by_generation[generation], total=len(rows), start=imported):
            parent = orgs_by_code[r.parent_code]
            region = regions.resolve(r)
            values = {
                "name": r.name,
                "level": r.level,
                "kind": r.kind,
                "line": r.line,
                "region_id": region.pk if region else None,
                "capacity": r.capacity,
            }
            org = existing.get(r.code)
            if org is None:
                org = Organization(code=r.code, parent=parent, **values)
                org.name_pinyin, org.name_initials = search_keys(r.name)
                new_orgs.append(org)
            else:
                before = _snapshot(org, m2m=current_m2m.get(org.pk))
                dirty = org.parent_id != parent.pk or any(getattr(org, k) != v for k, v in values.items())
                if dirty:
                    if org.parent_id != parent.pk:
                        moved.append((org, org.path))
                    org.parent = parent
                    for k, v in values.items():
                        setattr(org, k, v)
                    org.name_pinyin, org.name_initials = search_keys(r.name)
                    changed.append(org)
                org._import_before = before  # type: ignore[attr-defined]
                org._import_dirty = dirty  # type: ignore[attr-defined]
            orgs_by_code[r.code] = org
        Organization.objects.bulk_create(new_orgs, batch_size=CHUNK)
        for org in new_orgs:
            org.path = f"{org.parent.path if org.parent else '/'}{org.pk}/"
            org.depth = org.parent.depth + 1 if org.parent else 0
        _write_paths(new_orgs)
        Organization.objects.bulk_update(
            changed, ["parent", *SCALAR_FIELDS, "name_pinyin", "name_initials"], batch_size=CHUNK
        )
        summary.created += len(new_orgs)
        imported += len(by_generation[generation])
    report(done=len(rows), total=len(rows), stage=_("正在写入组织关系与审计记录"))
    for org, old_path in moved:
        org.refresh_from_db(fields=["depth"])
        organization_subtree_move(org, old_path)
    m2m_changed = _write_m2m(rows, orgs_by_code, current_m2m)
    summary.figures_written = _write_figures(rows, orgs_by_code)
    for r in rows:
        org = orgs_by_code[r.code]
        desired = {"tags": r.tag_ids, "needs": r.need_ids, "resources": r.resource_ids}
        record = AuditRecord(action="organization.import_row", actor=actor, target=org, scope_path=org.path)
        if r.code not in existing:
            record.action = "organization.create"
            record.after = _snapshot(org, m2m=desired)
        elif org._import_dirty or org.pk in m2m_changed:  # type: ignore[attr-defined]
            record.action = "organization.update"
            record.before = org._import_before  # type: ignore[attr-defined]
            record.after = _snapshot(org, m2m=desired)
            summary.updated += 1
        else:
            summary.unchanged += 1
            continue
        audit_rows.append(record.entry(success=True))
    AuditEntry.objects.bulk_create(audit_rows, batch_size=CHUNK)
    summary.regions_created = regions.created
    return summary


def _write_paths(new_orgs: list[Organization]) -> None:
    """Store the paths and depths of freshly inserted organizations (one generation).

    One set-based UPDATE per chunk, in which the database takes each row's parent path
    itself: ``bulk_update`` would send a CASE branch per row (and Django resolves each
    one), which was the slowest part of importing 20,000 rows. The values are the ones
    already computed in memory.
    """
    parent_path = Organization.objects.filter(pk=OuterRef("parent_id")).values("path")[:1]
    parent_depth = Organization.objects.filter(pk=OuterRef("parent_id")).values("depth")[:1]
    for start in range(0, len(new_orgs), CHUNK):
        Organization.objects.filter(pk__in=[o.pk for o in new_orgs[start:start + CHUNK]]).update(
            path=Concat(Subquery(parent_path), Cast("id", output_field=CharField()), Value("/")),
            depth=Subquery(parent_depth) + 1,
        )


# Through models of the organization's many-to-many fields, and their target column.
M2M_FIELDS: dict[str, tuple[str, Any]] = {
    "tags": ("tag_id", Organization.tags),
    "needs": ("resource_id", Organization.needs),
    "resources": ("resource_id", Organization.resources),
}


def _current_m2m(org_ids: list[int]) -> dict[int, dict[str, set[int]]]:
    current: dict[int, dict[str, set[int]]] = defaultdict(lambda: {k: set() for k in M2M_FIELDS})
    for name, (column, descriptor) in M2M_FIELDS.items():
        through: Any = descriptor.through  # a model class Django builds at run time
        for start in range(0, len(org_ids), CHUNK):
            for org_id, target_id in through.objects.filter(
                organization_id__in=org_ids[start : start + CHUNK]
            ).values_list("organization_id", column):
                current[org_id][name].add(target_id)
    return current


def _write_m2m(
    rows: list[OrgRow], orgs_by_code: dict[str, Organization], current: dict[int, dict[str, set[int]]]
) -> set[int]:
    """Bring tags, needs and resources to what the file says; returns the organizations changed."""
    changed: set[int] = set()
    for name, (column, descriptor) in M2M_FIELDS.items():
        through: Any = descriptor.through  # a model class Django builds at run time
        to_add: list[Model] = []
        to_remove: list[tuple[int, set[int]]] = []
        for r in rows:
            org = orgs_by_code[r.code]
            desired: set[int] = getattr(r, {"tags": "tag_ids", "needs": "need_ids", "resources": "resource_ids"}[name])
            have = current[org.pk][name] if org.pk in current else set()
            for target_id in desired - have:
                to_add.append(through(organization_id=org.pk, **{column: target_id}))
            if have - desired:
                to_remove.append((org.pk, have - desired))
            if desired != have:
                changed.add(org.pk)
        through.objects.bulk_create(to_add, batch_size=CHUNK)
        for org_id, targets in to_remove:
            through.objects.filter(organization_id=org_id, **{f"{column}__in": targets}).delete()
    return changed


def _write_figures(rows: list[OrgRow], orgs_by_code: dict[str, Organization]) -> int:
    wanted = {(orgs_by_code[r.code].pk, r.figure["year"]): r.figure for r in rows if r.figure}
    if not wanted:
        return 0
    village_ids = sorted({village_id for village_id, _year in wanted})
    existing: dict[tuple[int, int], VillageFigure] = {}
    for start in range(0, len(village_ids), CHUNK):
        for figure in VillageFigure.objects.filter(village_id__in=village_ids[start : start + CHUNK]):
            existing[(figure.village_id, figure.year)] = figure
    names = ["households", "population", "party_members", "collective_income"]
    new: list[VillageFigure] = []
    changed: list[VillageFigure] = []
    for key, values in wanted.items():
        found = existing.get(key)
        if found is None:
            new.append(VillageFigure(village_id=key[0], **values))
        elif any(getattr(found, n) != values[n] for n in names):
            for n in names:
                setattr(found, n, values[n])
            changed.append(found)
    VillageFigure.objects.bulk_create(new, batch_size=CHUNK)
    VillageFigure.objects.bulk_update(changed, names, batch_size=CHUNK)
    return len(new) + len(changed)
