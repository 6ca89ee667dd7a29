"""Round pages, set-up side: list, detail, create, open, deadlines, task proposals, unit
capacities and the district ↔ county table. Thin views over selectors and services."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.core.downloads import CONTENT_TYPES, attachment, file_name
from gongjian.core.pages import attempt
from gongjian.core.tabular import write_table
from gongjian.core.view_helpers import page_of
from gongjian.jobs.uploads import upload_page
from gongjian.orgs.forms import ImportForm
from gongjian.policies import PolicyProfileError, load_profile, profile_choices
from gongjian.rounds import selectors
from gongjian.rounds.access import can_administer, is_admin
from gongjian.rounds.forms import CapacityTableForm, DeadlineForm, ProposalTableForm, RoundCreateForm
from gongjian.rounds.selectors import choosing_state
from gongjian.rounds.services_setup import (
    GEOGRAPHY_COLUMNS,
    geography_import,
    round_change_deadline,
    round_create,
    round_open,
    round_schedule_defaults,
    round_unit_set_capacity,
    task_proposal_set,
)


def render_round(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """Render a page of one round (``context["round"]``) with the tabs this user has."""
    context["tabs"] = selectors.round_tabs(user=request.user, round_=context["round"])
    return render(request, template, context, status=status)


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    """Rounds the user sees."""
    context = {
        "page": page_of(request, selectors.round_list(user=request.user)),
        "can_create": selectors.round_scope_choices(user=request.user).exists(),
    }
    return render(request, "rounds/round_list.html", context)


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Schedule, status, counts, and what the user can do next."""
    round_ = selectors.round_get(user=request.user, pk=pk)
    context = {
        "round": round_,
        "summary": selectors.round_summary(user=request.user, round_=round_),
        "steps": selectors.round_next_steps(user=request.user, round_=round_),
        "is_round_admin": can_administer(request.user, round_),
        "policy_label": _policy_label(round_.policy_key),
        "intent_passed": timezone.now() > round_.intent_deadline,
        "signing_passed": timezone.now() > round_.signing_deadline,
        "choosing": choosing_state(round_=round_),
    }
    return render_round(request, "rounds/round_detail.html", context)


def _policy_label(key: str) -> str:
    try:
        return load_profile(key).label
    except PolicyProfileError:
        return key


def _create_initial(request: HttpRequest) -> dict[str, Any]:
    """Prefill: the chosen (or first) profile's schedule for the current year."""
    choices = [key for key, _label in profile_choices()]
    key = request.GET.get("policy_key", "")
    if key not in choices:
        key = choices[0] if choices else ""
    year = timezone.localdate().year
    initial: dict[str, Any] = {
        "policy_key": key,
        "name": request.GET.get("name") or _("%(year)d年城乡结对") % {"year": year},
    }
    if key:
        initial.update(round_schedule_defaults(key, year))
    return initial


@login_required
def round_create_view(request: HttpRequest) -> HttpResponse:
    """An admin opens a new round (status 筹备中) on their node or a committee under it."""
    scopes = selectors.round_scope_choices(user=request.user)
    if not is_admin(request.user):
        raise PermissionDenied
    form = RoundCreateForm(
        request.POST or None,
        initial=_create_initial(request),
        scopes=scopes,
        previous=selectors.rounds_administered(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        data, actor = form.cleaned_data, cast(Any, request.user)  # an account: the service's actor
        created = attempt(request, form, lambda: round_create(actor=actor, **data))
        if created is not None:
            messages.success(request, _("已创建轮次“%(name)s”，请下达任务建议书后发布名录") % {"name": created.name})
            return redirect("rounds:detail", pk=created.pk)
    template = "rounds/_round_form.html" if getattr(request, "htmx", False) else "rounds/round_form.html"
    return render(request, template, {"form": form, "undated": _undated(form)})


def _undated(form: RoundCreateForm) -> list[str]:
    """Labels of the schedule dates the chosen profile's document does not give (the admin
    fills them in; nothing is copied from another place's profile)."""
    try:
        rules = load_profile(str(form["policy_key"].value() or "")).round
    except PolicyProfileError:
        return []
    return [str(form.fields[name].label) for name in rules.undated]


@login_required
@require_POST
def round_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the directory."""
    round_ = selectors.round_administered_get(user=request.user, pk=pk)
    if attempt(request, None, lambda: round_open(actor=request.user, round_=round_)) is not None:  # type: ignore[arg-type]
        messages.success(request, _("名录已发布，单位可以开始选择结对村"))
    return redirect("rounds:detail", pk=round_.pk)


@login_required
def round_deadline_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Extend (or move) the intent or signing deadline; the audit log keeps old and new."""
    round_ = selectors.round_administered_get(user=request.user, pk=pk)
    form = DeadlineForm(
        request.POST or None,
        initial={"field": "intent_deadline", "day": timezone.localtime(round_.intent_deadline).date()},
    )
    if request.method == "POST" and form.is_valid():
        field, day = form.cleaned_data["field"], form.cleaned_data["day"]
        changed = attempt(
            request,
            form,
            lambda: round_change_deadline(actor=request.user, round_=round_, field=field, day=day),  # type: ignore[arg-type]
        )
        if changed is None:
            round_.refresh_from_db()
        else:
            label = dict(form.fields["field"].choices)[field]  # type: ignore[attr-defined]
            messages.success(request, _("%(what)s已调整为 %(day)s") % {"what": label, "day": day.isoformat()})
            return redirect("rounds:detail", pk=round_.pk)
    return render_round(request, "rounds/deadline_form.html", {"round": round_, "form": form})


@login_required
def proposals_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Task proposals per district / work committee and the units' capacities (editable tables)."""
    round_ = selectors.round_administered_get(user=request.user, pk=pk)
    rows = selectors.proposal_rows(user=request.user, round_=round_)
    district = request.GET.get("district", "")
    query = request.GET.get("q", "")
    units_page = page_of(
        request, selectors.round_units(user=request.user, round_=round_, query=query, district=district)
    )
    which = request.POST.get("table", "")
    proposal_form = ProposalTableForm(request.POST if which == "proposals" else None, rows=rows)
    capacity_form = CapacityTableForm(request.POST if which == "capacities" else None, round_units=list(units_page))
    form = proposal_form if which == "proposals" else capacity_form
    if request.method == "POST" and which in ("proposals", "capacities") and form.is_valid():
        saved = _save_table(request, round_, form, which)
        if saved is not None:
            messages.success(request, _("已保存 %(n)d 项修改") % {"n": saved})
            return redirect(request.get_full_path())
    context = {
        "round": round_,
        "proposal_form": proposal_form,
        "capacity_form": capacity_form,
        "page": units_page,
        "districts": selectors.round_districts(round_=round_),
        "filters": {"district": district, "query": query},
        "total_take": sum(r.villages_to_take or 0 for r in rows),
    }
    return render_round(request, "rounds/proposals.html", context)


def _save_table(request: HttpRequest, round_: Any, form: Any, which: str) -> int | None:
    """Write each changed row through its service; stop at the first refusal (the page's
    message), keeping the input. Returns how many rows were saved, or None when refused."""

    def write() -> int:
        count = 0
        if which == "proposals":
            for committee, take, note in form.changed_rows():
                task_proposal_set(
                    actor=request.user,  # type: ignore[arg-type]
                    round_=round_,
                    committee=committee,
                    villages_to_take=take,
                    note=note,
                )
                count += 1
        else:
            for round_unit, capacity in form.changed_rows():
                round_unit_set_capacity(
                    actor=request.user,  # type: ignore[arg-type]
                    round_=round_,
                    unit=round_unit.unit,
                    capacity=capacity,
                )
                count += 1
        return count

    return attempt(request, None, write)


@login_required
def geography_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Import the 对口安排表 (xlsx/CSV), with every bad cell listed by row and column."""
    round_ = selectors.round_administered_get(user=request.user, pk=pk)
    return upload_page(
        request,
        importer=geography_import,
        title=_("导入对口安排表：%(round)s") % {"round": round_.name},
        template="rounds/geography.html",
        form_class=ImportForm,
        params={"round_id": round_.pk},
        context=lambda: {
            "round": round_,
            "page": page_of(request, selectors.geography_links(user=request.user, round_=round_)),
            "columns": GEOGRAPHY_COLUMNS,
        },
        render_with=render_round,
    )


@login_required
def geography_template_view(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The import template, holding the round's current table (so it is also its export)."""
    round_ = selectors.round_administered_get(user=request.user, pk=pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    rows = [[link.district, link.county] for link in selectors.geography_links(user=request.user, round_=round_)]
    content = write_table(fmt, GEOGRAPHY_COLUMNS, rows, sheet_title=_("对口安排表"), required=GEOGRAPHY_COLUMNS)
    stamp = datetime.date.today().strftime("%Y%m%d")
    return attachment(content, file_name(_("对口安排表"), round_.name, stamp, ext=fmt))
