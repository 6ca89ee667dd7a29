"""Fixtures of the members app on the standing cast: a signed pairing of the unit with 花家村,
the village's needy members and villagers, mobile members, and a temporary policy directory
whose profiles carry a ``members:`` block."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from gongjian.members.models import MobileMember, Villager
from gongjian.members.services_mobile import agreement_record_signed, member_register
from gongjian.members.services_pairs import villager_create
from gongjian.orgs.models import Organization, Person
from gongjian.orgs.services import person_create
from gongjian.rounds.models import DirectoryEntry, Pairing, PairingOrigin, PairingStatus
from tests.conftest import Cast, fix_check, profile_without
from tests.rounds.conftest import make_round

REPO = Path(__file__).resolve().parents[2]
MEMBERS_BLOCK = """
members:
  report_grace_days: 20
  query_answer_days: 7
  letter_due: "07-01"
  letter_lead_days: 30
  forum_lead_days: 10
  agreement_before_leaving: true
"""


@pytest.fixture(autouse=True)
def policy_dir(tmp_path: Path, settings: Any) -> Path:
    """The shipped profiles with the tests' own members block (numbers the tests count on)."""
    target = tmp_path / "policies"
    target.mkdir()
    for source in (REPO / "policies").glob("*.yaml"):
        text = profile_without(source.read_text("utf-8"), "members") + MEMBERS_BLOCK
        (target / source.name).write_text(text, "utf-8")
    settings.POLICY_DIR = target
    return target


def sign_pairing(cast: Cast, unit: Organization, village: Organization) -> Pairing:
    """A signed pairing (the rounds app's own tests walk the services to get there)."""
    round_ = make_round(cast)
    entry = DirectoryEntry.objects.get(round=round_, village=village)
    return Pairing.objects.create(
        round=round_,
        entry=entry,
        unit=unit,
        village=village,
        origin=PairingOrigin.ALLOCATION,
        status=PairingStatus.SIGNED,
    )


@pytest.fixture
def pairing(cast: Cast) -> Pairing:
    return sign_pairing(cast, cast.unit, cast.village)


@pytest.fixture
def cadre(cast: Cast) -> Person:
    return Person.objects.get(organization=cast.unit, name="李建国")


@pytest.fixture
def needy_member(cast: Cast) -> Person:
    return Person.objects.get(organization=cast.village, name="张秀英")


@pytest.fixture
def villager(cast: Cast, pairing: Pairing) -> Villager:
    return villager_create(
        actor=cast.unit_user,
        pairing=pairing,
        name="赵大娘",
        phone="13800001111",
        difficulty="独居老人，患慢性病",
    )


def make_person(org: Organization, name: str, id17: str, **extra: Any) -> Person:
    return person_create(
        actor=None, organization=org, name=name, id_number=fix_check(id17 + "0"), phone="13912340000", **extra
    )


@pytest.fixture
def member(cast: Cast, needy_member: Person) -> MobileMember:
    """张秀英 of 花家村 works in 丹凤 (hosted by 清泉村), agreement signed before leaving."""
    left = datetime.date.today() - datetime.timedelta(days=400)
    registered = member_register(
        actor=cast.committee_admin,
        person=needy_member,
        location="丹凤县龙驹寨街道",
        work="建筑工地木工",
        left_on=left,
        phone="13700002222",
        host=cast.sibling_village,
    )
    agreement_record_signed(
        actor=cast.committee_admin,
        member=registered,
        signed_on=left - datetime.timedelta(days=3),
        branch_signer="王书记",
    )
    registered.refresh_from_db()
    return registered
