"""Exact lexicographic optimum (covered slots, then total score) by two network flows.

Network: source → unit (capacity), unit → village (1 pair), village → a "covered" arc of
capacity ``min`` and an "extra" arc of capacity ``max − min``. Every integral flow is a
feasible set of pairs and back, and a village's first ``min`` pairs can always take its
covered arc.

1. Covered slots: a maximum flow from the source through the covered arcs only gives the
   most covered slots C*.
2. Score: the covered arcs end in a node that must receive exactly C* units; extra arcs
   and a source → sink bypass end in the sink. The flows of this network are exactly the
   sets of pairs covering C* slots, so a minimum-cost flow with cost −score per pair is a
   lexicographic optimum. Costs are the scores alone (no "BIG" weight that makes a slot
   outweigh any score): the cost-scaling solver needs fewer phases, about half the time of
   the one-flow formulation on the nation's regions (measured, see bench_allocation).

A rule of mode ``priority`` is a level between the two: its weight is added to the score
with a factor above any difference in score (see :func:`_with_priority`). Scores are at
most 10⁹ in size (tables.MAX_MAGNITUDE), so every cost stays far inside int64.

Real instances fall apart into independent regions (a district helps only its
table's counties), so large problems are split into connected components and
solved on all cores.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

# Told (components solved, components in all) as the solve goes: a plain callable, so that
# the engine knows nothing of who listens (a web job's progress bar, nothing on the CLI).
Progress = Callable[[int, int], None]

# Below this many pairs one flow is quicker than finding components first.
SPLIT_MIN_PAIRS = 50_000
# Below this many pairs one process is quicker than forking workers.
PARALLEL_MIN_PAIRS = 300_000


@dataclass
class FlowInput:
    """A coverage-then-score problem over candidate pairs (positions into the caller's arrays)."""

    eu: np.ndarray
    ev: np.ndarray
    score: np.ndarray
    capacity: np.ndarray
    vmin: np.ndarray
    vmax: np.ndarray
    # Per pair, the priority rules it follows (policy rules of mode ``priority``): the level
    # between covered slots and score. None: no such rule.
    priority: np.ndarray | None = None


def solve(problem: FlowInput, workers: int | None = None, progress: Progress | None = None) -> np.ndarray:
    """Indices of the chosen pairs in a lexicographic optimum. ``progress(done, total)`` is
    called with the independent parts solved: 0 of N first, then as each part is solved
    (in the order they finish), N of N last; a problem solved as one flow is one part."""
    tell = progress or _silent
    eu, ev, score = problem.eu, problem.ev, problem.score
    # A pair is of no use if either side has no room, or if it scores ≤ 0 and its village
    # needs nobody (it could only lower the score): dropping those keeps every optimum.
    useful = (problem.capacity[eu] > 0) & (problem.vmax[ev] > 0)
    useful &= (score > 0) | (problem.vmin[ev] > 0)
    if problem.priority is not None:
        useful |= (problem.priority > 0) & (problem.capacity[eu] > 0) & (problem.vmax[ev] > 0)
    keep = np.flatnonzero(useful)
    if len(keep) == 0:
        tell(0, 0)
        return keep
    workers = workers or min(2, os.cpu_count() or 1)
    if len(keep) < SPLIT_MIN_PAIRS:
        tell(0, 1)
        chosen = keep[_solve_part(problem, keep)]
        tell(1, 1)
        return chosen
    buckets = _buckets(problem, keep, 4 * workers)
    total = sum(len(bucket) for bucket in buckets)
    tell(0, total)
    import multiprocessing

    # A daemonic process (a Celery prefork worker) may not have children: solve in place.
    daemon = multiprocessing.current_process().daemon
    if workers == 1 or daemon or len(keep) < PARALLEL_MIN_PAIRS or len(buckets) == 1:
        solved = _Counter(tell, total)
        return np.sort(np.concatenate([_solve_bucket(b, problem, solved) for b in buckets]))
    global _SHARED
    _SHARED = problem  # forked workers inherit it: no copy of the big arrays is pickled
    parts: list[np.ndarray] = []
    done = 0
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            # Unordered: a bucket's components count as solved as soon as it comes back
            # (the children have no callback to call).
            for components, part in pool.imap_unordered(_solve_bucket_sized, buckets, chunksize=1):
                parts.append(part)
                done += components
                tell(done, total)
    finally:
        _SHARED = None
    return np.sort(np.concatenate(parts))


def _silent(done: int, total: int) -> None:
    """No one listens (the command line)."""


@dataclass
class _Counter:
    """Components solved so far in this process, told on to ``tell`` after each one."""

    tell: Progress
    total: int
    done: int = 0

    def one_more(self) -> None:
        self.done += 1
        self.tell(self.done, self.total)


_SHARED: FlowInput | None = None


def _solve_bucket(
    bucket: list[np.ndarray], problem: FlowInput | None = None, solved: _Counter | None = None
) -> np.ndarray:
    """Solve each component of a bucket on its own: small flows are much faster than one
    big one (smaller BIG, fewer cost-scaling phases, data in cache)."""
    problem = problem or _SHARED
    assert problem is not None
    chosen = []
    for pairs in bucket:
        chosen.append(pairs[_solve_part(problem, pairs)])
        if solved is not None:
            solved.one_more()
    return np.concatenate(chosen)


def _solve_bucket_sized(bucket: list[np.ndarray]) -> tuple[int, np.ndarray]:
    """In a forked child: a bucket's component count and its chosen pairs."""
    return len(bucket), _solve_bucket(bucket)


# Up to this many pairs components are found with numpy (no SciPy import, ~0.2 s of a
# province's 1 s); above it SciPy's graph search is quicker than label propagation.
NUMPY_COMPONENTS_MAX_PAIRS = 1_000_000


def unit_components(n_units: int, n_villages: int, eu: np.ndarray, ev: np.ndarray) -> np.ndarray:
    """For each unit, a label shared by exactly the units of its connected component (the
    bipartite graph of the pairs ``eu[e]``–``ev[e]``); units without pairs label themselves."""
    if len(eu) > NUMPY_COMPONENTS_MAX_PAIRS:
        return _scipy_components(n_units, n_villages, eu, ev)
    # Min-label propagation: each unit takes the smallest label among the units that share
    # a village with it, then follows its label's label (pointer jumping) until nothing
    # changes. At the fixed point two units sharing a village have equal labels, and every
    # label is a unit of the same component: the labels are the components.
    label = np.arange(n_units)
    if len(eu) == 0:
        return label
    by_village = np.argsort(ev, kind="stable")
    ev_sorted = ev[by_village]
    v_starts = np.flatnonzero(np.r_[True, ev_sorted[1:] != ev_sorted[:-1]])
    v_sizes = np.diff(np.r_[v_starts, len(ev)])
    u_order = np.argsort(eu, kind="stable")
    eu_sorted = eu[u_order]
    u_starts = np.flatnonzero(np.r_[True, eu_sorted[1:] != eu_sorted[:-1]])
    u_ids = eu_sorted[u_starts]
    per_pair = np.empty(len(eu), dtype=label.dtype)
    while True:
        village_min = np.minimum.reduceat(label[eu[by_village]], v_starts)
        per_pair[by_village] = np.repeat(village_min, v_sizes)
        new = label.copy()
        new[u_ids] = np.minimum(label[u_ids], np.minimum.reduceat(per_pair[u_order], u_starts))
        while True:
            jumped = new[new]
            if (jumped == new).all():
                break
            new = jumped
        if (new == label).all():
            return label
        label = new


def _scipy_components(n_units: int, n_villages: int, eu: np.ndarray, ev: np.ndarray) -> np.ndarray:
    from scipy.sparse import coo_matrix, csr_matrix
    from scipy.sparse.csgraph import connected_components

    # Bipartite graph as a square one: units 0..U-1, villages U..U+V-1.
    n = n_units + n_villages
    ones = np.ones(len(eu), dtype=np.int8)
    if len(eu) and bool((eu[1:] >= eu[:-1]).all()):
        # Pairs come sorted by unit (the problem's order): the rows' pointers directly,
        # without the sort a coordinate matrix's conversion does.
        indptr = np.searchsorted(eu, np.arange(n_units + 1)).astype(np.int64)
        indptr = np.concatenate([indptr, np.full(n_villages, len(eu), dtype=np.int64)])
        square = csr_matrix((ones, ev.astype(np.int64) + n_units, indptr), shape=(n, n))
    else:
        square = coo_matrix((ones, (eu, ev.astype(np.int64) + n_units)), shape=(n, n))
    _, labels = connected_components(square, directed=False)
    return np.asarray(labels[:n_units])


def _buckets(problem: FlowInput, keep: np.ndarray, parts: int) -> list[list[np.ndarray]]:
    """Pair indices grouped by connected component, the components packed into ~``parts``
    buckets of even size (largest first, each to the lightest bucket)."""
    n_units, n_villages = len(problem.capacity), len(problem.vmin)
    eu, ev = problem.eu[keep], problem.ev[keep]
    label = unit_components(n_units, n_villages, eu, ev)[eu]
    # Renumber the components that have pairs 0..k-1: with k < 65,536 (regions, in
    # practice) a 16-bit stable sort is numpy's radix sort, linear in the 5 million pairs.
    present = np.zeros(n_units, dtype=bool)
    present[label] = True
    label = (np.cumsum(present) - 1)[label]
    if int(label.max(initial=0)) < 2**16:
        label = label.astype(np.uint16)
    order = np.argsort(label, kind="stable")
    bounds = np.flatnonzero(np.diff(label[order])) + 1
    groups = np.split(order, bounds)
    groups.sort(key=len, reverse=True)
    buckets: list[list[np.ndarray]] = [[] for _ in range(min(parts, len(groups)))]
    loads = np.zeros(len(buckets), dtype=np.int64)
    for group in groups:
        lightest = int(np.argmin(loads))
        buckets[lightest].append(keep[np.sort(group)])
        loads[lightest] += len(group)
    return buckets


def _with_priority(score: np.ndarray, priority: np.ndarray, n_pairs: int) -> np.ndarray:
    """Weights that rank (priority followed, score) lexicographically: one more followed
    priority rule outweighs the largest possible difference in score between two sets of
    pairs (at most min(2·pairs·max|score|, Σ|score|)); coverage is the flow's first level."""
    spread = min(2 * n_pairs * int(np.abs(score).max(initial=0)), int(np.abs(score).sum()))
    return score + (spread + 1) * priority


def _solve_part(problem: FlowInput, pairs: np.ndarray) -> np.ndarray:
    """Positions (into ``pairs``) of the chosen pairs of one independent part."""
    from ortools.graph.python import max_flow, min_cost_flow

    units, eu = np.unique(problem.eu[pairs], return_inverse=True)
    villages, ev = np.unique(problem.ev[pairs], return_inverse=True)
    score = problem.score[pairs]
    if problem.priority is not None and problem.priority[pairs].any():
        score = _with_priority(score, problem.priority[pairs], len(pairs))
    capacity = np.minimum(problem.capacity[units], np.bincount(eu, minlength=len(units)))
    vmin = problem.vmin[villages]
    vmax = np.minimum(problem.vmax[villages], np.bincount(ev, minlength=len(villages)))
    n_u, n_v = len(units), len(villages)
    source, sink, cover, unit0 = 0, 1, 2, 3
    village0 = unit0 + n_u
    v_nodes = village0 + np.arange(n_v)
    covered = vmin > 0
    extra = vmax > vmin
    n_covered = int(covered.sum())
    supply = int(capacity.sum())

    # Level 1, covered slots: a maximum flow through the villages' covered arcs only.
    most_covered = 0
    if n_covered:
        tails = np.concatenate([np.zeros(n_u, np.int64), unit0 + eu, v_nodes[covered]])
        heads = np.concatenate([unit0 + np.arange(n_u), village0 + ev, np.full(n_covered, sink)])
        caps = np.concatenate([capacity, np.ones(len(pairs), np.int64), np.minimum(vmin, vmax)[covered]])
        flow_max = max_flow.SimpleMaxFlow()
        flow_max.add_arcs_with_capacity(tails.astype(np.int32), heads.astype(np.int32), caps.astype(np.int64))
        if flow_max.solve(source, sink) != flow_max.OPTIMAL:
            raise RuntimeError("max flow failed")
        most_covered = int(flow_max.optimal_flow())

    # Level 2, score: a min-cost flow in which exactly that many units of flow reach the
    # ``cover`` node (whose only in-arcs are the covered arcs): every solution with the most
    # covered slots, and only those, is such a flow; costs are the scores alone.
    tails = np.concatenate([np.zeros(n_u, np.int64), unit0 + eu, v_nodes[covered], v_nodes[extra], [source]])
    heads = np.concatenate(
        [
            unit0 + np.arange(n_u),
            village0 + ev,
            np.full(n_covered, cover),
            np.full(int(extra.sum()), sink),
            [sink],
        ]
    )
    caps = np.concatenate(
        [
            capacity,
            np.ones(len(pairs), np.int64),
            np.minimum(vmin, vmax)[covered],
            (vmax - vmin)[extra],
            [supply],
        ]
    )
    costs = np.concatenate([np.zeros(n_u, np.int64), -score, np.zeros(n_covered + int(extra.sum()) + 1, np.int64)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32),
        heads.astype(np.int32),
        caps.astype(np.int64),
        costs.astype(np.int64),
    )
    flow.set_node_supply(source, supply)
    flow.set_node_supply(cover, -most_covered)
    flow.set_node_supply(sink, most_covered - supply)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status} (scores too large?)")
    pair_arcs = np.arange(n_u, n_u + len(pairs), dtype=np.int32)
    return np.flatnonzero(flow.flows(pair_arcs) > 0)
