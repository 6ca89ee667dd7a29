"""Forms for the round pages. They validate what the user typed; the services write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gongjian.orgs.models import Organization
from gongjian.policies import profile_choices
from gongjian.rounds.models import Round, RoundUnit

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundCreateForm(forms.Form):
    name = forms.CharField(label=_("轮次名称"), max_length=128)
    scope = forms.ModelChoiceField(Organization.objects.none(), label=_("组织范围"), empty_label=None)
    policy_key = forms.ChoiceField(label=_("政策配置"), choices=())
    intent_deadline = forms.DateField(label=_("意向确认截止"), widget=_DATE)
    confirmation_deadline = forms.DateField(
        label=_("双方确认截止"),
        widget=_DATE,
        required=False,
        help_text=_("结对双方（含续签）在此日前完成网上意向确认；不填则至正式签约截止"),
    )
    signing_deadline = forms.DateField(label=_("正式签约截止"), widget=_DATE)
    term_start = forms.DateField(label=_("协议期限起"), widget=_DATE)
    term_end = forms.DateField(label=_("协议期限止"), widget=_DATE)
    previous_round = forms.ModelChoiceField(
        Round.objects.none(),
        label=_("上一轮"),
        required=False,
        empty_label=_("（无）"),
        help_text=_("选择上一轮后，上一轮仍有效的结对将作为续签意向提供给双方"),
    )

    def __init__(self, *args: Any, scopes: QuerySet[Organization], previous: QuerySet[Round], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = scopes  # type: ignore[attr-defined]
        self.fields["previous_round"].queryset = previous  # type: ignore[attr-defined]
        self.fields["policy_key"].choices = profile_choices()  # type: ignore[attr-defined]


class DeadlineForm(forms.Form):
    field = forms.ChoiceField(
        label=_("调整哪个截止日期"),
        choices=[
            ("intent_deadline", _("意向确认截止")),
            ("confirmation_deadline", _("双方确认截止")),
            ("signing_deadline", _("正式签约截止")),
        ],
    )
    day = forms.DateField(label=_("新的截止日期"), widget=_DATE, help_text=_("截止到当天 23:59:59"))


def _int_field(label: str, initial: int | None) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=32767,
        required=False,
        initial=initial,
        widget=forms.NumberInput(attrs={"class": "cell", "inputmode": "numeric"}),
    )


class ProposalTableForm(forms.Form):
    """Task proposals: one number and one note per district / work committee (``take_<id>``)."""

    def __init__(self, *args: Any, rows: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            pk = row.committee.pk
            self.fields[f"take_{pk}"] = _int_field(row.committee.name, row.villages_to_take)
            self.fields[f"note_{pk}"] = forms.CharField(
                label=_("说明"), max_length=255, required=False, initial=row.note
            )

    def bound_rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [(row, self[f"take_{row.committee.pk}"], self[f"note_{row.committee.pk}"]) for row in self.rows]

    def changed_rows(self) -> list[tuple[Organization, int, str]]:
        """(committee, villages, note) for rows with a number whose values differ from the stored ones."""
        out = []
        for row in self.rows:
            pk = row.committee.pk
            take, note = self.cleaned_data.get(f"take_{pk}"), self.cleaned_data.get(f"note_{pk}", "")
            if take is None:
                continue
            if take != row.villages_to_take or note != row.note:
                out.append((row.committee, take, note))
        return out


class CapacityTableForm(forms.Form):
    """Unit capacities for this round: ``cap_<round unit id>`` for the units on the page."""

    def __init__(self, *args: Any, round_units: Sequence[RoundUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round_units = list(round_units)
        for ru in self.round_units:
            # Not required: a row left out of the post (or emptied) keeps its capacity.
            self.fields[f"cap_{ru.pk}"] = _int_field(ru.unit.name, ru.capacity)

    def bound_rows(self) -> list[tuple[RoundUnit, forms.BoundField]]:
        return [(ru, self[f"cap_{ru.pk}"]) for ru in self.round_units]

    def changed_rows(self) -> list[tuple[RoundUnit, int]]:
        return [
            (ru, self.cleaned_data[f"cap_{ru.pk}"])
            for ru in self.round_units
            if self.cleaned_data.get(f"cap_{ru.pk}") is not None and self.cleaned_data[f"cap_{ru.pk}"] != ru.capacity
        ]


class IntentForm(forms.Form):
    rank = forms.IntegerField(
        label=_("志愿顺序"),
        min_value=1,
        max_value=99,
        required=False,
        help_text=_("不填则排在已选村之后"),
        widget=forms.NumberInput(attrs={"class": "rank", "inputmode": "numeric", "placeholder": _("顺序")}),
    )


class WishForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        Organization.objects.none(), label=_("希望结对的单位"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, units: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units  # type: ignore[attr-defined]


class PairListField(forms.Field):
    """Pairs sent as ``unit:village`` checkbox values (any number of them)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[tuple[int, int]]:
        out = set()
        for item in value or []:
            unit, _sep, village = str(item).partition(":")
            try:
                out.add((int(unit), int(village)))
            except ValueError as exc:
                raise forms.ValidationError(_("指定或禁止结对的格式有误：%(v)s") % {"v": item}) from exc
        return sorted(out)


class RunForm(forms.Form):
    """Run the engine: open villages only or all, with the pairs the admin pins and forbids."""

    open_only = forms.BooleanField(label=_("仅对空缺村重新匹配"), required=False)
    pin = PairListField(required=False)
    forbid = PairListField(required=False)
    # Picked from a list (a <datalist> the page fills as the admin types) that names each
    # one's place and code; a typed full name still works where it is unique.
    pin_unit = forms.CharField(label=_("指定结对：单位（代码或全称）"), max_length=128, required=False)
    pin_village = forms.CharField(label=_("指定结对：村（代码或全称）"), max_length=128, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if set(cleaned.get("pin") or []) & set(cleaned.get("forbid") or []):
            self.add_error(None, _("同一结对不能既指定又禁止"))
        if bool(cleaned.get("pin_unit")) != bool(cleaned.get("pin_village")):
            self.add_error("pin_village", _("指定结对需同时填写单位和村"))
        return cleaned


class EndForm(forms.Form):
    reason = forms.CharField(
        label=_("调整原因"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("将通知结对双方，并记入审计日志"),
    )


class SignForm(forms.Form):
    signer_name = forms.CharField(label=_("签署人姓名"), max_length=64)
    signer_post = forms.CharField(label=_("签署人职务"), max_length=64)
