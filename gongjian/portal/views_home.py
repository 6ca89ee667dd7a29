"""The landing page after login (the workbench): counts of the organizations in the user's scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongjian.orgs.models import OrgKind
from gongjian.orgs.scope import scope_root
from gongjian.orgs.selectors import organization_counts


@login_required
def home(request: HttpRequest) -> HttpResponse:
    counts = organization_counts(user=request.user)
    village_count = counts.get(OrgKind.VILLAGE, 0)
    context = {
        "root": scope_root(request.user),
        "village_count": village_count,
        "organization_count": sum(counts.values()),
        "unit_count": sum(counts.values())
        - village_count
        - counts.get(OrgKind.TOWN, 0)
        - counts.get(OrgKind.PARTY_COMMITTEE, 0),
    }
    return render(request, "core/home.html", context)
