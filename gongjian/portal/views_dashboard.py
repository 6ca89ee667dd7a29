"""Internal dashboards (login): coverage, signing, visits, funds and compliance of a round
by area with drill-down to the pair. Thin views over ``selectors_dashboard``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongjian.compliance.models import ComplianceStatus
from gongjian.portal.dashboard_cache import dashboard_cached
from gongjian.portal.dashboard_pair import pair_page
from gongjian.portal.dashboard_scope import (
    dashboard_round,
    dashboard_rounds,
    dashboard_slice,
    dashboard_year,
    round_years,
)


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The dashboard of a round (default: the newest the user sees) for a year and an area."""
    round_ = dashboard_round(user=request.user, pk=request.GET.get("round"))
    if round_ is None:
        return render(request, "portal/dashboard.html", {"board": None})
    year = dashboard_year(round_=round_, year=request.GET.get("year"))
    slice_ = dashboard_slice(user=request.user, round_=round_, year=year, area_id=request.GET.get("area"))
    board = dashboard_cached(slice_=slice_)
    context = {
        "board": board,
        "round": round_,
        "year": year,
        "years": round_years(round_),
        "rounds": dashboard_rounds(user=request.user),
        "chart_data": board.chart_data(),
        "statuses": ComplianceStatus.choices,
    }
    return render(request, "portal/dashboard.html", context)


@require_GET
@login_required
def pair(request: HttpRequest, pk: int) -> HttpResponse:
    """One pair: months, funds and compliance, linking to its archive and compliance detail."""
    page = pair_page(user=request.user, pairing_id=pk, year=request.GET.get("year"))
    return render(request, "portal/dashboard_pair.html", {"page": page, "pairing": page.pairing})
