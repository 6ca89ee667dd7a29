"""The landing page after login (the workbench): counts of the organizations in the user's scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongjian.orgs.scope import scope_root
from gongjian.portal.selectors import workbench


@login_required
def home(request: HttpRequest) -> HttpResponse:
    counts = workbench(user=request.user)
    context = {
        "root": scope_root(request.user),
        "village_count": counts.villages,
        "organization_count": counts.organizations,
        "unit_count": counts.units,
    }
    return render(request, "core/home.html", context)
