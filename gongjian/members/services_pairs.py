"""Writes of individual pairing: villagers, "1+2" / household / branch pairs, help plans
and their progress, and the 五送. Every write is audited in its own transaction.

Bad input raises ``MembersInputRefused`` keyed by field (so a form keeps what was typed),
an action impossible now ``MembersActionRefused`` (both :class:`gongjian.core.errors.Refused`:
the API answers 422/409); someone who may not write raises ``PermissionDenied`` (403).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited, snapshot
from gongjian.members.access import can_write_pairs
from gongjian.members.errors import MembersActionRefused, MembersInputRefused
from gongjian.members.models import (
    Beneficiary,
    BranchPair,
    CadrePair,
    HelpPlan,
    HelpProgress,
    HouseholdPair,
    IndividualDelivery,
    PairStatus,
    Villager,
)
from gongjian.orgs.models import Organization, Person
from gongjian.orgs.personal_data import id_number_problem
from gongjian.orgs.scope import is_within
from gongjian.records.choices import FiveDelivery
from gongjian.rounds.models import Pairing, PairingStatus

Pair = CadrePair | HouseholdPair | BranchPair
PHONE = re.compile(r"^1\d{10}$")
PAIR_FIELD = {CadrePair: "cadre_pair", HouseholdPair: "household_pair", BranchPair: "branch_pair"}


def _require_writer(actor: Any, pairing: Pairing) -> None:
    if not can_write_pairs(actor, pairing):
        raise PermissionDenied(_("只有结对单位及其上级组织可以登记个人结对"))


def _require_signed(pairing: Pairing) -> None:
    if pairing.status != PairingStatus.SIGNED:
        raise MembersActionRefused(_("单位与村正式签约后，才能登记个人结对"), code="not_signed")


def _inside(person_or_org: Person | Organization, root: Organization) -> bool:
    org = person_or_org.organization if isinstance(person_or_org, Person) else person_or_org
    return is_within(org, root)


def _today() -> datetime.date:
    return timezone.localdate()


@audits_refusals
def villager_create(
    *,
    actor: Any,
    pairing: Pairing,
    name: str,
    phone: str = "",
    id_number: str = "",
    household_size: int | None = None,
    is_poor_household: bool = False,
    difficulty: str = "",
) -> Villager:
    """Register a needy villager (or poor household) of the pairing's village."""
    _require_writer(actor, pairing)
    name, phone, id_number = name.strip(), phone.strip(), id_number.strip().upper()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("请填写姓名")
    if phone and not PHONE.match(phone):
        errors["phone"] = _("手机号码应为 11 位数字，以 1 开头")
    if id_number and (problem := id_number_problem(id_number)):
        errors["id_number"] = problem
    if errors:
        raise MembersInputRefused(errors)
    villager = Villager(
        village=pairing.village,
        name=name[:64],
        phone=phone,
        id_number=id_number,
        household_size=household_size,
        is_poor_household=is_poor_household,
        difficulty=difficulty.strip(),
        created_by=actor,
    )
    with audited("villager.create", actor=actor, target=None, scope_path=pairing.village.path) as record:
        villager.save()
        record.target = villager
        # Personal data stays out of the audit row: name and village are enough to trace it.
        record.after = {"village": pairing.village_id, "name": villager.name, "poor": is_poor_household}
    return villager


@audits_refusals
def cadre_pair_create(
    *,
    actor: Any,
    pairing: Pairing,
    cadre: Person,
    needy_member: Person,
    needy_villager: Villager,
    started_on: datetime.date | None = None,
) -> CadrePair:
    """ "1+2": a cadre of the unit pairs with a needy party member and a needy villager of
    the village. One live "1+2" per cadre and pairing."""
    _require_writer(actor, pairing)
    _require_signed(pairing)
    errors: dict[str, str] = {}
    if not _inside(cadre, pairing.unit):
        errors["cadre"] = _("结对干部应为%(name)s的人员") % {"name": pairing.unit.name}
    if not _inside(needy_member, pairing.village) or not needy_member.is_party_member:
        errors["needy_member"] = _("困难党员应为%(name)s的党员") % {"name": pairing.village.name}
    if needy_villager.village_id != pairing.village_id:
        errors["needy_villager"] = _("困难群众应为%(name)s的群众") % {"name": pairing.village.name}
    if not errors and CadrePair.objects.filter(pairing=pairing, cadre=cadre, status=PairStatus.ACTIVE).exists():
        errors["cadre"] = _("%(name)s已有“1+2”结对") % {"name": cadre.name}
    if errors:
        raise MembersInputRefused(errors)
    pair = CadrePair(
        pairing=pairing,
        cadre=cadre,
        needy_member=needy_member,
        needy_villager=needy_villager,
        started_on=started_on or _today(),
        created_by=actor,
    )
    with audited("cadre_pair.create", actor=actor, scope_path=pairing.village.path) as record:
        pair.save()
        record.target = pair
        record.after = snapshot(pair, ["pairing_id", "cadre_id", "needy_member_id", "needy_villager_id", "started_on"])
    return pair


def cadre_pair_record(
    *,
    actor: Any,
    pairing: Pairing,
    cadre: Person,
    needy_member: Person,
    needy_villager: Villager | None = None,
    new_villager: dict[str, Any] | None = None,
) -> CadrePair:
    """The "1+2" form's write: a registered needy villager, or a new one (``new_villager``:
    name, phone, difficulty) kept only with the pair — one transaction, so a refused pair
    leaves no villager behind."""
    with transaction.atomic():
        villager = needy_villager or villager_create(actor=actor, pairing=pairing, **(new_villager or {"name": ""}))
        return cadre_pair_create(
            actor=actor, pairing=pairing, cadre=cadre, needy_member=needy_member, needy_villager=villager
        )


def household_pair_record(
    *,
    actor: Any,
    pairing: Pairing,
    cadre: Person,
    household: Villager | None = None,
    new_household: dict[str, Any] | None = None,
) -> HouseholdPair:
    """The 联户 form's write: a registered poor household, or a new one (``new_household``:
    name, phone, household_size, difficulty) kept only with the pair, in one transaction."""
    with transaction.atomic():
        if household is None:
            fields = {"name": "", **(new_household or {}), "is_poor_household": True}
            household = villager_create(actor=actor, pairing=pairing, **fields)
        return household_pair_create(actor=actor, pairing=pairing, cadre=cadre, household=household)


@audits_refusals
def household_pair_create(
    *, actor: Any, pairing: Pairing, cadre: Person, household: Villager, started_on: datetime.date | None = None
) -> HouseholdPair:
    """A leading cadre of the unit pairs with a poor household of the village (联户)."""
    _require_writer(actor, pairing)
    _require_signed(pairing)
    errors: dict[str, str] = {}
    if not _inside(cadre, pairing.unit):
        errors["cadre"] = _("领导干部应为%(name)s的人员") % {"name": pairing.unit.name}
    if household.village_id != pairing.village_id or not household.is_poor_household:
        errors["household"] = _("应为%(name)s登记的贫困户") % {"name": pairing.village.name}
    elif HouseholdPair.objects.filter(household=household, status=PairStatus.ACTIVE).exists():
        errors["household"] = _("该贫困户已有领导干部联系")
    if errors:
        raise MembersInputRefused(errors)
    pair = HouseholdPair(
        pairing=pairing, cadre=cadre, household=household, started_on=started_on or _today(), created_by=actor
    )
    with audited("household_pair.create", actor=actor, scope_path=pairing.village.path) as record:
        pair.save()
        record.target = pair
        record.after = snapshot(pair, ["pairing_id", "cadre_id", "household_id", "started_on"])
    return pair


@audits_refusals
def branch_pair_create(
    *,
    actor: Any,
    pairing: Pairing,
    branch: Organization,
    needy_member: Person,
    started_on: datetime.date | None = None,
) -> BranchPair:
    """双结对: a party organization of the unit pairs with a needy member of the village."""
    _require_writer(actor, pairing)
    _require_signed(pairing)
    errors: dict[str, str] = {}
    if not _inside(branch, pairing.unit):
        errors["branch"] = _("应为%(name)s或其所属党支部") % {"name": pairing.unit.name}
    if not _inside(needy_member, pairing.village) or not needy_member.is_party_member:
        errors["needy_member"] = _("困难党员应为%(name)s的党员") % {"name": pairing.village.name}
    elif BranchPair.objects.filter(branch=branch, needy_member=needy_member, status=PairStatus.ACTIVE).exists():
        errors["needy_member"] = _("该支部已与这名党员结对")
    if errors:
        raise MembersInputRefused(errors)
    pair = BranchPair(
        pairing=pairing, branch=branch, needy_member=needy_member, started_on=started_on or _today(), created_by=actor
    )
    with audited("branch_pair.create", actor=actor, scope_path=pairing.village.path) as record:
        pair.save()
        record.target = pair
        record.after = snapshot(pair, ["pairing_id", "branch_id", "needy_member_id", "started_on"])
    return pair


@audits_refusals
def pair_end(*, actor: Any, pair: Pair, ended_on: datetime.date | None = None) -> Pair:
    """End a pair (the person is out of difficulty, moved, or the cadre left); kept on record."""
    _require_writer(actor, pair.pairing)
    if pair.status == PairStatus.ENDED:
        raise MembersActionRefused(_("该结对已结束"), code="ended")
    ended_on = ended_on or _today()
    if ended_on < pair.started_on:
        raise MembersInputRefused({"ended_on": _("结束日期不能早于结对日期")})
    with audited(f"{PAIR_FIELD[type(pair)]}.end", actor=actor, target=pair, scope_path=pair.pairing.village.path) as r:
        r.before = {"status": pair.status}
        pair.status, pair.ended_on = PairStatus.ENDED, ended_on
        pair.save(update_fields=["status", "ended_on"])
        r.after = {"status": pair.status, "ended_on": ended_on}
    return pair


def _require_active(pair: Pair) -> None:
    if pair.status != PairStatus.ACTIVE:
        raise MembersActionRefused(_("该结对已结束，不能再登记"), code="ended")


@audits_refusals
def help_plan_create(
    *,
    actor: Any,
    pair: Pair,
    beneficiary: str,
    difficulty: str,
    goals: str,
    measures: str,
    target_date: datetime.date,
) -> HelpPlan:
    """脱困致富方案 for one beneficiary of a pair (a "1+2" pair has one per person)."""
    _require_writer(actor, pair.pairing)
    _require_active(pair)
    allowed = {
        CadrePair: {Beneficiary.MEMBER, Beneficiary.VILLAGER},
        HouseholdPair: {Beneficiary.HOUSEHOLD},
        BranchPair: {Beneficiary.MEMBER},
    }[type(pair)]
    errors: dict[str, str] = {}
    if beneficiary not in allowed:
        errors["beneficiary"] = _("帮扶对象与结对类型不符")
    for field, value in [("difficulty", difficulty), ("goals", goals), ("measures", measures)]:
        if not value.strip():
            errors[field] = _("不能为空")
    if target_date < pair.started_on:
        errors["target_date"] = _("目标完成日期不能早于结对日期")
    if isinstance(pair, CadrePair) and pair.plans.filter(beneficiary=beneficiary).exists():
        errors["beneficiary"] = _("该帮扶对象已有帮扶方案")
    if errors:
        raise MembersInputRefused(errors)
    plan = HelpPlan(
        beneficiary=beneficiary,
        difficulty=difficulty.strip(),
        goals=goals.strip(),
        measures=measures.strip(),
        target_date=target_date,
        created_by=actor,
        **{PAIR_FIELD[type(pair)]: pair},
    )
    with audited("help_plan.create", actor=actor, scope_path=pair.pairing.village.path) as record:
        plan.save()
        record.target = plan
        record.after = snapshot(plan, ["beneficiary", "difficulty", "goals", "measures", "target_date"])
    return plan


@audits_refusals
def help_progress_add(
    *, actor: Any, plan: HelpPlan, pair: Pair, recorded_on: datetime.date, note: str, percent: int
) -> HelpProgress:
    """A step of the plan; the plan's progress becomes ``percent``."""
    _require_writer(actor, pair.pairing)
    _require_active(pair)
    errors: dict[str, str] = {}
    if not note.strip():
        errors["note"] = _("请填写进展情况")
    if not 0 <= percent <= 100:
        errors["percent"] = _("完成进度应在 0 到 100 之间")
    if recorded_on > _today():
        errors["recorded_on"] = _("日期不能晚于今天")
    if errors:
        raise MembersInputRefused(errors)
    step = HelpProgress(plan=plan, recorded_on=recorded_on, note=note.strip(), percent=percent, recorded_by=actor)
    with audited("help_progress.add", actor=actor, target=plan, scope_path=pair.pairing.village.path) as record:
        step.save()
        record.before = {"progress_percent": plan.progress_percent}
        plan.progress_percent = percent
        plan.save(update_fields=["progress_percent"])
        record.after = {"progress": step.pk, "recorded_on": recorded_on, "percent": percent, "note": step.note}
    return step


@audits_refusals
def delivery_record(
    *,
    actor: Any,
    pair: Pair,
    kind: str,
    delivered_on: datetime.date,
    content: str,
    amount: Decimal | None = None,
) -> IndividualDelivery:
    """Record one of the 五送 to the pair's person or household."""
    _require_writer(actor, pair.pairing)
    _require_active(pair)
    errors: dict[str, str] = {}
    if kind not in FiveDelivery.values:
        errors["kind"] = _("请选择五送类别")
    if not content.strip():
        errors["content"] = _("请填写内容")
    if amount is not None and amount < 0:
        errors["amount"] = _("金额不能为负数")
    if delivered_on > _today():
        errors["delivered_on"] = _("日期不能晚于今天")
    elif delivered_on < pair.started_on:
        errors["delivered_on"] = _("日期不能早于结对日期")
    if errors:
        raise MembersInputRefused(errors)
    delivery = IndividualDelivery(
        kind=kind,
        delivered_on=delivered_on,
        content=content.strip(),
        amount=amount,
        recorded_by=actor,
        **{PAIR_FIELD[type(pair)]: pair},
    )
    with audited("individual_delivery.record", actor=actor, scope_path=pair.pairing.village.path) as record:
        delivery.save()
        record.target = delivery
        record.after = snapshot(delivery, ["kind", "delivered_on", "content", "amount"]) | {
            PAIR_FIELD[type(pair)]: pair.pk
        }
    return delivery
