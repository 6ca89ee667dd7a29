"""Forms of the funds pages. They check shape; the services check the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian.core.forms import DomainForm
from gongjian.core.uploads import SpreadsheetForm, validate_spreadsheet
from gongjian.funds.models import Channel, PeriodKind
from gongjian.records.validators import validate_evidence
from gongjian.rounds.models import Pairing

CENT = Decimal("0.01")
MAX = Decimal("999999999999.99")


def money(label: Any, **extra: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=14, decimal_places=2, min_value=CENT, max_value=MAX, localize=False, **extra
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def day(label: Any, **extra: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), **extra)


class PledgeForm(DomainForm):
    past_dates = ("pledged_at",)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount = money(_("认捐金额（元）"))
    purpose = forms.CharField(label=_("用途"), max_length=255)
    pledged_at = day(_("认捐日期"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["pledged_at"].initial = today


class TransferForm(DomainForm):
    past_dates = ("date",)
    date = day(_("拨付日期"))
    amount = money(_("拨付金额（元）"))
    channel = forms.ChoiceField(
        label=_("拨付渠道"), choices=Channel.choices, initial=Channel.DIRECT, widget=forms.RadioSelect
    )
    foundation_name = forms.CharField(
        label=_("公益组织名称"),
        max_length=128,
        required=False,
        help_text=_("通过公益基金会拨付时必填，如：市慈善基金会"),
    )
    reference = forms.CharField(label=_("凭证号/流水号"), max_length=64, required=False)
    voucher = forms.FileField(label=_("拨付凭证"), required=False, validators=[validate_evidence])
    note = forms.CharField(label=_("备注"), max_length=255, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("channel") == Channel.FOUNDATION and not (data.get("foundation_name") or "").strip():
            self.add_error("foundation_name", _("通过公益基金会拨付的，请填写公益组织名称"))
        return data


class ReceiptForm(DomainForm):
    past_dates = ("received_on",)
    received_on = day(_("到账日期"))
    amount = money(_("到账金额（元）"))
    note = forms.CharField(label=_("备注"), max_length=255, required=False, help_text=_("到账金额少于拨付金额时必填"))


class UseForm(DomainForm):
    past_dates = ("date",)
    pairing = forms.ModelChoiceField(
        label=_("资金来源"),
        queryset=Pairing.objects.none(),
        required=False,
        empty_label=_("统筹使用（不指定结对单位）"),
    )
    date = day(_("使用日期"))
    amount = money(_("使用金额（元）"))
    purpose = forms.CharField(label=_("用途"), max_length=255)
    voucher = forms.FileField(label=_("支出凭证"), validators=[validate_evidence], help_text=_("发票、收据或支出凭单"))

    def __init__(self, *args: Any, pairings: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["pairing"]
        field.queryset = pairings if pairings is not None else Pairing.objects.none()  # type: ignore[attr-defined]
        field.label_from_instance = lambda p: f"{p.unit.name}（{p.round.name}）"  # type: ignore[attr-defined]


def period_choices() -> list[tuple[str, str]]:
    return [
        (f"{PeriodKind.HALF}-1", str(_("上半年"))),
        (f"{PeriodKind.HALF}-2", str(_("下半年"))),
        *[(f"{PeriodKind.QUARTER}-{n}", str(_("第%(n)d季度") % {"n": n})) for n in range(1, 5)],
    ]


class DisclosureForm(DomainForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    period = forms.ChoiceField(label=_("公开期间"), choices=period_choices)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year

    def period_parts(self) -> tuple[str, int]:
        kind, number = self.cleaned_data["period"].split("-")
        return kind, int(number)


class FeedbackForm(DomainForm):
    period_start = day(_("反馈期间起"), required=False)
    period_end = day(_("反馈期间止"), required=False)
    body = forms.CharField(label=_("资金使用情况"), widget=forms.Textarea(attrs={"rows": 5}))


class TransferImportForm(SpreadsheetForm):
    file = forms.FileField(label=_("拨付记录文件（xlsx 或 CSV）"), validators=[validate_spreadsheet])


class CalculatorForm(DomainForm):
    """利润总额 may be negative (a loss): then nothing is deductible this year."""

    year = forms.IntegerField(label=_("纳税年度"), min_value=2000, max_value=2100)
    profit = forms.DecimalField(label=_("年度利润总额（元）"), max_digits=14, decimal_places=2, localize=False)
    donations = forms.DecimalField(
        label=_("本年度通过公益性社会组织或县级以上人民政府的公益性捐赠（元）"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        localize=False,
    )
    carried_1_year = forms.IntegerField(label=_("以前年度结转：捐赠年度"), required=False, min_value=2000)
    carried_1_amount = forms.DecimalField(
        label=_("尚未扣除金额（元）"), required=False, max_digits=14, decimal_places=2, min_value=Decimal("0")
    )
    carried_2_year = forms.IntegerField(label=_("以前年度结转：捐赠年度"), required=False, min_value=2000)
    carried_2_amount = forms.DecimalField(
        label=_("尚未扣除金额（元）"), required=False, max_digits=14, decimal_places=2, min_value=Decimal("0")
    )
    carried_3_year = forms.IntegerField(label=_("以前年度结转：捐赠年度"), required=False, min_value=2000)
    carried_3_amount = forms.DecimalField(
        label=_("尚未扣除金额（元）"), required=False, max_digits=14, decimal_places=2, min_value=Decimal("0")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year = data.get("year")
        for n in (1, 2, 3):
            origin, amount = data.get(f"carried_{n}_year"), data.get(f"carried_{n}_amount")
            if (origin is None) != (amount is None):
                self.add_error(f"carried_{n}_amount", _("结转年度和金额要同时填写"))
            elif origin is not None and year is not None and origin >= year:
                self.add_error(f"carried_{n}_year", _("结转的捐赠年度应早于纳税年度"))
        return data

    def carried(self) -> list[tuple[int, Decimal]]:
        data = self.cleaned_data
        return [
            (data[f"carried_{n}_year"], data[f"carried_{n}_amount"])
            for n in (1, 2, 3)
            if data.get(f"carried_{n}_year") is not None and data.get(f"carried_{n}_amount") is not None
        ]
