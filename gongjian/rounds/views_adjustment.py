"""Dynamic adjustment pages (动态调整): the department replaces a pair's unit; the round's
adjustments as each side may see them. Thin: selectors read, services write."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from gongjian.core.pages import attempt
from gongjian.orgs.scope import subtree_path
from gongjian.rounds import selectors
from gongjian.rounds.access import can_administer
from gongjian.rounds.coverage import round_adjustments
from gongjian.rounds.forms_adjustment import ReplaceForm
from gongjian.rounds.services_adjustment import adjustment_candidates, pairing_replace
from gongjian.rounds.views import render_round


@login_required
def pairing_replace_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's admin puts a new unit in place of a pair's unit, with the reason."""
    pairing = selectors.pairing_get(user=request.user, pk=pk)  # 404 outside the scope
    if not can_administer(request.user, pairing.round):
        raise PermissionDenied
    form = ReplaceForm(request.POST or None, candidates=adjustment_candidates(pairing.round, pairing))
    if request.method == "POST" and form.is_valid():
        actor = cast(Any, request.user)  # an account: the service's actor
        adjustment = attempt(
            request,
            None,
            lambda: pairing_replace(
                actor=actor,
                pairing=pairing,
                new_unit=form.candidates[form.cleaned_data["new_unit"]],
                reason=form.cleaned_data["reason"],
            ),
        )
        if adjustment is not None:
            messages.success(
                request,
                _("%(village)s的结对单位已调整为%(unit)s，三方已收到通知")
                % {"village": adjustment.village.name, "unit": adjustment.new_unit.name},
            )
            return redirect("rounds:adjustments", pk=pairing.round_id)
    context = {"pairing": pairing, "round": pairing.round, "form": form}
    return render_round(request, "rounds/pairing_replace.html", context)


@login_required
def adjustments_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's adjustments: all for its admins; for a unit or village those it is part of."""
    round_ = selectors.round_get(user=request.user, pk=pk)  # 404 outside the scope
    scope_path = None if can_administer(request.user, round_) else subtree_path(request.user)
    rows = round_adjustments(round_=round_, scope_path=scope_path, public=False)
    return render_round(request, "rounds/adjustments.html", {"round": round_, "rows": rows})
