"""Appointments by hand, monthly work logs (missing months flagged), end-of-term assessment."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from gongjian.audit.models import AuditEntry
from gongjian.dispatch import selectors
from gongjian.dispatch.errors import DispatchActionRefused
from gongjian.dispatch.models import AppointmentStatus, Grade, StepKind
from gongjian.dispatch.services_term import appointment_create, assessment_record, worklog_submit
from tests.conftest import Cast
from tests.dispatch.conftest import POLICY_KEY, MakeCandidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment(cast: Cast, make_candidate: MakeCandidate, policy_dir):  # type: ignore[no-untyped-def]
    """A first secretary of 花家村 whose two-year term started 26 months ago (now over)."""
    today = timezone.localdate()
    start = (today.replace(day=1) - datetime.timedelta(days=26 * 30)).replace(day=1)
    return appointment_create(
        actor=cast.committee_admin,
        candidate=make_candidate(),
        village=cast.village,
        role="first_secretary",
        term_start=start,
        policy_key=POLICY_KEY,
        incentives="驻村补助",
    )


def test_appointment_by_hand(cast: Cast, appointment) -> None:  # type: ignore[no-untyped-def]
    assert appointment.term_end == appointment.term_start.replace(
        year=appointment.term_start.year + 2
    ) - datetime.timedelta(days=1)
    assert appointment.candidate.steps.last().kind == StepKind.APPOINT
    assert AuditEntry.objects.filter(action="dispatch.appoint", success=True).count() == 1
    with pytest.raises(DispatchActionRefused):  # already serving
        appointment_create(
            actor=cast.committee_admin,
            candidate=appointment.candidate,
            village=cast.other_village,
            role="resident",
            term_start=timezone.localdate(),
            policy_key=POLICY_KEY,
        )


def test_only_the_department_over_both_appoints(cast: Cast, make_candidate: MakeCandidate, policy_dir) -> None:  # type: ignore[no-untyped-def]
    candidate = make_candidate()
    for user, village in (
        (cast.sibling_admin, cast.sibling_village),
        (cast.unit_user, cast.village),
        (cast.outsider, cast.village),
    ):
        with pytest.raises(PermissionDenied):
            appointment_create(
                actor=user,
                candidate=candidate,
                village=village,
                role="resident",
                term_start=timezone.localdate(),
                policy_key=POLICY_KEY,
            )


def test_work_log_and_missing_months(cast: Cast, appointment) -> None:  # type: ignore[no-untyped-def]
    first = appointment.term_start
    before = len(selectors.missing_months(appointment, 10))
    worklog_submit(actor=cast.unit_user, appointment=appointment, month=first, content="入户走访 30 户")
    missing = selectors.missing_months(appointment, 10)
    assert first not in missing and len(missing) == before - 1
    assert len(selectors.term_months(appointment)) == 24  # the whole two-year term is past
    assert AuditEntry.objects.filter(action="dispatch.worklog.submit", success=True).count() == 1
    with pytest.raises(DispatchActionRefused) as twice:  # the same month twice
        worklog_submit(actor=cast.unit_user, appointment=appointment, month=first, content="again")
    assert (twice.value.code, twice.value.field, twice.value.status) == ("month_logged", "month", 422)
    with pytest.raises(DispatchActionRefused) as early:  # before the term
        worklog_submit(
            actor=cast.unit_user, appointment=appointment, month=first - datetime.timedelta(days=1), content="x"
        )
    assert (early.value.code, early.value.field) == ("month_outside_term", "month")
    for user in (cast.committee_admin, cast.village_user, cast.outsider):
        with pytest.raises(PermissionDenied):
            worklog_submit(
                actor=user, appointment=appointment, month=first.replace(month=first.month % 12 + 1), content="x"
            )


def test_assessment_at_the_end_of_the_term(cast: Cast, appointment) -> None:  # type: ignore[no-untyped-def]
    for user in (cast.unit_user, cast.village_user, cast.sibling_admin, cast.outsider):
        with pytest.raises(PermissionDenied):
            assessment_record(actor=user, appointment=appointment, grade=Grade.EXCELLENT, comment="好")
    with pytest.raises(DispatchActionRefused) as silent:
        assessment_record(actor=cast.committee_admin, appointment=appointment, grade=Grade.EXCELLENT, comment="")
    assert (silent.value.code, silent.value.field) == ("comment_required", "comment")
    assessment_record(actor=cast.committee_admin, appointment=appointment, grade=Grade.EXCELLENT, comment="带富能力强")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.ENDED
    assert AuditEntry.objects.filter(action="dispatch.assess", success=True).count() == 1
    with pytest.raises(DispatchActionRefused):
        assessment_record(actor=cast.committee_admin, appointment=appointment, grade=Grade.COMPETENT, comment="再评")


def test_no_assessment_before_the_term_ends(cast: Cast, make_candidate: MakeCandidate, policy_dir) -> None:  # type: ignore[no-untyped-def]
    current = appointment_create(
        actor=cast.committee_admin,
        candidate=make_candidate(),
        village=cast.village,
        role="resident",
        term_start=timezone.localdate(),
        policy_key=POLICY_KEY,
    )
    with pytest.raises(DispatchActionRefused):
        assessment_record(actor=cast.committee_admin, appointment=current, grade=Grade.COMPETENT, comment="称职")
