"""Forms of the members pages. They only parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian.core.forms import DomainForm
from gongjian.members.models import Beneficiary, ReportChannel, ServiceStation
from gongjian.orgs.models import Organization, Person
from gongjian.records.choices import FiveDelivery


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _today() -> Any:
    return timezone.localdate()


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        post = f"（{obj.post}）" if getattr(obj, "post", "") else ""
        return f"{obj.name}{post}"


class CadrePairForm(DomainForm):
    """ "1+2": the cadre, the needy party member, and a needy villager (chosen or new)."""

    cadre = PersonChoiceField(label=_("结对干部"), queryset=Person.objects.none())
    needy_member = PersonChoiceField(label=_("困难党员"), queryset=Person.objects.none())
    needy_villager = PersonChoiceField(
        label=_("困难群众（已登记）"), queryset=Person.objects.none(), required=False, empty_label=_("— 新登记 —")
    )
    villager_name = forms.CharField(label=_("新登记困难群众姓名"), max_length=64, required=False)
    villager_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    villager_difficulty = forms.CharField(label=_("困难情况"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, cadres: QuerySet[Any], members: QuerySet[Any], villagers: QuerySet[Any], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["cadre"].queryset = cadres  # type: ignore[attr-defined]
        self.fields["needy_member"].queryset = members  # type: ignore[attr-defined]
        self.fields["needy_villager"].queryset = villagers  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("needy_villager") and not (data.get("villager_name") or "").strip():
            self.add_error("villager_name", _("请选择已登记的困难群众，或填写新登记困难群众的姓名"))
        return data


class HouseholdPairForm(DomainForm):
    cadre = PersonChoiceField(label=_("领导干部"), queryset=Person.objects.none())
    household = PersonChoiceField(
        label=_("贫困户（已登记）"), queryset=Person.objects.none(), required=False, empty_label=_("— 新登记 —")
    )
    household_name = forms.CharField(label=_("新登记贫困户户主姓名"), max_length=64, required=False)
    household_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    household_size = forms.IntegerField(label=_("家庭人口"), min_value=1, max_value=30, required=False)
    household_difficulty = forms.CharField(
        label=_("困难情况"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, cadres: QuerySet[Any], households: QuerySet[Any], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["cadre"].queryset = cadres  # type: ignore[attr-defined]
        self.fields["household"].queryset = households  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("household") and not (data.get("household_name") or "").strip():
            self.add_error("household_name", _("请选择已登记的贫困户，或填写新登记贫困户户主姓名"))
        return data


class BranchPairForm(DomainForm):
    branch = forms.ModelChoiceField(label=_("党支部"), queryset=Organization.objects.none())
    needy_member = PersonChoiceField(label=_("困难党员"), queryset=Person.objects.none())

    def __init__(self, *args: Any, branches: QuerySet[Any], members: QuerySet[Any], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["branch"].queryset = branches  # type: ignore[attr-defined]
        self.fields["needy_member"].queryset = members  # type: ignore[attr-defined]


class DeliveryForm(DomainForm):
    past_dates = ("delivered_on",)
    kind = forms.ChoiceField(label=_("五送类别"), choices=FiveDelivery.choices)
    delivered_on = forms.DateField(label=_("日期"), widget=DateInput(), initial=_today)
    content = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 2}))
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=14, decimal_places=2, min_value=0, required=False)


class PlanForm(DomainForm):
    beneficiary = forms.ChoiceField(label=_("帮扶对象"), choices=Beneficiary.choices)
    difficulty = forms.CharField(label=_("主要困难"), widget=forms.Textarea(attrs={"rows": 2}))
    goals = forms.CharField(label=_("帮扶目标"), widget=forms.Textarea(attrs={"rows": 2}))
    measures = forms.CharField(label=_("帮扶措施"), widget=forms.Textarea(attrs={"rows": 2}))
    target_date = forms.DateField(label=_("目标完成日期"), widget=DateInput())

    def __init__(self, *args: Any, beneficiaries: list[tuple[str, Any]] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        if beneficiaries is not None:
            self.fields["beneficiary"].choices = beneficiaries  # type: ignore[attr-defined]


class ProgressForm(DomainForm):
    past_dates = ("recorded_on",)
    recorded_on = forms.DateField(label=_("日期"), widget=DateInput(), initial=_today)
    note = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 2}))
    percent = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100)


# ---------------------------------------------------------------- mobile members


class HostFields(DomainForm):
    """Where the member is hosted: an organization by its code, or a service station."""

    host_code = forms.CharField(
        label=_("流入地党组织代码"),
        max_length=32,
        required=False,
        help_text=_("流入地党组织的组织代码；选择服务站时可不填"),
    )
    station = forms.ModelChoiceField(label=_("服务站"), queryset=ServiceStation.objects.none(), required=False)

    def __init__(self, *args: Any, stations: QuerySet[Any] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        if stations is not None:
            self.fields["station"].queryset = stations  # type: ignore[attr-defined]

    def clean_host_code(self) -> Organization | None:
        code = (self.cleaned_data.get("host_code") or "").strip().upper()
        if not code:
            return None
        host = Organization.objects.filter(code=code, is_active=True).first()
        if host is None:
            raise forms.ValidationError(_("找不到该组织代码"))
        return host


class RegisterForm(HostFields):
    id_number = forms.CharField(label=_("党员身份证号"), max_length=18, help_text=_("该党员须已在人员名册中"))
    location = forms.CharField(label=_("外出地点"), max_length=128)
    work = forms.CharField(label=_("从事工作"), max_length=128)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    left_on = forms.DateField(label=_("外出日期"), widget=DateInput())
    field_order = ["id_number", "location", "work", "phone", "left_on", "host_code", "station"]


class MoveForm(HostFields):
    moved_on = forms.DateField(label=_("流动日期"), widget=DateInput(), initial=_today)
    location = forms.CharField(label=_("新的外出地点"), max_length=128)
    work = forms.CharField(label=_("从事工作"), max_length=128)
    field_order = ["moved_on", "location", "work", "host_code", "station"]


class ReturnForm(DomainForm):
    returned_on = forms.DateField(label=_("返回日期"), widget=DateInput(), initial=_today)


class AgreementSignForm(DomainForm):
    past_dates = ("signed_on",)
    signed_on = forms.DateField(label=_("签订日期"), widget=DateInput(), initial=_today)
    branch_signer = forms.CharField(label=_("党支部签订人"), max_length=64)


class ReportForm(DomainForm):
    past_dates = ("submitted_on",)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    half = forms.TypedChoiceField(label=_("半年"), coerce=int, choices=[(1, _("上半年")), (2, _("下半年"))])
    channel = forms.ChoiceField(label=_("报送方式"), choices=ReportChannel.choices)
    submitted_on = forms.DateField(label=_("报送日期"), widget=DateInput(), initial=_today)
    work = forms.CharField(label=_("在外工作情况"), widget=forms.Textarea(attrs={"rows": 3}))
    thoughts = forms.CharField(label=_("思想状况"), widget=forms.Textarea(attrs={"rows": 3}))
    skills = forms.CharField(label=_("新技能新知识"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class QueryForm(DomainForm):
    question = forms.CharField(label=_("查询事项"), widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(DomainForm):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 3}))


class StationForm(DomainForm):
    name = forms.CharField(label=_("服务站名称"), max_length=128)
    organization = forms.ModelChoiceField(label=_("所属党组织"), queryset=Organization.objects.none())
    address = forms.CharField(label=_("地址"), max_length=255, required=False)

    def __init__(self, *args: Any, organizations: QuerySet[Any], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
