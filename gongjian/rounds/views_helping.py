"""Pages of the helping side (seed 004 doc 1 (三)(十)): a unit's 分管领导/负责部门/帮扶方案, the
round's plans for its admins, and the co-helper of an agency's pair (机关+企业)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from gongjian.core.pages import attempt
from gongjian.core.view_helpers import page_of
from gongjian.orgs.scope import subtree_path
from gongjian.rounds import selectors
from gongjian.rounds.access import acting_unit, can_administer
from gongjian.rounds.forms_helping import PartnerForm, UnitPlanForm
from gongjian.rounds.selectors_helping import own_plan, partner_choices, plan_rows, rules_of
from gongjian.rounds.services_helping import pairing_partner_add, unit_plan_save
from gongjian.rounds.views import render_round


@login_required
def unit_plan_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit: its own plan (form). The round's admins: every unit with a pair and its plan."""
    round_ = selectors.round_get(user=request.user, pk=pk)  # 404 outside the scope
    context = {"round": round_, "rules": rules_of(round_)}
    if acting_unit(request.user) is None:
        if not can_administer(request.user, round_):
            raise Http404
        rows = plan_rows(round_=round_, scope_path=subtree_path(request.user))
        context |= {"page": page_of(request, rows), "missing": rows.missing()}
        return render_round(request, "rounds/unit_plans.html", context)
    existing = own_plan(user=request.user, round_=round_)
    initial = (
        {f: getattr(existing, f) for f in ("leader_name", "leader_post", "department", "plan")} if existing else None
    )
    form = UnitPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = attempt(request, None, lambda: unit_plan_save(actor=request.user, round_=round_, **data))  # type: ignore[arg-type]
        if saved is not None:
            messages.success(request, _("结对帮扶方案已保存"))
            return redirect("rounds:unit_plan", pk=round_.pk)
    context |= {"form": form, "plan": existing}
    return render_round(request, "rounds/unit_plan.html", context)


@login_required
def pairing_partner_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's admin or the pair's agency adds an enterprise or institution as co-helper."""
    pairing = selectors.pairing_get(user=request.user, pk=pk)  # 404 outside the scope
    unit = acting_unit(request.user)
    if not can_administer(request.user, pairing.round) and (unit is None or unit.pk != pairing.unit_id):
        raise PermissionDenied
    form = PartnerForm(request.POST or None, choices=list(partner_choices(pairing)[:500]))
    if request.method == "POST" and form.is_valid():
        added = attempt(
            request,
            None,
            lambda: pairing_partner_add(
                actor=request.user,  # type: ignore[arg-type]
                pairing=pairing,
                partner=form.organizations[form.cleaned_data["partner"]],
            ),
        )
        if added is not None:
            messages.success(request, _("已增加组合帮扶单位"))
            return redirect("rounds:pairings", pk=pairing.round_id)
    context = {"round": pairing.round, "pairing": pairing, "form": form, "partners": pairing.partners.all()}
    return render_round(request, "rounds/pairing_partner.html", context)
