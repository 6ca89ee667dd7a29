"""Allocation benchmarks: county, province, nation (``make bench``).

For each instance, in the same run and each as a whole command (a subprocess: interpreter
start-up included, wall time, CPU time and peak memory from ``/usr/bin/time -v``):

- the engine (``gongjian allocate``): its phases read / solve / write from result.json;
- a reference written here without the engine's code: pyarrow read, ids mapped with
  ``pyarrow.compute.index_in``, and **one plain OR-Tools min-cost flow over the whole
  graph** (no splitting into components, no pruning) for the same lexicographic objective;
  both must reach the same optimum (covered slots, total score);
- a plain greedy assignment on the reference's arrays, for scale;
- stable mode's time (and, on the province, its blocking pairs, counted by the tests'
  independent checker).

The machine is shared: the load average is printed with every figure. Only the engine's
public entry point (the command) is used.
"""

from __future__ import annotations

import argparse
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
from tests.matching.checkers import Plain, blocking_pairs  # noqa: E402

# Whole command, interpreter start-up included (issue 14 point 3; the spec allows 1 / 2 / 20 s).
BUDGET = {"county": 1.0, "province": 1.0, "nation": 8.0, "province-register": 1.0, "nation-register": 8.0}
NATION_PEAK_MIB = 1.5 * 1024
TIME = Path("/usr/bin/time")


def load() -> str:
    """The load average now (the machine is shared: every figure is read against it)."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} cores"


def timed(command: list[str], cwd: Path = ROOT) -> tuple[float, float | None, int | None, str, str]:
    """Wall seconds, CPU seconds (user + system), peak RSS in KiB, stdout, stderr."""
    if TIME.exists():
        command = [str(TIME), "-v", *command]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=cwd, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"command failed: {' '.join(command)}\n{done.stderr}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    cpu = re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", done.stderr)
    return (
        wall,
        sum(float(x) for x in cpu) if cpu else None,
        int(rss.group(1)) if rss else None,
        done.stdout,
        done.stderr,
    )


def run_engine(
    folder: Path, out: Path, *extra: str, code: Path | None = None
) -> tuple[float, float | None, int | None, dict]:
    """The engine's whole command; result.json as written. ``code``: a folder holding another
    version's ``gongjian`` package (see ``--against``)."""
    command = [sys.executable, "-m", "gongjian.matching.cli", str(folder), "--out", str(out), *extra]
    # ``-m`` puts the working folder first on the path: run another version from its own.
    wall, cpu, peak, _out, _err = timed(command, cwd=code or ROOT)
    return wall, cpu, peak, json.loads((out / "result.json").read_text())


def checkout_engine(commit: str, into: Path) -> Path:
    """The engine as it was at ``commit`` (``git archive``, read only), to run side by side."""
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", commit, "gongjian/__init__.py", "gongjian/matching"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def run_reference(folder: Path) -> tuple[float, float | None, int | None, dict]:
    """The reference's whole command (this file with ``--reference``)."""
    wall, cpu, peak, out, _err = timed([sys.executable, __file__, "--reference", str(folder)])
    return wall, cpu, peak, json.loads(out)


# --- the reference: plain read, one whole-graph min-cost flow ------------------------------


def reference_arrays(folder: Path) -> dict[str, np.ndarray]:
    """Units' capacity, villages' min/max and the edges as positions, read with pyarrow."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    def read(name: str, types: dict[str, pa.DataType]) -> pa.Table:
        header = (folder / name).open(encoding="utf-8").readline().strip().split(",")
        return pacsv.read_csv(
            folder / name,
            convert_options=pacsv.ConvertOptions(column_types={k: v for k, v in types.items() if k in header}),
        )

    units = read("units.csv", {"id": pa.string(), "capacity": pa.int64()})
    villages = read("villages.csv", {"id": pa.string(), "min": pa.int64(), "max": pa.int64()})
    edges = read("edges.csv", {"unit": pa.string(), "village": pa.string(), "score": pa.int64()})

    def column(table: pa.Table, name: str, default: int) -> np.ndarray:
        if name not in table.column_names:
            return np.full(table.num_rows, default, dtype=np.int64)
        return table.column(name).to_numpy().astype(np.int64)

    return {
        "capacity": column(units, "capacity", 1),
        "vmin": column(villages, "min", 1),
        "vmax": column(villages, "max", 1),
        "eu": pc.index_in(edges.column("unit"), value_set=units.column("id")).to_numpy().astype(np.int64),
        "ev": pc.index_in(edges.column("village"), value_set=villages.column("id")).to_numpy().astype(np.int64),
        "score": edges.column("score").to_numpy().astype(np.int64),
    }


def reference_solve(a: dict[str, np.ndarray]) -> np.ndarray:
    """One min-cost flow over the whole graph: source → unit (capacity) → village (1 pair,
    cost −score) → sink (a covered arc of capacity min, cost −BIG; an extra arc of capacity
    max − min, cost 0), and a source → sink bypass. BIG exceeds any difference in score."""
    from ortools.graph.python import min_cost_flow

    eu, ev, score = a["eu"], a["ev"], a["score"]
    n_u, n_v = len(a["capacity"]), len(a["vmin"])
    most = min(int(a["capacity"].sum()), int(a["vmax"].sum()), len(eu))
    big = min(2 * most * int(np.abs(score).max(initial=0)), int(np.abs(score).sum())) + 1
    source, sink, u0, v0 = 0, 1, 2, 2 + n_u
    villages = v0 + np.arange(n_v)
    tails = np.concatenate([np.zeros(n_u, np.int64), u0 + eu, villages, villages, [source]])
    heads = np.concatenate([u0 + np.arange(n_u), v0 + ev, np.full(2 * n_v, sink), [sink]])
    supply = int(a["capacity"].sum())
    caps = np.concatenate([a["capacity"], np.ones(len(eu), np.int64), a["vmin"], a["vmax"] - a["vmin"], [supply]])
    costs = np.concatenate([np.zeros(n_u, np.int64), -score, np.full(n_v, -big), np.zeros(n_v, np.int64), [0]])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps.astype(np.int64), costs.astype(np.int64)
    )
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    status = flow.solve()
    assert status == flow.OPTIMAL, f"reference flow status {status}"
    return np.flatnonzero(flow.flows(np.arange(n_u, n_u + len(eu), dtype=np.int32)) > 0)


def reference_main(folder: Path) -> None:
    """Print the reference's phases and optimum as JSON (run as a subprocess by the bench)."""
    marks = [time.perf_counter()]
    arrays = reference_arrays(folder)
    marks.append(time.perf_counter())
    chosen = reference_solve(arrays)
    marks.append(time.perf_counter())
    counts = np.bincount(arrays["ev"][chosen], minlength=len(arrays["vmin"]))
    print(
        json.dumps(
            {
                "read": marks[1] - marks[0],
                "solve": marks[2] - marks[1],
                "covered_slots": int(np.minimum(counts, arrays["vmin"]).sum()),
                "total_score": int(arrays["score"][chosen].sum()),
                "pairs": len(chosen),
            }
        )
    )


# --- greedy and stable, for scale ------------------------------------------------------------


def greedy(a: dict[str, np.ndarray]) -> tuple[int, int]:
    """Each village in turn takes its best free units: up to min, then positive ones up to
    max. Returns (villages left below min, total score)."""
    order = np.lexsort((-a["score"], a["ev"]))
    ev, eu, score = a["ev"][order], a["eu"][order], a["score"][order]
    n_v = len(a["vmin"])
    starts = np.searchsorted(ev, np.arange(n_v + 1)).tolist()
    room = a["capacity"].copy().tolist()
    units, scores = eu.tolist(), score.tolist()
    count = [0] * n_v
    vmin, vmax = a["vmin"].tolist(), a["vmax"].tolist()
    total = 0
    taken: set[int] = set()
    for phase in ("min", "max"):
        for v in range(n_v):
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
    return sum(1 for v in range(n_v) if count[v] < vmin[v]), total


def plain_with_edges(folder: Path) -> Plain:
    """The province as plain dicts for the blocking-pair checker (scores as given)."""
    units, villages = _rows(folder / "units.csv"), _rows(folder / "villages.csv")
    score = {(r["unit"], r["village"]): int(r["score"]) for r in _rows(folder / "edges.csv")}
    rank = {(r["unit"], r["village"]): int(r["rank"]) for r in _rows(folder / "preferences.csv")}
    return Plain(
        capacity={r["id"]: int(r.get("capacity") or 1) for r in units},
        vmin={r["id"]: int(r.get("min") or 1) for r in villages},
        vmax={r["id"]: int(r.get("max") or 1) for r in villages},
        score=score,
        rank=rank,
        merit=score,
    )


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _mib(kib: int | None) -> str:
    return f"{kib / 1024:.0f} MiB" if kib else "? MiB"


def main(against: str | None = None) -> int:
    """Run every benchmark and print a report; exit 1 if a budget is missed. ``against``: a
    commit whose engine also runs on each instance (its time and whether the optimum is the same)."""
    folders = instances()
    print(f"start: {load()}")
    missed = []
    work = Path(tempfile.mkdtemp(prefix="gongjian-bench-"))
    old = checkout_engine(against, work / "against") if against else None
    try:
        for name, folder in folders.items():
            print(f"\n== {name}: {folder}")
            wall, cpu, peak, result = run_engine(folder, work / name)
            s = result["seconds"]
            print(
                f"engine:    whole command {wall:.2f} s (budget {BUDGET[name]:.0f} s), CPU {cpu} s, "
                f"peak {_mib(peak)}; read {s['read']:.2f} / solve {s['solve']:.2f} / write {s['write']:.2f} s"
                f"   [{load()}]"
            )
            print(
                f"           {result['pairs']} pairs, covered {result['covered_slots']}/{result['required_slots']}"
                f" slots, total score {result['total_score']}"
            )
            if old is not None:
                o_wall, o_cpu, o_peak, o = run_engine(folder, work / f"{name}-against", code=old)
                same = (o["covered_slots"], o["total_score"]) == (result["covered_slots"], result["total_score"])
                print(
                    f"{against}:   whole command {o_wall:.2f} s, CPU {o_cpu} s, peak {_mib(o_peak)}; read "
                    f"{o['seconds']['read']:.2f} / solve {o['seconds']['solve']:.2f} / write "
                    f"{o['seconds']['write']:.2f} s; covered {o['covered_slots']}, total score {o['total_score']}: "
                    f"{'the same optimum' if same else 'DIFFERENT optimum'}   [{load()}]"
                )
                if not same:
                    missed.append(f"{name}: the optimum differs from {against}'s")
            if wall > BUDGET[name]:
                missed.append(f"{name} took {wall:.2f} s ({load()})")
            if name.startswith("nation") and peak and peak > NATION_PEAK_MIB * 1024:
                missed.append(f"nation peak {_mib(peak)}")
            if not (folder / "edges.csv").exists():
                print("reference: n/a (scored by the policy; the reference takes edges.csv only)")
            else:
                r_wall, r_cpu, r_peak, ref = run_reference(folder)
                same = (ref["covered_slots"], ref["total_score"]) == (result["covered_slots"], result["total_score"])
                print(
                    f"reference: whole command {r_wall:.2f} s, CPU {r_cpu} s, peak {_mib(r_peak)}; "
                    f"read+map {ref['read']:.2f} / one whole-graph flow {ref['solve']:.2f} s   [{load()}]"
                )
                print(
                    f"           covered {ref['covered_slots']}, total score {ref['total_score']}: "
                    f"{'the same optimum' if same else 'DIFFERENT optimum'}; "
                    f"engine/reference wall {wall / r_wall:.2f}"
                )
                if not same:
                    missed.append(f"{name}: the engine's optimum differs from the reference's")
                g_short, g_total = greedy(reference_arrays(folder))
                print(
                    f"greedy:    {g_short} villages left below min "
                    f"(optimum: {result['required_slots'] - result['covered_slots']} slots short), "
                    f"score {g_total}, {result['total_score'] - g_total} less than the optimum"
                )
            if name.startswith("nation"):
                continue
            wall, _cpu, _peak, stable = run_engine(folder, work / f"{name}-stable", "--mode", "stable")
            line = (
                f"stable:    whole command {wall:.2f} s (solve {stable['seconds']['solve']:.2f} s), "
                f"{stable['pairs']} pairs, covered {stable['covered_slots']}/{stable['required_slots']}"
            )
            if (folder / "edges.csv").exists():
                pairs = [(r["unit"], r["village"]) for r in _rows(work / f"{name}-stable" / "pairs.csv")]
                blocking = blocking_pairs(plain_with_edges(folder), pairs)
                line += f", blocking pairs: {len(blocking)}"
                if blocking:
                    missed.append(f"{name} stable result has {len(blocking)} blocking pairs")
            print(f"{line}   [{load()}]")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if missed:
        print("\nMISSED: " + "; ".join(missed))
        return 1
    print("\nall budgets met")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, help="run only the reference on this instance folder")
    parser.add_argument("--against", metavar="COMMIT", help="also run the engine as it was at this commit")
    args = parser.parse_args()
    if args.reference:
        reference_main(args.reference)
        sys.exit(0)
    sys.exit(main(args.against))
