"""The members landing page: individual pairing and mobile members at a glance."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongjian.members import selectors_mobile, selectors_pairs
from gongjian.members.models import MemberStatus
from gongjian.orgs.scope import UNIT_USER, scope_root


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    members = selectors_mobile.members_visible(user)
    own_unit = scope_root(user) if getattr(user, "role", "") == UNIT_USER else None
    received = selectors_mobile.query_list(user=user, direction="received").filter(answered_at__isnull=True)
    context = {
        "pairing_count": selectors_pairs.pairing_list(user=user).count(),
        "own_unit": own_unit,
        "members_out": members.filter(status=MemberStatus.OUT).count(),
        "members_pending": members.filter(status=MemberStatus.PENDING).count(),
        "missing_count": len(selectors_mobile.missing_reports(user=user)),
        "queries_open": received.count(),
        "own_memberships": members.filter(account=user) if user.is_authenticated else members.none(),
    }
    return render(request, "members/index.html", context)
