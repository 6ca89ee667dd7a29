"""Forms for the registry. They validate; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjian.core.uploads import SpreadsheetForm
from gongjian.orgs.models import Organization, OrgKind, Person, Resource, Tag
from gongjian.orgs.personal_data import id_number_problem, mask_id_number, mask_phone


class OrganizationForm(forms.ModelForm):
    tags = forms.ModelMultipleChoiceField(
        Tag.objects.all(), label=_("村标签"), required=False, widget=forms.CheckboxSelectMultiple
    )
    needs = forms.ModelMultipleChoiceField(
        Resource.objects.all(), label=_("需求清单"), required=False, widget=forms.CheckboxSelectMultiple
    )
    resources = forms.ModelMultipleChoiceField(
        Resource.objects.all(), label=_("资源清单"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Organization
        fields = ["code", "name", "level", "kind", "line", "capacity"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A joint organization needs its members and type: it is set up on the joint pages.
        if self.instance.kind != OrgKind.JOINT:
            kind = self.fields["kind"]
            kind.choices = [c for c in kind.choices if c[0] != OrgKind.JOINT]  # type: ignore[attr-defined]


class OrganizationProfileForm(forms.ModelForm):
    """What an organization's own users may change about it."""

    needs = forms.ModelMultipleChoiceField(
        Resource.objects.all(), label=_("需求清单"), required=False, widget=forms.CheckboxSelectMultiple
    )
    resources = forms.ModelMultipleChoiceField(
        Resource.objects.all(), label=_("资源清单"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Organization
        fields = ["capacity"]


class PersonForm(forms.ModelForm):
    # Optional (个人信息保护法 第六条, issue 12 item 13): collected only where the practice needs
    # it, as the import already allows; checked when given.
    id_number = forms.CharField(
        label=_("身份证号"), max_length=18, required=False, help_text=_("选填：工作确需时填写")
    )

    class Meta:
        model = Person
        fields = ["name", "post", "phone", "id_number", "is_party_member"]

    def clean_id_number(self) -> str | None:
        value = (self.cleaned_data.get("id_number") or "").strip().upper()
        if not value and not self.fields["id_number"].required:
            return None
        problem = id_number_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value


# Personal data the edit page never shows in full: left blank, the current value stays.
KEPT_WHEN_BLANK = ("phone", "id_number")


class PersonEditForm(PersonForm):
    """Change a person without showing the full phone and ID number (only the audited
    reveal shows them): the fields start empty, the masked value is the hint."""

    def __init__(self, data: Any = None, *, person: Person) -> None:
        super().__init__(data, instance=person)
        masked = {"phone": mask_phone(person.phone), "id_number": mask_id_number(person.id_number or "")}
        for name in KEPT_WHEN_BLANK:
            self.initial[name] = ""
            self.fields[name].required = False
            self.fields[name].help_text = _("当前：%(value)s；留空则不变") % {"value": masked[name] or "—"}

    def changes(self) -> dict[str, Any]:
        """The cleaned values, without the personal fields left blank."""
        return {k: v for k, v in self.cleaned_data.items() if not (k in KEPT_WHEN_BLANK and not v)}


class ImportForm(SpreadsheetForm):
    """The registry's (and the other apps') import form: size, type and content checked in
    ``core.uploads``."""


class RegisterVillageForm(forms.Form):
    """A village by its code in the national register of divisions."""

    division_code = forms.RegexField(
        label=_("村级区划代码"),
        regex=r"^\d{12}$",
        max_length=12,
        error_messages={"invalid": _("应为 12 位数字（国家统计局统计用区划代码）")},
        help_text=_("12 位统计用区划代码，如 611023001205（商南县城关街道五里铺村）；村名由名录带出"),
    )
