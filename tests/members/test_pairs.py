"""Individual pairing services and selectors: "1+2", household and branch pairs, plans,
五送, the unit's page with its flags; scope and audit."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from gongjian.audit.models import AuditEntry
from gongjian.members import selectors_pairs as sel
from gongjian.members.errors import MembersActionRefused, MembersInputRefused
from gongjian.members.models import Beneficiary, CadrePair, IndividualDelivery, PairStatus
from gongjian.members.services_pairs import (
    branch_pair_create,
    cadre_pair_create,
    delivery_record,
    help_plan_create,
    help_progress_add,
    household_pair_create,
    pair_end,
    villager_create,
)
from gongjian.records.choices import FiveDelivery
from gongjian.rounds.models import PairingStatus
from tests.members.conftest import make_person

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def test_cadre_pair_is_created_audited_and_one_per_cadre(cast, pairing, cadre, needy_member, villager) -> None:
    pair = cadre_pair_create(
        actor=cast.unit_user, pairing=pairing, cadre=cadre, needy_member=needy_member, needy_villager=villager
    )
    assert pair.status == PairStatus.ACTIVE and pair.started_on == TODAY
    entry = AuditEntry.objects.get(action="cadre_pair.create")
    assert entry.object_id == str(pair.pk) and entry.actor_username == "unit" and entry.success
    assert entry.scope_path == cast.village.path
    with pytest.raises(MembersInputRefused) as exc:
        cadre_pair_create(
            actor=cast.unit_user, pairing=pairing, cadre=cadre, needy_member=needy_member, needy_villager=villager
        )
    assert "cadre" in exc.value.errors
    assert CadrePair.objects.count() == 1


def test_cadre_pair_people_must_belong_to_the_pairing(cast, pairing, cadre, needy_member, villager) -> None:
    stranger = make_person(cast.sibling_unit, "外单位干部", "61102219700101001")
    villager_member = make_person(cast.village, "非党员村民", "61102319700101002", is_party_member=False)
    with pytest.raises(MembersInputRefused) as exc:
        cadre_pair_create(
            actor=cast.unit_user, pairing=pairing, cadre=stranger, needy_member=villager_member, needy_villager=villager
        )
    assert set(exc.value.errors) == {"cadre", "needy_member"}
    assert not CadrePair.objects.exists()


def test_only_signed_pairings_and_the_unit_side_write(cast, pairing, cadre, needy_member, villager) -> None:
    for user in (cast.village_user, cast.outsider, cast.sibling_admin, cast.auditor):
        with pytest.raises(PermissionDenied):
            cadre_pair_create(
                actor=user, pairing=pairing, cadre=cadre, needy_member=needy_member, needy_villager=villager
            )
    pairing.status = PairingStatus.CONFIRMED
    pairing.save()
    with pytest.raises(MembersActionRefused):
        cadre_pair_create(
            actor=cast.unit_user, pairing=pairing, cadre=cadre, needy_member=needy_member, needy_villager=villager
        )
    # the county admin (over the unit) may write
    pairing.status = PairingStatus.SIGNED
    pairing.save()
    assert cadre_pair_create(
        actor=cast.committee_admin, pairing=pairing, cadre=cadre, needy_member=needy_member, needy_villager=villager
    ).pk


def test_villager_phone_and_id_are_checked(cast, pairing) -> None:
    with pytest.raises(MembersInputRefused) as exc:
        villager_create(actor=cast.unit_user, pairing=pairing, name="", phone="12345", id_number="123")
    assert set(exc.value.errors) == {"name", "phone", "id_number"}
    rows = AuditEntry.objects.filter(action="villager.create")
    # nothing written, and the refusal itself on record (#12 item 9)
    assert [(row.success, row.actor_username) for row in rows] == [(False, cast.unit_user.username)]


def test_delivery_plan_and_progress(cast, pairing, cadre, needy_member, villager) -> None:
    pair = cadre_pair_create(
        actor=cast.unit_user, pairing=pairing, cadre=cadre, needy_member=needy_member, needy_villager=villager
    )
    delivery = delivery_record(
        actor=cast.unit_user,
        pair=pair,
        kind=FiveDelivery.FUNDS,
        delivered_on=TODAY,
        content="慰问金",
        amount=Decimal("500"),
    )
    assert delivery.cadre_pair == pair and delivery.amount == Decimal("500.00")
    assert AuditEntry.objects.get(action="individual_delivery.record").after["kind"] == "funds"
    with pytest.raises(MembersInputRefused) as exc:
        delivery_record(
            actor=cast.unit_user,
            pair=pair,
            kind="bribe",
            delivered_on=TODAY + datetime.timedelta(days=1),
            content="",
            amount=Decimal("-1"),
        )
    assert set(exc.value.errors) == {"kind", "content", "amount", "delivered_on"}
    plan = help_plan_create(
        actor=cast.unit_user,
        pair=pair,
        beneficiary=Beneficiary.VILLAGER,
        difficulty="缺劳动力",
        goals="年底前稳定增收",
        measures="帮助申请公益岗位",
        target_date=TODAY + datetime.timedelta(days=180),
    )
    with pytest.raises(MembersActionRefused):
        help_plan_create(
            actor=cast.unit_user,
            pair=pair,
            beneficiary=Beneficiary.HOUSEHOLD,
            difficulty="x",
            goals="y",
            measures="z",
            target_date=TODAY,
        )
    help_progress_add(actor=cast.unit_user, plan=plan, pair=pair, recorded_on=TODAY, note="已上岗", percent=60)
    plan.refresh_from_db()
    assert plan.progress_percent == 60
    assert AuditEntry.objects.get(action="help_progress.add").before == {"progress_percent": 0}
    pair_end(actor=cast.unit_user, pair=pair)
    with pytest.raises(MembersActionRefused):
        delivery_record(actor=cast.unit_user, pair=pair, kind=FiveDelivery.WARMTH, delivered_on=TODAY, content="x")


def test_household_and_branch_pairs(cast, pairing, cadre, needy_member) -> None:
    household = villager_create(actor=cast.unit_user, pairing=pairing, name="刘家", is_poor_household=True)
    not_poor = villager_create(actor=cast.unit_user, pairing=pairing, name="陈家")
    with pytest.raises(MembersActionRefused):
        household_pair_create(actor=cast.unit_user, pairing=pairing, cadre=cadre, household=not_poor)
    hpair = household_pair_create(actor=cast.unit_user, pairing=pairing, cadre=cadre, household=household)
    delivery_record(
        actor=cast.unit_user, pair=hpair, kind=FiveDelivery.POLICY, delivered_on=TODAY, content="讲解低保政策"
    )
    with pytest.raises(MembersActionRefused):
        branch_pair_create(actor=cast.unit_user, pairing=pairing, branch=cast.sibling_unit, needy_member=needy_member)
    bpair = branch_pair_create(actor=cast.unit_user, pairing=pairing, branch=cast.unit, needy_member=needy_member)
    assert {e.action for e in AuditEntry.objects.filter(success=True)} >= {
        "household_pair.create",
        "branch_pair.create",
        "individual_delivery.record",
    }
    assert IndividualDelivery.objects.filter(household_pair=hpair).count() == 1
    assert sel.branch_pair_get(user=cast.village_user, pk=bpair.pk) == bpair


def test_unit_overview_flags_cadres_with_nothing_this_quarter(cast, pairing, cadre, needy_member, villager) -> None:
    other_cadre = make_person(cast.unit, "周明", "61102319850101003")
    other_member = make_person(cast.village, "孙老汉", "61102319500101004")
    other_villager = villager_create(actor=cast.unit_user, pairing=pairing, name="钱婶")
    busy = cadre_pair_create(
        actor=cast.unit_user, pairing=pairing, cadre=cadre, needy_member=needy_member, needy_villager=villager
    )
    cadre_pair_create(
        actor=cast.unit_user,
        pairing=pairing,
        cadre=other_cadre,
        needy_member=other_member,
        needy_villager=other_villager,
    )
    delivery_record(
        actor=cast.unit_user, pair=busy, kind=FiveDelivery.TECHNOLOGY, delivered_on=TODAY, content="嫁接技术"
    )
    overview = sel.unit_overview(user=cast.unit_user, unit=cast.unit, today=TODAY)
    flags = {row.name: row.flagged for row in overview.rows}
    assert flags == {"李建国": False, "周明": True}
    assert overview.flagged_count == 1 and overview.can_write
    # next quarter, nobody has recorded anything yet
    later = sel.quarter_start(TODAY) + datetime.timedelta(days=100)
    assert sel.unit_overview(user=cast.unit_user, unit=cast.unit, today=later).flagged_count == 2
    # the village sees the page read-only; outsiders and the sibling county get 404
    assert not sel.unit_overview(user=cast.village_user, unit=cast.unit, today=TODAY).can_write
    assert sel.unit_get(user=cast.village_user, pk=cast.unit.pk) == cast.unit
    for user in (cast.outsider, cast.sibling_admin):
        with pytest.raises(Http404):
            sel.unit_get(user=user, pk=cast.unit.pk)
        with pytest.raises(Http404):
            sel.cadre_pair_get(user=user, pk=busy.pk)
        with pytest.raises(Http404):
            sel.pairing_get(user=user, pk=pairing.pk)
        assert not sel.cadre_pair_list(user=user).exists()
