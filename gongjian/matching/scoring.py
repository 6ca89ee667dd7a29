"""Policy scoring: candidate pairs and their score components when no ``edges.csv`` is given.

Score = preference + affinity + renewal + needs, as the allocation spec defines them.
Everything is vectorised over candidate pairs so a city-sized cross product stays fast.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from gongjian.matching.policy import Policy

COMPONENTS = ("preference", "affinity", "renewal", "needs", "rule")


def pair_keys(units: np.ndarray, villages: np.ndarray, n_villages: int) -> np.ndarray:
    """One int64 per (unit, village) pair, for sorting, lookups and duplicate checks."""
    return units.astype(np.int64) * n_villages + villages.astype(np.int64)


def candidate_pairs(
    districts: Sequence[str], counties: Sequence[str], policy: Policy
) -> tuple[np.ndarray, np.ndarray]:
    """All pairs the geography table allows (every pair without one), sorted by unit."""
    n_units, n_villages = len(districts), len(counties)
    if policy.geography is None:
        units = np.repeat(np.arange(n_units, dtype=np.int32), n_villages)
        villages = np.tile(np.arange(n_villages, dtype=np.int32), n_units)
        return units, villages
    by_county: dict[str, list[int]] = {}
    for v, county in enumerate(counties):
        by_county.setdefault(county, []).append(v)
    allowed: dict[str, np.ndarray] = {}
    unit_parts, village_parts = [], []
    for u, district in enumerate(districts):
        if district not in allowed:
            ids = [v for c in policy.geography.get(district, ()) for v in by_county.get(c, ())]
            allowed[district] = np.asarray(sorted(set(ids)), dtype=np.int32)
        hits = allowed[district]
        unit_parts.append(np.full(len(hits), u, dtype=np.int32))
        village_parts.append(hits)
    if not unit_parts:
        return np.zeros(0, np.int32), np.zeros(0, np.int32)
    return np.concatenate(unit_parts), np.concatenate(village_parts)


def score_components(
    policy: Policy,
    eu: np.ndarray,
    ev: np.ndarray,
    *,
    kinds: Sequence[str],
    resources: Sequence[tuple[str, ...]],
    tags: Sequence[tuple[str, ...]],
    needs: Sequence[tuple[str, ...]],
    rank: np.ndarray,
    renewed: np.ndarray,
    rule_points: np.ndarray | None = None,
) -> np.ndarray:
    """The (pairs × 5) matrix of points, columns in :data:`COMPONENTS` order.

    ``rank`` is each pair's preference rank (0: not ranked), ``renewed`` whether it
    is one of last round's pairs, ``rule_points`` the points of the rules of mode
    ``points`` it follows (see :mod:`gongjian.matching.rules`).
    """
    out = np.zeros((len(eu), len(COMPONENTS)), dtype=np.int64)
    points = np.asarray((0, *policy.preference_points), dtype=np.int64)
    ranked = (rank > 0) & (rank < len(points))
    out[ranked, 0] = points[rank[ranked]]
    out[:, 1] = _affinity(policy, kinds, tags)[ev, _kind_index(kinds, policy)[eu]]
    out[renewed, 2] = policy.renewal_points
    if policy.need_points:
        out[:, 3] = policy.need_points * _overlap(resources, needs, eu, ev)
    if rule_points is not None:
        out[:, 4] = rule_points
    return out


def _kind_index(kinds: Sequence[str], policy: Policy) -> np.ndarray:
    # Kinds the policy does not score share the last column, which is all zeros.
    known = {kind: i for i, kind in enumerate(policy.affinity)}
    return np.asarray([known.get(k, len(known)) for k in kinds], dtype=np.int32)


def _affinity(policy: Policy, kinds: Sequence[str], tags: Sequence[tuple[str, ...]]) -> np.ndarray:
    """(villages × (scored kinds + 1)): each village's affinity points for each kind."""
    table = np.zeros((len(tags), len(policy.affinity) + 1), dtype=np.int64)
    for k, row in enumerate(policy.affinity.values()):
        if row:
            table[:, k] = [sum(row.get(t, 0) for t in village_tags) for village_tags in tags]
    return table


def _overlap(
    resources: Sequence[tuple[str, ...]],
    needs: Sequence[tuple[str, ...]],
    eu: np.ndarray,
    ev: np.ndarray,
) -> np.ndarray:
    """|unit.resources ∩ village.needs| per pair, as popcounts of 64-bit tag masks."""
    vocabulary: dict[str, int] = {}
    for tag_set in needs:
        for tag in tag_set:
            vocabulary.setdefault(tag, len(vocabulary))
    words = max(1, (len(vocabulary) + 63) // 64)
    unit_masks = _masks(resources, vocabulary, words)
    village_masks = _masks(needs, vocabulary, words)
    total = np.zeros(len(eu), dtype=np.int64)
    for w in range(words):
        total += np.bitwise_count(unit_masks[eu, w] & village_masks[ev, w])
    return total


def _masks(
    tag_sets: Sequence[tuple[str, ...]], vocabulary: dict[str, int], words: int
) -> np.ndarray:
    masks = np.zeros((len(tag_sets), words), dtype=np.uint64)
    for i, tag_set in enumerate(tag_sets):
        for tag in set(tag_set):
            bit = vocabulary.get(tag)
            if bit is not None:
                masks[i, bit // 64] |= np.uint64(1) << np.uint64(bit % 64)
    return masks
