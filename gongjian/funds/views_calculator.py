"""公益性捐赠税前扣除计算器 (a read-only page: nothing is stored)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from gongjian.funds import selectors
from gongjian.funds.deduction import CarriedItem, compute_deduction, profiles_with_tax_rule
from gongjian.funds.forms import CalculatorForm


@login_required
@require_GET
def calculator(request: HttpRequest) -> HttpResponse:
    """Deductible amount = min(donations, profit × the profile's limit), with carry-forward."""
    rules = {rule.profile_key: rule for rule in profiles_with_tax_rule()}
    key = request.GET.get("policy") or selectors.default_policy_key(request.user)
    rule = rules.get(key) or next(iter(rules.values()), None)
    year = timezone.localdate().year
    submitted = "profit" in request.GET
    form = CalculatorForm(request.GET if submitted else None, initial={"year": year})
    result = None
    if submitted and rule is not None and form.is_valid():
        data = form.cleaned_data
        year = data["year"]
        result = compute_deduction(
            year=year,
            profit=data["profit"],
            donations=data["donations"],
            rule=rule,
            carried=[CarriedItem(y, a) for y, a in form.carried()],
        )
    context = {
        "form": form,
        "rule": rule,
        "rules": list(rules.values()),
        "result": result,
        "by_channel": selectors.unit_transfer_totals(user=request.user, year=year),
        "year": year,
    }
    return render(request, "funds/calculator.html", context, status=400 if form.errors else 200)
