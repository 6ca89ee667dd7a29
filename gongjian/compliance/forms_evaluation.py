"""The phone form of the public's evaluation: one respondent, every question of the survey
with 满意 / 基本满意 / 不满意, the respondent's kind and a comment (no name)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjian.compliance.models_evaluation import RespondentKind, Satisfaction
from gongjian.core.forms import DomainForm, domain_messages


class EvaluationResponseForm(DomainForm):
    respondent = forms.ChoiceField(
        label=_("评议人类别"), choices=RespondentKind.choices, widget=forms.RadioSelect, initial=RespondentKind.VILLAGER
    )
    comment = forms.CharField(label=_("意见建议"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, questions: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        for question in questions:
            field = forms.ChoiceField(
                label=question["text"],
                choices=Satisfaction.choices,
                widget=forms.RadioSelect(attrs={"class": "answer"}),
            )
            field.error_messages = {**field.error_messages, **domain_messages(field)}
            field.error_messages["required"] = _("请对“%(label)s”作出评价") % {"label": question["text"]}
            fields[f"q_{question['id']}"] = field
        # The questions first, as on the paper form; then who answered and the comment.
        self.fields = {**fields, **self.fields}
        self.question_ids = [q["id"] for q in questions]

    def answers(self) -> dict[str, str]:
        return {qid: self.cleaned_data[f"q_{qid}"] for qid in self.question_ids}
