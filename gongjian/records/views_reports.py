"""Quarterly reports (the unit writes and submits; the superior sees who has and has not) and
the half-year inspection notice (an admin generates it as a PDF)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.audit.files import archived_file
from gongjian.core.downloads import file_name
from gongjian.core.pages import form_page
from gongjian.orgs.scope import organizations_in_scope
from gongjian.records.access import is_admin
from gongjian.records.forms import NoticeForm, ReportForm
from gongjian.records.selectors_member_reports import member_report_counts
from gongjian.records.selectors_reports import (
    current_quarter,
    notice_get,
    notice_list,
    notice_scopes,
    report_due,
    report_get,
    report_list,
    report_status_rows,
    reporting_unit,
)
from gongjian.records.services_reports import (
    inspection_notice_generate,
    quarterly_report_draft,
    quarterly_report_save,
)
from gongjian.records.views_common import page_of


def _quarter(request: HttpRequest) -> tuple[int, int]:
    year, quarter = current_quarter()
    try:
        year = int(request.GET.get("year", year))
        quarter = int(request.GET.get("quarter", quarter))
    except ValueError as exc:
        raise Http404 from exc
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise Http404
    return year, quarter


def _with_member_counts(rows: list[Any], year: int, quarter: int) -> list[tuple[Any, tuple[int, int]]]:
    counts = member_report_counts([r.unit.pk for r in rows], year, quarter)
    return [(row, counts.get(row.unit.pk, (0, 0))) for row in rows]


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    """A unit: its reports and this quarter's. An admin: its units with the quarter's status."""
    year, quarter = _quarter(request)
    context = {
        "year": year,
        "quarter": quarter,
        "quarters": [1, 2, 3, 4],
        "unit": reporting_unit(request.user),
        "rows": (rows := report_status_rows(user=request.user, year=year, quarter=quarter)),
        # The first link (seed 004 doc 5 三、3): each unit's members' reports, (members, reported).
        "rows_with_members": _with_member_counts(rows, year, quarter),
        "is_admin": is_admin(request.user),
        "page": page_of(request, report_list(user=request.user)),
    }
    return render(request, "records/reports.html", context)


@login_required
def report_edit(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    """The unit edits the report assembled from the quarter's records, saves or submits it."""
    unit = reporting_unit(request.user)
    if unit is None:
        raise Http404
    if not 1 <= quarter <= 4:
        raise Http404
    report = quarterly_report_draft(actor=request.user, year=year, quarter=quarter)  # type: ignore[arg-type]
    form = ReportForm(request.POST or None, initial={"body": report.body})
    submit = "submit" in request.POST

    def save(data: dict[str, Any]) -> Any:
        return quarterly_report_save(
            actor=request.user,  # type: ignore[arg-type]
            year=year,
            quarter=quarter,
            body=data["body"],
            submit=submit,
        )

    return form_page(
        request,
        form=form,
        service=save,
        template="records/report_form.html",
        context=lambda: {"report": report, "year": year, "quarter": quarter, "due": report_due(unit, year, quarter)},
        success=_("季度报告已报送") if submit else _("草稿已保存"),
        done=request.path,
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "records/report_detail.html", {"report": report_get(user=request.user, pk=pk)})


# ---------------------------------------------------------------- inspection notice


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    """The admin's notices and the form to generate one."""
    if not is_admin(request.user):
        raise Http404
    today = timezone.localdate()
    scopes = notice_scopes(user=request.user)
    initial = {
        "organization": request.user.organization_id,  # type: ignore[union-attr]
        "year": today.year,
        "half": 1 if today.month <= 6 else 2,
    }
    form = NoticeForm(request.POST or None, initial=initial, organizations=scopes)

    def generate(data: dict[str, Any]) -> Any:
        organization = organizations_in_scope(request.user).filter(pk=data["organization"]).first()
        if organization is None:
            raise Http404
        return inspection_notice_generate(
            actor=request.user,  # type: ignore[arg-type]
            organization=organization,
            year=data["year"],
            half=data["half"],
        )

    return form_page(
        request,
        form=form,
        service=generate,
        template="records/notices.html",
        context=lambda: {"page": page_of(request, notice_list(user=request.user))},
        success=_("督查通报已生成"),
        done=reverse("records:notices"),
    )


@login_required
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The notice's PDF, checked against its stored SHA-256 (the download is audited)."""
    notice = notice_get(user=request.user, pk=pk)
    half = _("上半年") if notice.half == 1 else _("下半年")
    name = file_name(_("督查通报"), notice.organization.name, f"{notice.year}{half}", ext="pdf")
    return archived_file(
        request,
        notice.pdf,
        name,
        action="inspection_notice.download",
        target=notice,
        scope_path=notice.organization.path,
        sha256=notice.sha256,
    )
