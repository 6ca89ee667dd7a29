"""Issue 16 point 10 — 五送 as seeds 000 and 002 state them.

seed 000: "党员领导干部与贫困户结对帮扶，开展送政策、送信息、送资金、送技术、送温暖的‘五送’活动" —
the deliveries a leading cadre of the unit makes to a poor household (a household pair, and a
"1+2" pair's needy villager and member) are the pair's 五送 and count for the Jincheng duty.
seed 002: "扎实开展‘五送一建’活动，关心弱势、困难党员" — care for needy party members, its own
record, not the unit's 五送 to the village.
"""

from __future__ import annotations

import datetime
from typing import Any

from gongjian.members.models import BranchPair, HouseholdPair, IndividualDelivery, Villager
from gongjian.orgs.models import Person
from gongjian.records.choices import FiveDelivery
from tests.compliance.helpers import run, stored

D = datetime.date


def test_a_leading_cadres_deliveries_to_a_poor_household_count_for_the_five_deliveries(world_factory: Any) -> None:
    w = world_factory("jincheng")
    cadre = Person.objects.get(organization=w.cast.unit, name="李建国")
    household = Villager.objects.create(village=w.cast.village, name="赵大娘", is_poor_household=True)
    pair = HouseholdPair.objects.create(pairing=w.a, started_on=D(2025, 8, 1), cadre=cadre, household=household)
    for month, kind in zip((2, 4, 6, 8, 10), FiveDelivery.values, strict=True):
        IndividualDelivery.objects.create(
            household_pair=pair, kind=kind, delivered_on=D(2026, month, 3), content="五送"
        )
    # B: a branch's care for a needy party member (双结对) is not the unit's 五送.
    member = Person.objects.get(organization=w.cast.village, name="张秀英")
    branch_pair = BranchPair.objects.create(
        pairing=w.b, started_on=D(2025, 8, 1), branch=w.cast.unit, needy_member=member
    )
    for kind in FiveDelivery.values:
        IndividualDelivery.objects.create(
            branch_pair=branch_pair, kind=kind, delivered_on=D(2026, 5, 1), content="关怀"
        )
    run(w, D(2027, 1, 31))
    # A: all five kinds delivered by the leading cadre to the poor household → met.
    assert stored(w.a).obligations["five_deliveries"] == "met"
    assert stored(w.b).obligations["five_deliveries"] == "missed"
