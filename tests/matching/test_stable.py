"""Stable mode: deferred acceptance leaves no blocking pair; repair only adds pairs."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongjian.matching import Edge, Instance, PairRef, Policy, Preference, Unit, Village, allocate
from tests.matching.checkers import Plain, blocking_pairs, milp_optimum, problems


def stable_instance(seed: int, n_units: int, n_villages: int, with_edges: bool) -> Instance:
    rng = random.Random(seed)
    units = tuple(
        Unit(
            f"U{i:03d}",
            kind=rng.choice(["legal", "economic", "party-mass"]),
            capacity=rng.choice([0, 1, 1, 2]),
        )
        for i in range(n_units)
    )
    villages = tuple(
        Village(
            f"V{j:03d}",
            tags=(rng.choice(["poor", "lax", "disorder"]),),
            min_pairs=1,
            max_pairs=rng.choice([1, 1, 2]),
        )
        for j in range(n_villages)
    )
    prefs = []
    for u in units:
        for rank, v in enumerate(rng.sample(villages, k=min(len(villages), rng.randint(0, 4))), 1):
            prefs.append(Preference(u.id, v.id, rank))
    edges = None
    if with_edges:
        pairs = {(p.unit, p.village) for p in prefs}
        pairs |= {(rng.choice(units).id, rng.choice(villages).id) for _ in range(n_villages)}
        # Few distinct scores: many ties, so the unit-id tie break matters.
        edges = tuple(Edge(u, v, rng.choice([0, 10, 20])) for u, v in sorted(pairs))
    policy = Policy(
        preference_points=(100, 80, 60, 40),
        affinity={"legal": {"disorder": 50}, "economic": {"poor": 50}, "party-mass": {"lax": 50}},
    )
    return Instance(units, villages, policy=policy, edges=edges, preferences=tuple(prefs))


def plain_of(instance: Instance) -> Plain:
    """Scores recomputed from the spec's rule, independently of the engine."""
    rank = {(p.unit, p.village): p.rank for p in instance.preferences}
    kind = {u.id: u.kind for u in instance.units}
    tags = {v.id: v.tags for v in instance.villages}
    if instance.edges is not None:
        score = {(e.unit, e.village): e.score for e in instance.edges}
        merit = dict(score)
    else:
        points = instance.policy.preference_points
        merit = {
            (u.id, v.id): sum(
                instance.policy.affinity.get(kind[u.id], {}).get(t, 0) for t in tags[v.id]
            )
            for u in instance.units
            for v in instance.villages
        }
        score = {
            p: m + (points[rank[p] - 1] if p in rank and rank[p] <= len(points) else 0)
            for p, m in merit.items()
        }
    return Plain(
        capacity={u.id: u.capacity for u in instance.units},
        vmin={v.id: v.min_pairs for v in instance.villages},
        vmax={v.id: v.max_pairs for v in instance.villages},
        score=score,
        pins={(p.unit, p.village) for p in instance.pins},
        rank=rank,
        merit=merit,
    )


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 7), st.integers(1, 7), st.booleans())
def test_deferred_acceptance_has_no_blocking_pair(seed: int, nu: int, nv: int, edges: bool) -> None:
    instance = stable_instance(seed, nu, nv, edges)
    plain = plain_of(instance)
    result = allocate(instance, mode="stable")
    pairs = [(p.unit, p.village) for p in result.pairs]
    assert problems(plain, pairs) == []
    assert all(p in plain.rank for p in pairs), "a unit got a village it did not list"
    assert blocking_pairs(plain, pairs) == []
    assert not result.optimal


def test_blocking_checker_catches_an_unstable_matching() -> None:
    """The checker is not a tautology: swapping a stable result creates blocking pairs."""
    plain = Plain(
        capacity={"a": 1, "b": 1},
        vmin={"x": 1, "y": 1},
        vmax={"x": 1, "y": 1},
        score={("a", "x"): 1, ("a", "y"): 1, ("b", "x"): 1, ("b", "y"): 1},
        rank={("a", "x"): 1, ("a", "y"): 2, ("b", "x"): 1, ("b", "y"): 2},
        merit={("a", "x"): 10, ("a", "y"): 0, ("b", "x"): 0, ("b", "y"): 0},
    )
    assert blocking_pairs(plain, [("a", "y"), ("b", "x")]) == [("a", "x")]
    assert blocking_pairs(plain, [("a", "x"), ("b", "y")]) == []


def test_ties_go_to_the_smaller_unit_id() -> None:
    instance = Instance(
        (Unit("b"), Unit("a")),
        (Village("x"),),
        edges=(Edge("a", "x", 5), Edge("b", "x", 5)),
        preferences=(Preference("a", "x", 1), Preference("b", "x", 1)),
    )
    assert [(p.unit, p.village) for p in allocate(instance, mode="stable").pairs] == [("a", "x")]


def test_pins_are_kept_and_take_capacity() -> None:
    instance = Instance(
        (Unit("a", capacity=1), Unit("b")),
        (Village("x"), Village("y")),
        edges=(Edge("a", "x", 1), Edge("a", "y", 9), Edge("b", "y", 1)),
        preferences=(Preference("a", "y", 1), Preference("b", "y", 1)),
        pins=(PairRef("a", "x"),),
    )
    result = allocate(instance, mode="stable")
    assert {(p.unit, p.village, p.pinned) for p in result.pairs} == {
        ("a", "x", True),
        ("b", "y", False),
    }


@pytest.mark.parametrize("seed", range(8))
def test_repair_keeps_stable_pairs_and_covers_as_much_as_possible(seed: int) -> None:
    instance = stable_instance(seed, 30, 25, with_edges=True)
    stable = {(p.unit, p.village) for p in allocate(instance, mode="stable").pairs}
    repaired_result = allocate(instance, mode="stable", repair=True)
    repaired = {(p.unit, p.village) for p in repaired_result.pairs}
    assert stable <= repaired
    plain = plain_of(instance)
    assert problems(plain, sorted(repaired)) == []
    # The best that can be done with the stable pairs fixed, by an independent MILP.
    fixed = Plain(plain.capacity, plain.vmin, plain.vmax, plain.score, pins=stable)
    covered, _ = milp_optimum(fixed)
    assert repaired_result.covered_slots == covered
    added = repaired - stable
    count = {v: sum(1 for _, w in stable if w == v) for v in plain.vmin}
    assert all(count[v] < plain.vmin[v] for _, v in added), "repair only fills villages below min"
