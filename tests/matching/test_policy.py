"""Policies: the spec's scoring rule, the loader, and every shipped profile."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gongjian.matching import (
    AllocationInputError,
    Instance,
    PairRef,
    Policy,
    Preference,
    Unit,
    Village,
    allocate,
    load_policy,
)

PROFILES = sorted((Path(__file__).parents[2] / "policies").glob("*.yaml"))


def test_scores_follow_the_spec_rule() -> None:
    policy = Policy(
        preference_points=(100, 80),
        renewal_points=30,
        need_points=10,
        affinity={"economic": {"poor": 50, "weak": 30}},
    )
    units = (Unit("e", kind="economic", capacity=3, resources=("资金", "项目", "技术")),)
    villages = (
        Village("a", tags=("poor", "weak"), needs=("资金", "技术", "道路")),  # rank 1, renewal
        Village("b", tags=("weak",)),  # rank 3: past the list
        Village("c"),
    )
    result = allocate(
        Instance(
            units,
            villages,
            policy=policy,
            preferences=(Preference("e", "a", 1), Preference("e", "b", 3)),
            previous=(PairRef("e", "a"),),
        )
    )
    got = {p.village: (p.score, p.reasons) for p in result.pairs}
    assert got["a"] == (100 + 80 + 30 + 20, "preference:100;affinity:80;renewal:30;needs:20")
    assert got["b"] == (30, "affinity:30")
    assert got["c"] == (0, "")


def test_geography_limits_candidates() -> None:
    policy = Policy(geography={"Huangpu": ("Chongming",)})
    result = allocate(
        Instance(
            (Unit("h", district="Huangpu", capacity=2), Unit("x", district="Elsewhere")),
            (Village("c", county="Chongming"), Village("j", county="Jinshan")),
            policy=policy,
        )
    )
    assert [(p.unit, p.village) for p in result.pairs] == [("h", "c")]
    assert [u.village for u in result.uncovered] == ["j"]


def test_profile_wrapper_and_bare_format_agree(tmp_path: Path) -> None:
    bare = {"preference_points": [5], "renewal_points": 1, "affinity": {"legal": {"disorder": 2}}}
    assert Policy.from_mapping(bare) == Policy.from_mapping({"name": "x", "allocation": bare})
    path = tmp_path / "p.yaml"
    path.write_text(
        yaml.safe_dump({"name": "某地", "allocation": {"need_points": "ten"}}, allow_unicode=True),
        encoding="utf-8",
    )
    with pytest.raises(AllocationInputError) as error:
        load_policy(path)
    assert (error.value.column, error.value.row) == ("need_points", 2)


@pytest.mark.parametrize("path", PROFILES, ids=[p.stem for p in PROFILES])
def test_every_shipped_profile_loads(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("name", "place", "version", "source"):
        assert key in data, f"{path.name} lacks {key}"
    policy = load_policy(path)
    if "allocation" in data:  # a place whose seed gives no allocation rules has no section
        assert policy.preference_points or policy.affinity or policy.rules


def test_the_two_seed_profiles_are_shipped() -> None:
    assert {"shangnan", "shanghai"} <= {p.stem for p in PROFILES}
    shangnan = load_policy(next(p for p in PROFILES if p.stem == "shangnan"))
    # Seed 002's principle, binding (tests/matching/test_rules.py checks what that does).
    (rule,) = shangnan.rules
    assert rule.mode == "binding"
    assert dict(rule.match) == {
        "party-mass": ("lax",),
        "legal": ("disorder",),
        "economic": ("poor",),
        "agriculture": ("demo",),
    }
