"""Reading the public's evaluation of a pair and the practices' part of the assessment,
always through the user's scope (``orgs.scope.Scope``): 404 outside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from gongjian.compliance.models import PairStatus
from gongjian.compliance.models_evaluation import EvaluationResponse, PublicEvaluation, RespondentKind, Satisfaction
from gongjian.compliance.practices import EvaluationFact, EvaluationScore, score_evaluation
from gongjian.compliance.services_evaluation import evaluation_rules
from gongjian.orgs.scope import Scope
from gongjian.policies.practices import PublicEvaluationRules, ReviewResult
from gongjian.rounds.models import Pairing


@dataclass(frozen=True)
class QuestionCounts:
    id: str
    text: str
    weight: int
    counts: dict[str, int]  # answer → respondents

    @property
    def rows(self) -> list[tuple[str, str, int]]:
        return [(value, str(label), self.counts.get(value, 0)) for value, label in Satisfaction.choices]


@dataclass(frozen=True)
class EvaluationView:
    """What the evaluation page shows: the questions (the survey's, or the profile's before
    the first answer), counts, the score under the profile, the comments."""

    year: int
    rules: PublicEvaluationRules
    questions: list[QuestionCounts]
    respondents: int
    by_kind: dict[str, int]
    score: EvaluationScore
    comments: list[EvaluationResponse]

    @property
    def kinds(self) -> list[tuple[str, int]]:
        return [(str(label), self.by_kind.get(value, 0)) for value, label in RespondentKind.choices]


def evaluation_view(pairing: Pairing, year: int) -> EvaluationView | None:
    """The pair's survey of ``year`` (the pairing comes from a scoped selector); None when
    its profile has no public evaluation."""
    rules = evaluation_rules(pairing)
    if rules is None:
        return None
    survey = PublicEvaluation.objects.filter(pairing=pairing, year=year).first()
    # The survey's own questions once opened (the profile may have changed since).
    questions: list[dict[str, Any]] = (
        list(survey.questions)
        if survey
        else [{"id": q.id, "text": q.text, "weight": q.weight} for q in rules.questions]
    )
    responses = (
        list(EvaluationResponse.objects.filter(evaluation=survey).order_by("-entered_at", "-pk")) if survey else []
    )
    counts: dict[str, dict[str, int]] = {q["id"]: {} for q in questions}
    by_kind: dict[str, int] = {}
    for response in responses:
        by_kind[response.respondent] = by_kind.get(response.respondent, 0) + 1
        for question_id, answer in response.answers.items():
            if question_id in counts:
                counts[question_id][answer] = counts[question_id].get(answer, 0) + 1
    fact = EvaluationFact(len(responses), tuple((q["id"], int(q["weight"])) for q in questions), counts)
    return EvaluationView(
        year=year,
        rules=rules,
        questions=[QuestionCounts(q["id"], q["text"], int(q["weight"]), counts[q["id"]]) for q in questions],
        respondents=len(responses),
        by_kind=by_kind,
        score=score_evaluation(fact, rules),
        comments=[r for r in responses if r.comment][:50],
    )


@dataclass(frozen=True)
class PracticeRow:
    """A pair's line of the assessment's practices table: its stored row and the 评议's name."""

    row: PairStatus
    review: str


def practice_rows(*, user: Any, year: int, limit: int = 200) -> list[PracticeRow]:
    """Pairs of the year whose assessment weighs in the public's evaluation or commitments
    (the assessment page's table), in the user's scope."""
    scope = Scope.of(user)
    weighed = Q(evaluation_points__isnull=False) | Q(evaluation_respondents__gt=0) | ~Q(commitment_review="")
    weighed |= Q(commitment_lost__gt=0)
    rows = (
        PairStatus.objects.filter(scope.pairings_q(), year=year)
        .filter(weighed)
        .select_related("unit", "village")
        .order_by("unit__name", "village__name", "pk")[:limit]
    )
    labels = dict(ReviewResult.choices)
    return [PracticeRow(row, str(labels.get(row.commitment_review, ""))) for row in rows]
