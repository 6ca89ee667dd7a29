"""A joint organization as the village side of a pairing (issue 6, item 4): projects and funds
pooled across its villages hang on that pairing; its members' pages show it.

``rounds.services_setup.round_open`` puts only ``kind == village`` in the directory today, so
this test adds the joint organization's directory entry the way round_open would once it
takes ``Organization.is_village_side`` (reported to the lead); everything after the
directory — intents, allocation, publication, the unit's confirmation — runs through the
rounds services unchanged.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gongjian.orgs.models import VILLAGE_SIDE_KINDS, OrgKind
from gongjian.orgs.selectors_joint import joint_pairings
from gongjian.rounds.models import DirectoryEntry, Pairing, PairingStatus, RoundUnit
from gongjian.rounds.services_allocation import allocation_publish, allocation_run
from gongjian.rounds.services_choosing import intent_submit
from gongjian.rounds.services_pairing import pairing_confirm
from tests.conftest import Cast
from tests.orgs.test_joint_services import JointCast, make_joint_cast
from tests.rounds.conftest import make_round


@pytest.fixture
def jc(cast: Cast) -> JointCast:
    return make_joint_cast(cast)


def test_a_joint_organization_is_one_party_of_a_pairing(cast: Cast, jc: JointCast) -> None:
    round_ = make_round(cast)
    joint = jc.committee
    assert joint.is_village_side and OrgKind.JOINT in VILLAGE_SIDE_KINDS
    villages = set(DirectoryEntry.objects.filter(round=round_).values_list("village__kind", flat=True))
    assert villages == {OrgKind.VILLAGE}  # round_open as it stands: see the module docstring
    entry = DirectoryEntry.objects.create(round=round_, village=joint, county="商南县", town="富水镇")
    sides = DirectoryEntry.objects.filter(round=round_, village__kind__in=VILLAGE_SIDE_KINDS)
    assert set(sides.values_list("village__name", flat=True)) == {
        "花家村党支部",
        "王家沟村党支部",
        "后湾村党支部",
        "清泉村党支部",
        "双庙村党支部",
        "富水联村党委",
    }

    intent = intent_submit(actor=cast.unit_user, entry=entry)
    assert intent.entry.village == joint
    run = allocation_run(actor=cast.city_admin, round_=round_, pins=[(cast.unit.pk, joint.pk)])
    assert (str(cast.unit.pk), str(joint.pk)) in {(p["unit"], p["village"]) for p in run.result["pairs"]}
    allocation_publish(actor=cast.city_admin, run=run)
    pairing = Pairing.objects.get(round=round_, village=joint)
    assert pairing.unit == cast.unit and RoundUnit.objects.filter(round=round_, unit=cast.unit).exists()
    pairing = pairing_confirm(actor=cast.unit_user, pairing=pairing)
    assert pairing.unit_confirmed_at is not None and pairing.status == PairingStatus.PROPOSED

    # The member villages' users (and the admins above) see the joint organization's pairing…
    for user in (cast.village_user, jc.town_admin, cast.committee_admin):
        assert [p.pk for p in joint_pairings(user=user, joint=joint)] == [pairing.pk]
    # …on the member's own page, in the panel of its joint organizations.
    client = Client()
    client.force_login(cast.village_user)
    panel = client.get(reverse("orgs:joint_panel", args=[cast.village.pk])).content.decode()
    assert "富水联村党委" in panel and "商南县农业农村局机关党委" in panel and "待确认" in panel
    detail = client.get(reverse("orgs:joint_detail", args=[joint.pk])).content.decode()
    assert "商南县农业农村局机关党委" in detail and round_.name in detail
    # A village that is not a member, a sibling county and an outsider do not.
    for user in (cast.sibling_admin, cast.outsider):
        assert joint_pairings(user=user, joint=joint) == []
    from tests.conftest import make_user

    stranger = make_user("stranger", "village_user", jc.far_village)
    assert joint_pairings(user=stranger, joint=joint) == []
    stranger_client = Client()
    stranger_client.force_login(stranger)
    panel = stranger_client.get(reverse("orgs:joint_panel", args=[jc.far_village.pk])).content.decode()
    assert "花家双庙村村联建党总支" in panel  # its own joint organization, which has no pairing
    assert "富水联村党委" not in panel and "商南县农业农村局机关党委" not in panel
