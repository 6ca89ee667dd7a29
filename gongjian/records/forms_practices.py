"""Forms of the 五个一 targets and the commitments: phone-first, parsing only (the services
decide)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjian.core.forms import DomainForm
from gongjian.records.choices_practices import CommitmentOutcome, FiveOneStatus, ReviewResult

_EVIDENCE_ACCEPT = "image/*,.pdf,.doc,.docx,.xls,.xlsx,.ofd"


class FiveOneForm(DomainForm):
    plan = forms.CharField(label=_("计划措施"), widget=forms.Textarea(attrs={"rows": 4}))
    status = forms.ChoiceField(label=_("状态"), choices=FiveOneStatus.choices)
    evidence_text = forms.CharField(
        label=_("完成情况"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("做了什么、取得什么成效；标为已完成前须填写或上传佐证"),
    )  # fmt: skip
    file = forms.FileField(
        label=_("佐证材料"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": _EVIDENCE_ACCEPT}),
    )
    note = forms.CharField(label=_("材料说明"), max_length=255, required=False)


class CommitmentForm(DomainForm):
    content = forms.CharField(
        label=_("承诺事项"), widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("如：年内帮助新建茶园 100 亩")})
    )


class CommitmentReportForm(DomainForm):
    outcome = forms.ChoiceField(label=_("兑现情况"), choices=CommitmentOutcome.choices, widget=forms.RadioSelect)
    report = forms.CharField(label=_("述职说明"), widget=forms.Textarea(attrs={"rows": 4}))


class CommitmentReviewForm(DomainForm):
    result = forms.ChoiceField(label=_("评议结果"), choices=ReviewResult.choices, widget=forms.RadioSelect)
    participants = forms.IntegerField(
        label=_("参加评议人数"), min_value=1, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    comment = forms.CharField(label=_("评议意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
