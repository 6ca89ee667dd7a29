"""Forms of the dispatch pages. They validate input; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian.dispatch.models import CadreRole, Candidate, Grade, NeedsProfile, Skill
from gongjian.orgs.models import Organization
from gongjian.orgs.personal_data import id_number_problem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> reads


class CandidateForm(forms.ModelForm):
    """A voluntary application; the unit is fixed for a unit user, chosen by an admin."""

    unit = forms.ModelChoiceField(Organization.objects.none(), label=_("所在单位"))
    skills = forms.ModelMultipleChoiceField(
        Skill.objects.all(), label=_("专长"), required=False, widget=forms.CheckboxSelectMultiple
    )
    county1 = forms.ModelChoiceField(Organization.objects.none(), label=_("第一意向区县"), required=False)
    county2 = forms.ModelChoiceField(Organization.objects.none(), label=_("第二意向区县"), required=False)
    county3 = forms.ModelChoiceField(Organization.objects.none(), label=_("第三意向区县"), required=False)
    village_codes = forms.CharField(
        label=_("意向村（组织代码）"),
        required=False,
        help_text=_("按志愿顺序填写村党组织代码，用分号或空格分隔，最多 3 个"),
    )

    class Meta:
        model = Candidate
        fields = [
            "name",
            "gender",
            "birth_date",
            "id_number",
            "phone",
            "education",
            "political_status",
            "post",
            "statement",
        ]
        widgets = {"birth_date": DATE, "statement": forms.Textarea(attrs={"rows": 3})}
        # The model's unique check runs before the service's: say it in the service's words,
        # not Django's generic "具有 身份证号 的 人才库人选 已存在。".
        error_messages = {"id_number": {"unique": _("此身份证号已在人才库中报名")}}

    def __init__(self, *args: Any, units: Any, counties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        if units.count() == 1:
            self.fields["unit"].initial = units.first()
        for name in ("county1", "county2", "county3"):
            self.fields[name].queryset = counties  # type: ignore[attr-defined]

    def clean_id_number(self) -> str:
        value: str = self.cleaned_data["id_number"].strip().upper()
        problem = id_number_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_village_codes(self) -> list[str]:
        text = self.cleaned_data.get("village_codes", "")
        codes = [c for c in text.replace("；", ";").replace(";", " ").replace("，", " ").replace(",", " ").split() if c]
        if len(codes) > 3:
            raise forms.ValidationError(_("最多填写 3 个意向村"))
        return codes


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NeedsProfileForm(forms.ModelForm):
    skills = forms.ModelMultipleChoiceField(
        Skill.objects.all(), label=_("需要的专长"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = NeedsProfile
        fields = ["population", "industries", "problems", "skills", "cadres_needed"]
        widgets = {"problems": forms.Textarea(attrs={"rows": 3})}


class RunForm(forms.Form):
    policy_key = forms.ChoiceField(label=_("政策配置"))

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["policy_key"].choices = choices  # type: ignore[attr-defined]


class ConfirmForm(forms.Form):
    role = forms.ChoiceField(label=_("任职"), choices=CadreRole.choices)
    term_start = forms.DateField(label=_("任期开始"), widget=DATE, initial=timezone.localdate)
    incentives = forms.CharField(label=_("激励保障措施"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AppointForm(ConfirmForm):
    village_code = forms.CharField(label=_("村党组织代码"))
    policy_key = forms.ChoiceField(label=_("政策配置（任期年限）"))

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["policy_key"].choices = choices  # type: ignore[attr-defined]


class WorkLogForm(forms.Form):
    month = forms.DateField(
        label=_("月份"), widget=forms.DateInput(attrs={"type": "month"}), input_formats=["%Y-%m", "%Y-%m-%d"]
    )
    content = forms.CharField(label=_("本月工作"), widget=forms.Textarea(attrs={"rows": 4}))


class AssessmentForm(forms.Form):
    grade = forms.ChoiceField(label=_("考核等次"), choices=Grade.choices)
    comment = forms.CharField(label=_("考核评语"), widget=forms.Textarea(attrs={"rows": 3}))
