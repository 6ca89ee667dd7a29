"""Forms of what the origin organization did: the 七一 letter, the 腊月 forum (seed 004 doc 3)
and 五送一建 for a needy member (seed 002). Choices are limited to the user's scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjian.core.forms import DomainForm
from gongjian.members.models import MobileMember
from gongjian.orgs.models import Organization, Person

DATE = forms.DateInput(attrs={"type": "date"})


class LetterForm(DomainForm):
    past_dates = ("sent_on",)

    organization = forms.ModelChoiceField(label=_("党组织"), queryset=Organization.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    sent_on = forms.DateField(label=_("寄发日期"), widget=DATE)
    summary = forms.CharField(
        label=_("通报内容（工作思路、核心任务、取得的成效）"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, origins: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = origins  # type: ignore[attr-defined]


class ForumForm(DomainForm):
    past_dates = ("held_on",)

    organization = forms.ModelChoiceField(label=_("党组织"), queryset=Organization.objects.none())
    lunar_year = forms.IntegerField(label=_("农历年"), min_value=2000, max_value=2100)
    held_on = forms.DateField(label=_("座谈日期"), widget=DATE)
    attendees = forms.ModelMultipleChoiceField(label=_("参加的流出党员"), queryset=MobileMember.objects.none())
    report = forms.CharField(label=_("党组织述职"), widget=forms.Textarea(attrs={"rows": 3}))
    satisfied = forms.IntegerField(label=_("评议：满意"), min_value=0, initial=0)
    basically_satisfied = forms.IntegerField(label=_("评议：基本满意"), min_value=0, initial=0)
    dissatisfied = forms.IntegerField(label=_("评议：不满意"), min_value=0, initial=0)
    opinions = forms.CharField(label=_("意见和建议"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    difficulties = forms.CharField(label=_("反映的困难"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, origins: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = origins  # type: ignore[attr-defined]
        self.fields["attendees"].queryset = members  # type: ignore[attr-defined]


class CareForm(DomainForm):
    past_dates = ("cared_on",)

    member = forms.ModelChoiceField(label=_("困难党员"), queryset=Person.objects.none())
    cared_on = forms.DateField(label=_("日期"), widget=DATE)
    content = forms.CharField(label=_("关怀帮扶内容"), widget=forms.Textarea(attrs={"rows": 2}))
    amount = forms.DecimalField(label=_("金额（元）"), required=False, max_digits=14, decimal_places=2, min_value=0)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = people  # type: ignore[attr-defined]
