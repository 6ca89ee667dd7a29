"""Pages of two practices of a pair: the 五个一 targets (seed 000) and the unit's public
commitments with its year-end report and the village's 评议 (seed 002, seed 004 doc 2).
Thin: selectors read (404 outside the scope), services write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongjian.core.downloads import file_name, short_name
from gongjian.core.files import extension, file_response
from gongjian.core.pages import attempt
from gongjian.records import selectors, selectors_practices
from gongjian.records.access import can_act_as_village, can_record
from gongjian.records.choices_practices import FiveOne
from gongjian.records.forms_practices import CommitmentForm, CommitmentReportForm, CommitmentReviewForm, FiveOneForm
from gongjian.records.services_practices import (
    commitment_add,
    commitment_report,
    commitment_review_record,
    five_one_evidence_add,
    five_one_save,
)


def _url(name: str, pk: int, year: int) -> str:
    return reverse(name, args=[pk]) + f"?year={year}"


@login_required
def five_ones(request: HttpRequest, pk: int) -> HttpResponse:
    """五个一 of a year: each target's plan, status, what was done and its files."""
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    year = selectors_practices.chosen_year(pairing, request.GET.get("year"))
    context = {
        "pairing": pairing,
        "title": _("五个一"),
        "year": year,
        "years": selectors_practices.term_years(pairing),
        "rows": selectors_practices.five_ones_of(pairing, year),
        "can_record": can_record(request.user, pairing),
    }
    return render(request, "records/five_ones.html", context)


@login_required
def five_one_edit(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The unit sets one target's plan, status and evidence (text and a file)."""
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    if kind not in FiveOne.values:
        raise Http404
    if not can_record(request.user, pairing):
        raise PermissionDenied
    year = selectors_practices.chosen_year(pairing, request.GET.get("year"))
    row = next(r for r in selectors_practices.five_ones_of(pairing, year) if r.kind == kind)
    target = row.target
    initial = {"plan": target.plan, "status": target.status, "evidence_text": target.evidence_text} if target else {}
    form = FiveOneForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def save() -> Any:
            saved = five_one_save(
                actor=request.user,  # type: ignore[arg-type]
                pairing=pairing,
                year=year,
                kind=kind,
                plan=data["plan"],
                status=data["status"],
                evidence_text=data["evidence_text"],
            )
            if data.get("file"):
                five_one_evidence_add(actor=request.user, target=saved, file=data["file"], note=data["note"])  # type: ignore[arg-type]
            return saved

        if attempt(request, form, save) is not None:
            messages.success(request, _("已保存"))
            return redirect(_url("records:five_ones", pairing.pk, year))
    context = {"pairing": pairing, "form": form, "title": f"{_('五个一')} · {row.label}（{year}）", "row": row}
    return render(request, "records/five_one_form.html", context)


@login_required
def commitments(request: HttpRequest, pk: int) -> HttpResponse:
    """A year's public commitments, the unit's report against each, the village's 评议.
    The unit adds commitments here; the village records the 评议 once all are reported."""
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    year = selectors_practices.chosen_year(pairing, request.GET.get("year"))
    unit, village = can_record(request.user, pairing), can_act_as_village(request.user, pairing)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if (action == "add" and not unit) or (action == "review" and not village) or action not in ("", "add", "review"):
        raise PermissionDenied
    add_form = CommitmentForm(request.POST if action == "add" else None)
    review_form = CommitmentReviewForm(request.POST if action == "review" else None, prefix="r")
    actor: Any = request.user
    calls: dict[str, tuple[Any, Callable[[], Any], str]] = {
        "add": (
            add_form,
            lambda: commitment_add(actor=actor, pairing=pairing, year=year, **add_form.cleaned_data),
            _("承诺已公开"),
        ),
        "review": (
            review_form,
            lambda: commitment_review_record(actor=actor, pairing=pairing, year=year, **review_form.cleaned_data),
            _("评议结果已登记"),
        ),
    }
    if action in calls:
        form, call, done = calls[action]
        if form.is_valid() and attempt(request, form, call) is not None:
            messages.success(request, done)
            return redirect(_url("records:commitments", pairing.pk, year))
    context = {
        "pairing": pairing,
        "title": _("公开承诺与评议"),
        "year": year,
        "years": selectors_practices.term_years(pairing),
        "data": selectors_practices.commitments_of(pairing, year),
        "can_record": unit,
        "can_village": village,
        "add_form": add_form,
        "review_form": review_form,
    }
    return render(request, "records/commitments.html", context)


@login_required
def commitment_report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's year-end report (述职) against one commitment."""
    item = selectors_practices.commitment_get(user=request.user, pk=pk)
    pairing = item.pairing
    if not can_record(request.user, pairing):
        raise PermissionDenied
    initial = {"outcome": item.outcome, "report": item.report} if item.outcome else {}
    form = CommitmentReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        call = lambda: commitment_report(actor=request.user, commitment=item, **form.cleaned_data)  # type: ignore[arg-type]  # noqa: E731
        if attempt(request, form, call) is not None:
            messages.success(request, _("述职已保存"))
            return redirect(_url("records:commitments", pairing.pk, item.year))
    context = {"pairing": pairing, "form": form, "title": _("承诺述职"), "item": item}
    return render(request, "records/commitment_report.html", context)


@login_required
@require_GET
def five_one_evidence(request: HttpRequest, target: int, pk: int) -> FileResponse:
    """A 五个一 target's evidence file: 五个一佐证-花家村-2026-建好一个支部班子-1.pdf."""
    record = selectors_practices.five_one_get(user=request.user, pk=target)
    files = sorted(record.files.all(), key=lambda f: f.pk)  # prefetched by the selector
    position = next((n for n, item in enumerate(files, start=1) if item.pk == pk), None)
    if position is None:
        raise Http404
    item = files[position - 1]
    village = short_name(record.pairing.village.name)
    name = file_name(
        _("五个一佐证"), village, record.year, record.get_kind_display(), position, ext=extension(item.file)
    )
    return file_response(item.file, name)
