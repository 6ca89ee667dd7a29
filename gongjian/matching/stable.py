"""Stable mode: unit-proposing deferred acceptance, and the optional repair.

Units propose down their preference lists (unlisted villages are unacceptable);
a village holds the best proposals up to its room, ranking units by the pair's
score without its preference part, ties broken by unit id in text order, smaller
first. Pins are fixed beforehand and only take capacity.
"""

from __future__ import annotations

import heapq

import numpy as np

from gongjian.matching import optimal
from gongjian.matching.problem import Problem


def deferred_acceptance(problem: Problem, capacity: np.ndarray, room: np.ndarray) -> np.ndarray:
    """Indices of the stable pairs among the unpinned candidates, given each unit's
    remaining ``capacity`` and each village's remaining ``room`` (max minus pins)."""
    eu, ev = problem.eu, problem.ev
    merit = problem.village_score()
    listed = np.flatnonzero((problem.rank > 0) & ~problem.pinned)
    # Each unit's list: by rank, ties by village id in text order.
    village_text = _text_order(problem.village_ids)
    listed = listed[np.lexsort((village_text[ev[listed]], problem.rank[listed], eu[listed]))]
    starts = np.searchsorted(eu[listed], np.arange(problem.n_units + 1))
    unit_text = _text_order(problem.unit_ids)

    lists = listed.tolist()
    start, end = starts[:-1].tolist(), starts[1:].tolist()
    slots = capacity.tolist()
    room_left = room.tolist()
    merit_of = merit.tolist()
    ev_of = ev.tolist()
    eu_of = eu.tolist()
    text = unit_text.tolist()
    # held[v]: min-heap of (merit, -text position, edge): the worst held proposal on top.
    held: list[list[tuple[int, int, int]]] = [[] for _ in range(problem.n_villages)]
    pending = [u for u in range(problem.n_units) if slots[u] > 0 and start[u] < end[u]]
    while pending:
        u = pending.pop()
        while slots[u] > 0 and start[u] < end[u]:
            e = lists[start[u]]
            start[u] += 1
            v = ev_of[e]
            if room_left[v] == 0:
                continue
            offer = (merit_of[e], -text[u], e)
            heap = held[v]
            if len(heap) < room_left[v]:
                heapq.heappush(heap, offer)
                slots[u] -= 1
            elif offer > heap[0]:
                loser = eu_of[heapq.heapreplace(heap, offer)[2]]
                slots[u] -= 1
                slots[loser] += 1
                if slots[loser] == 1:
                    pending.append(loser)
    chosen = [e for heap in held for _, _, e in heap]
    return np.sort(np.asarray(chosen, dtype=np.int64))


def repair(problem: Problem, chosen: np.ndarray, workers: int | None) -> np.ndarray:
    """Extra pairs that fill villages still below ``min`` from units' spare capacity,
    maximising covered slots and then score; no chosen pair is removed."""
    count = np.bincount(problem.ev[chosen], minlength=problem.n_villages)
    used = np.bincount(problem.eu[chosen], minlength=problem.n_units)
    deficit = np.maximum(problem.vmin - count, 0)
    taken = np.zeros(len(problem.eu), dtype=bool)
    taken[chosen] = True
    free = np.flatnonzero(~taken & (deficit[problem.ev] > 0))
    flow = optimal.FlowInput(
        problem.eu[free],
        problem.ev[free],
        problem.score[free],
        problem.capacity - used,
        deficit,
        deficit,
        problem.priority[free] if problem.priority.any() else None,
    )
    return free[optimal.solve(flow, workers)]


def _text_order(ids: list[str]) -> np.ndarray:
    """Position of each id in text order."""
    order = np.empty(len(ids), dtype=np.int64)
    order[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids))
    return order
