"""Writing the practices' rows the way the records and compliance services store them: 五个一
targets with their plan and evidence days, commitments with their report and 评议, and the
public's evaluation (one row per respondent)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from gongjian.compliance.models_evaluation import EvaluationResponse, PublicEvaluation
from gongjian.policies.practices import FiveOne
from gongjian.records.choices_practices import FiveOneStatus
from gongjian.records.models_commitments import Commitment, CommitmentReview
from gongjian.records.models_five_ones import FiveOneTarget
from gongjian.rounds.models import Pairing
from tests.compliance.conftest import at


def five_ones(
    pairing: Pairing,
    year: int,
    planned: datetime.date,
    proven: datetime.date | None,
    kinds: Iterable[str] = FiveOne.values,
) -> None:
    """The listed targets planned on ``planned`` and proven on ``proven`` (None: no evidence)."""
    for kind in kinds:
        FiveOneTarget.objects.create(
            pairing=pairing,
            year=year,
            kind=kind,
            plan="计划",
            plan_recorded_on=planned,
            status=FiveOneStatus.DONE if proven else FiveOneStatus.PLANNED,
            evidence_text="完成情况" if proven else "",
            evidence_on=proven,
        )


def commitments(pairing: Pairing, year: int, outcomes: Iterable[str], review: str = "") -> None:
    """One commitment per outcome ("" : not reported) and, if given, the 评议's result."""
    for n, outcome in enumerate(outcomes, start=1):
        Commitment.objects.create(pairing=pairing, year=year, content=f"承诺 {n}", position=n, outcome=outcome)
    if review:
        CommitmentReview.objects.create(
            pairing=pairing, year=year, result=review, participants=20, recorded_at=at(datetime.date(year, 12, 20))
        )


def survey(pairing: Pairing, year: int, questions: list[dict[str, object]], answers: list[dict[str, str]]) -> None:
    """A survey with ``questions`` and one response per dict of answers."""
    evaluation = PublicEvaluation.objects.create(
        pairing=pairing, year=year, profile_key=pairing.round.policy_key, questions=questions
    )
    EvaluationResponse.objects.bulk_create(
        [EvaluationResponse(evaluation=evaluation, respondent="villager", answers=a) for a in answers]
    )
