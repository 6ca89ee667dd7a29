"""Choosing: units' ranked intents (each holds one of the village's places), villages'
wishes (群众选对). Places are claimed under row locks so that the last place goes to
exactly one unit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, Value, When
from django.utils import timezone

from gongjian.accounts.models import User
from gongjian.audit.services import audited
from gongjian.core.policies import load_profile
from gongjian.orgs.models import Organization
from gongjian.rounds.access import acting_unit, acting_village
from gongjian.rounds.errors import RoundActionRefused
from gongjian.rounds.models import (
    DirectoryEntry,
    Intent,
    IntentStatus,
    Round,
    RoundStatus,
    RoundUnit,
    Stage,
    VillageWish,
)
from gongjian.rounds.stage import refresh_stage


def _require_choosing_open(round_: Round) -> None:
    if round_.status != RoundStatus.OPEN:
        raise RoundActionRefused("本轮次当前不在选择阶段", code="not_open")
    if timezone.now() > round_.intent_deadline:
        deadline = timezone.localtime(round_.intent_deadline)
        raise RoundActionRefused(f"意向确认已于 {deadline:%Y年%m月%d日} 截止", code="deadline")


def intent_submit(*, actor: User, entry: DirectoryEntry, rank: int | None = None) -> Intent:
    """A unit chooses a directory village. Refused when the village's places are taken, the
    unit's intents are used up, or the deadline has passed; the reason says which."""
    unit = acting_unit(actor)
    if unit is None:
        raise PermissionDenied("只有结对单位用户可以提交结对意向")
    round_ = entry.round
    with audited("intent.submit", actor=actor, target=entry.village, scope_path=unit.path) as record:
        _require_choosing_open(round_)
        # Lock order: the unit's row, then the village's row (every path takes them in
        # this order, so concurrent claims queue instead of deadlocking).
        round_unit = RoundUnit.objects.select_for_update().filter(round=round_, unit=unit).only("capacity").first()
        if round_unit is None:
            raise RoundActionRefused("本单位不在本轮参与单位之列", code="not_participant")
        held_entries = list(
            Intent.objects.filter(round=round_, unit=unit, status=IntentStatus.ACTIVE).values_list(
                "entry_id", flat=True
            )
        )
        if entry.pk in held_entries:
            raise RoundActionRefused("本单位已选择该村", code="duplicate")
        limit = round_unit.capacity + load_profile(round_.policy_key).round.extra_intents
        held = len(held_entries)
        if held >= limit:
            raise RoundActionRefused(f"本单位最多可提交 {limit} 个意向，已提交 {held} 个", code="unit_full")
        if not _take_place(entry.pk):
            taken = DirectoryEntry.objects.values_list("intent_count", "max_pairs").get(pk=entry.pk)
            raise RoundActionRefused(
                f"{entry.village.name}的结对名额已满（{taken[0]}/{taken[1]}），请选择其他村",
                code="village_full",
            )
        intent = Intent.objects.create(round=round_, entry=entry, unit=unit, rank=rank or held + 1, submitted_by=actor)
        record.after = {"round": round_.pk, "village": entry.village.name, "rank": intent.rank}
    return intent


def _take_place(entry_id: int) -> bool:
    """Take one of the village's places if one is left: one UPDATE that locks the row, checks
    and counts (PostgreSQL re-checks the condition on a row another claim has just changed).
    An intent moves a village from "no intent" to "intent" and never past it."""
    taken = DirectoryEntry.objects.filter(pk=entry_id, intent_count__lt=F("max_pairs")).update(
        intent_count=F("intent_count") + 1,
        stage=Case(When(stage=Stage.NONE, then=Value(Stage.INTENT.value)), default=F("stage")),
    )
    return taken == 1


def intent_withdraw(*, actor: User, intent: Intent) -> Intent:
    """Withdraw an intent before the deadline; its place goes back to the village."""
    unit = acting_unit(actor)
    if unit is None or intent.unit_id != unit.pk:
        raise PermissionDenied("只能撤回本单位的意向")
    with audited("intent.withdraw", actor=actor, target=intent.entry.village, scope_path=unit.path) as record:
        _require_choosing_open(intent.round)
        RoundUnit.objects.select_for_update().filter(round=intent.round, unit=unit).first()
        entry = DirectoryEntry.objects.select_for_update().get(pk=intent.entry_id)
        if intent.status != IntentStatus.ACTIVE:
            raise RoundActionRefused("该意向已撤回")
        intent.status = IntentStatus.WITHDRAWN
        intent.save(update_fields=["status"])
        DirectoryEntry.objects.filter(pk=entry.pk).update(intent_count=F("intent_count") - 1)
        entry.intent_count -= 1
        refresh_stage(entry)
        record.after = {"village": entry.village.name, "status": "withdrawn"}
    return intent


def village_wish_set(*, actor: User, entry: DirectoryEntry, units: list[Organization]) -> list[VillageWish]:
    """The village names the units its people would welcome (群众选对)."""
    village = acting_village(actor)
    if village is None or entry.village_id != village.pk:
        raise PermissionDenied("只有本村党组织可以填写意愿")
    with audited("village_wish.set", actor=actor, target=village, scope_path=village.path) as record:
        _require_choosing_open(entry.round)
        participants = set(RoundUnit.objects.filter(round=entry.round).values_list("unit_id", flat=True))
        unknown = [u.name for u in units if u.pk not in participants]
        if unknown:
            raise RoundActionRefused(f"以下单位不在本轮参与单位之列：{'、'.join(unknown)}")
        record.before = {"units": sorted(VillageWish.objects.filter(entry=entry).values_list("unit__name", flat=True))}
        VillageWish.objects.filter(entry=entry).delete()
        wishes = VillageWish.objects.bulk_create(
            VillageWish(round=entry.round, entry=entry, unit=u, created_by=actor) for u in units
        )
        record.after = {"units": sorted(u.name for u in units)}
    return wishes
