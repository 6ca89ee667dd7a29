"""Dynamic adjustment (动态调整): the department replaces the unit of a pair that works badly.

Seed 004 doc 2 二、1 "对共建效果不太好的单位，要及时进行优化调整"; doc 1 (八) "需调整的，可进入全市
帮扶平台重新选择结对单位". The old pair ends, the village gets a replacement pair with the new
unit, and the replacement has its own deadline (profile ``adjustment.replacement_days``) for
both sides' confirmation and signing: the round's 4月30日 / 7月1日 do not apply to it, and to
no other pair. Who adjusted, why, and the old and new unit are kept in ``PairingAdjustment``
and in the audit log; both units and the village are notified.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gongjian.accounts.models import User
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited
from gongjian.notifications.services import Event, notify
from gongjian.orgs.models import Organization
from gongjian.policies import load_profile
from gongjian.rounds.access import can_administer
from gongjian.rounds.errors import RoundActionRefused
from gongjian.rounds.models import (
    Pairing,
    PairingAdjustment,
    PairingOrigin,
    PairingStatus,
    Round,
    RoundStatus,
    RoundUnit,
)
from gongjian.rounds.services_allocation import end_pairing
from gongjian.rounds.stage import refresh_stage

# Rounds in which a pair can be adjusted: the directory is out and pairs exist.
ADJUSTABLE_ROUND_STATUSES = (RoundStatus.OPEN, RoundStatus.PUBLISHED, RoundStatus.CLOSED)


def replacement_deadline(pairing: Pairing) -> datetime.datetime | None:
    """The replacement pair's own confirmation-and-signing deadline, or None for any other pair."""
    if pairing.origin != PairingOrigin.ADJUSTMENT:
        return None
    found = PairingAdjustment.objects.filter(new_pairing=pairing).values_list("deadline", flat=True).first()
    return found


def require_replacement_open(pairing: Pairing, deadline: datetime.datetime) -> None:
    """A replacement pair confirms and signs until its own deadline, whatever the round's say."""
    if pairing.round.status not in ADJUSTABLE_ROUND_STATUSES:
        raise RoundActionRefused(_("本轮次当前不能确认或签约"), code="not_open")
    if timezone.now() > deadline:
        shown = timezone.localtime(deadline)
        raise RoundActionRefused(
            _("调整后的结对确认签约已于 %(deadline)s 截止") % {"deadline": date_format(shown)}, code="deadline"
        )


def adjustment_candidates(round_: Round, pairing: Pairing) -> QuerySet[RoundUnit]:
    """Units of the round that could take the village over: not its current units, with a
    place left (live pairs below the unit's capacity in the round, counted in SQL)."""
    live = Pairing.objects.filter(round=round_).exclude(status=PairingStatus.ENDED)
    taken = live.filter(unit_id=OuterRef("unit_id")).order_by().values("unit_id").annotate(n=Count("pk")).values("n")
    return (
        RoundUnit.objects.filter(round=round_)
        .exclude(unit_id__in=live.filter(village_id=pairing.village_id).values("unit_id"))
        .annotate(taken=Coalesce(Subquery(taken), 0))
        .filter(taken__lt=F("capacity"))
        .select_related("unit")
        .order_by("district", "unit__name", "pk")
    )


@audits_refusals
def pairing_replace(*, actor: User, pairing: Pairing, new_unit: Organization, reason: str) -> PairingAdjustment:
    """Replace the unit of ``pairing`` by ``new_unit``: the old pair ends, a replacement pair
    is proposed to both sides with its own deadline, and the adjustment is recorded."""
    round_ = pairing.round
    if not can_administer(actor, round_):
        raise PermissionDenied(_("只有本轮次的组织部门管理员可以调整结对"))
    reason = (reason or "").strip()
    with audited("pairing.replace", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        rules = load_profile(round_.policy_key).adjustment
        if rules is None:
            raise RoundActionRefused(
                _("本轮政策配置（%(profile)s）未规定动态调整，只能终止该结对") % {"profile": round_.policy_key},
                code="no_adjustment",
            )
        if not reason:
            raise RoundActionRefused(_("请填写调整原因"), code="invalid")
        if round_.status not in ADJUSTABLE_ROUND_STATUSES:
            raise RoundActionRefused(_("本轮次当前不能调整结对"), code="not_open")
        locked = Pairing.objects.select_for_update().get(pk=pairing.pk)
        if locked.status == PairingStatus.ENDED:
            raise RoundActionRefused(_("该结对已终止"), code="ended")
        if not adjustment_candidates(round_, locked).filter(unit_id=new_unit.pk).exists():
            raise RoundActionRefused(
                _("%(unit)s不能接替：不是本轮结对单位、已与该村结对或已无结对名额") % {"unit": new_unit.name},
                code="no_place",
            )
        old_status = locked.status
        end_pairing(locked, _("动态调整：%(reason)s") % {"reason": reason})
        replacement = Pairing.objects.create(
            round=round_,
            entry=locked.entry,
            unit=new_unit,
            village=locked.village,
            origin=PairingOrigin.ADJUSTMENT,
            reasons="adjustment",
        )
        refresh_stage(locked.entry)
        deadline = timezone.now() + datetime.timedelta(days=rules.replacement_days)
        adjustment = PairingAdjustment.objects.create(
            round=round_,
            village=locked.village,
            old_pairing=locked,
            new_pairing=replacement,
            old_unit=locked.unit,
            new_unit=new_unit,
            reason=reason,
            deadline=deadline,
            created_by=actor,
        )
        shown = date_format(timezone.localtime(deadline))
        body = _(
            "%(village)s的结对单位由%(old)s调整为%(new)s。原因：%(reason)s。新结对请于 %(deadline)s 前确认并签约。"
        ) % {
            "village": locked.village.name,
            "old": locked.unit.name,
            "new": new_unit.name,
            "reason": reason,
            "deadline": shown,
        }
        sides = [locked.unit_id, new_unit.pk, locked.village_id]
        notify(event=Event.PAIR_ADJUSTED, object=locked, recipients=sides, title=_("结对动态调整"), body=body)
        record.before = {"unit": locked.unit.name, "status": old_status}
        record.after = {
            "unit": new_unit.name,
            "reason": reason,
            "replacement": replacement.pk,
            "deadline": deadline,
        }
    return adjustment
