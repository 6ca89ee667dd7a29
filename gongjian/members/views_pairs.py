"""Individual pairing pages: the signed village pairings, the unit's page of all its cadres'
pairs, recording a "1+2" / household / branch pair, and a pair's plans, progress and 五送.
Thin: selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.core.view_helpers import form_errors_from, page_of
from gongjian.members import selectors_pairs as sel
from gongjian.members.access import can_write_pairs
from gongjian.members.forms import (
    BranchPairForm,
    CadrePairForm,
    DeliveryForm,
    HouseholdPairForm,
    PlanForm,
    ProgressForm,
)
from gongjian.members.services_pairs import (
    branch_pair_create,
    cadre_pair_record,
    delivery_record,
    help_plan_create,
    help_progress_add,
    household_pair_record,
    pair_end,
)
from gongjian.records.choices import FiveDelivery


@login_required
def pairing_list_view(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    page = page_of(request, sel.pairing_list(user=request.user, query=query))
    return render(request, "members/pairings.html", {"page": page, "query": query})


@login_required
def unit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """All the unit's cadres' pairs, plan progress, and who recorded nothing this quarter."""
    unit = sel.unit_get(user=request.user, pk=pk)
    return render(request, "members/unit.html", {"overview": sel.unit_overview(user=request.user, unit=unit)})


@login_required
def pairing_view(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = sel.pairing_get(user=request.user, pk=pk)
    context = {
        "pairing": pairing,
        "cadre_pairs": sel.cadre_pair_list(user=request.user, pairing=pairing),
        "can_write": can_write_pairs(request.user, pairing),
    }
    return render(request, "members/pairing.html", context)


def _writable_pairing(request: HttpRequest, pk: int) -> Any:
    pairing = sel.pairing_get(user=request.user, pk=pk)
    if not can_write_pairs(request.user, pairing):
        raise PermissionDenied
    return pairing


@login_required
def cadre_pair_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a "1+2": the cadre, the needy member, and a needy villager (new or registered)."""
    pairing = _writable_pairing(request, pk)
    form = CadrePairForm(
        request.POST or None,
        cadres=sel.unit_people(pairing=pairing),
        members=sel.village_party_members(pairing=pairing),
        villagers=sel.village_villagers(pairing=pairing),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pair = cadre_pair_record(
                actor=request.user,
                pairing=pairing,
                cadre=data["cadre"],
                needy_member=data["needy_member"],
                needy_villager=data["needy_villager"],
                new_villager={
                    "name": data["villager_name"],
                    "phone": data["villager_phone"],
                    "difficulty": data["villager_difficulty"],
                },
            )
        except ValidationError as exc:
            _map_villager_errors(exc)
            form_errors_from(form, exc)
        else:
            messages.success(request, _("已登记“1+2”结对：%(c)s") % {"c": pair.cadre.name})
            return redirect("members:pair", kind="cadre", pk=pair.pk)
    return render(request, "members/pair_form.html", {"pairing": pairing, "form": form, "title": _("登记“1+2”结对")})


def _map_villager_errors(exc: ValidationError, prefix: str = "villager_") -> None:
    """The villager service names its own fields; show them on the form's villager fields."""
    if hasattr(exc, "error_dict"):
        for field in ("name", "phone", "difficulty"):
            if field in exc.error_dict:
                exc.error_dict[prefix + field] = exc.error_dict.pop(field)


@login_required
def household_pair_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = _writable_pairing(request, pk)
    form = HouseholdPairForm(
        request.POST or None,
        cadres=sel.unit_people(pairing=pairing),
        households=sel.village_villagers(pairing=pairing, poor_only=True),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pair = household_pair_record(
                actor=request.user,
                pairing=pairing,
                cadre=data["cadre"],
                household=data["household"],
                new_household={
                    "name": data["household_name"],
                    "phone": data["household_phone"],
                    "household_size": data["household_size"],
                    "difficulty": data["household_difficulty"],
                },
            )
        except ValidationError as exc:
            _map_villager_errors(exc, prefix="household_")
            form_errors_from(form, exc)
        else:
            messages.success(request, _("已登记领导干部联系贫困户"))
            return redirect("members:pair", kind="household", pk=pair.pk)
    return render(
        request, "members/pair_form.html", {"pairing": pairing, "form": form, "title": _("领导干部联系贫困户")}
    )


@login_required
def branch_pair_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = _writable_pairing(request, pk)
    form = BranchPairForm(
        request.POST or None,
        branches=sel.unit_branches(pairing=pairing),
        members=sel.village_party_members(pairing=pairing),
    )
    if request.method == "POST" and form.is_valid():
        try:
            pair = branch_pair_create(actor=request.user, pairing=pairing, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("已登记支部结对困难党员"))
            return redirect("members:pair", kind="branch", pk=pair.pk)
    return render(request, "members/pair_form.html", {"pairing": pairing, "form": form, "title": _("支部结对困难党员")})


def _render_pair(request: HttpRequest, kind: str, pair: Any, **forms: Any) -> HttpResponse:
    detail = sel.pair_detail(user=request.user, pair=pair)
    choices = [(b.value, b.label) for b in sel.BENEFICIARIES[kind]]
    progress_plan = forms.get("progress_plan")
    plan_rows = [
        (
            plan,
            detail.progress.get(plan.pk, []),
            forms["progress_form"] if plan.pk == progress_plan else ProgressForm(auto_id=f"id_plan{plan.pk}_%s"),
        )
        for plan in detail.plans
    ]
    context = {
        "kind": kind,
        "detail": detail,
        "pair": pair,
        "delivery_form": forms.get("delivery_form") or DeliveryForm(),
        "plan_form": forms.get("plan_form") or PlanForm(beneficiaries=choices),
        "plan_rows": plan_rows,
        "progress_plan": progress_plan,
    }
    return render(request, "members/pair_detail.html", context)


@login_required
def pair_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    pair = sel.pair_get(user=request.user, kind=kind, pk=pk)
    return _render_pair(request, kind, pair)


def _writable_pair(request: HttpRequest, kind: str, pk: int) -> Any:
    pair = sel.pair_get(user=request.user, kind=kind, pk=pk)
    if not can_write_pairs(request.user, pair.pairing):
        raise PermissionDenied
    return pair


@login_required
@require_POST
def delivery_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Record one of the 五送; on bad input the page comes back with what was typed."""
    pair = _writable_pair(request, kind, pk)
    form = DeliveryForm(request.POST)
    if form.is_valid():
        try:
            delivery_record(actor=request.user, pair=pair, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            kind_label = FiveDelivery(form.cleaned_data["kind"]).label
            messages.success(request, _("已记录五送：%(k)s") % {"k": kind_label})
            return redirect("members:pair", kind=kind, pk=pk)
    return _render_pair(request, kind, pair, delivery_form=form)


@login_required
@require_POST
def plan_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    pair = _writable_pair(request, kind, pk)
    form = PlanForm(request.POST, beneficiaries=[(b.value, b.label) for b in sel.BENEFICIARIES[kind]])
    if form.is_valid():
        try:
            help_plan_create(actor=request.user, pair=pair, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("已制定帮扶方案"))
            return redirect("members:pair", kind=kind, pk=pk)
    return _render_pair(request, kind, pair, plan_form=form)


@login_required
@require_POST
def progress_view(request: HttpRequest, kind: str, pk: int, plan_pk: int) -> HttpResponse:
    pair = _writable_pair(request, kind, pk)
    plan = sel.plan_get(user=request.user, pair=pair, pk=plan_pk)
    form = ProgressForm(request.POST, auto_id=f"id_plan{plan.pk}_%s")
    if form.is_valid():
        try:
            help_progress_add(actor=request.user, plan=plan, pair=pair, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("已记录帮扶进展"))
            return redirect("members:pair", kind=kind, pk=pk)
    return _render_pair(request, kind, pair, progress_form=form, progress_plan=plan.pk)


@login_required
@require_POST
def pair_end_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    pair = _writable_pair(request, kind, pk)
    try:
        pair_end(actor=request.user, pair=pair)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("结对已结束，记录保留"))
    return redirect("members:pair", kind=kind, pk=pk)
