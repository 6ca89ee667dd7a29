"""Forms of the helping side: a unit's named plan; a co-helper of an agency's pair."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjian.orgs.models import Organization


class UnitPlanForm(forms.Form):
    leader_name = forms.CharField(label=_("分管领导"), max_length=64)
    leader_post = forms.CharField(label=_("分管领导职务"), max_length=64)
    department = forms.CharField(label=_("负责部门"), max_length=128)
    plan = forms.CharField(
        label=_("结对帮扶方案"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("帮扶目标、措施、项目、资金安排和时间进度"),
    )  # fmt: skip


class PartnerForm(forms.Form):
    partner = forms.TypedChoiceField(label=_("组合帮扶单位（企业、事业单位）"), coerce=int)

    def __init__(self, *args: Any, choices: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organizations = {o.pk: o for o in choices}
        self.fields["partner"].choices = [(o.pk, o.name) for o in choices]  # type: ignore[attr-defined]
