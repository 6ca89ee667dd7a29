"""Forms of the compliance app: a village secretary's year under the dual-hundred and a
secretary's departure (seed 004 doc 3). The numbers are checked by the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjian.core.forms import DomainForm
from gongjian.orgs.models import Organization


def _money(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, max_digits=14, decimal_places=2, min_value=0)


class _VillageForm(DomainForm):
    village = forms.ModelChoiceField(label=_("村"), queryset=Organization.objects.none())

    def __init__(self, *args: Any, villages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages  # type: ignore[attr-defined]


class SecretaryYearForm(_VillageForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    secretary = forms.CharField(label=_("村党组织书记"), max_length=64)
    score = forms.DecimalField(label=_("双百分考核得分"), max_digits=7, decimal_places=2, min_value=0)
    base_yuan = _money(_("年基础补贴（元）"))
    village_income = _money(_("村创收（元）"), required=False)
    insurance_premiums = _money(_("两险保费（元）"), required=False)


class SecretaryDepartureForm(_VillageForm):
    past_dates = ("left_on",)

    secretary = forms.CharField(label=_("离任书记"), max_length=64)
    left_on = forms.DateField(label=_("离任日期"), widget=forms.DateInput(attrs={"type": "date"}))
    consecutive_years = forms.IntegerField(label=_("连续任职年数"), min_value=0, max_value=80)
    total_years = forms.IntegerField(label=_("累计任职年数"), min_value=0, max_value=80)
    current_base_yuan = _money(_("本村现任书记年基础补贴（元）"))
    one_time_yuan = _money(_("一次性补助（元）"), required=False)
