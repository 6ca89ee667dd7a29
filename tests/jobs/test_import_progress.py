"""Every import behind the upload pages shows both phases on a job's progress bar: the rows
read and checked (gongjian.core.tabular.read_table) and the rows imported
(gongjian.core.progress.importing, "正在导入各行 x/N"), the second rising to its total."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from gongjian.accounts.import_accounts import account_import
from gongjian.accounts.models import Role
from gongjian.core.progress import Listener, listening
from gongjian.core.tabular import write_csv, write_xlsx
from gongjian.jobs.work import IMPORTERS
from gongjian.orgs.io_columns import PERSON_COLUMNS
from gongjian.rounds.models import DirectoryEntry, RoundUnit
from tests.conftest import Cast
from tests.dispatch.conftest import id_number
from tests.dispatch.conftest import skills as skills  # a fixture of the cases
from tests.funds.conftest import make_pairs
from tests.members.conftest import cadre as cadre  # fixtures of the cases
from tests.members.conftest import make_person
from tests.members.conftest import needy_member as needy_member
from tests.members.conftest import pairing as pairing
from tests.members.conftest import policy_dir as policy_dir
from tests.orgs.test_spreadsheets import GOOD_ROWS, fix_check, org_file
from tests.rounds.conftest import make_round

pytestmark = pytest.mark.django_db


@dataclass
class Case:
    """An importer's good file: who imports it, the file, the importer's extra arguments, and
    how many items its write phase goes through."""

    actor: Any
    data: bytes
    filename: str
    items: int
    extra: dict[str, Any]


def organizations(cast: Cast, request: pytest.FixtureRequest) -> Case:
    data, name = org_file(GOOD_ROWS)
    return Case(cast.committee_admin, data, name, len(GOOD_ROWS), {})


def people(cast: Cast, request: pytest.FixtureRequest) -> Case:
    rows = [
        ["赵敏", "C0004", "村委会主任", "13700001111", fix_check("611023199001010010"), "是"],
        ["钱进", "C0004", "委员", "13700002222", fix_check("611023199001010029"), "否"],
    ]
    return Case(cast.village_user, write_xlsx(PERSON_COLUMNS, rows, sheet_title="人员名册"), "p.xlsx", 2, {})


def joint(cast: Cast, request: pytest.FixtureRequest) -> Case:
    from gongjian.joint.tables import COLUMNS
    from tests.joint.test_services import make_joint_cast

    make_joint_cast(cast)
    rows = [
        ["LJ-SM-01", "试马村企联建党总支", "村企联建", "C0002", "2024-03-05", "C0014", "牵头", ""],
        ["LJ-SM-01", "试马村企联建党总支", "村企联建", "C0002", "", "C0013", "成员", "2024/4/1"],
    ]
    return Case(cast.committee_admin, write_xlsx(COLUMNS, rows, sheet_title="联建组织"), "j.xlsx", 1, {})


def transfers(cast: Cast, request: pytest.FixtureRequest) -> Case:
    from gongjian.funds.import_transfers import COLUMNS

    make_pairs(cast)
    rows = [
        ["C0004", "花家村", datetime.date(2026, 3, 5), 20000, "通过公益基金会", "市慈善基金会", "HD-1", ""],
        ["C0005", "", "2026/4/1", "1234.50", "", "", "", "第二笔"],
    ]
    return Case(cast.unit_user, write_xlsx(COLUMNS, rows, sheet_title="拨付记录"), "t.xlsx", 2, {})


def candidates(cast: Cast, request: pytest.FixtureRequest) -> Case:
    from gongjian.dispatch.tables import CANDIDATE_COLUMNS

    request.getfixturevalue("skills")
    row = ["李明", "男", "1987-03-04", id_number(), "13800002222", "大学本科", "中共党员", cast.unit.code, "科员",
           "农业技术", cast.county.code]  # fmt: skip
    return Case(cast.committee_admin, write_xlsx(CANDIDATE_COLUMNS, [row], sheet_title="人才库报名"), "c.xlsx", 1, {})


def members(cast: Cast, request: pytest.FixtureRequest) -> Case:
    request.getfixturevalue("policy_dir")
    good = make_person(cast.village, "冯军", "61102319920101006")
    headers = ["姓名", "身份证号", "外出地点", "从事工作", "外出日期", "流入地组织代码", "联系电话"]
    rows = [["冯军", good.id_number, "西安", "保安", "2026-03-05", cast.sibling_village.code, "13800001111"]]
    return Case(cast.village_user, write_csv(headers, rows), "m.csv", 1, {})


def pairs(cast: Cast, request: pytest.FixtureRequest) -> Case:
    request.getfixturevalue("policy_dir")
    request.getfixturevalue("pairing")
    cadre, needy = request.getfixturevalue("cadre"), request.getfixturevalue("needy_member")
    headers = ["结对单位代码", "村组织代码", "干部身份证号", "困难党员身份证号", "困难群众姓名", "结对日期"]
    rows = [[cast.unit.code, cast.village.code, cadre.id_number, needy.id_number, "赵大娘", "2026-03-05"]]
    return Case(cast.unit_user, write_csv(headers, rows), "pairs.csv", 1, {})


def geography(cast: Cast, request: pytest.FixtureRequest) -> Case:
    round_ = make_round(cast)
    districts = sorted(set(RoundUnit.objects.filter(round=round_).values_list("district", flat=True)))
    counties = sorted(set(DirectoryEntry.objects.filter(round=round_).values_list("county", flat=True)))
    rows = [[d, c] for d in districts for c in counties]
    data = write_csv(["帮扶方", "受帮扶区县"], rows)
    return Case(cast.city_admin, data, "g.csv", len(rows), {"round_": round_})


def accounts(cast: Cast, request: pytest.FixtureRequest) -> Case:
    rows = [["cun_zhang", "张村", str(Role.VILLAGE_USER.label), cast.village.code, ""],
            ["cun_li", "李村", str(Role.VILLAGE_USER.label), cast.other_village.code, ""]]  # fmt: skip
    return Case(cast.city_admin, write_csv(["账号", "姓名", "角色", "组织编码", "手机号码"], rows), "a.csv", 2, {})


# Every importer the upload pages start as a job, and the accounts' import (in the request).
CASES: dict[str, Callable[[Cast, pytest.FixtureRequest], Case]] = {
    "organizations": organizations,
    "people": people,
    "joint": joint,
    "transfers": transfers,
    "candidates": candidates,
    "members": members,
    "pairs": pairs,
    "geography": geography,
}


def importer_of(key: str) -> Callable[..., Any]:
    return account_import if key == "accounts" else IMPORTERS[key].function


def test_every_registered_importer_has_its_case() -> None:
    assert set(CASES) == set(IMPORTERS)


@pytest.mark.parametrize("key", [*CASES, "accounts"])
def test_an_import_reports_its_rows_checked_then_its_rows_imported(
    key: str, cast: Cast, request: pytest.FixtureRequest
) -> None:
    case = (accounts if key == "accounts" else CASES[key])(cast, request)
    readings: list[tuple[int, int | None, str]] = []
    with listening(Listener(progress=lambda done, total, stage: readings.append((done, total, stage)))):
        importer_of(key)(actor=case.actor, data=case.data, filename=case.filename, **case.extra)
    stages = [stage for _done, _total, stage in readings]
    checked = [r for r in readings if r[2] == "正在读取并校验各行"]
    imported = [r for r in readings if r[2] == "正在导入各行"]
    assert checked and imported, stages
    assert stages.index("正在导入各行") > max(i for i, s in enumerate(stages) if s == "正在读取并校验各行")
    assert [d for d, _t, _s in imported] == sorted(d for d, _t, _s in imported)
    assert imported[0][:2] == (0, case.items) and imported[-1][:2] == (case.items, case.items)
