"""The public's evaluation and the commitments' 评议 in the assessment, pure: counts in,
satisfaction rate, score and points out (no database here, so that each verdict can be
computed by hand from a seed's or a profile's numbers).

- The public's evaluation (群众评议, seed 002): each answer is worth the profile's
  ``answer_values`` (满意 100, 基本满意 80, 不满意 0 in Shangnan's profile: local default); a
  question's score is the mean of its answers, the survey's the weighted mean of its
  questions' (weights of the survey as it was opened), and it earns ``points`` × score / 100;
  what it does not earn is lost from the unit's score. The satisfaction rate (满意率) is the
  share of 满意 and 基本满意 among all answers. Fewer respondents than ``min_respondents``:
  not weighed in (nothing earned, nothing lost), shown as such.
- Commitments (双承诺/双述职、四级承诺一评议, seed 002; 作出公开承诺、考评一体进行, seed 004 doc 2):
  each commitment partly or not kept costs ``outcome_points``, one without a report after
  ``report_due`` counts as not kept, and the 评议's result costs ``review_points``; together
  at most ``points``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from gongjian.policies.practices import (
    SATISFIED_ANSWERS,
    CommitmentOutcome,
    CommitmentRules,
    PublicEvaluationRules,
)

TWO_PLACES = Decimal("0.01")
ZERO = Decimal(0)


def _two(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class EvaluationFact:
    """A pair's survey of the year: respondents, the questions (id, weight) it was opened
    with, and per question how many gave each answer."""

    respondents: int
    questions: tuple[tuple[str, int], ...]
    counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)  # question → answer → n


@dataclass(frozen=True)
class EvaluationScore:
    """What the survey gives: ``counted`` False when too few answered (then no points)."""

    respondents: int
    rate: Decimal | None  # 满意率, %, ≤ 100; None without any answer
    score: Decimal | None  # weighted score, 0–100
    points: Decimal | None  # earned, of the profile's ``points``; None when not counted
    lost: Decimal  # ``points`` − earned; 0 when not counted
    counted: bool


def score_evaluation(fact: EvaluationFact | None, rules: PublicEvaluationRules) -> EvaluationScore:
    """The survey's satisfaction rate, score and points under ``rules``."""
    if fact is None or fact.respondents == 0:
        return EvaluationScore(0, None, None, None, ZERO, False)
    answered = satisfied = 0
    weighted = ZERO
    weights = 0
    for question_id, weight in fact.questions:
        counts = fact.counts.get(question_id, {})
        n = sum(counts.values())
        if n == 0:
            continue
        answered += n
        satisfied += sum(counts.get(answer, 0) for answer in SATISFIED_ANSWERS)
        value = sum((rules.answer_values.get(answer, ZERO) * k for answer, k in counts.items()), ZERO)
        weighted += Decimal(weight) * value / n
        weights += weight
    if answered == 0:
        return EvaluationScore(fact.respondents, None, None, None, ZERO, False)
    rate = _two(Decimal(100) * satisfied / answered)
    score = _two(weighted / weights)
    if fact.respondents < rules.min_respondents:
        return EvaluationScore(fact.respondents, rate, score, None, ZERO, False)
    points = _two(Decimal(rules.points) * score / 100)
    return EvaluationScore(fact.respondents, rate, score, points, _two(Decimal(rules.points) - points), True)


@dataclass(frozen=True)
class CommitmentFact:
    """A pair's commitments of the year: each one's reported outcome ("" if not reported)
    and the 评议's result ("" if none yet)."""

    outcomes: Sequence[str] = ()
    review: str = ""


def _month_day(text: str, year: int) -> datetime.date:
    month, day = (int(x) for x in text.split("-"))
    return datetime.date(year, month, day)


def commitment_lost(fact: CommitmentFact | None, rules: CommitmentRules, *, year: int, as_of: datetime.date) -> Decimal:
    """Points the commitments cost in ``year`` as of ``as_of`` (at most ``rules.points``)."""
    if fact is None:
        return ZERO
    overdue = as_of > _month_day(rules.report_due, year)
    lost = 0
    for outcome in fact.outcomes:
        if not outcome and overdue:
            outcome = CommitmentOutcome.NOT_DONE
        lost += rules.outcome_points.get(outcome, 0)
    lost += rules.review_points.get(fact.review, 0) if fact.review else 0
    return Decimal(min(lost, rules.points))
