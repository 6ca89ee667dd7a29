"""Collecting the public's evaluation of a helping unit (群众评议, seed 002): the village
secretary enters each respondent's answers on a phone. One row per respondent, no name.

The survey of a pair and year is opened on the first answer, with the questions and weights
of the pair's profile (``public_evaluation``); a profile without that section has no survey.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from gongjian.accounts.models import User
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited
from gongjian.compliance.models_evaluation import EvaluationResponse, PublicEvaluation, RespondentKind, Satisfaction
from gongjian.core.errors import Refused
from gongjian.policies import load_profile
from gongjian.policies.practices import PublicEvaluationRules
from gongjian.records.access import can_act_as_village
from gongjian.records.services_practices import check_year
from gongjian.rounds.models import Pairing, PairingStatus


class EvaluationRefused(Refused):
    """The evaluation cannot be collected now (no such practice in the profile, pair not signed)."""


def evaluation_rules(pairing: Pairing) -> PublicEvaluationRules | None:
    """The survey's rules of the pair's profile, None where the place has no 群众评议."""
    return load_profile(pairing.round.policy_key).public_evaluation


def _survey(pairing: Pairing, year: int, rules: PublicEvaluationRules, actor: User) -> PublicEvaluation:
    survey, _created = PublicEvaluation.objects.select_for_update().get_or_create(
        pairing=pairing,
        year=year,
        defaults={
            "profile_key": pairing.round.policy_key,
            "questions": [{"id": q.id, "text": q.text, "weight": q.weight} for q in rules.questions],
            "opened_by": actor,
        },
    )
    return survey


@audits_refusals
def evaluation_response_add(
    *, actor: User, pairing: Pairing, year: int, respondent: str, answers: Mapping[str, str], comment: str = ""
) -> EvaluationResponse:
    """The village enters one respondent's answers (every question answered) for ``year``."""
    if not can_act_as_village(actor, pairing):
        if pairing.status != PairingStatus.SIGNED:
            raise EvaluationRefused(_("该结对未处于已签约状态，不能评议"), code="not_signed")
        raise PermissionDenied(_("群众评议由结对村党组织组织录入"))
    rules = evaluation_rules(pairing)
    if rules is None:
        raise EvaluationRefused(_("本地政策配置未规定群众评议"), code="no_evaluation")
    check_year(pairing, year)
    if respondent not in RespondentKind.values:
        raise ValidationError({"respondent": _("请选择评议人类别")})
    with audited("evaluation.response", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        survey = _survey(pairing, year, rules, actor)
        clean: dict[str, str] = {}
        for question in survey.questions:
            answer = answers.get(question["id"], "")
            if answer not in Satisfaction.values:
                raise ValidationError({f"q_{question['id']}": _("请对每一项作出评价")})
            clean[question["id"]] = answer
        item = EvaluationResponse.objects.create(
            evaluation=survey, respondent=respondent, answers=clean, comment=(comment or "").strip(), entered_by=actor
        )
        record.target = item
        # Answers and the respondent's kind only: the survey keeps no personal data.
        record.after = {"evaluation": survey.pk, "year": year, "respondent": respondent, "answers": clean}
    return item
