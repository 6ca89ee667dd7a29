"""Forms of the archive, the cards and the reports: phone-first (big inputs, native date and
month pickers, the camera for photos). They only parse input; the services decide."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gongjian.core.forms import DomainForm
from gongjian.records.choices import ContactSide, FiveDelivery, ProjectStatus, SixMust, VisitorLevel
from gongjian.records.models import VisitPhoto


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m", **kwargs)


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos from one picker (the service checks type and size of each)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultiplePhotoInput(attrs={"accept": "image/*", "capture": "environment", "multiple": True})
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def photo_url(photo: VisitPhoto) -> str:
    """The scoped address of a visit's photo (there is no public ``/media/``)."""
    return reverse("files:visit_photo", args=[photo.visit_id, photo.pk])


def _today() -> datetime.date:
    return timezone.localdate()


class VisitForm(DomainForm):
    past_dates = ("date",)
    date = forms.DateField(label=_("走访日期"), initial=_today, widget=DateInput())
    visitor_level = forms.ChoiceField(label=_("走访人员层级"), choices=VisitorLevel.choices)
    visitors = forms.CharField(
        label=_("走访人员（姓名、职务）"),
        max_length=255,
        widget=forms.TextInput(attrs={"placeholder": _("如：张伟 党委书记；李娜 办公室主任"), "autocomplete": "off"}),
    )
    content = forms.CharField(label=_("走访内容"), widget=forms.Textarea(attrs={"rows": 4}))
    photos = MultiplePhotoField(
        label=_("现场照片"), required=False, help_text=_("可直接拍照，最多 9 张，每张不超过 10 MB")
    )


class VisitEditForm(VisitForm):
    """A visit being corrected: the same fields, the photos already on it (ticked ones are
    taken off) and more photos to add."""

    remove_photos = forms.TypedMultipleChoiceField(
        label=_("已有照片"),
        help_text=_("勾选要删除的照片"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "photo-picks"}),
    )
    field_order = ["date", "visitor_level", "visitors", "content", "remove_photos", "photos"]

    def __init__(self, *args: Any, photos: Sequence[VisitPhoto] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photos"].label = _("添加照片")
        self.fields["photos"].help_text = _("可直接拍照，每次走访共计最多 9 张，每张不超过 10 MB")
        if not photos:
            del self.fields["remove_photos"]
            return
        remove = self.fields["remove_photos"]
        assert isinstance(remove, forms.ChoiceField)
        # The photo itself is the checkbox's label: on a phone one taps the picture to mark it.
        remove.choices = [
            (photo.pk, format_html('<img src="{}" alt="{}" loading="lazy">', photo_url(photo), _("走访照片")))
            for photo in photos
        ]


class SixMustForm(DomainForm):
    past_dates = ("date",)
    date = forms.DateField(label=_("日期"), initial=_today, widget=DateInput())
    kind = forms.ChoiceField(label=_("六个一项目"), choices=SixMust.choices)
    content = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.FileField(
        label=_("佐证材料"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf,.doc,.docx,.xls,.xlsx,.ofd"}),
    )


class DeliveryForm(DomainForm):
    past_dates = ("date",)
    date = forms.DateField(label=_("日期"), initial=_today, widget=DateInput())
    kind = forms.ChoiceField(label=_("五送类别"), choices=FiveDelivery.choices)
    content = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}))
    amount = forms.DecimalField(
        label=_("折合金额（元）"),
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )


class ProjectForm(DomainForm):
    name = forms.CharField(label=_("项目名称"), max_length=128)
    goal = forms.CharField(label=_("项目目标"), widget=forms.Textarea(attrs={"rows": 3}))
    budget = forms.DecimalField(
        label=_("预算（元）"),
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    start = forms.DateField(label=_("开始日期"), initial=_today, widget=DateInput())
    end = forms.DateField(label=_("计划完成日期"), widget=DateInput())


class ProgressForm(DomainForm):
    status = forms.ChoiceField(label=_("状态"), choices=ProjectStatus.choices)
    progress = forms.IntegerField(
        label=_("进度（%）"), min_value=0, max_value=100, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )


class MilestoneForm(DomainForm):
    title = forms.CharField(label=_("节点"), max_length=128)
    due = forms.DateField(label=_("计划日期"), widget=DateInput())


class EvidenceForm(DomainForm):
    file = forms.FileField(
        label=_("佐证文件"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf,.doc,.docx,.xls,.xlsx,.ofd"}),
    )
    note = forms.CharField(label=_("说明"), max_length=255, required=False)


class ContactForm(DomainForm):
    side = forms.ChoiceField(label=_("所属方"), choices=ContactSide.choices, widget=forms.HiddenInput)
    name = forms.CharField(label=_("姓名"), max_length=64)
    post = forms.CharField(label=_("职务"), max_length=64, required=False)
    phone = forms.CharField(
        label=_("联系电话"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )


class FeedbackForm(DomainForm):
    villager_name = forms.CharField(label=_("反映人"), max_length=64)
    opinion = forms.CharField(label=_("意见建议"), widget=forms.Textarea(attrs={"rows": 4}))


class AnswerForm(DomainForm):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 4}))


class CardForm(DomainForm):
    month = forms.DateField(label=_("月份"), input_formats=["%Y-%m", "%Y-%m-%d"], widget=MonthInput())
    work = forms.CharField(
        label=_("本月工作实绩"),
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": _("本月到村走访、办实事、落实项目等情况")}),
    )


class ReturnForm(DomainForm):
    comment = forms.CharField(label=_("退回意见"), widget=forms.Textarea(attrs={"rows": 3}))


class CountersignForm(DomainForm):
    """The village's comment written on the card when it countersigns (签注意见, seed 000)."""

    village_comment = forms.CharField(label=_("签注意见"), widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(DomainForm):
    body = forms.CharField(label=_("报告正文"), widget=forms.Textarea(attrs={"rows": 24}))


class NoticeForm(DomainForm):
    organization = forms.ChoiceField(label=_("通报范围"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    half = forms.TypedChoiceField(label=_("半年"), coerce=int, choices=[(1, _("上半年")), (2, _("下半年"))])

    def __init__(self, *args: Any, organizations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = organizations
