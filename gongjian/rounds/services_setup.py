"""Setting up a round: create, task proposals, district table, open (publish the directory),
deadline changes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.accounts.models import User
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited
from gongjian.core.progress import importing
from gongjian.core.tabular import CellError, TableRejected, read_table
from gongjian.notifications.services import Event, notify_all
from gongjian.orgs.models import NON_UNIT_KINDS, VILLAGE_SIDE_KINDS, Organization, OrgKind, OrgLevel, Region
from gongjian.orgs.scope import can_manage, is_within, subtree
from gongjian.policies import PolicyProfileError, load_profile
from gongjian.rounds.access import can_administer
from gongjian.rounds.errors import RoundActionRefused
from gongjian.rounds.models import (
    DirectoryEntry,
    GeographyLink,
    Pairing,
    PairingOrigin,
    PairingStatus,
    Round,
    RoundStatus,
    RoundUnit,
    Stage,
    TaskProposal,
)

DISTRICT_LEVELS = {OrgLevel.COUNTY_COMMITTEE, OrgLevel.WORK_COMMITTEE}
SCHEDULE_FIELDS = ["intent_deadline", "confirmation_deadline", "signing_deadline", "term_start", "term_end"]


def _end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


@audits_refusals
def round_create(
    *,
    actor: User,
    scope: Organization,
    name: str,
    policy_key: str,
    intent_deadline: datetime.date,
    signing_deadline: datetime.date,
    term_start: datetime.date,
    term_end: datetime.date,
    previous_round: Round | None = None,
    confirmation_deadline: datetime.date | None = None,
) -> Round:
    """Create a round in the admin's subtree (status 筹备中). ``confirmation_deadline``: both
    sides confirm their pair by then (seed 004 (八) 意向确认); empty: until signing."""
    if not can_manage(actor, scope):
        raise PermissionDenied(_("无权在该组织范围内开展结对轮次"))
    try:
        load_profile(policy_key)
    except PolicyProfileError as exc:
        raise ValidationError({"policy_key": str(exc)}) from exc
    errors = {}
    if intent_deadline < timezone.localdate():
        errors["intent_deadline"] = _("意向确认截止日期已过，请选择今天或以后的日期")
    if signing_deadline < intent_deadline:
        errors["signing_deadline"] = _("正式签约截止日期不能早于意向确认截止日期")
    if confirmation_deadline is not None and not intent_deadline <= confirmation_deadline <= signing_deadline:
        errors["confirmation_deadline"] = _("双方确认截止日期应在意向确认截止与正式签约截止之间")
    if term_end <= term_start:
        errors["term_end"] = _("协议期限止应晚于协议期限起")
    if errors:
        raise ValidationError(errors)
    with audited("round.create", actor=actor, scope_path=scope.path) as record:
        round_ = Round.objects.create(
            name=name,
            scope=scope,
            policy_key=policy_key,
            intent_deadline=_end_of_day(intent_deadline),
            confirmation_deadline=_end_of_day(confirmation_deadline) if confirmation_deadline else None,
            signing_deadline=_end_of_day(signing_deadline),
            term_start=term_start,
            term_end=term_end,
            previous_round=previous_round,
            created_by=actor,
        )
        record.target = round_
        record.after = {"name": name, "policy_key": policy_key, **{f: getattr(round_, f) for f in SCHEDULE_FIELDS}}
    return round_


def _require_admin(actor: User, round_: Round) -> None:
    if not can_administer(actor, round_):
        raise PermissionDenied(_("只有本轮次的组织部门管理员可以执行此操作"))


@audits_refusals
def round_change_deadline(*, actor: User, round_: Round, field: str, day: datetime.date) -> Round:
    """Extend (or move) a deadline; the audit row keeps the old and new dates."""
    _require_admin(actor, round_)
    if field not in ("intent_deadline", "confirmation_deadline", "signing_deadline"):
        raise ValidationError({field: _("只能调整意向确认、双方确认或正式签约截止日期")})
    with audited("round.deadline", actor=actor, target=round_, scope_path=round_.scope.path) as record:
        record.before = {field: getattr(round_, field)}
        setattr(round_, field, _end_of_day(day))
        if round_.signing_deadline < round_.intent_deadline:
            raise ValidationError({field: _("正式签约截止日期不能早于意向确认截止日期")})
        confirm = round_.confirmation_deadline
        if confirm is not None and not round_.intent_deadline <= confirm <= round_.signing_deadline:
            raise ValidationError({field: _("双方确认截止日期应在意向确认截止与正式签约截止之间")})
        round_.save(update_fields=[field])
        record.after = {field: getattr(round_, field)}
    return round_


@audits_refusals
def task_proposal_set(
    *, actor: User, round_: Round, committee: Organization, villages_to_take: int, note: str = ""
) -> TaskProposal:
    """Issue or change a task proposal (任务建议书) to a district or work committee."""
    _require_admin(actor, round_)
    if not is_within(committee, round_.scope) or committee.level not in DISTRICT_LEVELS:
        raise ValidationError({"committee": _("任务建议书只能下达给本轮范围内的区县委或工作党委")})
    with audited("round.task_proposal", actor=actor, target=round_, scope_path=committee.path) as record:
        proposal, _created = TaskProposal.objects.update_or_create(
            round=round_, committee=committee, defaults={"villages_to_take": villages_to_take, "note": note}
        )
        record.after = {"committee": committee.name, "villages_to_take": villages_to_take, "note": note}
    return proposal


@audits_refusals
def round_unit_set_capacity(*, actor: User, round_: Round, unit: Organization, capacity: int) -> RoundUnit:
    """Set a unit's capacity for this round (from the task proposal)."""
    if not (can_administer(actor, round_) or can_manage(actor, unit)):
        raise PermissionDenied(_("无权调整该单位的结对数"))
    round_unit = RoundUnit.objects.get(round=round_, unit=unit)
    with audited("round.unit_capacity", actor=actor, target=unit, scope_path=unit.path) as record:
        record.before = {"capacity": round_unit.capacity}
        round_unit.capacity = capacity
        round_unit.full_clean()
        round_unit.save(update_fields=["capacity"])
        record.after = {"capacity": capacity}
    return round_unit


GEOGRAPHY_COLUMNS = ["帮扶方", "受帮扶区县"]


@audits_refusals
def geography_import(*, actor: User, round_: Round, data: bytes, filename: str) -> int:
    """Replace the round's 对口安排表 from a sheet (帮扶方 = district or work committee name)."""
    _require_admin(actor, round_)
    with audited("round.geography_import", actor=actor, target=round_, scope_path=round_.scope.path) as record:
        rows = read_table(data, filename, columns=GEOGRAPHY_COLUMNS, required=GEOGRAPHY_COLUMNS)
        districts = set(RoundUnit.objects.filter(round=round_).values_list("district", flat=True))
        counties = set(DirectoryEntry.objects.filter(round=round_).values_list("county", flat=True))
        errors: list[CellError] = []
        pairs: set[tuple[str, str]] = set()
        for row in rows:
            district, county = row.get("帮扶方"), row.get("受帮扶区县")
            if districts and district not in districts:
                errors.append(CellError(row.number, "帮扶方", f"本轮参与单位中没有“{district}”所属的单位"))
            if counties and county not in counties:
                errors.append(CellError(row.number, "受帮扶区县", f"本轮名录中没有“{county}”的村"))
            pairs.add((district, county))
        if errors:
            raise TableRejected(errors)
        GeographyLink.objects.filter(round=round_).delete()
        links = [GeographyLink(round=round_, district=d, county=c) for d, c in importing(sorted(pairs))]
        GeographyLink.objects.bulk_create(links)
        record.after = {"rows": len(pairs), "file": filename}
    return len(pairs)


@dataclass(frozen=True)
class _Node:
    id: int
    parent_id: int | None
    level: str
    kind: str
    name: str
    region_id: int | None
    capacity: int


def _district_of(node: _Node, nodes: dict[int, _Node]) -> str:
    current: _Node | None = node
    while current is not None:
        if current.level in DISTRICT_LEVELS:
            return current.name
        current = nodes.get(current.parent_id) if current.parent_id else None
    return ""


@audits_refusals
def round_open(*, actor: User, round_: Round) -> Round:
    """Publish the directory: every village of the scope, every unit with capacity, and last
    round's live pairs offered for renewal. Intents open until the intent deadline."""
    _require_admin(actor, round_)
    if round_.status != RoundStatus.DRAFT:
        raise RoundActionRefused(_("轮次已发布名录，不能重复发布"))
    with audited("round.open", actor=actor, target=round_, scope_path=round_.scope.path) as record:
        fields = ("id", "parent_id", "level", "kind", "name", "region_id", "capacity")
        nodes = {row[0]: _Node(*row) for row in subtree(round_.scope).filter(is_active=True).values_list(*fields)}
        regions = {r.id: r for r in Region.objects.filter(id__in={n.region_id for n in nodes.values() if n.region_id})}
        parent_regions = {
            r.id: r for r in Region.objects.filter(id__in={r.parent_id for r in regions.values() if r.parent_id})
        }
        # A joint organization (联村党委 etc.) is listed beside its member villages only where
        # the profile says the place pairs units with joint organizations.
        profile = load_profile(round_.policy_key)
        rules = profile.round
        village_side = VILLAGE_SIDE_KINDS if rules.joint_organizations_in_directory else {OrgKind.VILLAGE}
        # Towns (乡镇党委: a town node with villages below it) are listed and paired too where
        # the profile says so (seed 004 doc 1 (二)(四), ``coverage.towns_paired``); a 街道党工委
        # (a town node without villages) then helps as a unit if it states a capacity.
        rural = {n.parent_id for n in nodes.values() if n.kind == OrgKind.VILLAGE}
        towns_paired = profile.coverage.towns_paired
        entries = []
        for node in nodes.values():
            is_town = towns_paired and node.kind == OrgKind.TOWN and node.id in rural
            if node.kind not in village_side and not is_town:
                continue
            region = regions.get(node.region_id) if node.region_id else None
            county = parent_regions.get(region.parent_id) if region is not None and region.parent_id else None
            entries.append(
                DirectoryEntry(
                    round=round_,
                    village_id=node.id,
                    town=region.name if region else "",
                    county=county.name if county else (region.name if region else ""),
                    is_town=is_town,
                )
            )
        units = [
            RoundUnit(round=round_, unit_id=n.id, capacity=n.capacity, district=_district_of(n, nodes))
            for n in nodes.values()
            if n.capacity > 0
            and (n.kind not in NON_UNIT_KINDS or (towns_paired and n.kind == OrgKind.TOWN and n.id not in rural))
        ]
        if not entries:
            raise RoundActionRefused(_("本轮范围内没有村党组织，无法发布名录"))
        DirectoryEntry.objects.bulk_create(entries, batch_size=2000)
        RoundUnit.objects.bulk_create(units, batch_size=2000)
        renewals = _offer_renewals(round_)
        round_.status = RoundStatus.OPEN
        round_.opened_at = timezone.now()
        round_.save(update_fields=["status", "opened_at"])
        record.after = {"directory": len(entries), "units": len(units), "renewals_offered": renewals}
    return round_


def _offer_renewals(round_: Round) -> int:
    """Last round's signed pairs whose unit and village both take part become renewal offers
    (待确认); both sides confirming renews them without allocation. Seed 004 (八): "在上一轮
    已经形成结对帮扶关系的单位…可续签" — a relation was formed only by signing, so a pair that
    was never signed (proposed, confirmed) or was ended is not offered. Each offer holds one of
    the village's places (``renewal_held``) until it is declined."""
    if round_.previous_round is None:
        return 0
    entries = {e.village_id: e for e in DirectoryEntry.objects.filter(round=round_)}
    units = set(RoundUnit.objects.filter(round=round_).values_list("unit_id", flat=True))
    offers = []
    for unit_id, village_id in Pairing.objects.filter(
        round=round_.previous_round, status=PairingStatus.SIGNED
    ).values_list("unit_id", "village_id"):
        entry = entries.get(village_id)
        if entry is not None and unit_id in units:
            offers.append(
                Pairing(
                    round=round_,
                    entry=entry,
                    unit_id=unit_id,
                    village_id=village_id,
                    origin=PairingOrigin.RENEWAL,
                    reasons="renewal",
                )
            )
            entry.stage = Stage.ALLOCATED
            entry.renewal_held += 1
    Pairing.objects.bulk_create(offers, batch_size=2000)
    notify_all(event=Event.RENEWAL_ANSWER, objects=offers)
    DirectoryEntry.objects.bulk_update(
        list({o.entry.pk: o.entry for o in offers}.values()), ["stage", "renewal_held"], batch_size=2000
    )
    return len(offers)


def round_schedule_defaults(policy_key: str, year: int) -> dict[str, Any]:
    """The schedule a new round starts from, taken from the policy profile: this year's
    dates, or next year's once this year's intent deadline has passed."""
    rules = load_profile(policy_key).round
    schedule = rules.default_schedule(year)
    first = schedule["intent_deadline"]
    if first is not None and first < timezone.localdate():
        schedule = rules.default_schedule(year + 1)
    # A date the profile's document does not give stays empty for the admin to fill in.
    return {k: v for k, v in schedule.items() if v is not None}
