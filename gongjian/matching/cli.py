"""``gongjian allocate INSTANCE_DIR --out RESULT_DIR [--mode optimal|stable] [--repair]``.

Exit status: 0 on success, 2 on bad input (message naming file, row and column on
stderr, nothing written).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for the top-level ``gongjian`` help)."""
    parser = argparse.ArgumentParser(
        prog="gongjian allocate",
        description="Pair helper units with villages (结对分配): exact optimum or stable matching.",
    )
    parser.add_argument(
        "instance_dir",
        type=Path,
        metavar="INSTANCE_DIR",
        help="folder with units.csv, villages.csv and the optional files",
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="RESULT_DIR",
        help="folder to write pairs.csv, uncovered.csv and result.json into",
    )
    parser.add_argument(
        "--mode",
        choices=("optimal", "stable"),
        default="optimal",
        help="optimal: most covered slots, then highest score (default); "
        "stable: unit-proposing deferred acceptance",
    )
    parser.add_argument(
        "--repair",
        action="store_true",
        help="stable mode: then fill villages below min from spare capacity",
    )
    parser.add_argument(
        "--explain",
        metavar="VILLAGE",
        action="append",
        default=[],
        help="print this village's candidates and why each did or did not get it (may be repeated)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes for large instances (default: up to 2 cores)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.repair and args.mode != "stable":
        parser.error("--repair only applies to --mode stable")
    if args.out is None and not args.explain:
        parser.error("--out RESULT_DIR is required (unless only --explain is wanted)")

    # Imported here so that `--help` and argument errors stay instant.
    from gongjian.matching.engine import solve_problem
    from gongjian.matching.errors import AllocationInputError
    from gongjian.matching.explain import explain_village, village_index
    from gongjian.matching.problem import build_problem
    from gongjian.matching.reading import read_instance_dir
    from gongjian.matching.writing import write_result

    start = time.perf_counter()
    try:
        tables = read_instance_dir(args.instance_dir)
        problem = build_problem(tables.tables, tables.policy)
    except AllocationInputError as exc:
        print(f"gongjian allocate: bad input: {exc.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    read = time.perf_counter() - start
    solution = solve_problem(problem, mode=args.mode, repair=args.repair, workers=args.workers)
    for village in args.explain:
        if village_index(solution, village) is None:
            print(f"gongjian allocate: --explain: no village with id {village!r}", file=sys.stderr)
            return EXIT_BAD_INPUT
    solve = time.perf_counter() - start - read
    if args.out is not None:
        seconds = write_result(solution, args.out, read, solve)
        print(
            f"{solution.mode}: {len(solution.chosen)} pairs, covered slots "
            f"{solution.covered_slots}/{solution.required_slots}, total score "
            f"{solution.total_score} (read {seconds.read:.2f}s, solve {seconds.solve:.2f}s, "
            f"write {seconds.write:.2f}s) -> {args.out}"
        )
    for village in args.explain:
        print(explain_village(solution, village).render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
