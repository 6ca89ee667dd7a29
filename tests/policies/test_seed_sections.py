"""The sections for issue 16 points 5, 7, 9, 15 and 18: each shipped profile carries them only
where its seed does, and a bad value is refused with the file and the key named."""

from __future__ import annotations

import pytest

from gongjian.policies import PolicyProfileError, load_profile, parse_profile

BASE = {"name": "测试", "allocation": {"preference_points": [100]}}


def test_the_shipped_profiles_have_the_rules_their_seeds_give() -> None:
    shanghai, anhui, town, shangnan = (load_profile(k) for k in ("shanghai", "anhui", "town_quarterly", "shangnan"))
    # seed 004 doc 1 (二)(四): towns paired; doc 2 二、1: the city side covered, villages only.
    assert (shanghai.coverage.towns_paired, shanghai.coverage.city_side) == (True, False)
    assert (anhui.coverage.towns_paired, anhui.coverage.city_side) == (False, True)
    # doc 1 (八) and doc 2 二、1: replacement outside the schedule; seed 002 has none.
    assert shanghai.adjustment is not None and anhui.adjustment is not None and shangnan.adjustment is None
    # doc 5 三、3: members report to the unit's organization; doc 1 does not say so.
    assert town.member_reports is not None and shanghai.member_reports is None
    # doc 1 (三)(十): 机关+企业 and the named plan; doc 5 三、1: a plan, no combination.
    assert (shanghai.helping_side.combined_pairing, shanghai.helping_side.plan_required) == (True, True)
    assert (town.helping_side.combined_pairing, town.helping_side.plan_required) == (False, True)
    # seed 002: the village's duties to its unit.
    duties = shangnan.village_duties
    assert duties is not None
    assert (duties.forums_per_quarter, duties.opinions_per_quarter, duties.young_members_per_year) == (1, 1, 1)
    assert anhui.village_duties is None and shanghai.village_duties is None


@pytest.mark.parametrize(
    ("section", "value", "key"),
    [
        ("coverage", {"towns_paired": "yes", "city_side": False}, "coverage.towns_paired"),
        ("coverage", {"towns": True}, "coverage.towns"),
        ("adjustment", {"replacement_days": 0}, "adjustment.replacement_days"),
        ("member_reports", {}, "member_reports.due_days"),
        ("helping_side", {"combined_pairing": 1, "plan_required": True}, "helping_side.combined_pairing"),
        ("village_duties", {"forums_per_quarter": 1}, "village_duties.opinions_per_quarter"),
    ],
)
def test_a_bad_value_names_the_file_and_the_key(section: str, value: object, key: str) -> None:
    with pytest.raises(PolicyProfileError) as refused:
        parse_profile("bad", "bad.yaml", {**BASE, section: value})
    assert "bad.yaml" in str(refused.value) and key in str(refused.value)
