"""The numpy-built problem gives the engine's own optimum: same coverage and total score as
:func:`gongjian.matching.allocate` on the same instance (which scores through the policy)."""

from __future__ import annotations

import random

import pytest

from gongjian.dispatch.problem import dispatch_problem
from gongjian.matching import Instance, PairRef, Policy, Preference, Unit, Village, allocate, solve_problem, to_result

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


@pytest.mark.parametrize("seed", range(12))
def test_same_optimum_as_the_engine_reader(seed: int) -> None:
    instance = random_instance(seed)
    expected = allocate(instance)
    problem, eligible = dispatch_problem(instance)
    got = to_result(solve_problem(problem))
    assert (got.covered_slots, got.required_slots, got.total_score) == (
        expected.covered_slots,
        expected.required_slots,
        expected.total_score,
    )
    for pair in got.pairs:  # every reason adds up to its score, as the engine's do
        assert sum(points for _name, points in pair.components) == pair.score
    assert int(eligible.sum()) >= len(problem.eu)
