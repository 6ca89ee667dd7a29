"""Benchmark: importing a province-sized organization file (20,000 rows) on PostgreSQL.

    .venv/bin/python bench/bench_import.py [--rows 20000] [--bad-row 12345]

For xlsx and then CSV, in a scratch PostgreSQL database created and dropped here
(``BENCH_DATABASE_URL``, default postgres://postgres@127.0.0.1:5432/gongjian_bench; the
scratch database is ``test_`` + its name): create a 市委 and a city admin, then time

1. the first import of the file (target: under 30 s),
2. importing the same file again (must create and update nothing),
3. a copy with one bad 单位类型 (must be rejected whole, naming row and column, changing nothing).

The file is generated from the demo data planner (towns, villages with tags, needs and
figures, units with resources) into a temporary directory and never kept.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gongjian_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongjian.settings")
os.environ.setdefault("GONGJIAN_ENV", "test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from gongjian.accounts.models import Role, User  # noqa: E402
from gongjian.audit.models import AuditEntry  # noqa: E402
from gongjian.core.tabular import TableRejected, write_csv, write_xlsx  # noqa: E402
from gongjian.demo.registry.plan import OrgNode, Plan  # noqa: E402
from gongjian.demo.registry.scales import ALL_WORK_COMMITTEES, Scale  # noqa: E402
from gongjian.demo.registry.tree import build_plan  # noqa: E402
from gongjian.orgs import io_columns as cols  # noqa: E402
from gongjian.orgs.import_organizations import organization_import  # noqa: E402
from gongjian.orgs.models import (  # noqa: E402
    AgencyLine,
    Organization,
    OrgKind,
    OrgLevel,
    Region,
    RegionLevel,
    Resource,
    Tag,
    VillageFigure,
)
from gongjian.orgs.services import organization_create, region_get_or_create  # noqa: E402

TARGET_SECONDS = 30.0
BAD_KIND = "外星单位"
# One city big enough for 20,000 rows below its 市委: 12,000 villages, 7,300 units.
BENCH_SCALE = Scale(
    name="bench",
    label="基准测试",
    cities=1,
    urban_districts=4,
    rural_counties=10,
    villages=12000,
    units=7300,
    work_committee_share=0.3,
    work_committees=ALL_WORK_COMMITTEES,
    villages_per_town=(14, 20),
    people_per_village=0,
    people_per_unit=(0, 0),
)


def plan_rows(plan: Plan, count: int) -> list[list[Any]]:
    """The first ``count`` organizations below the root as import rows (parents come first,
    so every parent is in the file or is the root)."""
    tag_names = dict(Tag.objects.values_list("code", "name"))
    resource_names = dict(Resource.objects.values_list("code", "name"))
    regions = plan.regions
    rows = []
    orgs: list[OrgNode] = plan.orgs[1 : count + 1]
    if len(orgs) < count:
        raise SystemExit(f"计划中只有 {len(orgs)} 个组织，不足 {count} 行")
    for org in orgs:
        county = town = ""
        if org.region is not None:
            region = regions[org.region]
            if region.level == RegionLevel.TOWN:
                town, county = region.name, regions[region.parent].name  # type: ignore[index]
            elif region.level == RegionLevel.COUNTY:
                county = region.name
        # The bench's places are invented: their codes are not the national register's, which
        # the import checks (a real file carries real codes), so the column stays empty.
        code = ""
        figure = org.figures[-1] if org.figures else None
        rows.append(
            [
                org.code,
                org.name,
                plan.orgs[org.parent].code if org.parent is not None else "",
                str(OrgLevel(org.level).label),
                str(OrgKind(org.kind).label),
                str(AgencyLine(org.line).label) if org.line else "",
                county,
                town,
                code,
                cols.format_list([tag_names[t] for t in org.tags]),
                cols.format_list([resource_names[r] for r in org.needs]),
                cols.format_list([resource_names[r] for r in org.resources]),
                org.capacity or "",
                figure.year if figure else "",
                figure.households if figure else "",
                figure.population if figure else "",
                figure.party_members if figure else "",
                figure.collective_income if figure else "",
            ]
        )
    return rows


def encode(rows: list[list[Any]], fmt: str) -> bytes:
    if fmt == "xlsx":
        return write_xlsx(cols.ORG_COLUMNS, rows, sheet_title="组织名册", required=cols.ORG_REQUIRED)
    return write_csv(cols.ORG_COLUMNS, rows)


def table_counts() -> dict[str, int]:
    """Row counts of every registry table the import writes (the audit log apart)."""
    return {
        "organizations": Organization.objects.count(),
        "regions": Region.objects.count(),
        "figures": VillageFigure.objects.count(),
        "tags": Organization.tags.through.objects.count(),
        "needs": Organization.needs.through.objects.count(),
        "resources": Organization.resources.through.objects.count(),
    }


def seed_root(plan: Plan) -> User:
    """The 市委 the file hangs under, made through the service as a real set-up would, and its admin."""
    regions = plan.regions
    root = plan.orgs[0]
    city = regions[root.region]  # type: ignore[index]
    province = regions[city.parent]  # type: ignore[index]
    province_region = region_get_or_create(
        name=province.name, level=RegionLevel.PROVINCE, parent=None, division_code=province.code
    )
    city_region = region_get_or_create(
        name=city.name, level=RegionLevel.CITY, parent=province_region, division_code=city.code
    )
    committee = organization_create(
        actor=None, parent=None, code=root.code, name=root.name, level=root.level, kind=root.kind, region=city_region
    )
    return User.objects.create_user(
        username="bench_city_admin", password="Bench@2026x", role=Role.CITY_ADMIN, organization=committee
    )


def timed_import(admin: User, data: bytes, filename: str) -> tuple[float, Any]:
    started = time.perf_counter()
    try:
        result: Any = organization_import(actor=admin, data=data, filename=filename)
    except TableRejected as exc:
        result = exc
    return time.perf_counter() - started, result


def run(fmt: str, plan: Plan, rows_wanted: int, bad_row: int, workdir: Path) -> bool:
    """One format's three imports in a fresh scratch database; True if every check held."""
    old_config = setup_databases(verbosity=0, interactive=False)
    ok = True
    try:
        admin = seed_root(plan)
        rows = plan_rows(plan, rows_wanted)
        good, bad = workdir / f"organizations.{fmt}", workdir / f"organizations-bad.{fmt}"
        good.write_bytes(encode(rows, fmt))
        bad_rows = [list(r) for r in rows]
        bad_rows[bad_row - 2][cols.ORG_COLUMNS.index("单位类型")] = BAD_KIND  # row 1 is the header
        bad.write_bytes(encode(bad_rows, fmt))
        print(
            f"\n== {fmt.upper()}：{len(rows):,} 行，文件 {good.stat().st_size / 1e6:.1f} MB"
            f"（数据库 {connection.settings_dict['NAME']}）"
        )

        seconds, summary = timed_import(admin, good.read_bytes(), good.name)
        if isinstance(summary, TableRejected):
            print(f"首次导入被拒绝：{summary}")
            return False
        verdict = "达标" if seconds < TARGET_SECONDS else f"超过目标 {TARGET_SECONDS:.0f} 秒"
        print(f"首次导入：{seconds:6.1f} 秒（{verdict}）  {summary.as_dict()}")
        ok &= seconds < TARGET_SECONDS and summary.created == len(rows)

        audit_before = AuditEntry.objects.count()
        seconds, summary = timed_import(admin, good.read_bytes(), good.name)
        print(
            f"再次导入：{seconds:6.1f} 秒  新建 {summary.created}，更新 {summary.updated}，"
            f"未变 {summary.unchanged}；审计新增 {AuditEntry.objects.count() - audit_before} 行（导入本身）"
        )
        ok &= summary.created == 0 and summary.updated == 0

        before = table_counts()
        audit_before = AuditEntry.objects.count()
        seconds, result = timed_import(admin, bad.read_bytes(), bad.name)
        after = table_counts()
        if isinstance(result, TableRejected):
            first = result.errors[0]
            print(
                f"坏行文件：{seconds:6.1f} 秒  已拒绝，{len(result.errors)} 处错误；"
                f"第 {first.row} 行「{first.column}」列：{first.reason[:60]}……"
            )
            ok &= len(result.errors) == 1 and first.row == bad_row and first.column == "单位类型"
        else:
            print(f"坏行文件：未被拒绝！{result.as_dict()}")
            ok = False
        unchanged = before == after
        print(
            f"          组织数 {before['organizations']:,} → {after['organizations']:,}；"
            f"非审计表{'均未变' if unchanged else '有变化：' + str((before, after))}；"
            f"审计新增 {AuditEntry.objects.count() - audit_before} 行（失败记录）"
        )
        ok &= unchanged
    finally:
        teardown_databases(old_config, verbosity=0)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description="组织名册导入基准测试（PostgreSQL）")
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--bad-row", type=int, default=12345, help="坏行在表格中的行号（表头为第 1 行）")
    parser.add_argument("--formats", default="xlsx,csv")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("需要 PostgreSQL：请设置 BENCH_DATABASE_URL=postgres://...")
        return 2
    plan = build_plan(BENCH_SCALE, seed=1, year=2026)
    ok = True
    with tempfile.TemporaryDirectory(prefix="gj-bench-import-") as tmp:
        for fmt in args.formats.split(","):
            ok &= run(fmt, plan, args.rows, args.bad_row, Path(tmp))
    print("\n结论：" + ("全部通过" if ok else "有未通过的检查"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
