"""Individual pairing pages: the signed village pairings, the unit's page of all its cadres'
pairs, recording a "1+2" / household / branch pair, and a pair's plans, progress and 五送.
Thin: selectors read, services write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.core.pages import attempt, form_page
from gongjian.core.view_helpers import page_of
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


def _pair_form(request: HttpRequest, pairing: Any, form: Any, service: Callable[..., Any], **page: Any) -> HttpResponse:
    """A page recording a pair of ``pairing``: then to the new pair's page."""
    return form_page(
        request,
        form=form,
        service=service,
        template="members/pair_form.html",
        context={"pairing": pairing, "title": page.pop("title")},
        **page,
    )


def _villager_fields(prefix: str) -> dict[str, str]:
    """The villager service names its own fields; the form's villager fields carry a prefix."""
    return {field: prefix + field for field in ("name", "phone", "difficulty")}


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

    def record(data: dict[str, Any]) -> Any:
        return cadre_pair_record(
            actor=request.user,
            pairing=pairing,
            cadre=data["cadre"],
            needy_member=data["needy_member"],
            needy_villager=data["needy_villager"],
            new_villager={name: data[field] for name, field in _villager_fields("villager_").items()},
        )

    return _pair_form(
        request,
        pairing,
        form,
        record,
        title=_("登记“1+2”结对"),
        fields=_villager_fields("villager_"),
        success=lambda pair: _("已登记“1+2”结对：%(c)s") % {"c": pair.cadre.name},
        done=lambda pair: reverse("members:pair", kwargs={"kind": "cadre", "pk": pair.pk}),
    )


@login_required
def household_pair_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = _writable_pairing(request, pk)
    form = HouseholdPairForm(
        request.POST or None,
        cadres=sel.unit_people(pairing=pairing),
        households=sel.village_villagers(pairing=pairing, poor_only=True),
    )

    def record(data: dict[str, Any]) -> Any:
        return household_pair_record(
            actor=request.user,
            pairing=pairing,
            cadre=data["cadre"],
            household=data["household"],
            new_household={
                **{name: data[field] for name, field in _villager_fields("household_").items()},
                "household_size": data["household_size"],
            },
        )

    return _pair_form(
        request,
        pairing,
        form,
        record,
        title=_("领导干部联系贫困户"),
        fields=_villager_fields("household_"),
        success=_("已登记领导干部联系贫困户"),
        done=lambda pair: reverse("members:pair", kwargs={"kind": "household", "pk": pair.pk}),
    )


@login_required
def branch_pair_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = _writable_pairing(request, pk)
    form = BranchPairForm(
        request.POST or None,
        branches=sel.unit_branches(pairing=pairing),
        members=sel.village_party_members(pairing=pairing),
    )
    return _pair_form(
        request,
        pairing,
        form,
        lambda data: branch_pair_create(actor=request.user, pairing=pairing, **data),
        title=_("支部结对困难党员"),
        success=_("已登记支部结对困难党员"),
        done=lambda pair: reverse("members:pair", kwargs={"kind": "branch", "pk": pair.pk}),
    )


def _pair_context(request: HttpRequest, kind: str, pair: Any, **forms: Any) -> dict[str, Any]:
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
    return {
        "kind": kind,
        "detail": detail,
        "pair": pair,
        "delivery_form": forms.get("delivery_form") or DeliveryForm(),
        "plan_form": forms.get("plan_form") or PlanForm(beneficiaries=choices),
        "plan_rows": plan_rows,
        "progress_plan": progress_plan,
    }


def _pair_page_form(
    request: HttpRequest, kind: str, pair: Any, form: Any, service: Callable[[dict[str, Any]], Any], **page: Any
) -> HttpResponse:
    """One of the forms of a pair's page (``form_name`` in ``page``): then back to the page;
    a refusal shows the page again with the form as the user filled it in."""
    name = page["form_name"]
    extra = {"progress_plan": page.pop("progress_plan")} if "progress_plan" in page else {}
    return form_page(
        request,
        form=form,
        service=service,
        template="members/pair_detail.html",
        context=lambda: _pair_context(request, kind, pair, **{name: form}, **extra),
        done=reverse("members:pair", kwargs={"kind": kind, "pk": pair.pk}),
        **page,
    )


@login_required
def pair_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    pair = sel.pair_get(user=request.user, kind=kind, pk=pk)
    return render(request, "members/pair_detail.html", _pair_context(request, kind, pair))


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
    return _pair_page_form(
        request,
        kind,
        pair,
        form,
        lambda data: delivery_record(actor=request.user, pair=pair, **data),
        form_name="delivery_form",
        success=lambda _delivery: _("已记录五送：%(k)s") % {"k": FiveDelivery(form.cleaned_data["kind"]).label},
    )


@login_required
@require_POST
def plan_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    pair = _writable_pair(request, kind, pk)
    form = PlanForm(request.POST, beneficiaries=[(b.value, b.label) for b in sel.BENEFICIARIES[kind]])
    return _pair_page_form(
        request,
        kind,
        pair,
        form,
        lambda data: help_plan_create(actor=request.user, pair=pair, **data),
        form_name="plan_form",
        success=_("已制定帮扶方案"),
    )


@login_required
@require_POST
def progress_view(request: HttpRequest, kind: str, pk: int, plan_pk: int) -> HttpResponse:
    pair = _writable_pair(request, kind, pk)
    plan = sel.plan_get(user=request.user, pair=pair, pk=plan_pk)
    form = ProgressForm(request.POST, auto_id=f"id_plan{plan.pk}_%s")
    return _pair_page_form(
        request,
        kind,
        pair,
        form,
        lambda data: help_progress_add(actor=request.user, plan=plan, pair=pair, **data),
        form_name="progress_form",
        progress_plan=plan.pk,
        success=_("已记录帮扶进展"),
    )


@login_required
@require_POST
def pair_end_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    pair = _writable_pair(request, kind, pk)
    if attempt(request, None, lambda: pair_end(actor=request.user, pair=pair)):
        messages.success(request, _("结对已结束，记录保留"))
    return redirect("members:pair", kind=kind, pk=pk)
