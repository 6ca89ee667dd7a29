"""The form of a party member's quarterly report as the unit records it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class MemberReportForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    reported_on = forms.DateField(label=_("报告日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    content = forms.CharField(label=_("报告内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
