"""Internal dashboards (login): coverage, signing, visits, funds and compliance of a round
by area with drill-down to the pair, and the same figures as a workbook. Thin views over
``selectors_dashboard``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongjian.core.downloads import attachment
from gongjian.portal.dashboard_cache import dashboard_cached
from gongjian.portal.dashboard_export import dashboard_xlsx
from gongjian.portal.dashboard_pair import pair_page
from gongjian.portal.dashboard_scope import (
    dashboard_round,
    dashboard_rounds,
    dashboard_slice,
    dashboard_year,
    round_years,
)
from gongjian.portal.maps import area_map
from gongjian.portal.selectors_dashboard import STATUS_CHOICES, Dashboard
from gongjian.rounds.coverage import round_adjustments, round_coverage


def _board(request: HttpRequest) -> tuple[Any, int, Dashboard] | None:
    """The round, year and dashboard the query string names (None: the user has no round)."""
    round_ = dashboard_round(user=request.user, pk=request.GET.get("round"))
    if round_ is None:
        return None
    year = dashboard_year(round_=round_, year=request.GET.get("year"))
    slice_ = dashboard_slice(user=request.user, round_=round_, year=year, area_id=request.GET.get("area"))
    return round_, year, dashboard_cached(slice_=slice_)


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The dashboard of a round (default: the newest the user sees that has signed pairs)
    for a year and an area."""
    found = _board(request)
    if found is None:
        return render(request, "portal/dashboard.html", {"board": None})
    round_, year, board = found
    context: dict[str, Any] = {
        "board": board,
        "round": round_,
        "year": year,
        "years": round_years(round_),
        "rounds": dashboard_rounds(user=request.user),
        "chart_data": board.chart_data(),
        "area_map": None if board.leaf else area_map(board.slice.area, [row.key for row in board.rows]),
        "statuses": STATUS_CHOICES,
        # Towns and the city side (seed 004 doc 1 (二)(四), doc 2 二、1), and dynamic adjustments,
        # of the area on show.
        "coverage": round_coverage(round_=round_, scope_path=board.slice.area.path, public=False),
        "adjustments": round_adjustments(round_=round_, scope_path=board.slice.area.path, public=False)[:50],
        "internal": True,
    }
    return render(request, "portal/dashboard.html", context)


@require_GET
@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The page's figures as xlsx (same round, year and area; 404 where the page is 404)."""
    found = _board(request)
    if found is None:
        raise Http404("您没有参与或管理的结对轮次")
    _round, year, board = found
    data = dashboard_xlsx(board, actor=request.user)
    area = board.slice.area
    name = _("共建看板-%(area)s-%(year)s年.xlsx") % {"area": area.name, "year": year}
    return attachment(data, name)


@require_GET
@login_required
def pair(request: HttpRequest, pk: int) -> HttpResponse:
    """One pair: months, funds and compliance, linking to its archive and compliance detail."""
    page = pair_page(user=request.user, pairing_id=pk, year=request.GET.get("year"))
    return render(request, "portal/dashboard_pair.html", {"page": page, "pairing": page.pairing})
