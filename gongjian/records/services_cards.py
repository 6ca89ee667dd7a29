"""Two of the three cards (三卡, seed 000): the feedback card (意见反馈卡: a villager's opinion
entered by the village party organization, answered by the unit, closed by the village)
and the monthly performance card (工作实绩卡: the unit's month of work, countersigned with the
village's comment or returned, then received and acknowledged by the unit's superior
committee — "经所联村党组织签注意见，报上级党委").

Deadlines come from the round's policy profile (``records`` rules), never from code.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.accounts.models import User
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited, snapshot
from gongjian.notifications.services import Event, notifications_settle, notify
from gongjian.orgs.scope import can_manage
from gongjian.policies import RecordRules, load_profile
from gongjian.records.access import can_act_as_village, can_record
from gongjian.records.choices import CardStatus, FeedbackStatus
from gongjian.records.errors import RecordActionRefused
from gongjian.records.models import FeedbackCard, PerformanceCard
from gongjian.rounds.models import Pairing

CARD_FIELDS = ["status", "submitted_at", "countersigned_at", "village_comment", "return_comment"]


def record_rules(pairing: Pairing) -> RecordRules:
    """The record-keeping deadlines of the pairing's round."""
    return load_profile(pairing.round.policy_key).records


def _text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("请填写%(label)s") % {"label": label}})
    return value


# ---------------------------------------------------------------- feedback card


@audits_refusals
def feedback_enter(*, actor: User, pairing: Pairing, villager_name: str, opinion: str) -> FeedbackCard:
    """The village enters a villager's opinion; it is due for an answer within the profile's
    ``feedback_answer_days``."""
    if not can_act_as_village(actor, pairing):
        raise PermissionDenied(_("只有结对村党组织可以登记群众意见"))
    now = timezone.now()
    due = timezone.localdate(now) + datetime.timedelta(days=record_rules(pairing).feedback_answer_days)
    with audited("feedback.enter", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        card = FeedbackCard.objects.create(
            pairing=pairing,
            villager_name=_text(villager_name, "villager_name", "反映人")[:64],
            opinion=_text(opinion, "opinion", "意见建议"),
            entered_by=actor,
            entered_at=now,
            due=due,
        )
        record.target = card
        record.after = snapshot(card, ["pairing_id", "villager_name", "due", "status"])
        notify(event=Event.FEEDBACK_ANSWER, object=card)
    return card


@audits_refusals
def feedback_answer(*, actor: User, card: FeedbackCard, answer: str) -> FeedbackCard:
    """The unit answers an open opinion."""
    if not can_record(actor, card.pairing):
        raise PermissionDenied(_("只有结对单位可以答复群众意见"))
    with audited("feedback.answer", actor=actor, target=card, scope_path=card.pairing.village.path) as record:
        locked = FeedbackCard.objects.select_for_update().get(pk=card.pk)
        if locked.status != FeedbackStatus.OPEN:
            raise RecordActionRefused(
                _("该意见当前为“%(status)s”，不能再答复") % {"status": locked.get_status_display()}, code="not_open"
            )
        locked.answer = _text(answer, "answer", "答复内容")
        locked.answered_by, locked.answered_at, locked.status = actor, timezone.now(), FeedbackStatus.ANSWERED
        locked.save(update_fields=["answer", "answered_by", "answered_at", "status"])
        record.after = snapshot(locked, ["status", "answered_at"])
        notify(event=Event.FEEDBACK_CLOSE, object=locked)
    return locked


@audits_refusals
def feedback_close(*, actor: User, card: FeedbackCard) -> FeedbackCard:
    """The village closes an answered opinion (办结) after telling the villager."""
    if not can_act_as_village(actor, card.pairing):
        raise PermissionDenied(_("只有结对村党组织可以办结群众意见"))
    with audited("feedback.close", actor=actor, target=card, scope_path=card.pairing.village.path) as record:
        locked = FeedbackCard.objects.select_for_update().get(pk=card.pk)
        if locked.status != FeedbackStatus.ANSWERED:
            raise RecordActionRefused(_("单位答复后才能办结"), code="not_answered")
        locked.status, locked.closed_at = FeedbackStatus.CLOSED, timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        record.after = snapshot(locked, ["status", "closed_at"])
        notifications_settle(object=locked)
    return locked


# ---------------------------------------------------------------- performance card


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _check_month(pairing: Pairing, month: datetime.date) -> datetime.date:
    month = first_of_month(month)
    if month > first_of_month(timezone.localdate()):
        raise ValidationError({"month": _("不能填报以后月份的工作实绩卡")})
    if month < first_of_month(pairing.round.term_start) or month > first_of_month(pairing.round.term_end):
        raise ValidationError({"month": _("该月份不在协议期限内")})
    return month


@audits_refusals
def performance_card_save(
    *, actor: User, pairing: Pairing, month: datetime.date, work: str, submit: bool
) -> PerformanceCard:
    """The unit writes (and with ``submit`` reports) the card of ``month``; a returned card is
    edited and submitted again. A submitted or countersigned card cannot be changed."""
    if not can_record(actor, pairing):
        raise PermissionDenied(_("只有结对单位可以填报工作实绩卡"))
    month = _check_month(pairing, month)
    work = _text(work, "work", "本月工作实绩")
    with audited("performance_card.save", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        card = PerformanceCard.objects.select_for_update().filter(pairing=pairing, month=month).first()
        if card is None:
            card = PerformanceCard(pairing=pairing, month=month)
        elif card.status not in (CardStatus.DRAFT, CardStatus.RETURNED):
            raise RecordActionRefused(
                _("%(year)s年%(month)s月的工作实绩卡已%(status)s，不能修改")
                % {"year": month.year, "month": month.month, "status": card.get_status_display()},
                code="locked",
            )
        else:
            record.before = snapshot(card, ["work", *CARD_FIELDS])
        card.work = work
        if submit:
            card.status, card.submitted_by, card.submitted_at = CardStatus.SUBMITTED, actor, timezone.now()
        elif card.status != CardStatus.RETURNED:
            card.status = CardStatus.DRAFT
        card.save()
        record.target = card
        record.action = "performance_card.submit" if submit else "performance_card.save"
        record.after = snapshot(card, ["month", *CARD_FIELDS])
        notify(event=Event.CARD_COUNTERSIGN, object=card, occasion=str(card.submitted_at or ""))
    return card


@audits_refusals
def performance_card_countersign(*, actor: User, card: PerformanceCard, comment: str) -> PerformanceCard:
    """The village countersigns a submitted card by writing its comment on it (签注意见, seed
    000): a countersignature without a comment is refused."""
    if not can_act_as_village(actor, card.pairing):
        raise PermissionDenied(_("只有结对村党组织可以会签工作实绩卡"))
    scope = card.pairing.village.path
    with audited("performance_card.countersign", actor=actor, target=card, scope_path=scope) as record:
        comment = (comment or "").strip()
        if not comment:
            raise RecordActionRefused(_("请填写村党组织签注意见"), code="required", field="comment")
        locked = PerformanceCard.objects.select_for_update().get(pk=card.pk)
        if locked.status != CardStatus.SUBMITTED:
            raise RecordActionRefused(
                _("该卡当前为“%(status)s”，不能会签") % {"status": locked.get_status_display()}, code="not_submitted"
            )
        locked.status, locked.countersigned_by, locked.countersigned_at = (
            CardStatus.COUNTERSIGNED,
            actor,
            timezone.now(),
        )
        locked.village_comment = comment
        locked.return_comment = ""
        locked.save()
        record.after = snapshot(locked, CARD_FIELDS)
        notify(event=Event.CARD_ACKNOWLEDGE, object=locked)
    return locked


@audits_refusals
def performance_card_return(*, actor: User, card: PerformanceCard, comment: str) -> PerformanceCard:
    """The village returns a submitted card to the unit with a comment; the unit edits and
    submits it again."""
    if not can_act_as_village(actor, card.pairing):
        raise PermissionDenied(_("只有结对村党组织可以退回工作实绩卡"))
    comment = _text(comment, "comment", "退回意见")
    scope = card.pairing.village.path
    with audited("performance_card.return", actor=actor, target=card, scope_path=scope) as record:
        locked = PerformanceCard.objects.select_for_update().get(pk=card.pk)
        if locked.status != CardStatus.SUBMITTED:
            raise RecordActionRefused(
                _("该卡当前为“%(status)s”，不能退回") % {"status": locked.get_status_display()}, code="not_submitted"
            )
        locked.status, locked.return_comment = CardStatus.RETURNED, comment
        locked.save()
        record.after = snapshot(locked, CARD_FIELDS)
        notify(event=Event.CARD_RETURNED, object=locked, occasion=str(locked.submitted_at or ""))
    return locked


@audits_refusals
def performance_card_acknowledge(*, actor: User, card: PerformanceCard) -> PerformanceCard:
    """The unit's superior committee receives a countersigned card and acknowledges it (报上级
    党委, seed 000): an administrator whose subtree holds the unit, once per card."""
    scope = card.pairing.unit.path
    with audited("performance_card.acknowledge", actor=actor, target=card, scope_path=scope) as record:
        if not can_manage(actor, card.pairing.unit):
            raise RecordActionRefused(_("只有结对单位的上级党委可以收阅工作实绩卡"), code="not_superior")
        locked = PerformanceCard.objects.select_for_update().get(pk=card.pk)
        if locked.status != CardStatus.COUNTERSIGNED:
            raise RecordActionRefused(_("村党组织签注意见后，上级党委才能收阅"), code="not_countersigned")
        if locked.acknowledged_at is not None:
            raise RecordActionRefused(_("该卡已收阅"), code="acknowledged")
        locked.acknowledged_by, locked.acknowledged_at = actor, timezone.now()
        locked.save(update_fields=["acknowledged_by", "acknowledged_at", "updated_at"])
        record.after = snapshot(locked, ["acknowledged_at"])
        notifications_settle(object=locked)
    return locked
