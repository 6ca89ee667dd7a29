"""The compliance overview as a workbook (the page's scope, year and filters)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongjian.audit.services import audit_event
from gongjian.compliance import selectors
from gongjian.compliance.exports import overview_xlsx
from gongjian.core.downloads import attachment
from gongjian.orgs.scope import scope_root, subtree_path


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
    data, counts = overview_xlsx(user=request.user, filters=filters)
    audit_event(
        "compliance.overview_export",
        actor=request.user,
        target=root,
        scope_path=subtree_path(request.user) or "",
        after={"year": year, "status": filters.status, "county": filters.county, **counts},
    )
    return attachment(data, _("合规状态-%(scope)s-%(year)s年.xlsx") % {"scope": root.name, "year": year})
