"""Facts of the practices added for seeds 000 and 002 — 五个一 targets, the public's
evaluation, commitments and their 评议 — for all pairs at once, one query each (never one
per pair)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count

from gongjian.compliance.models_evaluation import EvaluationResponse, PublicEvaluation
from gongjian.compliance.practices import (
    CommitmentFact,
    EvaluationFact,
    EvaluationScore,
    commitment_lost,
    score_evaluation,
)
from gongjian.policies import PolicyProfile
from gongjian.records.models_commitments import Commitment, CommitmentReview
from gongjian.records.models_five_ones import FiveOneTarget

FiveOneDays = tuple[datetime.date | None, datetime.date | None]


def five_one_facts(pairing_ids: Any, year: int) -> dict[int, dict[str, FiveOneDays]]:
    """pairing → target → (day the plan was entered, first day of evidence)."""
    result: dict[int, dict[str, FiveOneDays]] = defaultdict(dict)
    rows = FiveOneTarget.objects.filter(pairing_id__in=pairing_ids, year=year).values_list(
        "pairing_id", "kind", "plan_recorded_on", "evidence_on"
    )
    for pairing_id, kind, planned, proven in rows:
        result[pairing_id][kind] = (planned, proven)
    return result


def evaluation_facts(pairing_ids: Any, year: int, as_of: datetime.date) -> dict[int, EvaluationFact]:
    """pairing → its survey of ``year``: respondents up to ``as_of`` and the answers' counts.
    Answers are counted in Python from the JSON rows: a village's survey holds tens of rows."""
    surveys = {
        pk: (pairing_id, tuple((q["id"], int(q["weight"])) for q in questions))
        for pk, pairing_id, questions in PublicEvaluation.objects.filter(
            pairing_id__in=pairing_ids, year=year
        ).values_list("pk", "pairing_id", "questions")
    }
    respondents: dict[int, int] = defaultdict(int)
    counts: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for survey_id, answers in EvaluationResponse.objects.filter(
        evaluation_id__in=list(surveys), entered_at__date__lte=as_of
    ).values_list("evaluation_id", "answers"):
        respondents[survey_id] += 1
        for question_id, answer in (answers or {}).items():
            counts[survey_id][question_id][answer] += 1
    return {
        pairing_id: EvaluationFact(
            respondents=respondents.get(pk, 0),
            questions=questions,
            counts={q: dict(a) for q, a in counts.get(pk, {}).items()},
        )
        for pk, (pairing_id, questions) in surveys.items()
    }


def commitment_facts(pairing_ids: Any, year: int) -> dict[int, CommitmentFact]:
    """pairing → its commitments' outcomes of ``year`` and the 评议's result."""
    outcomes: dict[int, list[str]] = defaultdict(list)
    for pairing_id, outcome in Commitment.objects.filter(pairing_id__in=pairing_ids, year=year).values_list(
        "pairing_id", "outcome"
    ):
        outcomes[pairing_id].append(outcome)
    reviews = dict(
        CommitmentReview.objects.filter(pairing_id__in=pairing_ids, year=year).values_list("pairing_id", "result")
    )
    return {
        pairing_id: CommitmentFact(outcomes=tuple(outcomes.get(pairing_id, ())), review=reviews.get(pairing_id, ""))
        for pairing_id in set(outcomes) | set(reviews)
    }


def respondent_counts(pairing_ids: Any, year: int) -> dict[int, int]:
    """pairing → respondents of its survey of ``year`` (for lists of pairs)."""
    return dict(
        EvaluationResponse.objects.filter(evaluation__pairing_id__in=pairing_ids, evaluation__year=year)
        .values("evaluation__pairing_id")
        .annotate(n=Count("id"))
        .values_list("evaluation__pairing_id", "n")
    )


@dataclass(frozen=True)
class PracticeScore:
    """What a pair's practices give in the assessment (see :mod:`compliance.practices`)."""

    evaluation: EvaluationScore | None  # None: the profile does not weigh the public in
    commitment_lost: Decimal
    review: str  # the 评议's result, "" if none


def practice_scores(
    pairing_ids: list[int], profile_of: Mapping[int, PolicyProfile], *, year: int, as_of: datetime.date
) -> dict[int, PracticeScore]:
    """pairing → its evaluation and commitments scored under its own profile's sections."""
    evaluations = evaluation_facts(pairing_ids, year, as_of)
    commitments = commitment_facts(pairing_ids, year)
    result = {}
    for pid in pairing_ids:
        profile = profile_of[pid]
        evaluation = None
        if profile.public_evaluation is not None:
            evaluation = score_evaluation(evaluations.get(pid), profile.public_evaluation)
        lost = Decimal(0)
        fact = commitments.get(pid)
        if profile.commitments is not None:
            lost = commitment_lost(fact, profile.commitments, year=year, as_of=as_of)
        result[pid] = PracticeScore(evaluation, lost, fact.review if fact else "")
    return result
