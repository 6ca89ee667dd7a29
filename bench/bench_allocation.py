"""Allocation benchmarks: county, province, nation (``make bench``).

For each instance: the whole command's wall time (a subprocess, interpreter start-up
included) and peak memory from ``/usr/bin/time -v``; read/solve/write from
result.json; a plain greedy assignment against the optimum; and stable mode's time
and blocking pairs (county, province), counted by the tests' independent checker.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.make_instances import instances  # noqa: E402
from gongjian.matching.problem import Problem, build_problem  # noqa: E402
from gongjian.matching.reading import read_instance_dir  # noqa: E402
from tests.matching.checkers import Plain, blocking_pairs  # noqa: E402

BUDGET = {"county": 1.0, "province": 2.0, "nation": 20.0}
TIME = Path("/usr/bin/time")


def run_command(folder: Path, out: Path, *extra: str) -> tuple[float, int | None, dict]:
    """Wall seconds, peak RSS in KiB, result.json (plus ``cpu``: user+system seconds)."""
    command = [sys.executable, "-m", "gongjian.matching.cli", str(folder), "--out", str(out), *extra]
    if TIME.exists():
        command = [str(TIME), "-v", *command]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"command failed: {done.stderr}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    peak = int(rss.group(1)) if rss else None
    if peak is None:
        import resource

        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = json.loads((out / "result.json").read_text())
    cpu = re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", done.stderr)
    result["cpu"] = sum(float(x) for x in cpu) if cpu else None
    return wall, peak, result


def greedy(problem: Problem) -> tuple[int, int]:
    """Each village in turn takes its best free units: up to min, then positive ones up to
    max. Returns (villages left below min, total score)."""
    order = np.lexsort((-problem.score, problem.ev))
    ev, eu, score = problem.ev[order], problem.eu[order], problem.score[order]
    starts = np.searchsorted(ev, np.arange(problem.n_villages + 1)).tolist()
    room = problem.capacity.copy().tolist()
    units, scores = eu.tolist(), score.tolist()
    count = [0] * problem.n_villages
    vmin, vmax = problem.vmin.tolist(), problem.vmax.tolist()
    total = 0
    taken = set()
    for phase in ("min", "max"):
        for v in range(problem.n_villages):
            goal = vmin[v] if phase == "min" else vmax[v]
            for i in range(starts[v], starts[v + 1]):
                if count[v] >= goal:
                    break
                u = units[i]
                if room[u] > 0 and i not in taken and (phase == "min" or scores[i] > 0):
                    taken.add(i)
                    room[u] -= 1
                    count[v] += 1
                    total += scores[i]
    uncovered = sum(1 for v in range(problem.n_villages) if count[v] < vmin[v])
    return uncovered, total


def plain_of(problem: Problem) -> Plain:
    units, villages = problem.unit_ids, problem.village_ids
    keys = list(zip([units[u] for u in problem.eu.tolist()], [villages[v] for v in problem.ev.tolist()], strict=True))
    merit = problem.village_score().tolist()
    ranked = problem.rank.tolist()
    return Plain(
        capacity=dict(zip(units, problem.capacity.tolist(), strict=True)),
        vmin=dict(zip(villages, problem.vmin.tolist(), strict=True)),
        vmax=dict(zip(villages, problem.vmax.tolist(), strict=True)),
        score=dict(zip(keys, problem.score.tolist(), strict=True)),
        rank={k: r for k, r in zip(keys, ranked, strict=True) if r > 0},
        merit=dict(zip(keys, merit, strict=True)),
    )


def main() -> int:
    """Run every benchmark and print a report; exit 1 if a budget is missed."""
    folders = instances()
    # Other work on the machine slows every figure; the load says how much to trust them.
    print("load average at start: {:.1f} {:.1f} {:.1f} on {} cores".format(*os.getloadavg(), os.cpu_count()))
    missed = []
    work = Path(tempfile.mkdtemp(prefix="gongjian-bench-"))
    try:
        for name, folder in folders.items():
            wall, peak, result = run_command(folder, work / name)
            s = result["seconds"]
            print(f"\n== {name}: {folder}")
            print(
                f"optimal: whole command {wall:.2f} s (budget {BUDGET[name]:.0f} s), "
                f"read {s['read']:.2f} / solve {s['solve']:.2f} / write {s['write']:.2f} s, "
                f"peak RSS {peak / 1024:.0f} MiB, CPU {result['cpu']} s"
                if peak
                else ""
            )
            print(
                f"         {result['pairs']} pairs, covered {result['covered_slots']}"
                f"/{result['required_slots']} slots, total score {result['total_score']}"
            )
            if wall > BUDGET[name]:
                missed.append(f"{name} took {wall:.2f} s")
            if name == "nation" and peak and peak > 2 * 1024 * 1024:
                missed.append(f"nation peak RSS {peak / 1024:.0f} MiB")
            tables = read_instance_dir(folder)
            problem = build_problem(tables.tables, tables.policy)
            optimum_short = sum(1 for _ in _short_villages(work / name))
            g_short, g_total = greedy(problem)
            print(
                f"greedy:  {g_short} villages left below min (optimum: {optimum_short}), "
                f"score {g_total}, {result['total_score'] - g_total} less than the optimum"
            )
            if name == "nation":
                continue
            wall, _, stable = run_command(folder, work / f"{name}-stable", "--mode", "stable")
            pairs = [(r["unit"], r["village"]) for r in _rows(work / f"{name}-stable" / "pairs.csv")]
            blocking = blocking_pairs(plain_of(problem), pairs)
            print(
                f"stable:  whole command {wall:.2f} s (solve {stable['seconds']['solve']:.2f} s), "
                f"{stable['pairs']} pairs, covered {stable['covered_slots']}"
                f"/{stable['required_slots']}, blocking pairs: {len(blocking)}"
            )
            if blocking:
                missed.append(f"{name} stable result has {len(blocking)} blocking pairs")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if missed:
        print("\nMISSED: " + "; ".join(missed))
        return 1
    print("\nall budgets met")
    return 0


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _short_villages(out: Path) -> list[dict[str, str]]:
    return _rows(out / "uncovered.csv")


if __name__ == "__main__":
    sys.exit(main())
