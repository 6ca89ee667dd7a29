"""The compliance overview as a workbook (the page's scope, year and filters)."""

from __future__ import annotations

import dataclasses

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from gongjian.compliance import selectors
from gongjian.jobs.exports import export_response
from gongjian.orgs.scope import scope_root


@login_required
@require_GET
def overview_export(request: HttpRequest) -> HttpResponse:
    """合规状态 workbook: the pairs of the user's scope the overview lists, all pages."""
    root = scope_root(request.user)
    if root is None:
        raise Http404
    years = selectors.years(user=request.user)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = years[0] if years else timezone.localdate().year
    filters = selectors.Filters(
        year=year,
        status=request.GET.get("status", ""),
        county=request.GET.get("county", ""),
        obligation=request.GET.get("obligation", ""),
    )
    # A province's pairs run as a job (gongjian/jobs/exports.py: it writes the audit row and
    # names the file), a county's here.
    return export_response(request, exporter="compliance_overview", args={"filters": dataclasses.asdict(filters)})
