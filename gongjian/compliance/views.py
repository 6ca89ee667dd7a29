"""Compliance pages: overview of the pairs in scope, a pair's detail, the annual assessment
with its xlsx export and the list of pairs to adjust. Thin: selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.compliance import selectors
from gongjian.compliance.exports import assessment_xlsx
from gongjian.compliance.selectors_evaluation import practice_rows
from gongjian.compliance.selectors_joint import joint_pairs, joint_summary, missed_duties
from gongjian.compliance.services_run import compliance_evaluation_start
from gongjian.core.downloads import attachment, file_name
from gongjian.core.view_helpers import page_of
from gongjian.jobs.pages import job_response
from gongjian.orgs.scope import scope_root

JOINT_ROWS = 200  # the page lists the lowest joint results; the workbook has every pair


def _year(request: HttpRequest) -> int:
    years = selectors.years(user=request.user)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = years[0] if years else timezone.localdate().year
    return year


def _common(request: HttpRequest, year: int) -> dict[str, Any]:
    return {
        "year": year,
        "years": selectors.years(user=request.user) or [year],
        "is_admin": selectors.is_admin(request.user),
        "scope_name": selectors.scope_label(user=request.user),
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Pairs in the user's scope by status, with reasons and deadlines; filters for admins."""
    if scope_root(request.user) is None:
        raise Http404
    year = _year(request)
    filters = selectors.Filters(
        year=year,
        status=request.GET.get("status", ""),
        county=request.GET.get("county", ""),
        obligation=request.GET.get("obligation", ""),
    )
    page = page_of(request, selectors.pair_statuses(user=request.user, filters=filters))
    rows = list(page)
    reasons = selectors.reasons_for(statuses=rows)
    context = {
        **_common(request, year),
        "filters": filters,
        "page": page,
        "rows": [(row, reasons.get(row.pairing_id, [])) for row in rows],
        "counts": selectors.status_counts(user=request.user, year=year),
        "statuses": selectors.status_choices(),
        "counties": selectors.counties(user=request.user, year=year),
        "obligations": selectors.obligation_choices(user=request.user, year=year),
    }
    return render(request, "compliance/index.html", context)


@login_required
def pair_detail(request: HttpRequest, pairing_id: int) -> HttpResponse:
    year = _year(request)
    status, results = selectors.pair_detail(user=request.user, pairing_id=pairing_id, year=year)
    context = {
        **_common(request, year),
        "status": status,
        "results": results,
        "history": selectors.pair_history(user=request.user, pairing_id=pairing_id),
    }
    return render(request, "compliance/pair_detail.html", context)


@login_required
def assessment(request: HttpRequest) -> HttpResponse:
    """Annual scores per unit (ranked within the committee) and per pair; pairs to adjust."""
    if scope_root(request.user) is None:
        raise Http404
    year = _year(request)
    try:
        committee_id = int(request.GET.get("committee", "") or 0)
    except ValueError:
        committee_id = 0
    context = {
        **_common(request, year),
        "page": page_of(request, selectors.unit_scores(user=request.user, year=year, committee_id=committee_id)),
        "committees": selectors.committees(user=request.user, year=year),
        "committee_scores": selectors.committee_scores(user=request.user, year=year),
        "committee_id": committee_id,
        "to_adjust": selectors.pairs_to_adjust(user=request.user, year=year)[:200],
        "to_adjust_count": selectors.pairs_to_adjust(user=request.user, year=year).count(),
        # 群众评议 and commitments weighed in (seed 002; the profile's own sections)
        "practice_rows": practice_rows(user=request.user, year=year),
        # Both sides assessed (双考核 / 四位一体; the profile's joint_appraisal)
        "joint": joint_summary(user=request.user, year=year),
        "joint_rows": [(p, missed_duties(p)) for p in joint_pairs(user=request.user, year=year)[:JOINT_ROWS]],
    }
    return render(request, "compliance/assessment.html", context)


@login_required
def assessment_export(request: HttpRequest) -> HttpResponse:
    """责任制考核 workbook: unit scores, pair scores, pairs to adjust — the user's scope only."""
    if not selectors.is_admin(request.user):
        raise Http404
    year = _year(request)
    data = assessment_xlsx(user=request.user, year=year)
    return attachment(data, file_name(f"{_('合规考核')}{year}", ext="xlsx"))


@login_required
@require_POST
def evaluate(request: HttpRequest) -> HttpResponse:
    """An admin re-evaluates their subtree now (celery beat does it nightly)."""
    # The evaluation is a job (gongjian.jobs): the page answers at once with its progress bar.
    job = compliance_evaluation_start(actor=request.user)
    if job.finished and job.error:
        # It failed inside this request (no broker, the test profile): say why here.
        messages.error(request, job.error)
        return redirect("compliance:index")
    return job_response(job)
