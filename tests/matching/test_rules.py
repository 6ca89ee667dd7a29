"""Pairing rules in each mode — binding, priority, points — give the true lexicographic
optimum: against brute force on small instances and a MILP on larger ones, with the
candidates, scores and levels computed here without the engine's code.

The Shangnan principle (seed 002: "按照‘党群部门联软村，政法部门联乱村，经济部门联穷村，
涉农部门联产业示范村’的原则") is the case they were made for.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongjian.matching import (
    AllocationInputError,
    Instance,
    PairRef,
    Policy,
    Preference,
    Rule,
    Unit,
    Village,
    allocate,
    load_policy,
)
from tests.matching.checkers import Plain, brute_force_levels, levels, milp_levels, problems

ROOT = Path(__file__).resolve().parents[2]
KINDS = ("party-mass", "legal", "economic")
TAGS = ("lax", "disorder")
MATCH = {"party-mass": ("lax",), "legal": ("disorder",)}
POINTS = (100, 80, 60)


def principle(mode: str) -> Rule:
    return Rule("principle", mode, MATCH, 60 if mode == "points" else 0)


def follows(instance: Instance, u: str, v: str) -> bool:
    """The pair follows the rule: the village carries a tag named for the unit's kind."""
    kind = {x.id: x.kind for x in instance.units}[u]
    tags = {x.id: x.tags for x in instance.villages}[v]
    return any(t in MATCH.get(kind, ()) for t in tags)


def plain_of(instance: Instance, mode: str) -> tuple[Plain, dict[tuple[str, str], int]]:
    """Candidates (geography, forbids, then the binding rule), scores and priority levels."""
    policy = instance.policy
    assert policy.geography is not None
    district = {u.id: u.district for u in instance.units}
    county = {v.id: v.county for v in instance.villages}
    forbidden = {(f.unit, f.village) for f in instance.forbids}
    rank = {(p.unit, p.village): p.rank for p in instance.preferences}
    pairs = [
        (u.id, v.id)
        for u in instance.units
        for v in instance.villages
        if county[v.id] in policy.geography.get(district[u.id], ()) and (u.id, v.id) not in forbidden
    ]
    if mode == "binding":
        falls = {v.id for v in instance.villages if set(v.tags) & {"lax", "disorder"}}
        has = {v for u, v in pairs if follows(instance, u, v)}
        pairs = [(u, v) for u, v in pairs if not (v in falls and v in has and not follows(instance, u, v))]
    score = {}
    for u, v in pairs:
        r = rank.get((u, v), 0)
        points = POINTS[r - 1] if r else 0
        if mode == "points" and follows(instance, u, v):
            points += 60
        score[(u, v)] = points
    priority = {p: 1 for p in pairs if mode == "priority" and follows(instance, *p)}
    plain = Plain(
        capacity={u.id: u.capacity for u in instance.units},
        vmin={v.id: v.min_pairs for v in instance.villages},
        vmax={v.id: v.max_pairs for v in instance.villages},
        score=score,
        pins={(p.unit, p.village) for p in instance.pins},
    )
    return plain, priority


def build(rng: random.Random, mode: str, n_units: int, n_villages: int, ranks: int) -> Instance:
    units = tuple(
        Unit(f"u{i}", kind=rng.choice(KINDS), district=rng.choice(("d0", "d1")), capacity=rng.choice((0, 1, 1, 2)))
        for i in range(n_units)
    )
    villages = []
    for j in range(n_villages):
        low = rng.choice((0, 1, 1))
        tags = tuple(t for t in TAGS if rng.random() < 0.4)
        villages.append(
            Village(
                f"v{j}", county=rng.choice(("c0", "c1")), tags=tags, min_pairs=low, max_pairs=low + rng.choice((0, 1))
            )
        )
    preferences = []
    for u in units:
        for r, v in enumerate(rng.sample(villages, min(ranks, len(villages))), 1):
            preferences.append(Preference(u.id, v.id, r))
    policy = Policy(preference_points=POINTS, geography={"d0": ("c0",), "d1": ("c0", "c1")}, rules=(principle(mode),))
    forbids = tuple(PairRef(p.unit, p.village) for p in preferences if rng.random() < 0.08)
    return Instance(units, tuple(villages), policy, preferences=tuple(preferences), forbids=forbids)


def check(instance: Instance, mode: str, expected: tuple[int, int, int] | None) -> None:
    result = allocate(instance, workers=1)
    plain, priority = plain_of(instance, mode)
    pairs = [(p.unit, p.village) for p in result.pairs]
    assert problems(plain, pairs) == []  # with binding: no ruled-out pair in the result
    assert levels(plain, pairs, priority) == expected
    assert (result.covered_slots, result.total_score) == (expected[0], expected[2]) if expected else True
    for p in result.pairs:
        assert (p.rules == ("principle",)) == follows(instance, p.unit, p.village)
        assert sum(n for _c, n in p.components) == p.score


@pytest.mark.parametrize("mode", ["binding", "priority", "points"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6))
def test_each_mode_equals_brute_force(mode: str, seed: int) -> None:
    rng = random.Random(seed)
    instance = build(rng, mode, rng.randint(1, 3), rng.randint(1, 3), 2)
    plain, priority = plain_of(instance, mode)
    assert len(plain.score) <= 9
    check(instance, mode, brute_force_levels(plain, priority))


@pytest.mark.parametrize("mode", ["binding", "priority", "points"])
@pytest.mark.parametrize("seed", range(4))
def test_each_mode_equals_milp_on_larger_instances(mode: str, seed: int) -> None:
    instance = build(random.Random(seed), mode, 30, 40, 3)
    plain, priority = plain_of(instance, mode)
    check(instance, mode, milp_levels(plain, priority))


def shangnan_case() -> Instance:
    """Every unit's first choice is the village the principle gives to another kind."""
    policy = load_policy(ROOT / "policies" / "shangnan.yaml")
    units = (Unit("党群", kind="party-mass"), Unit("政法", kind="legal"))
    villages = (Village("乱村", tags=("disorder",)), Village("软村", tags=("lax",)))
    preferences = (Preference("党群", "乱村", 1), Preference("政法", "软村", 1))
    return Instance(units, villages, policy, preferences=preferences)


def test_shangnan_profile_makes_the_principle_binding() -> None:
    """Seed 002's verdict by hand: 党群 takes the lax village, 政法 the disorderly one, though
    each ranked the other first (under the old 60 points, the first choices' 100 won)."""
    result = allocate(shangnan_case())
    assert {(p.unit, p.village) for p in result.pairs} == {("党群", "软村"), ("政法", "乱村")}
    assert all(p.rules == ("shangnan_principle",) for p in result.pairs)
    assert "weak" not in str(load_policy(ROOT / "policies" / "shangnan.yaml"))


def test_the_same_case_under_points_gives_the_first_choices() -> None:
    """The rule as points (what the profile had): first choices (100) beat 60 points."""
    case = shangnan_case()
    rule = Rule("p", "points", {"party-mass": ("lax",), "legal": ("disorder",)}, 60)
    result = allocate(Instance(case.units, case.villages, Policy(POINTS, rules=(rule,)), preferences=case.preferences))
    assert {(p.unit, p.village) for p in result.pairs} == {("党群", "乱村"), ("政法", "软村")}


def test_priority_yields_to_coverage() -> None:
    """A priority rule ranks above score but below covered slots: the lax village goes to the
    legal unit when the party-mass unit is the only one that can cover the other village."""
    rule = Rule("p", "priority", {"party-mass": ("lax",)})
    units = (Unit("党群", kind="party-mass", district="a"), Unit("政法", kind="legal", district="b"))
    villages = (Village("软村", county="x", tags=("lax",)), Village("别村", county="y"))
    policy = Policy(geography={"a": ("x", "y"), "b": ("x",)}, rules=(rule,))
    result = allocate(Instance(units, villages, policy))
    assert {(p.unit, p.village) for p in result.pairs} == {("党群", "别村"), ("政法", "软村")}
    assert result.covered_slots == 2


def test_a_pin_that_breaks_a_binding_rule_is_refused_with_its_code() -> None:
    case = shangnan_case()
    with pytest.raises(AllocationInputError) as error:
        allocate(Instance(case.units, case.villages, case.policy, pins=(PairRef("党群", "乱村"),)))
    assert error.value.code == "pin_breaks_rule"
    assert error.value.params == {"unit": "党群", "village": "乱村", "rule": "shangnan_principle"}


def test_a_binding_rule_without_a_matching_candidate_leaves_the_village_open_to_all() -> None:
    """ "Whenever one is a candidate": with no legal unit, anyone may take the disorderly village."""
    rule = Rule("p", "binding", {"legal": ("disorder",)})
    result = allocate(
        Instance((Unit("党群", kind="party-mass"),), (Village("乱村", tags=("disorder",)),), Policy(rules=(rule,)))
    )
    assert [(p.unit, p.village) for p in result.pairs] == [("党群", "乱村")]


@pytest.mark.parametrize("mode", ["binding", "priority"])
def test_stable_mode_follows_the_rule(mode: str) -> None:
    """Deferred acceptance: both units propose to the lax village first; under a binding rule
    only the party-mass unit is a candidate there, under a priority rule the village ranks
    it above the other (whatever the score), so the party-mass unit holds the place."""
    rule = Rule("p", mode, {"party-mass": ("lax",)})
    units = (Unit("a政法", kind="legal"), Unit("b党群", kind="party-mass"))
    villages = (Village("软村", tags=("lax",)), Village("别村"))
    preferences = (
        Preference("a政法", "软村", 1),
        Preference("a政法", "别村", 2),
        Preference("b党群", "软村", 1),
        Preference("b党群", "别村", 2),
    )
    result = allocate(
        Instance(units, villages, Policy((100, 80), rules=(rule,)), preferences=preferences), mode="stable"
    )
    assert {(p.unit, p.village) for p in result.pairs} == {("b党群", "软村"), ("a政法", "别村")}
