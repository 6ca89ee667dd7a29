"""The pair forms' writes (moved out of the views, issue 13): a new villager or household is
created in the same transaction as the pair, so a refused pair leaves nobody behind."""

from __future__ import annotations

import pytest

from gongjian.members.errors import MembersInputRefused
from gongjian.members.models import CadrePair, HouseholdPair, Villager
from gongjian.members.services_pairs import cadre_pair_record, household_pair_record


def test_cadre_pair_with_a_new_villager(cast, pairing, cadre, needy_member) -> None:
    pair = cadre_pair_record(
        actor=cast.unit_user,
        pairing=pairing,
        cadre=cadre,
        needy_member=needy_member,
        new_villager={"name": "赵大娘", "phone": "", "difficulty": "因病"},
    )
    assert pair.needy_villager.name == "赵大娘" and pair.needy_villager.village == pairing.village


def test_a_refused_cadre_pair_keeps_no_new_villager(cast, pairing, cadre, needy_member) -> None:
    with pytest.raises(MembersInputRefused) as exc:
        cadre_pair_record(
            actor=cast.unit_user,
            pairing=pairing,
            cadre=cadre,
            needy_member=cadre,  # not a party member of the village: refused after the villager
            new_villager={"name": "赵大娘", "phone": "", "difficulty": ""},
        )
    assert "needy_member" in exc.value.errors
    assert not Villager.objects.filter(name="赵大娘").exists() and not CadrePair.objects.exists()


def test_a_refused_household_pair_keeps_no_new_household(cast, pairing, needy_member) -> None:
    with pytest.raises(MembersInputRefused) as exc:
        household_pair_record(
            actor=cast.unit_user,
            pairing=pairing,
            cadre=needy_member,  # a village member, not the unit's cadre: refused after the household
            new_household={"name": "刘家", "phone": "", "household_size": 3, "difficulty": ""},
        )
    assert "cadre" in exc.value.errors
    assert not Villager.objects.filter(name="刘家").exists() and not HouseholdPair.objects.exists()


def test_household_pair_with_a_new_poor_household(cast, pairing, cadre) -> None:
    pair = household_pair_record(
        actor=cast.unit_user,
        pairing=pairing,
        cadre=cadre,
        new_household={"name": "刘家", "phone": "", "household_size": 3, "difficulty": ""},
    )
    assert pair.household.is_poor_household and pair.household.household_size == 3
