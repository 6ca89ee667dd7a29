"""The members landing page: individual pairing and mobile members at a glance."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongjian.members import selectors_mobile, selectors_pairs
from gongjian.orgs.scope import UNIT_USER, scope_root


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    own_unit = scope_root(user) if getattr(user, "role", "") == UNIT_USER else None
    by_status = selectors_mobile.status_counts(user)
    context = {
        "pairing_count": selectors_pairs.pairing_list(user=user).count(),
        "own_unit": own_unit,
        "members_out": by_status["out"],
        "members_pending": by_status["pending"],
        "missing_count": len(selectors_mobile.missing_reports(user=user)),
        "queries_open": selectors_mobile.open_query_count(user=user),
        "own_memberships": selectors_mobile.own_memberships(user),
    }
    return render(request, "members/index.html", context)
