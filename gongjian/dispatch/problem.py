"""The engine's array-form :class:`~gongjian.matching.Problem` for a dispatch instance, built
with numpy instead of through the engine's table reader.

Why: a province (30,000 candidates, 10,000 villages needing a cadre) has millions of
candidate pairs; the reader turns every row into text first and then scores it. Here pairs
come per region group (``np.repeat``/``np.tile``), skills are bit masks (the skill overlap
is one popcount), and two kinds of pair are left out because no optimum can use them:

- a pair scoring 0 at a village that is not a priority (``min`` 0): the engine drops such
  idle pairs from any result anyway;
- forbidden pairs (the admin's "不采纳" before a re-run).

The scores and their components are those the engine's policy scoring gives the same
:class:`~gongjian.matching.Instance` (``preference``, ``affinity``, ``needs``); the solver is
the engine's own :func:`~gongjian.matching.solve_problem`.
"""

from __future__ import annotations

import numpy as np

from gongjian.matching import COMPONENTS, Instance, Problem  # COMPONENTS: Problem.components' column order


def _masks(tag_lists: list[tuple[str, ...]], bits: dict[str, int]) -> np.ndarray:
    out = np.zeros(len(tag_lists), dtype=np.int64)
    for i, tags in enumerate(tag_lists):
        mask = 0
        for tag in tags:
            mask |= 1 << bits.setdefault(tag, len(bits))
        out[i] = mask
    return out


def dispatch_problem(instance: Instance) -> tuple[Problem, np.ndarray]:
    """The problem, and per village how many candidates may serve there at all (their
    region covers it), before zero-score pairs are left out: the unmatched reasons need it."""
    units, villages, policy = instance.units, instance.villages, instance.policy
    n_units, n_villages = len(units), len(villages)
    unit_index = {u.id: i for i, u in enumerate(units)}
    village_index = {v.id: i for i, v in enumerate(villages)}
    by_county: dict[str, list[int]] = {}
    for i, v in enumerate(villages):
        by_county.setdefault(v.county, []).append(i)
    groups: dict[str, list[int]] = {}
    for i, u in enumerate(units):
        groups.setdefault(u.district, []).append(i)
    geography = policy.geography or {}
    parts_u, parts_v = [], []
    for key, members in groups.items():
        counties = geography.get(key, ())
        places = np.asarray(sorted({v for c in counties for v in by_county.get(c, ())}), dtype=np.int32)
        if len(places) == 0:
            continue
        us = np.asarray(members, dtype=np.int32)
        parts_u.append(np.repeat(us, len(places)))
        parts_v.append(np.tile(places, len(us)))
    eu = np.concatenate(parts_u) if parts_u else np.zeros(0, np.int32)
    ev = np.concatenate(parts_v) if parts_v else np.zeros(0, np.int32)
    eligible = np.bincount(ev, minlength=n_villages)

    keys = eu.astype(np.int64) * n_villages + ev
    order = np.argsort(keys, kind="stable")
    eu, ev, keys = eu[order], ev[order], keys[order]

    bits: dict[str, int] = {}
    unit_masks = _masks([u.resources for u in units], bits)
    village_masks = _masks([v.needs for v in villages], bits)
    components = np.zeros((len(eu), len(COMPONENTS)), dtype=np.int64)
    rank = np.zeros(len(eu), dtype=np.int64)
    if instance.preferences:
        pref_keys = np.asarray(
            [unit_index[p.unit] * n_villages + village_index[p.village] for p in instance.preferences], dtype=np.int64
        )
        pref_ranks = np.asarray([p.rank for p in instance.preferences], dtype=np.int64)
        pos = np.minimum(np.searchsorted(keys, pref_keys), max(len(keys) - 1, 0))
        hit = (keys[pos] == pref_keys) if len(keys) else np.zeros(len(pref_keys), dtype=bool)
        rank[pos[hit]] = pref_ranks[hit]
        points = np.asarray((0, *policy.preference_points), dtype=np.int64)
        ranked = (rank > 0) & (rank < len(points))
        components[ranked, COMPONENTS.index("preference")] = points[rank[ranked]]
    tag_points = dict(next(iter(policy.affinity.values()), {}))
    village_points = np.asarray([sum(tag_points.get(t, 0) for t in v.tags) for v in villages], dtype=np.int64)
    components[:, COMPONENTS.index("affinity")] = village_points[ev]
    if policy.need_points:
        overlap = np.bitwise_count(unit_masks[eu] & village_masks[ev]).astype(np.int64)
        components[:, COMPONENTS.index("needs")] = policy.need_points * overlap
    score = components.sum(axis=1)

    vmin = np.asarray([v.min_pairs for v in villages], dtype=np.int64)
    vmax = np.asarray([v.max_pairs for v in villages], dtype=np.int64)
    keep = (score > 0) | (vmin[ev] > 0)
    forbidden = np.zeros(n_villages, dtype=np.int64)
    if instance.forbids:
        forbid_keys = np.asarray(
            [unit_index[f.unit] * n_villages + village_index[f.village] for f in instance.forbids], dtype=np.int64
        )
        keep &= ~np.isin(keys, forbid_keys)
        np.add.at(forbidden, [village_index[f.village] for f in instance.forbids], 1)
    problem = Problem(
        [u.id for u in units],
        [v.id for v in villages],
        np.asarray([u.capacity for u in units], dtype=np.int64),
        vmin,
        vmax,
        eu[keep].astype(np.int32),
        ev[keep].astype(np.int32),
        score[keep],
        components[keep],
        rank[keep].astype(np.int32),
        np.zeros(int(keep.sum()), dtype=bool),
        forbidden,
        policy,
    )
    assert problem.n_units == n_units
    return problem, eligible
