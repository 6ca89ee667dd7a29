"""``public_evaluation:`` and ``commitments:`` — two practices of a pair that weigh in the
helping unit's annual assessment where a place's document has them, and the vocabulary the
profile names them in (the 五个一 targets of the ``five_ones`` obligation, the answers of the
survey, the 评议 results).

- The public's evaluation (群众评议; seed 002 “村级重大事务实行党员首议、代表决议和群众评议，把
  重要事务的决策权、党员干部的评判权交给党员群众”): a short survey per pair and year, its
  questions and weights from the profile; its weighted score earns up to ``points``.
- Commitments (双承诺、双述职、四级承诺一评议, seed 002; 作出公开承诺、考评一体进行, seed 004 doc 2
  二、4): commitments not kept and a poor 评议 cost points, at most ``points``.

Absent (``None``) where the place's document has no such practice: nothing is weighed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjian.policies.reader import Reader


class FiveOne(models.TextChoices):
    """五个一 (seed 000): “帮助建好一个支部班子、抓好一支党员队伍、理清一条发展思路、开辟一条
    增收门路、解决一批突出问题”."""

    BRANCH_TEAM = "branch_team", _("建好一个支部班子")
    MEMBER_TEAM = "member_team", _("抓好一支党员队伍")
    DEVELOPMENT_IDEA = "development_idea", _("理清一条发展思路")
    INCOME_PATH = "income_path", _("开辟一条增收门路")
    PROBLEMS = "problems", _("解决一批突出问题")


class Satisfaction(models.TextChoices):
    """The answer to each question of the public's evaluation."""

    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


# The answers counted in the satisfaction rate (满意率 = 满意与基本满意占全部回答的比例).
SATISFIED_ANSWERS = (Satisfaction.SATISFIED.value, Satisfaction.BASIC.value)


class CommitmentOutcome(models.TextChoices):
    """The unit's year-end report (述职) against one commitment."""

    DONE = "done", _("已兑现")
    PARTLY = "partly", _("部分兑现")
    NOT_DONE = "not_done", _("未兑现")


class ReviewResult(models.TextChoices):
    """The 评议 of a unit's commitments by the village and its members."""

    GOOD = "good", _("好")
    FAIRLY_GOOD = "fairly_good", _("较好")
    AVERAGE = "average", _("一般")
    POOR = "poor", _("差")


@dataclass(frozen=True)
class Question:
    """One question of the survey; ``weight`` is its share among the questions."""

    id: str
    text: str
    weight: int


@dataclass(frozen=True)
class PublicEvaluationRules:
    """The survey and how it weighs in: each answer is worth ``answer_values`` (0–100); a
    question's score is the mean of its answers, the survey's the weighted mean of its
    questions', and it earns ``points`` × score / 100. Fewer than ``min_respondents``
    answers: not weighed in (yet)."""

    questions: tuple[Question, ...]
    answer_values: Mapping[str, Decimal]
    points: int
    min_respondents: int

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True)
class CommitmentRules:
    """What commitments cost in the assessment: ``outcome_points`` per commitment not (fully)
    kept, ``review_points`` by the 评议's result, together at most ``points``. A commitment
    with no report by ``report_due`` counts as not kept."""

    points: int
    outcome_points: Mapping[str, int]
    review_points: Mapping[str, int]
    report_due: str


def _labelled_points(reader: Reader, name: str, vocabulary: type[models.TextChoices]) -> dict[str, int]:
    part = reader.child(name)
    part.only(set(vocabulary.values))
    return {value: part.integer(value) for value in vocabulary.values if value in part.data}


def parse_public_evaluation(file: str, value: Any, done: Mapping[str, Any]) -> PublicEvaluationRules | None:
    """The ``public_evaluation:`` section; every key required (the numbers are the place's)."""
    if value is None:
        return None
    reader = Reader(file, value, "public_evaluation")
    reader.only({"questions", "answer_values", "points", "min_respondents"})
    items = reader.data.get("questions")
    if not isinstance(items, list) or not items:
        raise reader.fail("questions", "应列出评议题目（每项含 id、text、weight）")
    questions: list[Question] = []
    for i, item in enumerate(items):
        q = Reader(file, item, f"public_evaluation.questions[{i}]")
        q.only({"id", "text", "weight"})
        question = Question(id=q.text("id"), text=q.text("text"), weight=q.integer("weight", minimum=1))
        if any(other.id == question.id for other in questions):
            raise q.fail("id", f"重复：{question.id}")
        questions.append(question)
    values = reader.child("answer_values")
    values.only(set(Satisfaction.values))
    answer_values = {answer: values.percent(answer) for answer in Satisfaction.values}
    return PublicEvaluationRules(
        questions=tuple(questions),
        answer_values=answer_values,
        points=reader.integer("points", minimum=1),
        min_respondents=reader.integer("min_respondents", minimum=1),
    )


def parse_commitments(file: str, value: Any, done: Mapping[str, Any]) -> CommitmentRules | None:
    """The ``commitments:`` section; ``points`` and ``report_due`` required."""
    if value is None:
        return None
    reader = Reader(file, value, "commitments")
    reader.only({"points", "outcome_points", "review_points", "report_due"})
    outcome_points = _labelled_points(reader, "outcome_points", CommitmentOutcome)
    if outcome_points.get(CommitmentOutcome.DONE, 0):
        raise reader.fail("outcome_points", "已兑现的承诺不应扣分")
    return CommitmentRules(
        points=reader.integer("points", minimum=1),
        outcome_points=outcome_points,
        review_points=_labelled_points(reader, "review_points", ReviewResult),
        report_due=reader.month_day("report_due"),
    )
