"""The party members' quarterly reports to the unit's organization (seed 004 doc 5 三、3), the
first link before the unit's own quarterly report: the unit's user sees each member and records
what they reported. Anyone who is not a unit user gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gongjian.core.pages import attempt
from gongjian.records.forms_member_reports import MemberReportForm
from gongjian.records.selectors_member_reports import member_report_rows, unit_members
from gongjian.records.selectors_reports import reporting_unit
from gongjian.records.services_member_reports import member_report_record
from gongjian.records.views_reports import _quarter


@login_required
def member_reports(request: HttpRequest) -> HttpResponse:
    """The quarter's list of the unit's party members; POST records one member's report."""
    year, quarter = _quarter(request)
    unit = reporting_unit(request.user)
    if unit is None:
        raise Http404
    form = MemberReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = unit_members(unit).filter(pk=form.cleaned_data["person"]).first()
        if person is None:
            raise Http404
        call = lambda: member_report_record(  # noqa: E731
            actor=request.user,  # type: ignore[arg-type]
            person=person,
            year=year,
            quarter=quarter,
            content=form.cleaned_data["content"],
            reported_on=form.cleaned_data["reported_on"],
        )
        if attempt(request, form, call) is not None:
            messages.success(request, _("已登记%(name)s的季度报告") % {"name": person.name})
            return redirect(f"{request.path}?year={year}&quarter={quarter}")
    rows = member_report_rows(user=request.user, year=year, quarter=quarter)
    context = {
        "unit": unit,
        "year": year,
        "quarter": quarter,
        "quarters": [1, 2, 3, 4],
        "rows": rows,
        "reported": sum(r.report is not None for r in rows),
        "due": rows[0].due if rows else None,
        "form": form,
    }
    return render(request, "records/member_reports.html", context)
