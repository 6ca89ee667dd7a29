"""The public's evaluation page of a pair (群众评议, seed 002): the village secretary enters
each respondent's answers on a phone, one after another; the unit and the admins of the
scope see the counts, the satisfaction rate and the points it weighs in the assessment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from gongjian.compliance.forms_evaluation import EvaluationResponseForm
from gongjian.compliance.selectors_evaluation import evaluation_view
from gongjian.compliance.services_evaluation import evaluation_response_add
from gongjian.core.pages import attempt
from gongjian.records.access import can_act_as_village
from gongjian.records.selectors import pairing_get
from gongjian.records.selectors_practices import chosen_year, term_years


@login_required
def evaluation(request: HttpRequest, pairing_id: int) -> HttpResponse:
    pairing = pairing_get(user=request.user, pk=pairing_id)
    year = chosen_year(pairing, request.GET.get("year"))
    view = evaluation_view(pairing, year)
    collecting = view is not None and can_act_as_village(request.user, pairing)
    if request.method == "POST" and not collecting:
        raise PermissionDenied
    questions = [{"id": q.id, "text": q.text} for q in view.questions] if view else []
    form = EvaluationResponseForm(request.POST or None, questions=questions) if collecting else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        added = attempt(
            request,
            form,
            lambda: evaluation_response_add(
                actor=request.user,  # type: ignore[arg-type]
                pairing=pairing,
                year=year,
                respondent=data["respondent"],
                answers=form.answers(),
                comment=data["comment"],
            ),
        )
        if added is not None:
            count = view.respondents + 1 if view else 1
            messages.success(request, _("已录入第 %(n)d 份评议，请录入下一位") % {"n": count})
            return redirect(reverse("compliance:evaluation", args=[pairing.pk]) + f"?year={year}")
    context = {
        "pairing": pairing,
        "title": _("群众评议"),
        "year": year,
        "years": term_years(pairing),
        "view": view,
        "form": form,
    }
    return render(request, "compliance/evaluation.html", context)
