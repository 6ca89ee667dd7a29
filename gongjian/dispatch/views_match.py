"""Matching pages: runs, a run's proposed matches and unmatched villages, adjust and confirm;
appointing by hand."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.core.pages import attempt
from gongjian.core.view_helpers import page_of
from gongjian.dispatch import access, selectors
from gongjian.dispatch.forms import AppointForm, ConfirmForm, RunForm
from gongjian.dispatch.matching import reason_labels, stored_run
from gongjian.dispatch.services_match import match_confirm, match_start
from gongjian.dispatch.services_term import appointment_create
from gongjian.dispatch.views import acting
from gongjian.jobs.pages import job_response
from gongjian.policies import profile_choices


def _admin(request: HttpRequest) -> None:
    if not access.is_admin(request.user):
        raise PermissionDenied


def _keys(values: list[str]) -> set[tuple[int, int]]:
    """``"candidate:village"`` checkbox values → pairs; anything malformed is ignored."""
    keys = set()
    for value in values:
        c, _sep, v = value.partition(":")
        if c.isdigit() and v.isdigit():
            keys.add((int(c), int(v)))
    return keys


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    _admin(request)
    form = RunForm(request.POST or None, choices=profile_choices())
    if request.method == "POST" and form.is_valid():
        # The matching run is a job (gongjian.jobs): the page answers at once with its progress;
        # a run refused inside the request (no broker, test profile) is the page's message.
        job = attempt(
            request,
            None,
            lambda: match_start(
                actor=acting(request),
                policy_key=form.cleaned_data["policy_key"],
                forbids=_keys(request.POST.getlist("exclude")),
            ),
        )
        if job is not None:
            return job_response(job)
    runs = page_of(request, selectors.run_list(user=request.user).select_related("created_by"))
    return render(request, "dispatch/run_list.html", {"form": form, "page": runs})


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    run = selectors.run_get(user=request.user, pk=pk)
    show = "unmatched" if request.GET.get("show") == "unmatched" else "pairs"
    stored = stored_run(run.instance, run.result)
    candidates, villages = stored.names, stored.villages
    names = selectors.tag_names()

    def tags(v: str) -> list[tuple[str, str]]:
        return [(t, names.get(t, t)) for t in (villages[v].tags if v in villages else ())]

    if show == "pairs":
        rows = [
            {
                "key": f"{p.unit}:{p.village}",
                "candidate_id": p.unit,
                "candidate": candidates.get(p.unit, p.unit),
                "village": villages[p.village].name if p.village in villages else p.village,
                "tags": tags(p.village),
                "score": p.score,
                "reasons": reason_labels(p.components),
            }
            for p in stored.pairs
        ]
    else:
        rows = [
            {
                "village": villages[u.village].name if u.village in villages else u.village,
                "tags": tags(u.village),
                "missing": u.missing,
                "priority": u.priority,
                "reason": u.reason,
            }
            for u in stored.unmatched
        ]
    context = {
        "run": run,
        "show": show,
        "page": page_of(request, rows),
        "unmatched_count": len(stored.result.uncovered),
        "forbids": [f"{c}:{v}" for c, v in stored.forbids],
        "confirm_form": ConfirmForm(),
        "run_form": RunForm(initial={"policy_key": run.policy_key}, choices=profile_choices()),
    }
    return render(request, "dispatch/run_detail.html", context)


@login_required
@require_POST
def run_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    run = selectors.run_get(user=request.user, pk=pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写任职和任期开始日期"))
        return redirect("dispatch:run", pk=run.pk)
    confirmed = attempt(
        request,
        None,
        lambda: match_confirm(
            actor=acting(request), run=run, exclude=_keys(request.POST.getlist("exclude")), **form.cleaned_data
        ),
    )
    if confirmed is None:
        return redirect("dispatch:run", pk=run.pk)
    done, skipped = confirmed
    messages.success(
        request, _("已确认选派 %(n)d 人；跳过 %(s)d 对（人选已不在库或村已满）") % {"n": done, "s": skipped}
    )
    return redirect("dispatch:appointments")


@login_required
def appoint(request: HttpRequest, pk: int) -> HttpResponse:
    """Appoint one pooled candidate by hand (e.g. to a village the run left without a cadre)."""
    _admin(request)
    candidate = selectors.candidate_get(user=request.user, pk=pk)
    form = AppointForm(request.POST or None, choices=profile_choices())
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        code = data.pop("village_code")
        village = selectors.village_by_code_in_scope(user=request.user, code=code)
        if village is None:
            form.add_error("village_code", _("您管辖的范围内没有该代码的村"))
        else:
            created = attempt(
                request,
                form,
                lambda: appointment_create(actor=acting(request), candidate=candidate, village=village, **data),
            )
            if created is not None:
                messages.success(request, _("已选派任职"))
                return redirect("dispatch:appointment", pk=created.pk)
    return render(request, "dispatch/appoint_form.html", {"form": form, "candidate": candidate})
