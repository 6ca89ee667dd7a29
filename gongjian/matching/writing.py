"""Writing a solution: ``pairs.csv``, ``uncovered.csv`` and ``result.json``."""

from __future__ import annotations

import csv
import json
import os
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from gongjian.matching.engine import Solution, uncovered
from gongjian.matching.model import Seconds
from gongjian.matching.problem import Problem
from gongjian.matching.tables import string_array


def write_result(solution: Solution, out: Path, read: float, solve: float) -> Seconds:
    """Write the three result files into ``out`` (created if needed); returns the timings.

    Each file is written under a temporary name and renamed, so a reader never sees
    half a file.
    """
    start = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    problem = solution.problem
    chosen = solution.chosen
    if not _write_pairs_fast(out / "pairs.csv", problem, chosen):
        scores = problem.score[chosen].tolist()
        reasons = _reasons(problem, chosen)
        unit_ids = [problem.unit_ids[u] for u in problem.eu[chosen].tolist()]
        village_ids = [problem.village_ids[v] for v in problem.ev[chosen].tolist()]
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


def _int_array(values: np.ndarray) -> pa.Array:
    """A pyarrow array over a numpy buffer (``pa.array`` would import pandas)."""
    values = np.ascontiguousarray(values)
    kind = {4: pa.int32(), 8: pa.int64()}[values.dtype.itemsize]
    return pa.Array.from_buffers(kind, len(values), [None, pa.py_buffer(values)])


def _reasons(problem: Problem, chosen: np.ndarray) -> list[str]:
    """The ``reasons`` cells: components as ``name:points`` joined by ``;``."""
    return [
        ";".join(f"{name}:{points}" for name, points in problem.component_pairs(e)) for e in chosen.tolist()
    ]


def _write_pairs_fast(path: Path, problem: Problem, chosen: np.ndarray) -> bool:
    """``pairs.csv`` through pyarrow's CSV writer (a nation's 500,000 pairs in a tenth of the
    time); False if a cell would need quotes (an id with a comma), left to the csv module."""
    if problem.unit_array is None or problem.village_array is None:
        return False
    score = _int_array(problem.score[chosen].astype(np.int64))
    if problem.components is None:  # one component, the given score: "given:<score>", in C
        prefix, nothing = string_array(["given:"])[0], string_array([""])[0]
        reasons = pc.binary_join_element_wise(prefix, pc.cast(score, pa.string()), nothing)
    else:
        reasons = string_array(_reasons(problem, chosen))
    table = pa.table(
        {
            "unit": problem.unit_array.take(_int_array(problem.eu[chosen])),
            "village": problem.village_array.take(_int_array(problem.ev[chosen])),
            "score": score,
            "reasons": reasons,
        }
    )
    tmp = path.with_name(path.name + ".tmp")
    try:
        with tmp.open("wb") as handle:
            handle.write(b"unit,village,score,reasons\n")
            pacsv.write_csv(table, handle, pacsv.WriteOptions(include_header=False, quoting_style="none"))
    except pa.ArrowInvalid:  # a structural character in a cell: it needs quoting
        tmp.unlink(missing_ok=True)
        return False
    os.replace(tmp, path)
    return True


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
