"""Independent checks of allocation results, written without any of the engine's code.

Plain dicts and loops: feasibility, the objective, brute force, a MILP formulation
(scipy/HiGHS) and a blocking-pair finder. The bench reuses them.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Plain:
    """An instance as plain dicts: what the checkers need and nothing more."""

    capacity: dict[str, int]
    vmin: dict[str, int]
    vmax: dict[str, int]
    score: dict[tuple[str, str], int]  # candidate pairs (forbids already removed)
    pins: set[tuple[str, str]] = field(default_factory=set)
    rank: dict[tuple[str, str], int] = field(default_factory=dict)
    merit: dict[tuple[str, str], int] = field(default_factory=dict)  # village's view in stable mode


def problems(plain: Plain, pairs: list[tuple[str, str]]) -> list[str]:
    """Every hard constraint the pairs break (empty: feasible)."""
    found = []
    if len(set(pairs)) != len(pairs):
        found.append("a pair appears twice")
    for p in pairs:
        if p not in plain.score:
            found.append(f"{p} is not a candidate")
    for u, n in Counter(u for u, _ in pairs).items():
        if n > plain.capacity[u]:
            found.append(f"unit {u} over capacity")
    for v, n in Counter(v for _, v in pairs).items():
        if n > plain.vmax[v]:
            found.append(f"village {v} over max")
    for p in plain.pins - set(pairs):
        found.append(f"pin {p} missing")
    return found


def objective(plain: Plain, pairs: list[tuple[str, str]]) -> tuple[int, int]:
    """(covered slots, total score)."""
    count = Counter(v for _, v in pairs)
    covered = sum(min(count[v], m) for v, m in plain.vmin.items())
    return covered, sum(plain.score[p] for p in pairs)


def brute_force(plain: Plain) -> tuple[int, int] | None:
    """The best objective over every subset of candidate pairs (None: no feasible one)."""
    candidates = sorted(plain.score)
    best: tuple[int, int] | None = None
    for size in range(len(candidates) + 1):
        for subset in itertools.combinations(candidates, size):
            chosen = list(subset)
            if problems(plain, chosen):
                continue
            value = objective(plain, chosen)
            if best is None or value > best:
                best = value
    return best


def milp_optimum(plain: Plain) -> tuple[int, int]:
    """Lexicographic optimum by two integer programs solved with HiGHS."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    pairs = sorted(plain.score)
    villages = sorted(plain.vmin)
    units = sorted(plain.capacity)
    n, m = len(pairs), len(villages)
    # Variables: x (one per pair, binary), then y (covered slots per village, integer).
    rows, lo, hi = [], [], []
    for u in units:
        rows.append([1.0 if p[0] == u else 0.0 for p in pairs] + [0.0] * m)
        lo.append(0)
        hi.append(plain.capacity[u])
    for j, v in enumerate(villages):
        x = [1.0 if p[1] == v else 0.0 for p in pairs]
        rows.append(x + [0.0] * m)
        lo.append(0)
        hi.append(plain.vmax[v])
        y = [0.0] * m
        y[j] = -1.0
        rows.append(x + y)  # y_v <= pairs of v
        lo.append(0)
        hi.append(np.inf)
    a = np.array(rows)
    x_low = [1.0 if p in plain.pins else 0.0 for p in pairs]
    bounds = Bounds(x_low + [0.0] * m, [1.0] * n + [float(plain.vmin[v]) for v in villages])
    integral = np.ones(n + m)
    first = milp(
        np.r_[np.zeros(n), -np.ones(m)],
        constraints=LinearConstraint(a, lo, hi),
        bounds=bounds,
        integrality=integral,
    )
    assert first.success
    covered = round(-first.fun)
    cover_row = np.r_[np.zeros(n), np.ones(m)]
    second = milp(
        np.r_[-np.array([plain.score[p] for p in pairs], float), np.zeros(m)],
        constraints=[LinearConstraint(a, lo, hi), LinearConstraint(cover_row, covered, covered)],
        bounds=bounds,
        integrality=integral,
    )
    assert second.success
    return covered, round(-second.fun)


def blocking_pairs(
    plain: Plain, pairs: list[tuple[str, str]], repaired: set[tuple[str, str]] | None = None
) -> list[tuple[str, str]]:
    """Pairs (u, v) that would both rather be together: u listed v and has room or a worse
    village; v has room or a worse unit. Pins are fixed and only take capacity; pairs
    added by repair are ignored, as the spec's stability concerns the accepted pairs."""
    extra = repaired or set()
    free = [p for p in pairs if p not in plain.pins and p not in extra]
    pinned_u = Counter(u for u, _ in plain.pins)
    pinned_v = Counter(v for _, v in plain.pins)
    held_u: dict[str, list[str]] = {}
    held_v: dict[str, list[str]] = {}
    for u, v in free:
        held_u.setdefault(u, []).append(v)
        held_v.setdefault(v, []).append(u)

    def unit_key(u: str, v: str) -> tuple[int, str]:
        return plain.rank[(u, v)], v  # smaller is better

    def village_key(u: str, v: str) -> tuple[int, str]:
        return -plain.merit[(u, v)], u  # smaller is better

    found = []
    chosen = set(pairs)
    for (u, v), _rank in plain.rank.items():
        if (u, v) not in plain.score or (u, v) in chosen:
            continue
        mine = held_u.get(u, [])
        unit_wants = len(mine) < plain.capacity[u] - pinned_u[u] or any(
            unit_key(u, w) > unit_key(u, v) for w in mine
        )
        theirs = held_v.get(v, [])
        village_wants = len(theirs) < plain.vmax[v] - pinned_v[v] or any(
            village_key(w, v) > village_key(u, v) for w in theirs
        )
        if unit_wants and village_wants:
            found.append((u, v))
    return found


def levels(plain: Plain, pairs: list[tuple[str, str]], priority: dict[tuple[str, str], int]) -> tuple[int, int, int]:
    """(covered slots, priority rules followed, total score): the objective with a rule of
    mode ``priority``."""
    covered, score = objective(plain, pairs)
    return covered, sum(priority.get(p, 0) for p in pairs), score


def brute_force_levels(plain: Plain, priority: dict[tuple[str, str], int]) -> tuple[int, int, int] | None:
    """The best (covered, priority, score) over every subset of candidate pairs."""
    candidates = sorted(plain.score)
    best: tuple[int, int, int] | None = None
    for size in range(len(candidates) + 1):
        for subset in itertools.combinations(candidates, size):
            chosen = list(subset)
            if problems(plain, chosen):
                continue
            value = levels(plain, chosen, priority)
            if best is None or value > best:
                best = value
    return best


def milp_levels(plain: Plain, priority: dict[tuple[str, str], int]) -> tuple[int, int, int]:
    """Lexicographic (covered, priority, score) by three integer programs (HiGHS): each level
    is maximised with the levels above it fixed at their optimum."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    pairs = sorted(plain.score)
    villages = sorted(plain.vmin)
    units = sorted(plain.capacity)
    n, m = len(pairs), len(villages)
    rows: list[list[float]] = []
    lo: list[float] = []
    hi: list[float] = []
    for u in units:
        rows.append([1.0 if p[0] == u else 0.0 for p in pairs] + [0.0] * m)
        lo.append(0)
        hi.append(plain.capacity[u])
    for j, v in enumerate(villages):
        x = [1.0 if p[1] == v else 0.0 for p in pairs]
        rows.append(x + [0.0] * m)
        lo.append(0)
        hi.append(plain.vmax[v])
        y = [0.0] * m
        y[j] = -1.0
        rows.append(x + y)
        lo.append(0)
        hi.append(np.inf)
    constraints = [LinearConstraint(np.array(rows), lo, hi)]
    x_low = [1.0 if p in plain.pins else 0.0 for p in pairs]
    bounds = Bounds(x_low + [0.0] * m, [1.0] * n + [float(plain.vmin[v]) for v in villages])
    integral = np.ones(n + m)
    goals = [
        np.r_[np.zeros(n), np.ones(m)],
        np.r_[np.array([float(priority.get(p, 0)) for p in pairs]), np.zeros(m)],
        np.r_[np.array([float(plain.score[p]) for p in pairs]), np.zeros(m)],
    ]
    found = []
    for goal in goals:
        done = milp(-goal, constraints=constraints, bounds=bounds, integrality=integral)
        assert done.success
        best = round(-done.fun)
        found.append(best)
        constraints = [*constraints, LinearConstraint(goal, best, best)]
    return found[0], found[1], found[2]
