"""The form of a dynamic adjustment (动态调整): the replacement unit and the reason."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjian.rounds.models import RoundUnit


class ReplaceForm(forms.Form):
    """Pick the unit that takes the village over (units of the round with a place left)."""

    new_unit = forms.TypedChoiceField(label=_("新结对单位"), coerce=int)
    reason = forms.CharField(
        label=_("调整原因"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如：连续两年考核未完成结对义务、共建效果不好。将通知原单位、新单位和村，并记入审计日志"),
    )

    def __init__(self, *args: Any, candidates: Iterable[RoundUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        candidates = list(candidates)
        self.candidates = {ru.unit_id: ru.unit for ru in candidates}
        self.fields["new_unit"].choices = [  # type: ignore[attr-defined]
            (ru.unit_id, f"{ru.unit.name}（{ru.district}）" if ru.district else ru.unit.name) for ru in candidates
        ]
