"""Seed a cluster database for an import (run as a script with DATABASE_URL set):

    python tests/jobs/seed_import.py ROWS OUT.xlsx

A 市委 with its admin (``bench_city_admin``), and an organization file of ROWS rows below it
from the demo planner (bench/bench_import.py's province-sized city)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ["BENCH_DATABASE_URL"] = os.environ["DATABASE_URL"]

from bench.bench_import import BENCH_SCALE, encode, plan_rows, seed_root  # noqa: E402
from gongjian.demo.registry.tree import build_plan  # noqa: E402


def main() -> None:
    rows, out = int(sys.argv[1]), Path(sys.argv[2])
    # seed 7: no code in common with the county demo (seed 1 shares its 市委 code)
    plan = build_plan(BENCH_SCALE, seed=7, year=2026)
    seed_root(plan)
    out.write_bytes(encode(plan_rows(plan, rows), "xlsx"))


if __name__ == "__main__":
    main()
