"""Importing joint organizations and their members from xlsx: all rows or none; export in the
same columns imports back unchanged."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongjian.audit.models import AuditEntry
from gongjian.core.cells import CellValueError, parse_date
from gongjian.core.tabular import TableRejected, write_xlsx
from gongjian.joint.models import JointMembership, JointProfile
from gongjian.joint.tables import COLUMNS, joint_export, joint_import, joint_template
from gongjian.orgs.models import Organization
from tests.conftest import Cast
from tests.joint.test_services import JointCast, make_joint_cast


@pytest.fixture
def jc(cast: Cast) -> JointCast:
    return make_joint_cast(cast)


def xlsx(rows: list[list[Any]]) -> bytes:
    return write_xlsx(COLUMNS, rows, sheet_title="联建组织")


GOOD = [
    ["LJ-SM-01", "试马村企联建党总支", "村企联建", "C0002", "2024-03-05", "C0014", "牵头", ""],
    ["LJ-SM-01", "试马村企联建党总支", "村企联建", "C0002", "", "C0013", "成员", "2024/4/1"],
    ["LJ-SM-01", "试马村企联建党总支", "村企联建", "C0002", "", "C0011", "", ""],
]


def test_a_good_file_sets_joints_up_and_importing_it_again_changes_nothing(cast: Cast, jc: JointCast) -> None:
    summary = joint_import(actor=cast.committee_admin, data=xlsx(GOOD), filename="联建.xlsx")
    assert (summary.created, summary.updated, summary.unchanged) == (1, 0, 0)
    joint = Organization.objects.get(code="LJ-SM-01")
    assert joint.parent == cast.county and joint.joint_profile.joint_type == "village_enterprise"
    rows = {m.member.code: (m.role, m.joined_on.isoformat()) for m in JointMembership.objects.filter(joint=joint)}
    assert rows == {
        "C0014": ("lead", "2024-03-05"),
        "C0013": ("member", "2024-04-01"),
        "C0011": ("member", "2024-03-05"),
    }
    again = joint_import(actor=cast.committee_admin, data=xlsx(GOOD), filename="联建.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    # A known code adds the members it lacks.
    more = [*GOOD, ["LJ-SM-01", "试马村企联建党总支", "村企联建", "C0002", "", "C0005", "成员", "2024-05-01"]]
    added = joint_import(actor=cast.committee_admin, data=xlsx(more), filename="联建.xlsx")
    assert added.updated == 1
    assert JointMembership.objects.get(joint=joint, member=cast.other_village).joined_on.isoformat() == "2024-05-01"
    assert AuditEntry.objects.filter(action="joint.import", success=True).count() == 3
    assert AuditEntry.objects.filter(action="joint.create", object_id=str(joint.pk)).count() == 1


def test_bad_rows_are_reported_with_row_column_reason_and_nothing_is_imported(cast: Cast, jc: JointCast) -> None:
    rows = [
        *GOOD,
        ["LJ-X-02", "坏联建", "联合体", "C0003", "2024-13-01", "C0004", "牵头", ""],  # 5: type, date
        ["LJ-X-03", "越界联建", "村村联建", "C0003", "", "C0009", "牵头", ""],  # 6: sibling county village
        ["LJ-X-03", "越界联建", "村村联建", "C0003", "", "C0004", "主任", ""],  # 7: role
        ["LJ-X-04", "双牵头", "村村联建", "C0003", "", "C0004", "牵头", ""],  # 8: two leads
        ["LJ-X-04", "双牵头", "村村联建", "C0003", "", "C0005", "牵头", ""],
        ["LJ-X-05", "设在村下", "村村联建", "C0004", "", "C0005", "牵头", ""],  # 10: parent
        ["LJ-X-05", "设在村下", "村村联建", "C0004", "", "C0005", "成员", ""],  # 11: duplicate
        ["C0004", "占用村代码", "村村联建", "C0003", "", "C0005", "牵头", ""],  # 12: a village's code
    ]
    before = (Organization.objects.count(), JointMembership.objects.count(), JointProfile.objects.count())
    with pytest.raises(TableRejected) as caught:
        joint_import(actor=cast.committee_admin, data=xlsx(rows), filename="联建.xlsx")
    found = {(e.row, e.column) for e in caught.value.errors}
    assert {
        (5, "联建类型"),
        (5, "成立日期"),
        (6, "成员组织代码"),
        (7, "成员角色"),
        (8, "成员角色"),
        (10, "设立组织代码"),
        (11, "成员组织代码"),
        (12, "联建组织代码"),
    } <= found
    assert not any(e.row in (2, 3, 4) for e in caught.value.errors)
    reasons = {(e.row, e.column): e.reason for e in caught.value.errors}
    assert "不在您的管理范围内" in reasons[6, "成员组织代码"] and "重复" in reasons[11, "成员组织代码"]
    assert "有且只有 1 个牵头组织（现有 2 个）" in reasons[8, "成员角色"]
    assert (Organization.objects.count(), JointMembership.objects.count(), JointProfile.objects.count()) == before
    assert AuditEntry.objects.filter(action="joint.import", success=False).count() == 1


def test_a_town_admin_cannot_import_into_another_town(cast: Cast, jc: JointCast) -> None:
    with pytest.raises(TableRejected) as caught:
        joint_import(actor=jc.town_admin, data=xlsx(GOOD), filename="联建.xlsx")
    columns = {(e.row, e.column) for e in caught.value.errors}
    assert (2, "设立组织代码") in columns and (3, "成员组织代码") in columns  # 县委 and 双庙村 are not its own
    assert not Organization.objects.filter(code="LJ-SM-01").exists()


def test_export_imports_back_unchanged_and_the_template_explains_columns(cast: Cast, jc: JointCast) -> None:
    content = joint_export(user=cast.committee_admin)
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert {v[0] for v in values} == {jc.committee.code, jc.across.code} and len(values) == 5
    assert AuditEntry.objects.filter(action="joint.export", actor_username="county").exists()
    summary = joint_import(actor=cast.committee_admin, data=content, filename="导出.xlsx")
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 2)
    notes = load_workbook(io.BytesIO(joint_template())).worksheets[1]
    assert notes.cell(row=2, column=1).value == "联建组织代码"
    # A member town admin exports the cross-town joint it reads, not more.
    town2 = load_workbook(io.BytesIO(joint_export(user=jc.town2_admin))).worksheets[0]
    assert {row[0].value for row in town2.iter_rows(min_row=2)} == {jc.across.code}


def test_import_page_shows_the_errors(cast: Cast, jc: JointCast) -> None:
    client = Client()
    client.force_login(cast.committee_admin)
    bad = xlsx([["LJ-Y-01", "坏", "联合体", "C0003", "", "C0004", "牵头", ""]])
    response = client.post(reverse("joint:import"), {"file": SimpleUploadedFile("联建.xlsx", bad)}, follow=False)
    body = response.content.decode()
    assert response.status_code == 400 and "未导入任何数据" in body and "联建类型" in body
    village_client = Client()
    village_client.force_login(cast.village_user)
    assert village_client.get(reverse("joint:import")).status_code == 403
    outsider = Client()
    outsider.force_login(cast.auditor)
    assert outsider.get(reverse("joint:import")).status_code == 404


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2024-03-05", "2024-03-05"), ("2024/3/5", "2024-03-05"), ("2024年3月5日", "2024-03-05"), ("2024-02-30", None)],
)
def test_dates_as_users_type_them(text: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(CellValueError):
            parse_date(text)
    else:
        assert parse_date(text).isoformat() == expected
