"""Demo surveys of the public's evaluation (群众评议) for a few signed pairs whose profile has
one, so that the demo's evaluation pages and assessment show it. Written directly, one audit
row; a generator of its own so that the rest of the demo year stays as it was."""

from __future__ import annotations

import random
from collections.abc import Sequence

from django.db import transaction

from gongjian.audit.services import audit_event
from gongjian.compliance.models_evaluation import EvaluationResponse, PublicEvaluation, RespondentKind, Satisfaction
from gongjian.policies import load_profile
from gongjian.rounds.models import Pairing

COMMENTS = ("希望单位多派技术人员到村指导", "帮扶项目见效快，群众满意", "希望多开展文化活动", "")


def generate_evaluations(pairings: Sequence[Pairing], year: int, *, seed: int = 16) -> int:
    """A survey of ``year`` with 12–30 respondents for each pair whose profile has the
    public's evaluation; returns the respondents written."""
    rng = random.Random(seed)
    written = 0
    with transaction.atomic():
        for pairing in pairings:
            rules = load_profile(pairing.round.policy_key).public_evaluation
            if rules is None or PublicEvaluation.objects.filter(pairing=pairing, year=year).exists():
                continue
            survey = PublicEvaluation.objects.create(
                pairing=pairing,
                year=year,
                profile_key=pairing.round.policy_key,
                questions=[{"id": q.id, "text": q.text, "weight": q.weight} for q in rules.questions],
            )
            mood = rng.choice(((0.8, 0.15), (0.6, 0.3), (0.4, 0.35)))  # shares of 满意 and 基本满意
            rows = []
            for _ in range(rng.randint(12, 30)):
                answers = {}
                for question in rules.questions:
                    roll = rng.random()
                    answers[question.id] = (
                        Satisfaction.SATISFIED if roll < mood[0]
                        else Satisfaction.BASIC if roll < mood[0] + mood[1]
                        else Satisfaction.UNSATISFIED
                    )  # fmt: skip
                kind = RespondentKind.MEMBER if rng.random() < 0.3 else RespondentKind.VILLAGER
                rows.append(
                    EvaluationResponse(
                        evaluation=survey, respondent=kind, answers=answers, comment=rng.choice(COMMENTS)
                    )
                )
            EvaluationResponse.objects.bulk_create(rows)
            written += len(rows)
        audit_event("demo.evaluations", actor=None, after={"year": year, "respondents": written})
    return written
