"""What the village does for its unit (双向受益, seed 002; seed 004 doc 2 二、3): the pair's list
and the year's status under the profile; the village records. Outside the scope: 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjian.core.pages import attempt
from gongjian.records import selectors
from gongjian.records.access import can_act_as_village
from gongjian.records.models_village_duties import VillageDutyKind
from gongjian.records.selectors_village_duties import duties_of, rules_for, village_duty_status
from gongjian.records.services_village_duties import village_duty_record
from gongjian.records.views_common import page_of


class VillageDutyForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=VillageDutyKind.choices)
    date = forms.DateField(label=gettext_lazy("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    content = forms.CharField(label=gettext_lazy("内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    people = forms.CharField(label=gettext_lazy("参加人员"), max_length=255, required=False)


@login_required
def village_duties(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = selectors.pairing_get(user=request.user, pk=pk)  # 404 outside the scope
    can_village = can_act_as_village(request.user, pairing)
    form = VillageDutyForm(request.POST or None) if can_village else None
    if request.method == "POST" and form is not None and form.is_valid():
        call = lambda: village_duty_record(actor=request.user, pairing=pairing, **form.cleaned_data)  # type: ignore[arg-type]  # noqa: E731
        if attempt(request, form, call) is not None:
            messages.success(request, _("已登记"))
            return redirect(request.path)
    year = timezone.localdate().year
    context = {
        "pairing": pairing,
        "year": year,
        "rules": rules_for(pairing),
        "status": village_duty_status(pairing, year, within_term=True),
        "page": page_of(request, duties_of(pairing)),
        "form": form,
    }
    return render(request, "records/village_duties.html", context)
