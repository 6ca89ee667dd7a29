"""Round pages, choosing side: the directory, a village's card, units' intents, villages'
wishes (群众选对)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.core.pages import attempt
from gongjian.core.view_helpers import page_of
from gongjian.orgs.selectors import resource_choices, tag_choices
from gongjian.rounds import selectors
from gongjian.rounds.access import acting_unit, acting_village, can_administer
from gongjian.rounds.errors import RoundActionRefused
from gongjian.rounds.forms import IntentForm, WishForm
from gongjian.rounds.selectors import choosing_state, unit_active_order
from gongjian.rounds.services_choosing import intent_reorder, intent_submit, intent_withdraw, village_wish_set
from gongjian.rounds.views import render_round


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@login_required
def directory_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The published directory: filter by county, town, tag, need; pinyin search as you type."""
    round_ = selectors.round_get(user=request.user, pk=pk)
    filters = {
        "county": request.GET.get("county", ""),
        "town": request.GET.get("town", ""),
        "tag": request.GET.get("tag", ""),
        "need": request.GET.get("need", ""),
        "query": request.GET.get("q", ""),
    }
    page = page_of(request, selectors.directory_list(user=request.user, round_=round_, **filters))
    selectors.mark_chosen(user=request.user, round_=round_, entries=page)
    context = {
        "round": round_,
        "page": page,
        "filters": filters,
        "facets": selectors.directory_facets(round_=round_, county=filters["county"]),
        "tags": tag_choices(),
        "resources": resource_choices(),
        "chosen": selectors.unit_chosen(user=request.user, round_=round_),
        "is_unit": acting_unit(request.user) is not None,
        "limit": selectors.unit_intent_limit(user=request.user, round_=round_),
        "choosing": choosing_state(round_=round_),
    }
    template = "rounds/_directory_rows.html" if _htmx(request) else "rounds/directory.html"
    return render_round(request, template, context)


def _entry_context(request: HttpRequest, round_: Any, entry: Any, form: IntentForm) -> dict[str, Any]:
    chosen = selectors.unit_chosen(user=request.user, round_=round_)
    return {
        "round": round_,
        "entry": entry,
        "form": form,
        "intent": chosen.get(entry.pk),
        "is_unit": acting_unit(request.user) is not None,
        "wishes": selectors.village_wishes(user=request.user, entry=entry),
        "is_round_admin": can_administer(request.user, round_),
        "choosing": choosing_state(round_=round_),
    }


@login_required
def entry_view(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """A village's card: needs, figures, tags, how many units chose it, places left."""
    round_ = selectors.round_get(user=request.user, pk=pk)
    entry = selectors.directory_entry_get(user=request.user, round_=round_, pk=entry_pk)
    return render_round(request, "rounds/entry_detail.html", _entry_context(request, round_, entry, IntentForm()))


def _row_response(request: HttpRequest, round_: Any, entry_pk: int, **extra: Any) -> HttpResponse:
    """The directory row after choosing (htmx swaps the whole row: intent count, places
    left, the choose cell) and, out of band, the "已提交 N 个" line above the table."""
    entry = selectors.directory_entry_get(user=request.user, round_=round_, pk=entry_pk)
    selectors.mark_chosen(user=request.user, round_=round_, entries=[entry])
    context = {
        "round": round_,
        "entry": entry,
        "is_unit": True,
        "choosing": choosing_state(round_=round_),
        "chosen": selectors.unit_chosen(user=request.user, round_=round_),
        "limit": selectors.unit_intent_limit(user=request.user, round_=round_),
        "oob": True,
        **extra,
    }
    return render(request, "rounds/_directory_row_swap.html", context)


@login_required
@require_POST
def intent_submit_view(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """A unit chooses the village (htmx: the directory row is replaced with the outcome)."""
    round_ = selectors.round_get(user=request.user, pk=pk)
    entry = selectors.directory_entry_get(user=request.user, round_=round_, pk=entry_pk)
    if acting_unit(request.user) is None:
        raise PermissionDenied
    form = IntentForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            intent = intent_submit(actor=request.user, entry=entry, rank=form.cleaned_data["rank"])  # type: ignore[arg-type]
        except RoundActionRefused as exc:
            error = str(exc)
        else:
            text = _("已选择%(village)s（第 %(rank)d 志愿）") % {"village": entry.village.name, "rank": intent.rank}
            if _htmx(request):
                return _row_response(request, round_, entry.pk, notice=text)
            messages.success(request, text)
            return redirect("rounds:entry", pk=round_.pk, entry_pk=entry.pk)
    else:
        error = "；".join(str(e) for errors in form.errors.values() for e in errors)
    if _htmx(request):
        return _row_response(request, round_, entry.pk, form=form, error=error)
    messages.error(request, error)
    return render_round(request, "rounds/entry_detail.html", _entry_context(request, round_, entry, form))


@login_required
def my_intents_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's own intents, with withdraw buttons."""
    round_ = selectors.round_get(user=request.user, pk=pk)
    if acting_unit(request.user) is None:
        raise PermissionDenied
    context = {
        "round": round_,
        "page": page_of(request, selectors.unit_intents(user=request.user, round_=round_)),
        "limit": selectors.unit_intent_limit(user=request.user, round_=round_),
        "held": len(selectors.unit_chosen(user=request.user, round_=round_)),
        "choosing": choosing_state(round_=round_),
    }
    return render_round(request, "rounds/my_intents.html", context)


@login_required
@require_POST
def intent_move_view(request: HttpRequest, pk: int, intent_pk: int) -> HttpResponse:
    """Move one active intent up or down the unit's order (志愿顺序); ranks stay 1..n."""
    round_ = selectors.round_get(user=request.user, pk=pk)
    intent = selectors.unit_intent_get(user=request.user, round_=round_, pk=intent_pk)
    order = unit_active_order(user=request.user, round_=round_)
    direction = request.POST.get("direction", "")
    if intent.pk in order and direction in ("up", "down"):
        at = order.index(intent.pk)
        other = at - 1 if direction == "up" else at + 1
        if 0 <= other < len(order):
            order[at], order[other] = order[other], order[at]
            moved = attempt(request, None, lambda: intent_reorder(actor=request.user, round_=round_, intent_ids=order))  # type: ignore[arg-type]
            if moved is not None:
                messages.success(
                    request,
                    _("%(village)s已调整为第 %(n)d 志愿") % {"village": intent.entry.village.name, "n": other + 1},
                )
    return redirect("rounds:my_intents", pk=round_.pk)


@login_required
@require_POST
def intent_withdraw_view(request: HttpRequest, pk: int, intent_pk: int) -> HttpResponse:
    round_ = selectors.round_get(user=request.user, pk=pk)
    intent = selectors.unit_intent_get(user=request.user, round_=round_, pk=intent_pk)
    if attempt(request, None, lambda: intent_withdraw(actor=request.user, intent=intent)) is not None:  # type: ignore[arg-type]
        messages.success(request, _("已撤回对%(village)s的意向") % {"village": intent.entry.village.name})
    return redirect("rounds:my_intents", pk=round_.pk)


@login_required
def wishes_view(request: HttpRequest, pk: int) -> HttpResponse:
    """群众选对: the village names the participating units its people would welcome."""
    round_ = selectors.round_get(user=request.user, pk=pk)
    if acting_village(request.user) is None:
        raise PermissionDenied
    entry = selectors.village_entry(user=request.user, round_=round_)
    units = selectors.round_unit_organizations(user=request.user, round_=round_)
    current = list(selectors.village_wishes(user=request.user, entry=entry))
    form = WishForm(request.POST or None, units=units, initial={"units": [w.unit for w in current]})
    if request.method == "POST" and form.is_valid():
        wished = list(form.cleaned_data["units"])
        if attempt(request, None, lambda: village_wish_set(actor=request.user, entry=entry, units=wished)) is not None:  # type: ignore[arg-type]
            messages.success(
                request, _("已保存本村希望结对的单位（%(n)d 个）") % {"n": len(form.cleaned_data["units"])}
            )
            return redirect("rounds:wishes", pk=round_.pk)
    # The ticked units stay ticked (what the user just sent, or what is stored); the search
    # below lists the others so that a long list of units stays usable on a phone.
    if form.is_bound:
        selected_ids = {int(v) for v in request.POST.getlist("units") if v.isdigit()}
    elif "units" in request.GET or "picked" in request.GET:
        # A search, a page turn or a tick sends every unit ticked on the page right now, so
        # that ticks survive pages and searches until the village saves (issue #11.8).
        selected_ids = {int(v) for v in request.GET.getlist("units") if v.isdigit()}
    else:
        selected_ids = {w.unit_id for w in current}
    query = request.GET.get("q", "")
    options = selectors.round_units(user=request.user, round_=round_, query=query).exclude(unit_id__in=selected_ids)
    context = {
        "round": round_,
        "entry": entry,
        "form": form,
        "selected": units.filter(pk__in=selected_ids),
        "options": page_of(request, options, 30),
        "query": query,
    }
    if _htmx(request) and request.method == "GET":
        return render(request, "rounds/_wish_picker.html", context)
    return render_round(request, "rounds/wishes.html", context)
