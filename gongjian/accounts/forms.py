"""Forms of account management. The organization is given by its code: a province has tens
of thousands, too many for a list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjian.accounts.models import Role
from gongjian.accounts.selectors import organization_by_code
from gongjian.accounts.services import GRANTABLE


class AccountCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("账号"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("账号只能包含字母、数字和 @ . + - _")},
    )
    full_name = forms.CharField(label=_("姓名"), max_length=150)
    role = forms.ChoiceField(label=_("角色"))
    organization_code = forms.CharField(label=_("所属组织编码"), max_length=32)
    phone = forms.RegexField(
        label=_("手机号码"),
        required=False,
        regex=r"^1\d{10}$",
        error_messages={"invalid": _("手机号码应为以 1 开头的 11 位数字")},
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        grantable = GRANTABLE.get(actor.role, frozenset())
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [(value, label) for value, label in Role.choices if value in grantable]

    def clean_organization_code(self) -> Any:
        code = self.cleaned_data["organization_code"].strip()
        organization = organization_by_code(user=self.actor, code=code)
        if organization is None:
            raise forms.ValidationError(_("您的管理范围内没有编码为“%(code)s”的组织"), params={"code": code})
        return organization


class AccountRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
