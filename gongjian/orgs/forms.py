"""Forms for the registry. They validate; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjian.core.uploads import SpreadsheetForm
from gongjian.orgs.models import Organization, OrgKind, Person, Resource, Tag
from gongjian.orgs.personal_data import id_number_problem


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
    class Meta:
        model = Person
        fields = ["name", "post", "phone", "id_number", "is_party_member"]

    def clean_id_number(self) -> str:
        value: str = self.cleaned_data["id_number"].strip().upper()
        problem = id_number_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value


class ImportForm(SpreadsheetForm):
    """The registry's (and the other apps') import form: size, type and content checked in
    ``core.uploads``."""
