"""After publication: both sides confirm online; renewals by mutual consent; adjustment
(ending a pair early, both sides notified)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gongjian.accounts.models import User
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited
from gongjian.notifications.services import Event, notify
from gongjian.rounds.access import acting_unit, acting_village, can_administer
from gongjian.rounds.errors import RoundActionRefused
from gongjian.rounds.models import Pairing, PairingStatus, Round, RoundStatus
from gongjian.rounds.services_adjustment import replacement_deadline, require_replacement_open
from gongjian.rounds.services_allocation import end_pairing
from gongjian.rounds.stage import refresh_stage


def side_of(actor: User, pairing: Pairing) -> str | None:
    """'unit' or 'village' when the actor speaks for that side of the pairing."""
    unit, village = acting_unit(actor), acting_village(actor)
    if unit is not None and unit.pk == pairing.unit_id:
        return "unit"
    if village is not None and village.pk == pairing.village_id:
        return "village"
    return None


def require_signing_open(round_: Round) -> None:
    if round_.status not in (RoundStatus.OPEN, RoundStatus.PUBLISHED):
        raise RoundActionRefused(_("本轮次当前不能确认或签约"), code="not_open")
    if timezone.now() > round_.signing_deadline:
        deadline = timezone.localtime(round_.signing_deadline)
        raise RoundActionRefused(
            _("正式签约已于 %(deadline)s 截止") % {"deadline": date_format(deadline)}, code="deadline"
        )


def require_confirmation_open(round_: Round) -> None:
    """Both sides' confirmation (意向确认, a renewal's consent or refusal included) closes at the
    round's confirmation deadline — seed 004 (八) "需在4月30日前完成网上意向确认" — or, for a
    round without one, with signing."""
    require_signing_open(round_)
    deadline = round_.confirmation_deadline
    if deadline is not None and timezone.now() > deadline:
        shown = timezone.localtime(deadline)
        raise RoundActionRefused(_("双方意向确认已于 %(shown)s 截止") % {"shown": date_format(shown)}, code="deadline")


def require_pair_open(pairing: Pairing, *, confirming: bool) -> None:
    """The round's confirmation (``confirming``) or signing deadline — except for a replacement
    pair of a dynamic adjustment, which has its own (``services_adjustment``)."""
    deadline = replacement_deadline(pairing)
    if deadline is not None:
        require_replacement_open(pairing, deadline)
    elif confirming:
        require_confirmation_open(pairing.round)
    else:
        require_signing_open(pairing.round)


@audits_refusals
def pairing_confirm(*, actor: User, pairing: Pairing) -> Pairing:
    """One side confirms the pairing (for a renewal offer: consents to renew). When both
    have, the pairing is confirmed and the agreement can be signed."""
    side = side_of(actor, pairing)
    if side is None:
        raise PermissionDenied(_("只有结对双方可以确认"))
    with audited("pairing.confirm", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        require_pair_open(pairing, confirming=True)
        locked = Pairing.objects.select_for_update().get(pk=pairing.pk)
        if locked.status != PairingStatus.PROPOSED:
            raise RoundActionRefused(
                _("该结对当前状态为“%(status)s”，无需确认") % {"status": locked.get_status_display()}
            )
        now = timezone.now()
        if side == "unit":
            locked.unit_confirmed_at = locked.unit_confirmed_at or now
        else:
            locked.village_confirmed_at = locked.village_confirmed_at or now
        if locked.unit_confirmed_at and locked.village_confirmed_at:
            locked.status = PairingStatus.CONFIRMED
        locked.save(update_fields=["unit_confirmed_at", "village_confirmed_at", "status"])
        refresh_stage(locked.entry)
        record.after = {"side": side, "status": locked.status}
        notify(event=Event.AGREEMENT_SIGN, object=locked)
    return locked


def _notify(pairing: Pairing, title: str, body: str) -> None:
    sides = [pairing.unit_id, pairing.village_id]
    notify(event=Event.PAIR_ADJUSTED, object=pairing, recipients=sides, title=title, body=body)


@audits_refusals
def pairing_decline_renewal(*, actor: User, pairing: Pairing) -> Pairing:
    """Either side declines to renew last round's pair: the village is open again."""
    side = side_of(actor, pairing)
    if side is None:
        raise PermissionDenied(_("只有结对双方可以决定是否续签"))
    with audited("pairing.decline_renewal", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        require_confirmation_open(pairing.round)
        if pairing.origin != "renewal" or pairing.status != PairingStatus.PROPOSED:
            raise RoundActionRefused(_("只有待确认的续签结对可以不续签"))
        end_pairing(pairing, "不续签" + ("（单位）" if side == "unit" else "（村）"))
        _notify(
            pairing, "结对不续签", f"{pairing.unit.name}与{pairing.village.name}本轮不续签，该村将重新选择结对单位。"
        )
        record.after = {"side": side, "status": pairing.status}
    return pairing


@audits_refusals
def pairing_end(*, actor: User, pairing: Pairing, reason: str) -> Pairing:
    """Adjustment (调整): the department ends a pair early with a reason; both sides are
    notified and the village is open for re-matching."""
    if not can_administer(actor, pairing.round):
        raise PermissionDenied(_("只有本轮次的组织部门管理员可以调整结对"))
    reason = reason.strip()
    with audited("pairing.end", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        if not reason:
            raise RoundActionRefused(_("请填写调整原因"))
        if pairing.status == PairingStatus.ENDED:
            raise RoundActionRefused(_("该结对已终止"))
        record.before = {"status": pairing.status}
        end_pairing(pairing, reason)
        _notify(pairing, "结对调整", f"{pairing.unit.name}与{pairing.village.name}的结对已终止。原因：{reason}")
        record.after = {"status": pairing.status, "reason": reason}
    return pairing
