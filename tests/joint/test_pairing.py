"""A joint organization as the village side of a pairing (issue 6, item 4): projects and funds
pooled across its villages hang on that pairing; its members' pages show it.

A round lists joint organizations in its directory where the policy profile says so
(``round.joint_organizations_in_directory``); everything after — intents, allocation,
publication, both sides' confirmation — runs through the rounds services unchanged.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from gongjian.joint.selectors import joint_pairings
from gongjian.orgs.models import VILLAGE_SIDE_KINDS, OrgKind
from gongjian.rounds.models import DirectoryEntry, Pairing, PairingStatus, RoundUnit
from gongjian.rounds.services_allocation import allocation_publish, allocation_run
from gongjian.rounds.services_choosing import intent_submit
from gongjian.rounds.services_pairing import pairing_confirm
from tests.conftest import Cast
from tests.joint.test_services import JointCast, make_joint_cast
from tests.rounds.conftest import make_round


@pytest.fixture
def jc(cast: Cast) -> JointCast:
    return make_joint_cast(cast)


@pytest.fixture
def joint_directory_profile(tmp_path: Path, settings: pytest.FixtureRequest) -> None:
    """The shipped shangnan profile, with joint organizations listed in the directory."""
    source = Path(settings.POLICY_DIR)  # type: ignore[attr-defined]
    for profile in source.glob("*.yaml"):
        shutil.copy(profile, tmp_path / profile.name)
    text = (tmp_path / "shangnan.yaml").read_text("utf-8")
    assert "joint_organizations_in_directory: false" in text
    (tmp_path / "shangnan.yaml").write_text(
        text.replace("joint_organizations_in_directory: false", "joint_organizations_in_directory: true"), "utf-8"
    )
    settings.POLICY_DIR = tmp_path  # type: ignore[attr-defined]


def test_joint_organizations_stay_out_of_the_directory_by_default(cast: Cast, jc: JointCast) -> None:
    round_ = make_round(cast)
    assert set(DirectoryEntry.objects.filter(round=round_).values_list("village__kind", flat=True)) == {OrgKind.VILLAGE}


def test_a_joint_organization_is_one_party_of_a_pairing(
    cast: Cast, jc: JointCast, joint_directory_profile: None
) -> None:
    round_ = make_round(cast)
    joint = jc.committee
    assert joint.is_village_side and OrgKind.JOINT in VILLAGE_SIDE_KINDS
    entry = DirectoryEntry.objects.get(round=round_, village=joint)
    sides = DirectoryEntry.objects.filter(round=round_, village__kind__in=VILLAGE_SIDE_KINDS)
    assert set(sides.values_list("village__name", flat=True)) == {
        "花家村党支部",
        "王家沟村党支部",
        "后湾村党支部",
        "清泉村党支部",
        "双庙村党支部",
        "富水联村党委",
        "花家双庙村村联建党总支",
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
    # The joint organization's own user confirms for the village side.
    from tests.conftest import make_user

    joint_user = make_user("joint", "village_user", joint)
    assert pairing_confirm(actor=joint_user, pairing=pairing).status == PairingStatus.CONFIRMED

    # The member villages' users (and the admins above) see the joint organization's pairing…
    for user in (cast.village_user, jc.town_admin, cast.committee_admin):
        assert [p.pk for p in joint_pairings(user=user, joint=joint)] == [pairing.pk]
    # …on the member's own page, in the panel of its joint organizations.
    client = Client()
    client.force_login(cast.village_user)
    panel = client.get(reverse("joint:panel", args=[cast.village.pk])).content.decode()
    assert "富水联村党委" in panel and "商南县农业农村局机关党委" in panel and "已确认" in panel
    detail = client.get(reverse("joint:detail", args=[joint.pk])).content.decode()
    assert "商南县农业农村局机关党委" in detail and round_.name in detail
    # A village that is not a member, a sibling county and an outsider do not.
    for user in (cast.sibling_admin, cast.outsider):
        assert joint_pairings(user=user, joint=joint) == []
    stranger = make_user("stranger", "village_user", jc.far_village)
    assert joint_pairings(user=stranger, joint=joint) == []
    stranger_client = Client()
    stranger_client.force_login(stranger)
    panel = stranger_client.get(reverse("joint:panel", args=[jc.far_village.pk])).content.decode()
    assert "花家双庙村村联建党总支" in panel  # its own joint organization, which has no pairing
    assert "富水联村党委" not in panel and "商南县农业农村局机关党委" not in panel
