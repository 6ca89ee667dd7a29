"""Writing a solution: ``pairs.csv``, ``uncovered.csv`` and ``result.json``."""

from __future__ import annotations

import csv
import json
import os
import time
from pathlib import Path

import numpy as np

from gongjian.matching.engine import Solution, uncovered
from gongjian.matching.model import Seconds


def write_result(solution: Solution, out: Path, read: float, solve: float) -> Seconds:
    """Write the three result files into ``out`` (created if needed); returns the timings.

    Each file is written under a temporary name and renamed, so a reader never sees
    half a file.
    """
    start = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    problem = solution.problem
    chosen = solution.chosen
    unit_ids = np.asarray(problem.unit_ids, dtype=object)[problem.eu[chosen]].tolist()
    village_ids = np.asarray(problem.village_ids, dtype=object)[problem.ev[chosen]].tolist()
    scores = problem.score[chosen].tolist()
    if problem.components is None:
        reasons = [f"given:{s}" for s in scores]
    else:
        reasons = [
            ";".join(f"{name}:{points}" for name, points in problem.component_pairs(e))
            for e in chosen.tolist()
        ]
    _write_csv(
        out / "pairs.csv",
        ["unit", "village", "score", "reasons"],
        zip(unit_ids, village_ids, scores, reasons, strict=True),
    )
    _write_csv(
        out / "uncovered.csv",
        ["village", "missing", "reason"],
        ((u.village, u.missing, u.reason) for u in uncovered(solution)),
    )
    seconds = Seconds(round(read, 3), round(solve, 3), round(time.perf_counter() - start, 3))
    summary = {
        "mode": solution.mode,
        "covered_slots": solution.covered_slots,
        "required_slots": solution.required_slots,
        "total_score": solution.total_score,
        "pairs": len(chosen),
        "optimal": solution.optimal,
        "seconds": {"read": seconds.read, "solve": seconds.solve, "write": seconds.write},
    }
    _replace_with(out / "result.json", json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    return seconds


def _write_csv(path: Path, header: list[str], rows: object) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)  # type: ignore[arg-type]
    os.replace(tmp, path)


def _replace_with(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
