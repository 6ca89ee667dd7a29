"""The engine's versioned JSON format (one writer, one reader each) and its structured
reasons, worded by one function for the web app and the command line."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from gongjian.matching import (
    FORMAT_VERSION,
    AllocationInputError,
    Edge,
    FormatError,
    Instance,
    PairRef,
    Policy,
    Preference,
    Reason,
    Rule,
    UncoveredReason,
    Unit,
    Village,
    allocate,
    component_labels,
    describe,
    input_error_reason,
    instance_from_json,
    instance_to_json,
    result_from_json,
    result_to_json,
)
from gongjian.matching.cli import main

RULE = Rule("principle", "binding", {"party-mass": ("lax",)}, 0, "党群联软村")


def sample() -> Instance:
    return Instance(
        units=(
            Unit("1", "县委组织部", "party-mass", "商南县", 2, ("培训",)),
            Unit("2", "县公安局", "legal", "商南县", 1),
        ),
        villages=(
            Village("10", "草溪村", "商南县", "赵川镇", ("lax",), ("培训",), 1, 2),
            Village("11", "草溪村", "丹凤县", "棣花镇", (), (), 1, 1),
        ),
        policy=Policy((100, 80), 30, 10, {"legal": {"disorder": 50}}, {"商南县": ("商南县", "丹凤县")}, (RULE,)),
        preferences=(Preference("2", "10", 1),),
        previous=(PairRef("1", "11"),),
        forbids=(PairRef("2", "11"),),
    )


def test_instance_round_trip_keeps_everything() -> None:
    instance = sample()
    data = json.loads(json.dumps(instance_to_json(instance)))
    assert (data["format"], data["version"]) == ("gongjian.allocation.instance", FORMAT_VERSION)
    assert instance_from_json(data) == instance
    with_edges = Instance(instance.units, instance.villages, Policy(), edges=(Edge("1", "10", 7),))
    assert instance_from_json(json.loads(json.dumps(instance_to_json(with_edges)))) == with_edges


def test_result_round_trip_and_rederivation() -> None:
    instance = sample()
    result = allocate(instance)
    data = json.loads(json.dumps(result_to_json(result)))
    assert data["format"] == "gongjian.allocation.result"
    assert result_from_json(data) == result
    # The stored instance re-derives the stored result.
    again = allocate(instance_from_json(json.loads(json.dumps(instance_to_json(instance)))))
    assert result_to_json(again)["pairs"] == data["pairs"]
    # The binding rule: the lax village went to the party-mass unit, though the legal one chose it.
    first = data["pairs"][0]
    assert (first["unit"], first["village"], first["rules"]) == ("1", "10", ["principle"])


def test_readers_accept_runs_stored_before_versions() -> None:
    """A round's run stored as the dataclasses' dicts, a dispatch run as lists."""
    legacy_instance: dict[str, Any] = {
        "units": [{"id": "1", "name": "甲", "kind": "", "district": "", "capacity": 1, "resources": []}],
        "villages": [
            {
                "id": "10",
                "name": "村",
                "county": "",
                "town": "",
                "tags": [],
                "needs": [],
                "min_pairs": 1,
                "max_pairs": 1,
            }
        ],
        "policy": {"preference_points": [], "renewal_points": 0, "need_points": 0, "affinity": {}, "geography": None},
        "edges": None,
        "preferences": [],
        "previous": [],
        "pins": [{"unit": "1", "village": "10"}],
        "forbids": [],
    }
    assert instance_from_json(legacy_instance).pins == (PairRef("1", "10"),)
    legacy_result = {
        "pairs": [{"unit": "1", "village": "10", "score": 130, "reasons": "preference:100;renewal:30", "pinned": True}],
        "uncovered": [
            {"village": "11", "missing": 1, "code": "candidates_at_capacity", "candidates": 2, "at_capacity": 2}
        ],
        "optimal": True,
    }
    read = result_from_json(legacy_result)
    assert read.pairs[0].components == (("preference", 100), ("renewal", 30))
    assert read.uncovered[0].code is UncoveredReason.CANDIDATES_AT_CAPACITY
    dispatch = {
        "pairs": [["5", "10", 70, "affinity:40;needs:30"]],
        "unmatched": [["11", 1, "taken", 3, 3, True], ["12", 1, "not_suited", 2, 1, False]],
    }
    codes = [u.code for u in result_from_json(dispatch).uncovered]
    assert codes == [UncoveredReason.CANDIDATES_AT_CAPACITY, UncoveredReason.CANDIDATES_UNSUITED]


def test_an_unknown_version_is_refused() -> None:
    with pytest.raises(FormatError):
        result_from_json({"format": "gongjian.allocation.result", "version": FORMAT_VERSION + 1})
    with pytest.raises(FormatError):
        instance_from_json({"format": "gongjian.allocation.result", "version": FORMAT_VERSION})


@pytest.mark.parametrize("code", list(UncoveredReason))
def test_every_shortfall_is_worded_in_both_languages(code: UncoveredReason) -> None:
    params = {"candidates": 3, "paired": 1, "at_capacity": 1, "declined": 1, "forbidden": 2, "ruled_out": 1}
    zh, en = describe(Reason(code.value, params), "zh"), describe(Reason(code.value, params), "en")
    assert zh != en and code.value not in zh and code.value not in en
    assert "另有 2 个被禁止结对" in zh and "因结对原则" in zh
    assert "2 more forbidden" in en


def test_pin_refusals_name_unit_and_village_by_the_callers_names() -> None:
    """Two villages called 草溪村 are told apart by the caller's namer (name and county)."""
    instance = sample()
    places = {v.id: f"{v.name}（{v.county}）" for v in instance.villages}
    units = {u.id: f"{u.name}（{u.district}）" for u in instance.units}

    def name(kind: str, ident: str) -> str:
        return (units if kind == "unit" else places)[ident]

    refusals = []
    for pins, forbids in (
        ((PairRef("2", "11"),), instance.forbids),  # also forbidden
        ((PairRef("2", "10"),), ()),  # breaks the binding rule
        ((PairRef("2", "10"), PairRef("2", "11")), ()),  # over the unit's capacity (after the rule)
    ):
        case = Instance(instance.units, instance.villages, instance.policy, pins=pins, forbids=forbids)
        with pytest.raises(AllocationInputError) as error:
            allocate(case)
        refusals.append(describe(input_error_reason(error.value), "zh", name))
    assert refusals[0] == "指定结对“县公安局（商南县）—草溪村（丹凤县）”同时被禁止结对，不能既指定又禁止"
    assert refusals[1].startswith("指定结对“县公安局（商南县）—草溪村（商南县）”违反必须遵守的结对原则")
    english = describe(Reason("pin_over_capacity", {"unit": "2", "village": "11", "capacity": 1}), "en", name)
    assert english == "the pin 县公安局（商南县） – 草溪村（丹凤县） exceeds the unit's capacity of 1"


def test_components_are_labelled_in_each_context() -> None:
    assert component_labels((("preference", 100), ("rule", 60))) == [("志愿", 100), ("结对原则", 60)]
    assert component_labels("preference:60;needs:30", "zh", "dispatch") == [("本人意向", 60), ("专长对口", 30)]
    assert component_labels("preference:60", "en") == [("preference", 60)]


def test_the_command_line_writes_the_same_wording(tmp_path: Path) -> None:
    """uncovered.csv's reason is describe()'s English and Chinese sentence for the same reason."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "units.csv").write_text("id,capacity\nu1,1\n", encoding="utf-8")
    (folder / "villages.csv").write_text("id,min,max\nv1,1,1\nv2,1,1\n", encoding="utf-8")
    (folder / "edges.csv").write_text("unit,village,score\nu1,v1,5\nu1,v2,3\n", encoding="utf-8")
    assert main([str(folder), "--out", str(tmp_path / "out")]) == 0
    with (tmp_path / "out" / "uncovered.csv").open(encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    reason = Reason("candidates_at_capacity", {"candidates": 1, "paired": 0, "forbidden": 0, "ruled_out": 0})
    assert row["reason"] == f"{describe(reason, 'en')} ({describe(reason, 'zh')})"
