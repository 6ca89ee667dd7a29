"""Import and export of the registry as xlsx and CSV."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from gongjian.audit.models import AuditEntry
from gongjian.core.tabular import TableRejected, write_csv, write_xlsx
from gongjian.joint.choices import JointType
from gongjian.joint.services import joint_create
from gongjian.orgs.import_organizations import organization_import
from gongjian.orgs.import_people import person_import
from gongjian.orgs.io_columns import ORG_COLUMNS, PERSON_COLUMNS
from gongjian.orgs.models import Organization, Person, VillageFigure
from tests.conftest import Cast, fix_check


def org_row(code: str, name: str, parent: str, level: str = "党支部", kind: str = "村", **cells: str) -> list[str]:
    values = {"组织代码": code, "组织名称": name, "上级组织代码": parent, "组织层级": level, "单位类型": kind, **cells}
    return [values.get(column, "") for column in ORG_COLUMNS]


def org_file(rows: list[list[str]], fmt: str = "xlsx") -> tuple[bytes, str]:
    if fmt == "xlsx":
        return write_xlsx(ORG_COLUMNS, rows, sheet_title="组织名册"), "orgs.xlsx"
    return write_csv(ORG_COLUMNS, rows), "orgs.csv"


GOOD_ROWS = [
    org_row(
        "T0100",
        "赵川镇党委",
        "C0002",
        level="基层党委",
        kind="乡镇",
        区县="商南县",
        乡镇街道="赵川镇",
        区划代码="611023104",
    ),
    org_row(
        "T0101",
        "花园村党支部",
        "T0100",
        区县="商南县",
        乡镇街道="赵川镇",
        村标签="经济薄弱、产业示范",
        需求清单="资金、技术",
        统计年度="2025",
        户数="312",
        人口="1,105",
        党员数="41",
        **{"村集体经济收入（元）": "¥85,000.50"},
    ),
    org_row(
        "T0102",
        "商南县司法局机关党委",
        "C0002",
        level="基层党委",
        kind="机关",
        机关条线="政法",
        资源清单="法律",
        可结对村数="2",
    ),
]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_import_creates_the_tree_and_reimport_changes_nothing(cast: Cast, fmt: str) -> None:
    data, name = org_file(GOOD_ROWS, fmt)
    summary = organization_import(actor=cast.committee_admin, data=data, filename=name)
    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    village = Organization.objects.get(code="T0101")
    assert village.parent.code == "T0100" and village.path.startswith(cast.county.path)
    assert village.region.name == "赵川镇" and village.region.division_code == "611023104"
    assert sorted(village.tags.values_list("code", flat=True)) == ["demo", "weak"]
    figure = VillageFigure.objects.get(village=village)
    assert (figure.population, str(figure.collective_income)) == (1105, "85000.50")
    assert Organization.objects.get(code="T0102").line == "legal"
    entries = AuditEntry.objects.count()

    again = organization_import(actor=cast.committee_admin, data=data, filename=name)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    # Only the import's own summary row is added; no organization is touched.
    assert AuditEntry.objects.count() == entries + 1


def test_changed_row_updates_and_is_audited(cast: Cast) -> None:
    organization_import(actor=cast.committee_admin, data=org_file(GOOD_ROWS)[0], filename="a.xlsx")
    rows = [list(r) for r in GOOD_ROWS]
    rows[2][ORG_COLUMNS.index("可结对村数")] = "4"
    summary = organization_import(actor=cast.committee_admin, data=org_file(rows)[0], filename="a.xlsx")
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 2)
    entry = AuditEntry.objects.filter(action="organization.update", object_repr="商南县司法局机关党委").get()
    assert entry.before["capacity"] == 2 and entry.after["capacity"] == 4


def test_one_bad_row_rejects_the_whole_file(cast: Cast) -> None:
    rows = [list(r) for r in GOOD_ROWS]
    rows[1][ORG_COLUMNS.index("单位类型")] = "村委会"
    before = Organization.objects.count()
    with pytest.raises(TableRejected) as caught:
        organization_import(actor=cast.committee_admin, data=org_file(rows)[0], filename="bad.xlsx")
    [error] = caught.value.errors
    assert (error.row, error.column) == (3, "单位类型") and "应为" in error.reason
    assert Organization.objects.count() == before
    assert AuditEntry.objects.get(action="organization.import").success is False


def test_division_codes_are_checked_against_the_national_register(cast: Cast) -> None:
    """An unknown code, or a code naming another place, is a row error that names the
    register's place for it (611023104 is 赵川镇 of 商南县; 611023001205 the village 五里铺)."""
    rows = [
        org_row(
            "T0300",
            "石门镇党委",
            "C0002",
            level="基层党委",
            kind="乡镇",
            区县="商南县",
            乡镇街道="石门镇",
            区划代码="611023104",
        ),
        org_row("T0301", "花园村党支部", "C0002", 区县="商南县", 乡镇街道="赵川镇", 区划代码="611023999999"),
        org_row("T0302", "花园村党支部", "C0002", 区县="商南县", 乡镇街道="城关街道", 区划代码="611023001205"),
        org_row("T0303", "五里铺村党支部", "C0002", 区县="山阳县", 区划代码="611023001205"),
    ]
    before = Organization.objects.count()
    with pytest.raises(TableRejected) as caught:
        organization_import(actor=cast.committee_admin, data=org_file(rows)[0], filename="codes.xlsx")
    errors = {e.row: e.reason for e in caught.value.errors if e.column == "区划代码"}
    assert errors[2] == "611023104 在国家行政区划名录中是“商洛市 商南县 赵川镇”，与“石门镇”不符"
    assert errors[3] == "611023999999 不在国家行政区划名录中"
    assert "五里铺村委会" in errors[4] and "花园村党支部" in errors[4]
    assert "商南县" in errors[5] and "山阳县" in errors[5]
    assert Organization.objects.count() == before
    good = org_row("T0304", "五里铺村党支部", "C0002", 区县="商南县", 乡镇街道="城关街道", 区划代码="611023001205")
    organization_import(actor=cast.committee_admin, data=org_file([good])[0], filename="good.xlsx")
    town = Organization.objects.get(code="T0304").region
    assert (town.name, town.division_code, town.parent.division_code) == ("城关街道", "611023001", "611023")


def test_every_bad_row_is_reported(cast: Cast) -> None:
    rows = [
        org_row("T0200", "", "C0002"),
        org_row("T0201", "甲村党支部", "NOPE"),
        org_row("T0201", "乙村党支部", "C0002", 村标签="不存在的标签"),
        org_row("T0203", "丙村党支部", "C0007"),  # the sibling county: outside the admin's scope
        org_row("T0204", "丁村党支部", "C0002", 统计年度="二〇二五"),
        org_row("T0205", "戊公司党委", "C0002", level="基层党委", kind="非公企业", 村标签="经济薄弱"),
    ]
    with pytest.raises(TableRejected) as caught:
        organization_import(actor=cast.committee_admin, data=org_file(rows)[0], filename="bad.xlsx")
    found = {(e.row, e.column) for e in caught.value.errors}
    assert found >= {
        (2, "组织名称"),
        (3, "上级组织代码"),
        (4, "组织代码"),
        (4, "村标签"),
        (5, "上级组织代码"),
        (6, "统计年度"),
        (7, "村标签"),
    }
    assert not Organization.objects.filter(code__startswith="T02").exists()


def test_cycles_and_wrong_headers_are_rejected(cast: Cast) -> None:
    rows = [org_row("T0300", "甲", "T0301"), org_row("T0301", "乙", "T0300")]
    with pytest.raises(TableRejected) as caught:
        organization_import(actor=cast.city_admin, data=org_file(rows)[0], filename="c.xlsx")
    assert any("循环" in e.reason for e in caught.value.errors)
    data = write_csv(["组织代码", "名称"], [["T1", "甲"]])
    with pytest.raises(TableRejected) as caught:
        organization_import(actor=cast.city_admin, data=data, filename="h.csv")
    assert {e.column for e in caught.value.errors} >= {"名称", "组织名称"}


def test_csv_saved_by_chinese_excel_in_gb18030_is_read(cast: Cast) -> None:
    text = write_csv(ORG_COLUMNS, GOOD_ROWS).decode("utf-8-sig")
    summary = organization_import(actor=cast.committee_admin, data=text.encode("gb18030"), filename="gbk.csv")
    assert summary.created == 3


def test_outside_code_cannot_be_taken_over(cast: Cast) -> None:
    rows = [org_row("C0009", "清泉村党支部", "C0003")]  # the sibling county's village, moved into ours
    with pytest.raises(TableRejected) as caught:
        organization_import(actor=cast.committee_admin, data=org_file(rows)[0], filename="x.xlsx")
    assert caught.value.errors[0].column == "组织代码"
    assert Organization.objects.get(code="C0009").parent.code == "C0008"


def test_export_then_import_is_idempotent(cast: Cast) -> None:
    # A joint organization (联建) in the scope: it has its own sheet on the joint page, and
    # the organization import refuses its kind — the organization sheet must leave it out,
    # or the exported file cannot be imported again (found walking the county demo).
    joint_create(
        actor=cast.committee_admin,
        parent=cast.town,
        name="花家前进村村联建党总支",
        joint_type=JointType.VILLAGE_VILLAGE,
        members=[cast.village, cast.other_village],
        lead=cast.village,
    )
    client = Client()
    client.force_login(cast.committee_admin)
    content = client.get("/orgs/export/organizations.xlsx").content
    names = [row[1] for row in load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert "花家前进村村联建党总支" not in names and len(names) == 5
    summary = organization_import(actor=cast.committee_admin, data=content, filename="export.xlsx")
    assert summary.created == 0 and summary.updated == 0 and summary.unchanged == 5


def test_template_has_chinese_headers(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.committee_admin)
    workbook = load_workbook(io.BytesIO(client.get("/orgs/template/organizations.xlsx").content))
    headers = [c.value for c in workbook.worksheets[0][1]]
    assert headers[0] == "组织代码*" and "村集体经济收入（元）" in headers
    assert workbook.sheetnames == ["组织名册", "填写说明"]
    csv_headers = client.get("/orgs/template/people.csv").content.decode("utf-8-sig").strip().split(",")
    assert csv_headers == PERSON_COLUMNS


def test_import_page_reports_errors_and_keeps_data(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.committee_admin)
    rows = [list(r) for r in GOOD_ROWS]
    rows[2][ORG_COLUMNS.index("可结对村数")] = "两个"
    upload = io.BytesIO(org_file(rows)[0])
    upload.name = "bad.xlsx"
    page = client.post("/orgs/import/organizations/", {"file": upload}).content.decode()
    assert "未导入任何数据" in page and "可结对村数" in page and ">4<" in page
    assert not Organization.objects.filter(code="T0100").exists()


def test_people_import_is_keyed_by_id_number(cast: Cast) -> None:
    id_number = fix_check("611023199001010010")
    rows = [["赵敏", "C0004", "村委会主任", "13700001111", id_number, "是"]]
    data = write_xlsx(PERSON_COLUMNS, rows, sheet_title="人员名册")
    assert person_import(actor=cast.village_user, data=data, filename="p.xlsx").created == 1
    assert person_import(actor=cast.village_user, data=data, filename="p.xlsx").unchanged == 1
    bad = write_xlsx(
        PERSON_COLUMNS, [["钱", "C0009", "", "138****1234", "611023199001010011", "也许"]], sheet_title="x"
    )
    with pytest.raises(TableRejected) as caught:
        person_import(actor=cast.village_user, data=bad, filename="p.xlsx")
    assert {e.column for e in caught.value.errors} == {"所在组织代码", "手机号码", "身份证号", "是否党员"}
    assert Person.objects.filter(name="赵敏").count() == 1


@pytest.mark.parametrize("sheet", ["organizations", "people"])
def test_exports_open_in_libreoffice(cast: Cast, sheet: str, tmp_path: Path) -> None:
    soffice = shutil.which("libreoffice") or shutil.which("soffice")
    assert soffice, "LibreOffice is required (scripts/system-deps.sh installs it)"
    client = Client()
    client.force_login(cast.city_admin)
    source = tmp_path / f"{sheet}.xlsx"
    source.write_bytes(client.get(f"/orgs/export/{sheet}.xlsx").content)
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    rows = list(csv.reader((tmp_path / "out" / f"{sheet}.csv").read_text("utf-8").splitlines()))
    if sheet == "organizations":
        assert rows[0][0] == "组织代码*" and any(r[1] == "花家村党支部" for r in rows[1:])
    else:
        assert rows[0][0] == "姓名*" and any(r[0] == "张秀英" and r[3] == "139****5678" for r in rows[1:])
