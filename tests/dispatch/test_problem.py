"""Dispatch through the engine's public API: a dispatch-shaped instance (candidates as units of
kind ``cadre``, regions as the geography) reaches the MILP optimum on independently computed
scores, and the engine's shortfall below ``max`` is what dispatch shows for every village."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from gongjian.matching import Instance, PairRef, Policy, Preference, UncoveredReason, Unit, Village, allocate
from tests.matching.checkers import Plain, milp_optimum, objective, problems

SKILLS = ("agriculture", "ecommerce", "law", "party", "tourism")


def random_instance(seed: int) -> Instance:
    rng = random.Random(seed)
    counties = [str(c) for c in range(4)]
    villages = []
    for i in range(40):
        tags = tuple(t for t, p in (("lax", 0.2), ("weak", 0.3)) if rng.random() < p)
        room = rng.randint(1, 2)
        villages.append(
            Village(
                id=f"v{i}",
                county=rng.choice(counties),
                tags=tags,
                needs=tuple(rng.sample(SKILLS, rng.randint(0, 2))),
                min_pairs=room if tags else 0,
                max_pairs=room,
            )
        )
    geography: dict[str, tuple[str, ...]] = {}
    units, preferences = [], []
    for i in range(rng.randint(20, 60)):
        region = tuple(sorted(rng.sample(counties, rng.randint(1, 2))))
        key = ",".join(region)
        geography[key] = region
        units.append(
            Unit(id=f"c{i}", kind="cadre", district=key, resources=tuple(rng.sample(SKILLS, rng.randint(0, 2))))
        )
        near = [v.id for v in villages if v.county in region]
        for rank, v in enumerate(rng.sample(near, min(len(near), rng.randint(0, 3))), 1):
            preferences.append(Preference(f"c{i}", v, rank))
    forbids = tuple(PairRef(p.unit, p.village) for p in preferences[:3])
    policy = Policy(
        preference_points=(60, 40, 20), need_points=30, affinity={"cadre": {"weak": 40, "lax": 50}}, geography=geography
    )
    return Instance(tuple(units), tuple(villages), policy, preferences=tuple(preferences), forbids=forbids)


def plain_of(instance: Instance) -> Plain:
    """The candidate pairs and their scores, computed here from the dispatch rules."""
    policy = instance.policy
    assert policy.geography is not None
    rank = {(p.unit, p.village): p.rank for p in instance.preferences}
    forbidden = {(f.unit, f.village) for f in instance.forbids}
    tag_points = policy.affinity["cadre"]
    score = {}
    for u in instance.units:
        for v in instance.villages:
            if v.county not in policy.geography[u.district] or (u.id, v.id) in forbidden:
                continue
            r = rank.get((u.id, v.id), 0)
            points = policy.preference_points[r - 1] if 0 < r <= len(policy.preference_points) else 0
            points += sum(tag_points.get(t, 0) for t in v.tags)
            points += policy.need_points * len(set(u.resources) & set(v.needs))
            score[(u.id, v.id)] = points
    return Plain(
        capacity={u.id: u.capacity for u in instance.units},
        vmin={v.id: v.min_pairs for v in instance.villages},
        vmax={v.id: v.max_pairs for v in instance.villages},
        score=score,
    )


@pytest.mark.parametrize("seed", range(12))
def test_dispatch_instances_reach_the_milp_optimum(seed: int) -> None:
    """The engine's policy scoring of a dispatch instance (regions as the geography, one
    kind ``cadre``) gives the optimum a MILP finds on scores computed independently."""
    instance = random_instance(seed)
    result = allocate(instance, short_of="max")
    plain = plain_of(instance)
    pairs = [(p.unit, p.village) for p in result.pairs]
    assert problems(plain, pairs) == []
    assert objective(plain, pairs) == (result.covered_slots, result.total_score) == milp_optimum(plain)
    for pair in result.pairs:  # every reason adds up to its score
        assert sum(points for _name, points in pair.components) == pair.score


@pytest.mark.parametrize("seed", range(12))
def test_short_of_max_lists_every_village_below_its_need(seed: int) -> None:
    """Short of ``max``: each village with fewer cadres than it needs, with counts computed
    here from the pairs: candidates that could serve there, of them matched elsewhere."""
    instance = random_instance(seed)
    result = allocate(instance, short_of="max")
    plain = plain_of(instance)
    pairs = {(p.unit, p.village) for p in result.pairs}
    got = Counter(p.village for p in result.pairs)
    used = Counter(p.unit for p in result.pairs)
    expected = {}
    for v in instance.villages:
        if got[v.id] >= v.max_pairs:
            continue
        here = [u for (u, w) in plain.score if w == v.id]
        elsewhere = [u for u in here if used[u] >= plain.capacity[u] and (u, v.id) not in set(pairs)]
        expected[v.id] = (v.max_pairs - got[v.id], len(here), len(elsewhere))
    shown = {u.village: (u.missing, u.candidates, u.at_capacity) for u in result.uncovered}
    assert shown == expected
    for u in result.uncovered:
        if u.candidates == 0:
            assert u.code is UncoveredReason.NO_CANDIDATE
        elif u.candidates == u.at_capacity + u.paired:
            assert u.code is UncoveredReason.CANDIDATES_AT_CAPACITY
        else:  # a candidate with room was left out: it scores nothing there
            assert u.code is UncoveredReason.CANDIDATES_UNSUITED
            free = [w for (w, x) in plain.score if x == u.village and used[w] < plain.capacity[w]]
            assert all(plain.score[(w, u.village)] <= 0 for w in free)
