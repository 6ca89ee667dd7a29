"""Village secretaries' dual-hundred pay and departure subsidies (seed 004 doc 3): the list
in the user's scope and, for the administrators, the forms that record them."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.compliance import selectors
from gongjian.compliance.forms import SecretaryDepartureForm, SecretaryYearForm
from gongjian.compliance.services_secretaries import secretary_departure_record, secretary_year_record
from gongjian.core.pages import attempt
from gongjian.core.view_helpers import page_of
from gongjian.orgs.scope import scope_root


@login_required
def secretaries(request: HttpRequest) -> HttpResponse:
    """The village secretaries' years and departures in scope; admins record them here."""
    if scope_root(request.user) is None:
        raise Http404
    admin = selectors.is_admin(request.user)
    villages = selectors.villages_for_secretaries(user=request.user)
    posted = request.POST if request.method == "POST" and admin else None
    year_form = SecretaryYearForm(posted if posted and "pay" in posted else None, villages=villages,
                                  initial={"year": timezone.localdate().year - 1})  # fmt: skip
    leave_form = SecretaryDepartureForm(posted if posted and "departure" in posted else None, villages=villages)
    if request.method == "POST" and not admin:
        raise Http404
    if year_form.is_bound and year_form.is_valid():
        data = year_form.cleaned_data
        pay = attempt(request, year_form, lambda: secretary_year_record(
            actor=request.user, village=data["village"], year=data["year"], secretary=data["secretary"],
            score=data["score"], base_yuan=data["base_yuan"], village_income=data["village_income"] or Decimal(0),
            insurance_premiums=data["insurance_premiums"] or Decimal(0),
        ))  # fmt: skip
        if pay is not None:
            messages.success(request, _("已登记，年度报酬 %(total)s 元") % {"total": f"{pay.total_yuan:,.2f}"})
            return redirect("compliance:secretaries")
    if leave_form.is_bound and leave_form.is_valid():
        data = leave_form.cleaned_data
        departure = attempt(request, leave_form, lambda: secretary_departure_record(actor=request.user, **data))
        if departure is not None:
            messages.success(request, _("已登记：%(kind)s") % {"kind": departure.get_kind_display()})
            return redirect("compliance:secretaries")
    context = {
        "title": _("村党组织书记“双百分”绩效报酬"),
        "is_admin": admin,
        "page": page_of(request, selectors.secretary_pays(user=request.user)),
        "departures": selectors.secretary_departures(user=request.user)[:100],
        "year_form": year_form,
        "leave_form": leave_form,
    }
    return render(request, "compliance/secretaries.html", context)
