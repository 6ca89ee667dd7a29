"""Appointments and their terms: appointing a cadre, the monthly work log, the end-of-term
assessment. Each write in one transaction with its audit row."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.accounts.models import User
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited
from gongjian.dispatch.access import can_appoint, can_assess, can_log
from gongjian.dispatch.errors import DispatchActionRefused
from gongjian.dispatch.models import (
    Appointment,
    AppointmentStatus,
    Assessment,
    Candidate,
    CandidateStatus,
    CandidateStep,
    NeedsProfile,
    StepKind,
    WorkLog,
)
from gongjian.dispatch.policy import dispatch_rules
from gongjian.orgs.models import Organization, OrgKind
from gongjian.orgs.scope import in_scope


def term_end_for(start: datetime.date, years: int) -> datetime.date:
    """The last day of a term of ``years`` years starting on ``start``."""
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + years, day=28)
    return end - datetime.timedelta(days=1)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


@audits_refusals
def appointment_create(
    *,
    actor: User,
    candidate: Candidate,
    village: Organization,
    role: str,
    term_start: datetime.date,
    policy_key: str,
    incentives: str = "",
) -> Appointment:
    """Appoint a pooled candidate to a village by hand (the term's length from the profile)."""
    if not can_appoint(actor, village) or not in_scope(actor, candidate.unit):
        raise PermissionDenied(_("只有同时管辖该村和人选所在单位的组织部门可以选派任职"))
    if village.kind != OrgKind.VILLAGE:
        raise DispatchActionRefused(_("只能选派到村"), code="not_a_village", field="village")
    years = dispatch_rules(policy_key).term_years
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().select_related("unit").get(pk=candidate.pk)
        if candidate.status != CandidateStatus.POOLED:
            raise DispatchActionRefused(_("只有已入库、未任职的人选可以选派"), code="not_pooled")
        with audited("dispatch.appoint", actor=actor, target=candidate, scope_path=village.path) as record:
            appointment = Appointment.objects.create(
                candidate=candidate,
                village=village,
                role=role,
                term_start=term_start,
                term_end=term_end_for(term_start, years),
                incentives=incentives.strip(),
                policy_key=policy_key,
                created_by=actor,
            )
            candidate.status = CandidateStatus.APPOINTED
            candidate.save(update_fields=["status", "updated_at"])
            CandidateStep.objects.create(
                candidate=candidate,
                kind=StepKind.APPOINT,
                actor=actor,
                comment=f"{village.name} {appointment.get_role_display()}",
            )
            record.after = {
                "appointment": appointment.pk,
                "village": village.pk,
                "role": role,
                "term_start": term_start,
                "term_end": appointment.term_end,
            }
    return appointment


@audits_refusals
def worklog_submit(*, actor: User, appointment: Appointment, month: datetime.date, content: str) -> WorkLog:
    """The cadre's log of one month of the term (this month or an earlier one)."""
    if not can_log(actor, appointment):
        raise PermissionDenied(_("工作日志由选派干部本人（或其单位代为）填报"))
    month = month_start(month)
    if not content.strip():
        raise DispatchActionRefused(_("请填写本月工作"), code="content_required", field="content")
    if month < month_start(appointment.term_start) or month > appointment.term_end:
        raise DispatchActionRefused(_("该月份不在任期内"), code="month_outside_term", field="month")
    if month > month_start(timezone.localdate()):
        raise DispatchActionRefused(_("不能填报以后月份的日志"), code="month_ahead", field="month")
    if appointment.logs.filter(month=month).exists():
        raise DispatchActionRefused(_("该月份的工作日志已提交"), code="month_logged", field="month")
    with audited(
        "dispatch.worklog.submit", actor=actor, target=appointment, scope_path=appointment.village.path
    ) as record:
        log = WorkLog.objects.create(appointment=appointment, month=month, content=content.strip(), submitted_by=actor)
        record.after = {"month": month, "log": log.pk}
    return log


@audits_refusals
def assessment_record(*, actor: User, appointment: Appointment, grade: str, comment: str) -> Assessment:
    """The county's end-of-term assessment; it ends the term."""
    if not can_assess(actor, appointment):
        raise PermissionDenied(_("任期考核由县级组织部门进行"))
    if not comment.strip():
        raise DispatchActionRefused(_("请填写考核评语"), code="comment_required", field="comment")
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update().select_related("village", "candidate").get(pk=appointment.pk)
        )
        if appointment.term_end > timezone.localdate():
            raise DispatchActionRefused(_("任期届满后才能进行任期考核"), code="term_not_over")
        if Assessment.objects.filter(appointment=appointment).exists():
            raise DispatchActionRefused(_("该任期已考核"), code="already_assessed")
        with audited("dispatch.assess", actor=actor, target=appointment, scope_path=appointment.village.path) as record:
            assessment = Assessment.objects.create(
                appointment=appointment, grade=grade, comment=comment.strip(), assessed_by=actor
            )
            appointment.status = AppointmentStatus.ENDED
            appointment.save(update_fields=["status"])
            CandidateStep.objects.create(
                candidate=appointment.candidate,
                kind=StepKind.END,
                actor=actor,
                comment=f"{assessment.get_grade_display()}：{assessment.comment}",
            )
            record.after = {"grade": grade, "comment": assessment.comment}
    return assessment


def village_room(village: Organization) -> int:
    """How many more cadres a village's needs profile asks for."""
    profile = NeedsProfile.objects.filter(village=village).first()
    wanted = profile.cadres_needed if profile else 0
    return wanted - Appointment.objects.filter(village=village, status=AppointmentStatus.SERVING).count()
