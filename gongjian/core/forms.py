"""What every app's forms share: errors in the domain's words, all at once.

A form that subclasses :class:`DomainForm` (instead of ``forms.Form``)

* names the field in every shape error, in Chinese first (请填写“走访日期”, “拨付金额（元）”
  至少为 0.01 元, “日期”不是有效的日期), instead of Django's generic 确保该值大于或等于0.01;
* checks the dates listed in ``past_dates`` against today in the form itself, with the
  services' words (走访日期不能晚于今天), so that a missing field and a future date are
  reported on the same submit (the service checks again: it is the rule's owner);
* marks its file fields after a failed submit: the browser does not keep a chosen file,
  so the field says it must be chosen again (``_form_fields.html`` shows it).
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext as _


def _is_money(field: forms.Field) -> bool:
    """A money field: a decimal whose (Chinese) label speaks of 元 or 金额."""
    if not isinstance(field, forms.DecimalField):
        return False
    with translation.override("zh-hans"):
        label = str(field.label or "")
    return "元" in label or "金额" in label


def domain_messages(field: forms.Field) -> dict[str, str]:
    """The error messages of ``field`` in the domain's words, naming its label."""
    label = str(field.label or "")
    name = {"label": label}
    # Messages that Django fills with the validator's params (limit_value, max…) are
    # %-formatted once more: a label such as 完成进度（%） must keep its % literal there.
    raw = {"label": label.replace("%", "%%")}
    messages: dict[str, str] = {"required": _("请填写“%(label)s”") % name}
    if isinstance(field, forms.FileField):
        messages["required"] = _("请选择“%(label)s”的文件") % name
        messages["invalid"] = _("“%(label)s”不是有效的文件，请重新选择") % name
        messages["empty"] = _("“%(label)s”的文件是空的，请重新选择") % name
    elif isinstance(field, forms.DateField):
        messages["invalid"] = _("“%(label)s”不是有效的日期，请按“年-月-日”填写，如 2026-05-03") % name
    elif isinstance(field, forms.DecimalField | forms.IntegerField):
        messages["invalid"] = _("“%(label)s”应填写数字") % name
        # %(limit_value)s stays for the validator to fill in.
        if _is_money(field):
            messages["min_value"] = _("“%(label)s”至少为 %%(limit_value)s 元") % raw
            messages["max_value"] = _("“%(label)s”不能超过 %%(limit_value)s 元") % raw
            messages["max_decimal_places"] = _("“%(label)s”最多填到分（小数点后两位）") % raw
            messages["max_digits"] = _("“%(label)s”金额过大") % raw
            messages["max_whole_digits"] = _("“%(label)s”金额过大") % raw
        else:
            messages["min_value"] = _("“%(label)s”不能小于 %%(limit_value)s") % raw
            messages["max_value"] = _("“%(label)s”不能大于 %%(limit_value)s") % raw
            messages["max_decimal_places"] = _("“%(label)s”小数位数过多") % raw
    elif isinstance(field, forms.ChoiceField):
        messages["invalid_choice"] = _("“%(label)s”的选项无效，请从列表中选择") % raw
    elif isinstance(field, forms.CharField):
        messages["max_length"] = _("“%(label)s”最多 %%(limit_value)d 个字（现有 %%(show_value)d 个）") % raw
    return messages


class DomainForm(forms.Form):
    """A form whose errors speak the domain's language and come all at once (see above)."""

    # Date fields that cannot be after today (a visit, a transfer, a use…).
    past_dates: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # Field.run_validators puts the field's message on a validator's error of the
            # same code, so min/max/decimal checks speak these words too.
            field.error_messages = {**field.error_messages, **domain_messages(field)}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        today = timezone.localdate()
        for name in self.past_dates:
            value = cleaned.get(name)
            if isinstance(value, datetime.date) and value > today:
                self.add_error(name, _("%(label)s不能晚于今天") % {"label": self.fields[name].label})
        return cleaned
