"""The feedback card (village enters → unit answers → village closes; overdue flagged) and the
monthly performance card (unit submits → village countersigns or returns → unit resubmits;
missing months flagged), with deadlines from the round's policy profile."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pytest_django.fixtures import Settings as SettingsWrapper

from gongjian.audit.models import AuditEntry
from gongjian.records.choices import CardStatus, FeedbackStatus
from gongjian.records.errors import RecordActionRefused
from gongjian.records.models import FeedbackCard, PerformanceCard
from gongjian.records.selectors_cards import (
    feedback_list,
    missing_months_for_user,
    missing_performance_months,
)
from gongjian.records.services_cards import (
    feedback_answer,
    feedback_close,
    feedback_enter,
    performance_card_countersign,
    performance_card_return,
    performance_card_save,
)
from gongjian.rounds.models import Pairing, Round
from tests.conftest import Cast

TODAY = datetime.date.today()
LAST_YEAR = TODAY.year - 1


def test_feedback_goes_village_unit_village_and_each_step_is_audited(cast: Cast, signed: Pairing) -> None:
    card = feedback_enter(actor=cast.village_user, pairing=signed, villager_name="王大爷", opinion="水渠年久失修")
    assert card.status == FeedbackStatus.OPEN
    assert card.due == TODAY + datetime.timedelta(days=15)  # shangnan: feedback_answer_days 15
    with pytest.raises(PermissionDenied):
        feedback_enter(actor=cast.unit_user, pairing=signed, villager_name="某", opinion="某")
    with pytest.raises(RecordActionRefused):
        feedback_close(actor=cast.village_user, card=card)  # not answered yet
    with pytest.raises(PermissionDenied):
        feedback_answer(actor=cast.village_user, card=card, answer="自己答复")
    card = feedback_answer(actor=cast.unit_user, card=card, answer="已列入帮扶项目，下月开工")
    assert card.status == FeedbackStatus.ANSWERED and card.answered_by == cast.unit_user
    with pytest.raises(RecordActionRefused):
        feedback_answer(actor=cast.unit_user, card=card, answer="再答一次")
    card = feedback_close(actor=cast.village_user, card=card)
    assert card.status == FeedbackStatus.CLOSED and card.closed_at is not None
    actions = list(
        AuditEntry.objects.filter(success=True, action__startswith="feedback.").values_list("action", flat=True)
    )
    assert sorted(actions) == ["feedback.answer", "feedback.close", "feedback.enter"]


def test_overdue_feedback_is_flagged_for_the_unit_and_the_superior(cast: Cast, signed: Pairing) -> None:
    late = feedback_enter(actor=cast.village_user, pairing=signed, villager_name="李婶", opinion="路灯不够")
    fresh = feedback_enter(actor=cast.village_user, pairing=signed, villager_name="张叔", opinion="垃圾转运")
    # 李婶's opinion was entered 20 days ago: its 15 days have run out.
    FeedbackCard.objects.filter(pk=late.pk).update(due=TODAY - datetime.timedelta(days=5))
    for user in (cast.unit_user, cast.village_user, cast.committee_admin, cast.city_admin):
        rows = {c.pk: c.is_overdue for c in feedback_list(user=user)}  # type: ignore[attr-defined]
        assert rows == {late.pk: True, fresh.pk: False}, user.username
        assert [c.pk for c in feedback_list(user=user, overdue=True)] == [late.pk]
    for user in (cast.sibling_admin, cast.outsider, cast.auditor):
        assert not feedback_list(user=user).exists()
    # Answered in the end: no longer overdue, even though its due date has passed.
    feedback_answer(actor=cast.unit_user, card=late, answer="已协调增设路灯")
    assert not feedback_list(user=cast.committee_admin, overdue=True).exists()


def test_card_submit_return_resubmit_countersign(cast: Cast, signed: Pairing) -> None:
    month = TODAY.replace(day=1)
    card = performance_card_save(actor=cast.unit_user, pairing=signed, month=TODAY, work="本月走访2次", submit=False)
    assert card.status == CardStatus.DRAFT and card.month == month
    with pytest.raises(RecordActionRefused):
        performance_card_countersign(actor=cast.village_user, card=card, comment="属实")  # a draft: not yet
    card = performance_card_save(actor=cast.unit_user, pairing=signed, month=month, work="本月走访2次", submit=True)
    assert card.status == CardStatus.SUBMITTED and card.submitted_at is not None
    with pytest.raises(RecordActionRefused):
        performance_card_save(actor=cast.unit_user, pairing=signed, month=month, work="改", submit=True)
    with pytest.raises(ValidationError):
        performance_card_return(actor=cast.village_user, card=card, comment="  ")
    with pytest.raises(PermissionDenied):
        performance_card_return(actor=cast.unit_user, card=card, comment="自己退回")
    card = performance_card_return(actor=cast.village_user, card=card, comment="请写明走访日期")
    assert card.status == CardStatus.RETURNED and card.return_comment == "请写明走访日期"
    card = performance_card_save(
        actor=cast.unit_user, pairing=signed, month=month, work="本月3日、18日两次到村走访", submit=True
    )
    assert card.status == CardStatus.SUBMITTED
    with pytest.raises(PermissionDenied):
        performance_card_countersign(actor=cast.committee_admin, card=card, comment="属实")
    card = performance_card_countersign(actor=cast.village_user, card=card, comment="情况属实")
    assert card.status == CardStatus.COUNTERSIGNED and card.countersigned_by == cast.village_user
    assert PerformanceCard.objects.count() == 1
    actions = AuditEntry.objects.filter(success=True, action__startswith="performance_card.").values_list(
        "action", flat=True
    )
    assert list(actions.order_by("pk")) == [
        "performance_card.save",
        "performance_card.submit",
        "performance_card.return",
        "performance_card.submit",
        "performance_card.countersign",
    ]


def test_card_months_outside_the_term_or_in_the_future_are_refused(cast: Cast, signed: Pairing) -> None:
    next_month = (TODAY.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    with pytest.raises(ValidationError):
        performance_card_save(actor=cast.unit_user, pairing=signed, month=next_month, work="x", submit=True)
    with pytest.raises(ValidationError):
        performance_card_save(
            actor=cast.unit_user, pairing=signed, month=datetime.date(LAST_YEAR - 1, 12, 1), work="x", submit=True
        )


def _submitted(pairing: Pairing, month: datetime.date, status: str = CardStatus.SUBMITTED) -> None:
    PerformanceCard.objects.create(pairing=pairing, month=month, work="工作", status=status)


def test_missing_months_follow_the_due_day(cast: Cast, signed: Pairing) -> None:
    # Term from 1 January last year. January and March reported, February returned (not
    # resubmitted), April not written at all.
    _submitted(signed, datetime.date(LAST_YEAR, 1, 1), CardStatus.COUNTERSIGNED)
    _submitted(signed, datetime.date(LAST_YEAR, 2, 1), CardStatus.RETURNED)
    _submitted(signed, datetime.date(LAST_YEAR, 3, 1))
    # On 5 May April's card is still within its due day (the 5th): not missing yet.
    on_due_day = missing_performance_months(Pairing.objects.filter(pk=signed.pk), today=datetime.date(LAST_YEAR, 5, 5))
    assert on_due_day == {signed.pk: [datetime.date(LAST_YEAR, 2, 1)]}
    day_after = missing_performance_months([signed], today=datetime.date(LAST_YEAR, 5, 6))
    assert day_after == {signed.pk: [datetime.date(LAST_YEAR, 2, 1), datetime.date(LAST_YEAR, 4, 1)]}
    # Nothing before the term began is expected.
    assert missing_performance_months([signed], today=datetime.date(LAST_YEAR, 1, 20)) == {}
    rows = missing_months_for_user(user=cast.committee_admin, today=datetime.date(LAST_YEAR, 5, 6))
    assert [(r.pairing.pk, len(r.months)) for r in rows] == [(signed.pk, 2)]
    assert missing_months_for_user(user=cast.sibling_admin, today=datetime.date(LAST_YEAR, 5, 6)) == []
    assert missing_months_for_user(user=cast.outsider, today=datetime.date(LAST_YEAR, 5, 6)) == []


def test_deadlines_come_from_the_profile(
    cast: Cast, signed: Pairing, settings: SettingsWrapper, tmp_path: Path
) -> None:
    """Change the profile's numbers, not the code: the due day and the answer days follow.
    The three cards are Jincheng's practice (seed 000), so the round follows its profile."""
    Round.objects.filter(pk=signed.round_id).update(policy_key="jincheng")
    signed.refresh_from_db()
    policies = tmp_path / "policies"
    shutil.copytree(settings.POLICY_DIR, policies)
    path = policies / "jincheng.yaml"
    path.write_text(
        path.read_text("utf-8")
        .replace("performance_card_due_day: 5", "performance_card_due_day: 20")
        .replace("feedback_answer_days: 15", "feedback_answer_days: 3"),
        "utf-8",
    )
    settings.POLICY_DIR = policies
    _submitted(signed, datetime.date(LAST_YEAR, 1, 1))
    # With the 20th as due day, February's card is not missing on 10 March.
    assert missing_performance_months([signed], today=datetime.date(LAST_YEAR, 3, 10)) == {}
    assert missing_performance_months([signed], today=datetime.date(LAST_YEAR, 3, 21)) == {
        signed.pk: [datetime.date(LAST_YEAR, 2, 1)]
    }
    card = feedback_enter(actor=cast.village_user, pairing=signed, villager_name="赵", opinion="路")
    assert card.due == TODAY + datetime.timedelta(days=3)
