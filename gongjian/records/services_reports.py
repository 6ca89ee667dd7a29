"""Reports (seed 004 doc 5): the unit's quarterly report to its superior, and the committee's
half-year inspection notice (半年督查通报) kept as a PDF with its SHA-256."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.accounts.models import User
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited, snapshot
from gongjian.orgs.models import Organization
from gongjian.orgs.scope import can_manage
from gongjian.records.choices import ReportStatus
from gongjian.records.errors import RecordActionRefused
from gongjian.records.models import InspectionNotice, QuarterlyReport
from gongjian.records.notice_pdf import notice_figures, render_notice_pdf
from gongjian.records.selectors_reports import (
    assemble_report_body,
    half_bounds,
    quarter_bounds,
    reporting_unit,
    unit_pairings,
)


def quarterly_report_draft(*, actor: User, year: int, quarter: int) -> QuarterlyReport:
    """The acting unit's report of the quarter: the stored one, or a new draft assembled from
    the quarter's records (not saved until the unit saves or submits it)."""
    unit = reporting_unit(actor)
    if unit is None:
        raise PermissionDenied(_("只有结对单位可以填报季度报告"))
    _start, _end = quarter_bounds(year, quarter)
    existing = QuarterlyReport.objects.filter(organization=unit, year=year, quarter=quarter).first()
    if existing is not None:
        return existing
    return QuarterlyReport(
        organization=unit, year=year, quarter=quarter, body=assemble_report_body(unit, year, quarter)
    )


@audits_refusals
def quarterly_report_save(*, actor: User, year: int, quarter: int, body: str, submit: bool) -> QuarterlyReport:
    """The unit saves (and with ``submit`` sends to its superior) its report of a quarter that
    has begun. A submitted report cannot be changed."""
    unit = reporting_unit(actor)
    if unit is None:
        raise PermissionDenied(_("只有结对单位可以填报季度报告"))
    if not 1 <= quarter <= 4:
        raise ValidationError({"quarter": _("季度应为 1 至 4")})
    start, _end = quarter_bounds(year, quarter)
    if start > timezone.localdate():
        raise ValidationError({"quarter": _("该季度尚未开始")})
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("请填写报告正文")})
    if not unit_pairings(unit).exists():
        raise RecordActionRefused(_("本单位没有已签约的结对村，无需报送季度报告"), code="no_pairings")
    with audited("quarterly_report.save", actor=actor, target=unit, scope_path=unit.path) as record:
        report = (
            QuarterlyReport.objects.select_for_update().filter(organization=unit, year=year, quarter=quarter).first()
        )
        if report is None:
            report = QuarterlyReport(organization=unit, year=year, quarter=quarter)
        elif report.status == ReportStatus.SUBMITTED:
            raise RecordActionRefused(
                _("%(year)s年第%(quarter)s季度报告已报送，不能修改") % {"year": year, "quarter": quarter},
                code="submitted",
            )
        else:
            record.before = {"status": report.status, "chars": len(report.body)}
        report.body = body
        if submit:
            report.status, report.submitted_at, report.submitted_by = ReportStatus.SUBMITTED, timezone.now(), actor
            record.action = "quarterly_report.submit"
        report.save()
        record.target = report
        record.after = snapshot(report, ["year", "quarter", "status", "submitted_at"]) | {"chars": len(body)}
    return report


@audits_refusals
def inspection_notice_generate(*, actor: User, organization: Organization, year: int, half: int) -> InspectionNotice:
    """A committee or city admin generates the half-year notice of its subtree (or a committee
    inside it) from the records as they are now; every generation is kept, numbered."""
    if not can_manage(actor, organization):
        raise PermissionDenied(_("只有本级及上级党委管理员可以生成督查通报"))
    if half not in (1, 2):
        raise ValidationError({"half": _("请选择上半年或下半年")})
    start, _end = half_bounds(year, half)
    today = timezone.localdate()
    if start > today:
        raise ValidationError({"half": _("该半年尚未开始")})
    with audited(
        "inspection_notice.generate", actor=actor, target=organization, scope_path=organization.path
    ) as record:
        figures = notice_figures(organization, year, half, today)
        number = InspectionNotice.objects.filter(organization=organization, year=year).count() + 1
        pdf = render_notice_pdf(figures, number=number, issued=today)
        notice = InspectionNotice(
            organization=organization,
            year=year,
            half=half,
            sha256=hashlib.sha256(pdf).hexdigest(),
            figures=figures.jsonable(),
            created_by=actor,
        )
        notice.pdf.save(f"notice-o{organization.pk}-{year}h{half}-{number}.pdf", ContentFile(pdf), save=False)
        notice.save()
        record.target = notice
        record.after = {
            "sha256": notice.sha256,
            "pairs": figures.pairs,
            "visits": figures.visits,
            "cards_missing": figures.cards_missing,
            "overdue_feedback": figures.overdue_feedback,
        }
    return notice
