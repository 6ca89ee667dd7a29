"""Choosing: units' ranked intents (each holds one of the village's places), villages'
wishes (群众选对). Places are claimed under row locks so that the last place goes to
exactly one unit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gongjian.accounts.models import User
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited
from gongjian.orgs.models import Organization
from gongjian.policies import load_profile
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
    if round_.status == RoundStatus.PUBLISHED:
        # Publishing a run ends choosing, even before the intent deadline (the publish dialog
        # says so, and the directory hides its forms): seed 004 (八) the department's
        # 综合平衡 settles the pairs, which both sides then confirm.
        raise RoundActionRefused(_("分配方案已发布，本轮选择已结束"), code="published")
    if round_.status != RoundStatus.OPEN:
        raise RoundActionRefused(_("本轮次当前不在选择阶段"), code="not_open")
    if timezone.now() > round_.intent_deadline:
        deadline = timezone.localtime(round_.intent_deadline)
        raise RoundActionRefused(
            _("意向确认已于 %(deadline)s 截止") % {"deadline": date_format(deadline)}, code="deadline"
        )


@audits_refusals
def intent_submit(*, actor: User, entry: DirectoryEntry, rank: int | None = None) -> Intent:
    """A unit chooses a directory village. Refused when the village's places are taken (by
    other units' intents or by a pending renewal), the unit's intents are used up, the rank
    is already given to another village, or the deadline has passed; the reason says which."""
    unit = acting_unit(actor)
    if unit is None:
        raise PermissionDenied(_("只有结对单位用户可以提交结对意向"))
    round_ = entry.round
    with audited("intent.submit", actor=actor, target=entry.village, scope_path=unit.path) as record:
        _require_choosing_open(round_)
        # Lock order: the unit's row, then the village's row (every path takes them in
        # this order, so concurrent claims queue instead of deadlocking).
        round_unit = RoundUnit.objects.select_for_update().filter(round=round_, unit=unit).only("capacity").first()
        if round_unit is None:
            raise RoundActionRefused(_("本单位不在本轮参与单位之列"), code="not_participant")
        held_ranks = dict(
            Intent.objects.filter(round=round_, unit=unit, status=IntentStatus.ACTIVE).values_list("entry_id", "rank")
        )
        if entry.pk in held_ranks:
            raise RoundActionRefused(_("本单位已选择该村"), code="duplicate")
        limit = round_unit.capacity + load_profile(round_.policy_key).round.extra_intents
        held = len(held_ranks)
        if held >= limit:
            raise RoundActionRefused(
                _("本单位最多可提交 %(limit)s 个意向，已提交 %(held)s 个") % {"limit": limit, "held": held},
                code="unit_full",
            )
        rank = rank or next(r for r in range(1, limit + 2) if r not in held_ranks.values())
        if rank > limit:
            raise RoundActionRefused(
                _("志愿顺序应在 1 至 %(n)d 之间") % {"n": limit}, code="rank_out_of_range", field="rank"
            )
        if rank in held_ranks.values():
            taken_by = Intent.objects.filter(
                round=round_, unit=unit, status=IntentStatus.ACTIVE, rank=rank
            ).values_list("entry__village__name", flat=True)
            raise RoundActionRefused(
                _("第 %(rank)d 志愿已给了%(village)s；请换一个顺序，或在“本单位意向”中调整顺序")
                % {"rank": rank, "village": taken_by.first() or ""},
                code="rank_taken",
                field="rank",
            )
        if not _take_place(entry.pk):
            count, most, renewal = DirectoryEntry.objects.values_list(
                "intent_count", "max_pairs", "renewal_held"
            ).get(pk=entry.pk)
            if renewal and count < most:
                # Decision (issue #11.4): a place held by last round's pair is not open to
                # intents while the renewal is pending — seed 004 (八) "在双方自愿基础上，
                # 可续签…需调整的，可进入全市帮扶平台重新选择" — only a declined renewal
                # puts the village back on the platform.
                raise RoundActionRefused(
                    _(
                        "%(village)s的结对名额由上一轮结对单位续签待定，双方决定前不接受新的意向；如不续签，名额会重新开放"
                    )
                    % {"village": entry.village.name},
                    code="renewal_pending",
                )
            raise RoundActionRefused(
                _("%(name)s的结对名额已满（%(count)s/%(most)s），请选择其他村")
                % {"name": entry.village.name, "count": count, "most": most},
                code="village_full",
            )
        try:
            with transaction.atomic():
                intent = Intent.objects.create(round=round_, entry=entry, unit=unit, rank=rank, submitted_by=actor)
        except IntegrityError as exc:  # the constraint behind the checks above
            raise RoundActionRefused(_("志愿顺序重复，请刷新后重试"), code="rank_taken", field="rank") from exc
        record.after = {"round": round_.pk, "village": entry.village.name, "rank": intent.rank}
    return intent


@audits_refusals
def intent_reorder(*, actor: User, round_: Round, intent_ids: list[int]) -> list[Intent]:
    """The unit puts its active intents in a new order: the first gets rank 1, and so on.
    ``intent_ids`` must be exactly the unit's active intents in the round."""
    unit = acting_unit(actor)
    if unit is None:
        raise PermissionDenied(_("只有结对单位用户可以调整志愿顺序"))
    with audited("intent.reorder", actor=actor, target=round_, scope_path=unit.path) as record:
        _require_choosing_open(round_)
        RoundUnit.objects.select_for_update().filter(round=round_, unit=unit).first()
        active = {
            i.pk: i
            for i in Intent.objects.filter(round=round_, unit=unit, status=IntentStatus.ACTIVE).select_related(
                "entry__village"
            )
        }
        if sorted(intent_ids) != sorted(active) or len(set(intent_ids)) != len(intent_ids):
            raise RoundActionRefused(_("意向已有变化，请刷新后重新调整顺序"), code="stale")
        before = sorted(active.values(), key=lambda i: i.rank)
        record.before = {"order": [i.entry.village.name for i in before]}
        # Two steps so that the unique (round, unit, rank) holds after each statement.
        Intent.objects.filter(pk__in=active).update(rank=F("rank") + 1000)
        for position, pk in enumerate(intent_ids, start=1):
            Intent.objects.filter(pk=pk).update(rank=position)
            active[pk].rank = position
        record.after = {"order": [active[pk].entry.village.name for pk in intent_ids]}
    return [active[pk] for pk in intent_ids]


def _take_place(entry_id: int) -> bool:
    """Take one of the village's places if one is left: one UPDATE that locks the row, checks
    and counts (PostgreSQL re-checks the condition on a row another claim has just changed).
    An intent moves a village from "no intent" to "intent" and never past it."""
    taken = DirectoryEntry.objects.filter(
        pk=entry_id, intent_count__lt=F("max_pairs") - F("renewal_held")
    ).update(
        intent_count=F("intent_count") + 1,
        stage=Case(When(stage=Stage.NONE, then=Value(Stage.INTENT.value)), default=F("stage")),
    )
    return taken == 1


@audits_refusals
def intent_withdraw(*, actor: User, intent: Intent) -> Intent:
    """Withdraw an intent before the deadline; its place goes back to the village."""
    unit = acting_unit(actor)
    if unit is None or intent.unit_id != unit.pk:
        raise PermissionDenied(_("只能撤回本单位的意向"))
    with audited("intent.withdraw", actor=actor, target=intent.entry.village, scope_path=unit.path) as record:
        _require_choosing_open(intent.round)
        RoundUnit.objects.select_for_update().filter(round=intent.round, unit=unit).first()
        entry = DirectoryEntry.objects.select_for_update().get(pk=intent.entry_id)
        if intent.status != IntentStatus.ACTIVE:
            raise RoundActionRefused(_("该意向已撤回"))
        intent.status = IntentStatus.WITHDRAWN
        intent.save(update_fields=["status"])
        DirectoryEntry.objects.filter(pk=entry.pk).update(intent_count=F("intent_count") - 1)
        entry.intent_count -= 1
        refresh_stage(entry)
        record.after = {"village": entry.village.name, "status": "withdrawn"}
    return intent


@audits_refusals
def village_wish_set(*, actor: User, entry: DirectoryEntry, units: list[Organization]) -> list[VillageWish]:
    """The village names the units its people would welcome (群众选对)."""
    village = acting_village(actor)
    if village is None or entry.village_id != village.pk:
        raise PermissionDenied(_("只有本村党组织可以填写意愿"))
    with audited("village_wish.set", actor=actor, target=village, scope_path=village.path) as record:
        _require_choosing_open(entry.round)
        participants = set(RoundUnit.objects.filter(round=entry.round).values_list("unit_id", flat=True))
        unknown = [u.name for u in units if u.pk not in participants]
        if unknown:
            raise RoundActionRefused(_("以下单位不在本轮参与单位之列：%(join)s") % {"join": '、'.join(unknown)})
        record.before = {"units": sorted(VillageWish.objects.filter(entry=entry).values_list("unit__name", flat=True))}
        VillageWish.objects.filter(entry=entry).delete()
        wishes = VillageWish.objects.bulk_create(
            VillageWish(round=entry.round, entry=entry, unit=u, created_by=actor) for u in units
        )
        record.after = {"units": sorted(u.name for u in units)}
    return wishes
