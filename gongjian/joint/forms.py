"""The joint organizations' forms (set up, add a member, a member leaves, adopt a charter)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjian.joint.choices import CharterItem, JointRole, JointType
from gongjian.orgs.models import Organization, organization_code_validator
from gongjian.orgs.search import filter_by_name

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class JointCreateForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=128)
    joint_type = forms.ChoiceField(label=gettext_lazy("联建类型"), choices=JointType.choices)
    code = forms.CharField(
        label=gettext_lazy("组织代码"),
        max_length=32,
        required=False,
        validators=[organization_code_validator],
        help_text=gettext_lazy("不填则自动生成"),
    )
    founded_on = forms.DateField(label=gettext_lazy("成立日期"), widget=DATE)
    members = forms.ModelMultipleChoiceField(
        Organization.objects.none(), label=gettext_lazy("成员组织"), widget=forms.CheckboxSelectMultiple
    )
    lead = forms.ModelChoiceField(Organization.objects.none(), label=gettext_lazy("牵头组织"))
    purpose = forms.CharField(label=gettext_lazy("共建目标"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["lead"].queryset = candidates  # type: ignore[attr-defined]


class MemberAddForm(forms.Form):
    member = forms.CharField(
        label=gettext_lazy("成员组织"),
        max_length=128,
        help_text=gettext_lazy("组织代码、名称、全拼或拼音首字母"),
        widget=forms.TextInput(attrs={"list": "member-candidates", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=gettext_lazy("角色"), choices=JointRole.choices, initial=JointRole.MEMBER)
    joined_on = forms.DateField(label=gettext_lazy("加入日期"), widget=DATE)

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates

    def clean_member(self) -> Organization:
        text: str = self.cleaned_data["member"].strip()
        found = list(self.candidates.filter(code=text.upper())[:1]) or list(filter_by_name(self.candidates, text)[:2])
        if len(found) != 1:
            if not found:
                raise forms.ValidationError(_("找不到该组织，或它不在您的管理范围内"))
            raise forms.ValidationError(_("匹配到多个组织，请输入组织代码或完整名称"))
        return found[0]


class MemberRemoveForm(forms.Form):
    left_on = forms.DateField(label=gettext_lazy("退出日期"), widget=DATE)
    reason = forms.CharField(label=gettext_lazy("退出原因"), max_length=255)


class CharterForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("共同制度"), widget=forms.Textarea(attrs={"rows": 10}))
    items = forms.MultipleChoiceField(
        label=gettext_lazy("共享事项"), choices=CharterItem.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    adopted_on = forms.DateField(label=gettext_lazy("通过日期"), widget=DATE)
