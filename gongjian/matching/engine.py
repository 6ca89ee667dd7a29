"""Running an allocation: pins first, then the optimal or stable solver, then the summary.

:func:`allocate` is the entry point for the web app (dataclasses in and out);
:func:`solve_problem` is the array-level one the command line uses at national scale.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, replace

import numpy as np

from gongjian.matching import optimal, stable
from gongjian.matching.model import (
    Instance,
    Mode,
    Pair,
    Result,
    Seconds,
    ShortOf,
    Uncovered,
    UncoveredReason,
)
from gongjian.matching.optimal import Progress
from gongjian.matching.problem import Problem, build_problem, instance_tables
from gongjian.matching.rules import rule_ids


@dataclass
class Solution:
    """The chosen candidate pairs (indices into the problem's arrays) and the objective."""

    problem: Problem
    mode: Mode
    chosen: np.ndarray
    optimal: bool
    counts: np.ndarray  # pairs per village
    used: np.ndarray  # pairs per unit

    @property
    def covered_slots(self) -> int:
        """Σ over villages of min(pairs, min)."""
        return int(np.minimum(self.counts, self.problem.vmin).sum())

    @property
    def required_slots(self) -> int:
        """Σ over villages of min."""
        return int(self.problem.vmin.sum())

    @property
    def total_score(self) -> int:
        """Σ of the chosen pairs' scores."""
        return int(self.problem.score[self.chosen].sum())


def allocate(
    instance: Instance,
    *,
    mode: Mode = "optimal",
    repair: bool = False,
    workers: int | None = None,
    short_of: ShortOf = "min",
    progress: Progress | None = None,
) -> Result:
    """Allocate units to villages.

    ``progress(done, total)``, if given, hears the solve go: the independent components
    solved of all (see :func:`gongjian.matching.optimal.solve`).

    ``short_of`` chooses which villages the result lists as short: those below their ``min``
    (the allocation spec's ``uncovered.csv``), or below their ``max`` (dispatch: every
    village that needs more cadres than it got).

    Raises :class:`~gongjian.matching.errors.AllocationInputError` on bad input, naming
    the list (``units``, ``pins``, ...), the item's 1-based position and the field.
    """
    start = time.perf_counter()
    problem = build_problem(instance_tables(instance), instance.policy)
    read = time.perf_counter() - start
    solution = solve_problem(problem, mode=mode, repair=repair, workers=workers, progress=progress)
    result = to_result(solution, short_of)
    return replace(result, seconds=Seconds(read, time.perf_counter() - start - read, 0.0))


def solve_problem(
    problem: Problem,
    *,
    mode: Mode = "optimal",
    repair: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Solution:
    """Solve a checked problem. ``repair`` only applies to stable mode. ``progress`` hears
    the components solved (stable mode: one part, the whole problem)."""
    pins = np.flatnonzero(problem.pinned)
    capacity = problem.capacity - np.bincount(problem.eu[pins], minlength=problem.n_units)
    pinned_per_village = np.bincount(problem.ev[pins], minlength=problem.n_villages)
    room = problem.vmax - pinned_per_village
    if mode == "optimal":
        free = np.flatnonzero(~problem.pinned) if len(pins) else None
        flow = optimal.FlowInput(
            problem.eu if free is None else problem.eu[free],
            problem.ev if free is None else problem.ev[free],
            problem.score if free is None else problem.score[free],
            capacity,
            np.maximum(problem.vmin - pinned_per_village, 0),
            room,
            _priority(problem, free),
        )
        picked = optimal.solve(flow, workers, progress)
        chosen = np.sort(np.concatenate([pins, picked if free is None else free[picked]]))
        chosen = _drop_idle_extras(problem, chosen)
    elif mode == "stable":
        if progress is not None:
            progress(0, 1)
        chosen = np.sort(np.concatenate([pins, stable.deferred_acceptance(problem, capacity, room)]))
        if repair:
            chosen = np.sort(np.concatenate([chosen, stable.repair(problem, chosen, workers)]))
        if progress is not None:
            progress(1, 1)
    else:
        raise ValueError(f"unknown mode {mode!r}")
    return Solution(
        problem,
        mode,
        chosen,
        mode == "optimal",
        np.bincount(problem.ev[chosen], minlength=problem.n_villages),
        np.bincount(problem.eu[chosen], minlength=problem.n_units),
    )


def _priority(problem: Problem, free: np.ndarray | None) -> np.ndarray | None:
    """The priority level of the unpinned candidates, or None if no pair follows a priority rule."""
    if not problem.priority.any():
        return None
    return problem.priority if free is None else problem.priority[free]


def _drop_idle_extras(problem: Problem, chosen: np.ndarray) -> np.ndarray:
    """Remove zero-score pairs a village has beyond its ``min``.

    The flow is indifferent to them (they change neither objective), but a clerk
    would rightly ask what such a pair is for. Pins stay.
    """
    count = np.bincount(problem.ev[chosen], minlength=problem.n_villages)
    idle = chosen[(problem.score[chosen] == 0) & (problem.priority[chosen] == 0) & ~problem.pinned[chosen]]
    idle = idle[count[problem.ev[idle]] > problem.vmin[problem.ev[idle]]]
    if len(idle) == 0:
        return chosen
    # Per village, drop at most (count - min) of its idle pairs.
    idle = idle[np.argsort(problem.ev[idle], kind="stable")]
    villages = problem.ev[idle]
    first = np.searchsorted(villages, villages)
    surplus = (count - problem.vmin)[villages]
    drop = idle[np.arange(len(idle)) - first < surplus]
    return np.setdiff1d(chosen, drop, assume_unique=True)


def uncovered(solution: Solution, short_of: ShortOf = "min") -> list[Uncovered]:
    """Villages below their ``min`` (``short_of="max"``: below their ``max``), each with the
    count of its candidates and why none (or too few) came.

    Candidates are the village's candidate pairs after forbids and binding rules (whose
    counts are given apart). In an optimum a candidate with room that was left out scores
    ≤ 0 there (pairing it would lower the total): ``candidates_unsuited``; in stable mode it
    did not list the village: ``candidates_declined``.
    """
    problem = solution.problem
    goal = problem.vmin if short_of == "min" else problem.vmax
    short = solution.counts < goal
    if not short.any():
        return []
    taken = np.zeros(len(problem.eu), dtype=bool)
    taken[solution.chosen] = True
    full = solution.used >= problem.capacity
    relevant = short[problem.ev]
    n = problem.n_villages
    candidates = np.bincount(problem.ev[relevant], minlength=n)
    others = relevant & ~taken
    at_capacity = np.bincount(problem.ev[others & full[problem.eu]], minlength=n)
    declined = np.bincount(problem.ev[others & ~full[problem.eu]], minlength=n)
    out = []
    for v in np.flatnonzero(short).tolist():
        if candidates[v] == 0:
            code = UncoveredReason.NO_CANDIDATE
        elif declined[v] == 0:
            code = UncoveredReason.CANDIDATES_AT_CAPACITY
        elif solution.mode == "stable":
            code = UncoveredReason.CANDIDATES_DECLINED
        else:
            code = UncoveredReason.CANDIDATES_UNSUITED
        out.append(
            Uncovered(
                problem.village_ids[v],
                int(goal[v] - solution.counts[v]),
                code,
                int(candidates[v]),
                int(solution.counts[v]),
                int(at_capacity[v]),
                int(declined[v]),
                int(problem.forbidden[v]),
                int(problem.ruled_out[v]),
            )
        )
    return out


def to_result(solution: Solution, short_of: ShortOf = "min") -> Result:
    """The dataclass form of a solution, for the web app."""
    problem = solution.problem
    pairs = tuple(
        Pair(
            problem.unit_ids[problem.eu[e]],
            problem.village_ids[problem.ev[e]],
            int(problem.score[e]),
            problem.component_pairs(e),
            bool(problem.pinned[e]),
            rule_ids(problem.policy, int(problem.followed[e])),
        )
        for e in solution.chosen.tolist()
    )
    return Result(
        solution.mode,
        pairs,
        tuple(uncovered(solution, short_of)),
        solution.covered_slots,
        solution.required_slots,
        solution.total_score,
        solution.optimal,
        short_of=short_of,
        candidate_pairs=len(problem.eu),
    )


def candidate_pair_count(instance: Instance) -> int:
    """How many (unit, village) pairs the engine would weigh without ``edges``: every pair,
    except where the geography table (对口安排表) limits a unit's district to some counties
    (a district missing from a given table helps none). With edges: their number."""
    if instance.edges is not None:
        return len(instance.edges)
    villages_by_county = Counter(v.county for v in instance.villages)
    geography = instance.policy.geography
    total = 0
    for district, units in Counter(u.district for u in instance.units).items():
        if geography is None:
            total += units * len(instance.villages)
        else:
            total += units * sum(villages_by_county[c] for c in geography.get(district, ()))
    return total
