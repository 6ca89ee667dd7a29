"""Round pages, allocation and balancing: run the engine (what-if), see each pair's reasons
and each uncovered village's reason, pin or forbid pairs and re-run, compare, publish."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongjian.core.pages import attempt
from gongjian.core.view_helpers import page_of
from gongjian.jobs.pages import job_response
from gongjian.rounds import selectors
from gongjian.rounds.forms import RunForm
from gongjian.rounds.selectors import choosing_state, run_coverage_explained, run_held_villages, run_pair_rules
from gongjian.rounds.services_allocation import allocation_publish, allocation_start, run_difference
from gongjian.rounds.views import render_round

RUN_PAGE_SIZE = 100


@login_required
def allocation_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The allocation page: a new run, and the runs kept so far."""
    round_ = selectors.round_administered_get(user=request.user, pk=pk)
    runs = selectors.run_list(user=request.user, round_=round_)
    latest = runs.first()
    context = {
        "round": round_,
        "form": RunForm(),
        "page": page_of(request, runs),
        "latest": latest,
    }
    return render_round(request, "rounds/allocation.html", context)


def _typed_pin(request: HttpRequest, round_: Any, form: RunForm) -> list[tuple[int, int]]:
    """The pin typed in by code or name, resolved in the round (an error on the form if unknown)."""
    unit_text, village_text = form.cleaned_data.get("pin_unit", ""), form.cleaned_data.get("pin_village", "")
    if not unit_text:
        return []
    unit = village = None
    try:
        unit = selectors.round_unit_lookup(user=request.user, round_=round_, text=unit_text)
        if unit is None:
            form.add_error("pin_unit", _("本轮参与单位中没有“%(t)s”") % {"t": unit_text})
    except selectors.AmbiguousName as refusal:
        form.add_error("pin_unit", refusal.message)
    try:
        village = selectors.directory_village_lookup(user=request.user, round_=round_, text=village_text)
        if village is None:
            form.add_error("pin_village", _("本轮名录中没有“%(t)s”") % {"t": village_text})
    except selectors.AmbiguousName as refusal:
        form.add_error("pin_village", refusal.message)
    return [(unit.pk, village.pk)] if unit is not None and village is not None else []


@login_required
@require_GET
def allocation_pick(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """The pin form's list (htmx, into a <datalist>): units or directory villages of the round
    matching what was typed, each with its place and code, so that two of one name are two."""
    round_ = selectors.round_administered_get(user=request.user, pk=pk)
    text = request.GET.get("pin_unit" if what == "units" else "pin_village", "")
    if what == "units":
        options = selectors.round_unit_options(user=request.user, round_=round_, text=text)
    elif what == "villages":
        options = selectors.directory_village_options(user=request.user, round_=round_, text=text)
    else:
        raise Http404
    return render(request, "rounds/_pick_options.html", {"options": options})


@login_required
@require_POST
def allocation_run_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Run the engine with the pins and forbids collected on the page; show the new run."""
    round_ = selectors.round_administered_get(user=request.user, pk=pk)
    form = RunForm(request.POST)
    if form.is_valid():
        pins = list(form.cleaned_data["pin"]) + _typed_pin(request, round_, form)
        if form.is_valid():  # the typed pin may have added errors
            # The run is a job (gongjian.jobs): the page answers at once with its progress bar.
            # A run refused inside the request (no broker, test profile) is the page's message.
            actor = cast(Any, request.user)  # an account: the service's actor
            job = attempt(
                request,
                None,
                lambda: allocation_start(
                    actor=actor,
                    round_=round_,
                    pins=pins,
                    forbids=form.cleaned_data["forbid"],
                    open_only=form.cleaned_data["open_only"],
                ),
            )
            if job is not None:
                return job_response(job)
    for name in (None, "pin_unit", "pin_village"):
        for error in form.errors.get(name or "__all__", []):
            messages.error(request, str(error))
    runs = selectors.run_list(user=request.user, round_=round_)
    context = {"round": round_, "form": form, "page": page_of(request, runs), "latest": runs.first()}
    return render_round(request, "rounds/allocation.html", context)


@login_required
def run_view(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One run: pairs with their reasons and the village's wishes, uncovered villages with
    their reasons, the difference from the run before, pin/forbid controls, publish."""
    round_ = selectors.round_administered_get(user=request.user, pk=pk)
    run = selectors.run_get(user=request.user, round_=round_, number=number)
    previous = selectors.run_previous(user=request.user, run=run)
    show = request.GET.get("show", "pairs")
    show = show if show in ("pairs", "uncovered", "held", "rules") else "pairs"
    result = selectors.run_result(run)
    raw_pairs, raw_uncovered = list(result.pairs), list(result.uncovered)
    held = run_held_villages(user=request.user, run=run)
    rules = run_pair_rules(user=request.user, run=run)
    listed = {"pairs": raw_pairs, "uncovered": raw_uncovered, "held": held, "rules": rules}[show]
    page = page_of(request, listed, RUN_PAGE_SIZE)
    pairs = selectors.run_pairs(user=request.user, run=run, raw=list(page)) if show == "pairs" else []
    uncovered = selectors.run_uncovered(user=request.user, run=run, raw=list(page)) if show == "uncovered" else []
    shown = {p.key for p in pairs}
    pins = {f"{u}:{v}" for u, v in run.pins}
    forbids = {f"{u}:{v}" for u, v in run.forbids}
    difference = None
    if previous is not None:
        difference = selectors.run_difference_named(user=request.user, difference=run_difference(run, previous))
    context = {
        "round": round_,
        "run": run,
        "previous": previous,
        "show": show,
        "page": page,
        "pairs": pairs,
        "uncovered": uncovered,
        "pair_count": len(raw_pairs),
        "uncovered_count": len(raw_uncovered),
        "difference": difference,
        "pins": pins,
        "forbids": forbids,
        # Pins and forbids of this run that are not on this page travel with the form unseen.
        "hidden_pins": sorted(pins - shown),
        "hidden_forbids": sorted(forbids - shown),
        # Places held by renewals or published pairs, and every pin and forbid with its
        # source (the admin's, a declined renewal, an adjustment): issue #11 points 4 and 5.
        "held": held,
        "rules": rules,
        "automatic_forbids": sum(1 for r in rules if r.source != "admin"),
        "coverage_explained": run_coverage_explained(run=run, held=held),
        "choosing": choosing_state(round_=round_),
    }
    return render_round(request, "rounds/run_detail.html", context)


@login_required
@require_POST
def run_publish_view(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Publish a run: its pairs become pairings both sides confirm."""
    round_ = selectors.round_administered_get(user=request.user, pk=pk)
    run = selectors.run_get(user=request.user, round_=round_, number=number)
    created = attempt(request, None, lambda: allocation_publish(actor=request.user, run=run))  # type: ignore[arg-type]
    if created is None:
        return redirect("rounds:run", pk=round_.pk, number=run.number)
    messages.success(
        request, _("方案 %(n)d 已发布，新增结对 %(c)d 个，请结对双方确认") % {"n": run.number, "c": created}
    )
    return redirect("rounds:pairings", pk=round_.pk)
