"""Public funds disclosure (村务公开, no login): villages that have published, and for each the
funds received and used by period with purposes — exactly what the village published; no
personal data and no voucher files. Each village is named with its town and county (two
villages may share a name)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongjian.core.view_helpers import page_of
from gongjian.funds import selectors
from gongjian.portal.selectors import disclosure_villages, village_place


@require_GET
def funds_index(request: HttpRequest) -> HttpResponse:
    """Villages with at least one published disclosure, searchable by name or pinyin."""
    query = request.GET.get("q", "")
    page = page_of(request, disclosure_villages(query))
    rows = [(village, *village_place(village)) for village in page]
    return render(request, "portal/funds_index.html", {"page": page, "rows": rows, "query": query})


@require_GET
def funds_village(request: HttpRequest, pk: int) -> HttpResponse:
    """One village's published disclosures, newest first (404 if it has published none)."""
    village = selectors.public_village(pk)
    town, county = village_place(village)
    return render(
        request,
        "portal/funds_village.html",
        {"village": village, "town": town, "county": county, "disclosures": selectors.public_disclosures(village)},
    )
