"""Appointment pages: the list, one term with its monthly logs (missing months flagged),
the log form for the cadre and the assessment form for the county."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.core.pages import attempt
from gongjian.core.view_helpers import page_of
from gongjian.dispatch import access, selectors
from gongjian.dispatch.choices import AppointmentStatus
from gongjian.dispatch.forms import AssessmentForm, WorkLogForm
from gongjian.dispatch.matching import reason_labels
from gongjian.dispatch.policy import DispatchRules, dispatch_rules
from gongjian.dispatch.services_term import assessment_record, worklog_submit
from gongjian.dispatch.views import acting
from gongjian.policies import PolicyProfileError


def _rules(policy_key: str) -> DispatchRules:
    try:
        return dispatch_rules(policy_key)
    except PolicyProfileError:
        return DispatchRules()  # a profile since removed: show the term with the defaults


@login_required
def appointment_list(request: HttpRequest) -> HttpResponse:
    query, status = request.GET.get("q", ""), request.GET.get("status", "")
    qs = selectors.appointment_list(user=request.user, query=query, status=status)
    context = {"page": page_of(request, qs), "query": query, "status": status, "statuses": AppointmentStatus.choices}
    return render(request, "dispatch/appointment_list.html", context)


@login_required
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.appointment_get(user=request.user, pk=pk)
    user = acting(request)
    rules = _rules(appointment.policy_key)
    can_log = access.can_log(user, appointment) and appointment.status == AppointmentStatus.SERVING
    assessment = selectors.assessment_of(appointment)
    can_assess = (
        access.can_assess(user, appointment) and appointment.term_end <= timezone.localdate() and assessment is None
    )
    log_form = WorkLogForm(request.POST or None, prefix="log") if can_log else None
    assess_form = AssessmentForm(request.POST or None, prefix="assess") if can_assess else None
    if request.method == "POST":
        if "log-month" in request.POST:
            if log_form is None:
                raise PermissionDenied
            if log_form.is_valid():
                data = log_form.cleaned_data
                if attempt(request, log_form, lambda: worklog_submit(actor=user, appointment=appointment, **data)):
                    messages.success(request, _("本月工作日志已提交"))
                    return redirect("dispatch:appointment", pk=appointment.pk)
        elif "assess-grade" in request.POST:
            if assess_form is None:
                raise PermissionDenied
            if assess_form.is_valid():
                data = assess_form.cleaned_data
                saved = attempt(
                    request, assess_form, lambda: assessment_record(actor=user, appointment=appointment, **data)
                )
                if saved:
                    messages.success(request, _("任期考核已记录"))
                    return redirect("dispatch:appointment", pk=appointment.pk)
    months, missing_count = selectors.term_log_months(appointment, rules.log_due_day)
    context = {
        "appointment": appointment,
        "months": months,
        "missing_count": missing_count,
        "reasons": reason_labels(appointment.reasons),
        "assessment": assessment,
        "log_form": log_form,
        "assess_form": assess_form,
        "due_day": rules.log_due_day,
    }
    return render(request, "dispatch/appointment_detail.html", context)
