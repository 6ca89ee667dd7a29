"""Public funds disclosure (村务公开, no login): villages that have published, and for each the
funds received and used by period with purposes — exactly what the village published; no
personal data and no voucher files."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongjian.core.view_helpers import page_of
from gongjian.funds import selectors


@require_GET
def funds_index(request: HttpRequest) -> HttpResponse:
    """Villages with at least one published disclosure, searchable by name or pinyin."""
    query = request.GET.get("q", "")
    page = page_of(request, selectors.public_villages(query))
    return render(request, "portal/funds_index.html", {"page": page, "query": query})


@require_GET
def funds_village(request: HttpRequest, pk: int) -> HttpResponse:
    """One village's published disclosures, newest first (404 if it has published none)."""
    village = selectors.public_village(pk)
    return render(
        request,
        "portal/funds_village.html",
        {"village": village, "disclosures": selectors.public_disclosures(village)},
    )
