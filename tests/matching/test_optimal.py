"""Optimal mode returns a true lexicographic optimum: against brute force and a MILP."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongjian.matching import Edge, Instance, PairRef, Unit, Village, allocate, optimal
from tests.matching.checkers import Plain, brute_force, milp_optimum, objective, problems


def plain_of(instance: Instance) -> Plain:
    forbidden = {(f.unit, f.village) for f in instance.forbids}
    assert instance.edges is not None
    return Plain(
        capacity={u.id: u.capacity for u in instance.units},
        vmin={v.id: v.min_pairs for v in instance.villages},
        vmax={v.id: v.max_pairs for v in instance.villages},
        score={
            (e.unit, e.village): e.score
            for e in instance.edges
            if (e.unit, e.village) not in forbidden
        },
        pins={(p.unit, p.village) for p in instance.pins},
    )


@st.composite
def small_instances(draw: st.DrawFn) -> Instance:
    n_units = draw(st.integers(1, 4))
    n_villages = draw(st.integers(1, 4))
    units = tuple(Unit(f"u{i}", capacity=draw(st.integers(0, 2))) for i in range(n_units))
    villages = []
    for j in range(n_villages):
        low = draw(st.integers(0, 2))
        villages.append(Village(f"v{j}", min_pairs=low, max_pairs=low + draw(st.integers(0, 1))))
    all_pairs = [(u.id, v.id) for u in units for v in villages]
    chosen = draw(st.lists(st.sampled_from(all_pairs), unique=True, max_size=9))
    edges = tuple(Edge(u, v, draw(st.integers(-5, 10))) for u, v in chosen)
    # Pins that respect capacities and max (bad pins are tested in the CLI tests).
    pins, used, filled = (
        [],
        dict.fromkeys([u.id for u in units], 0),
        dict.fromkeys([v.id for v in villages], 0),
    )
    cap = {u.id: u.capacity for u in units}
    vmax = {v.id: v.max_pairs for v in villages}
    for u, v in chosen:
        if draw(st.integers(0, 5)) == 0 and used[u] < cap[u] and filled[v] < vmax[v]:
            pins.append(PairRef(u, v))
            used[u] += 1
            filled[v] += 1
    pinned = {(p.unit, p.village) for p in pins}
    forbids = [
        PairRef(u, v) for u, v in chosen if (u, v) not in pinned and draw(st.integers(0, 6)) == 0
    ]
    return Instance(units, tuple(villages), edges=edges, pins=tuple(pins), forbids=tuple(forbids))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances())
def test_optimum_equals_brute_force(instance: Instance) -> None:
    result = allocate(instance, workers=1)
    plain = plain_of(instance)
    pairs = [(p.unit, p.village) for p in result.pairs]
    assert problems(plain, pairs) == []
    assert objective(plain, pairs) == (result.covered_slots, result.total_score)
    assert (result.covered_slots, result.total_score) == brute_force(plain)
    assert result.optimal
    for u in result.uncovered:  # in an optimum nobody with room is left out
        assert u.declined == 0


def random_instance(seed: int, n_units: int, n_villages: int, n_edges: int) -> Instance:
    rng = random.Random(seed)
    units = tuple(Unit(f"U{i:04d}", capacity=rng.choice([0, 1, 1, 2, 3])) for i in range(n_units))
    villages = []
    for j in range(n_villages):
        low = rng.choice([0, 1, 1, 1, 2])
        villages.append(
            Village(f"V{j:04d}", min_pairs=low, max_pairs=low + rng.choice([0, 0, 1, 2]))
        )
    pairs = {(rng.randrange(n_units), rng.randrange(n_villages)) for _ in range(n_edges)}
    edges = tuple(
        Edge(units[u].id, villages[v].id, rng.randint(-20, 100)) for u, v in sorted(pairs)
    )
    forbids = tuple(PairRef(e.unit, e.village) for e in edges[::17])
    return Instance(units, tuple(villages), edges=edges, forbids=forbids)


@pytest.mark.parametrize("seed", range(6))
def test_optimum_equals_milp_on_larger_instances(seed: int) -> None:
    instance = random_instance(seed, 60, 80, 500)
    result = allocate(instance, workers=1)
    plain = plain_of(instance)
    assert problems(plain, [(p.unit, p.village) for p in result.pairs]) == []
    assert (result.covered_slots, result.total_score) == milp_optimum(plain)


def test_split_and_parallel_solve_agree_with_milp(monkeypatch: pytest.MonkeyPatch) -> None:
    """The component split and the two-process pool give the same optimum."""
    # Regions: units 0-29 only reach villages 0-39, units 30-59 villages 40-79.
    rng = random.Random(7)
    units = tuple(Unit(f"U{i:02d}", capacity=rng.choice([1, 2])) for i in range(60))
    villages = tuple(Village(f"V{j:02d}", min_pairs=1, max_pairs=2) for j in range(80))
    edges = {}
    for _ in range(600):
        u = rng.randrange(60)
        v = rng.randrange(40) + (40 if u >= 30 else 0)
        edges[(u, v)] = rng.randint(-10, 60)
    instance = Instance(
        units,
        villages,
        edges=tuple(Edge(units[u].id, villages[v].id, s) for (u, v), s in sorted(edges.items())),
    )
    monkeypatch.setattr(optimal, "SPLIT_MIN_PAIRS", 10)
    monkeypatch.setattr(optimal, "PARALLEL_MIN_PAIRS", 10)
    expected = milp_optimum(plain_of(instance))
    for workers in (1, 2):
        result = allocate(instance, workers=workers)
        assert (result.covered_slots, result.total_score) == expected


def test_coverage_beats_score() -> None:
    """One covered slot outweighs any score: the high-scoring pair is given up."""
    instance = Instance(
        (Unit("a", capacity=1), Unit("b", capacity=1)),
        (Village("x"), Village("y")),
        edges=(Edge("a", "x", 1000), Edge("a", "y", -5), Edge("b", "x", 1)),
    )
    result = allocate(instance)
    assert {(p.unit, p.village) for p in result.pairs} == {("a", "y"), ("b", "x")}
    assert (result.covered_slots, result.total_score) == (2, -4)


def test_no_idle_zero_score_pairs_beyond_min() -> None:
    instance = Instance(
        (Unit("a", capacity=2), Unit("b", capacity=1)),
        (Village("x", min_pairs=1, max_pairs=3),),
        edges=(Edge("a", "x", 5), Edge("b", "x", 0)),
    )
    assert [(p.unit, p.score) for p in allocate(instance).pairs] == [("a", 5)]


@pytest.mark.parametrize("seed", range(8))
def test_numpy_components_equal_scipy_components(seed: int) -> None:
    """The label propagation used below a million pairs finds SciPy's components (as a
    partition of the units), on graphs with chains, isolated units and many regions."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n_units, n_villages = int(rng.integers(1, 400)), int(rng.integers(1, 400))
    n_pairs = int(rng.integers(0, 900))
    eu = np.sort(rng.integers(0, n_units, n_pairs)).astype(np.int32)
    ev = rng.integers(0, n_villages, n_pairs).astype(np.int32)
    if seed % 2:  # a long chain: unit i and i+1 share village i
        chain = min(n_units - 1, n_villages)
        eu = np.concatenate([eu, np.arange(chain), np.arange(chain) + 1]).astype(np.int32)
        ev = np.concatenate([ev, np.arange(chain), np.arange(chain)]).astype(np.int32)
    ours = optimal.unit_components(n_units, n_villages, eu, ev)
    theirs = optimal._scipy_components(n_units, n_villages, eu, ev)
    # The same partition: a label of one maps to exactly one label of the other.
    assert (
        len(set(zip(ours.tolist(), theirs.tolist(), strict=True)))
        == len(set(ours.tolist()))
        == len(set(theirs.tolist()))
    )
