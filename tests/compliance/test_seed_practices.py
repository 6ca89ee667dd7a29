"""五个一 (seed 000), the public's evaluation (seed 002 群众评议) and the commitments (seed 002
双承诺/双述职、四级承诺一评议; seed 004 doc 2 作出公开承诺) in the assessment: each verdict computed by
hand from the profile's numbers (the seeds give none: every number below is the profile's
local default, named where it is used).

Before these rules (commit 04eb8ac and earlier) no profile knew 五个一, a survey or a
commitment: a Jincheng pair with no 五个一 at all, or a Shangnan unit its villagers judged
unsatisfactory, scored 100."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from gongjian.compliance.evaluate import PairFacts, Status, evaluate_pair
from gongjian.compliance.models import PairStatus
from gongjian.compliance.practices import (
    CommitmentFact,
    EvaluationFact,
    commitment_lost,
    score_evaluation,
)
from gongjian.policies import load_profile
from gongjian.policies.practices import FiveOne
from tests.compliance.helpers import run, stored, unit_score
from tests.compliance.practices_helpers import commitments, five_ones, survey

pytestmark = pytest.mark.django_db
D = datetime.date
ALL = tuple(FiveOne.values)


def facts(targets: dict[str, tuple[D | None, D | None]]) -> PairFacts:
    return PairFacts(
        pairing_id=1, unit_id=1, village_id=1, term_start=D(2025, 7, 1), term_end=D(2028, 6, 30), five_ones=targets
    )


def five_ones_outcome(targets: dict[str, tuple[D | None, D | None]], as_of: D) -> Any:
    profile = load_profile("jincheng")
    result = evaluate_pair(facts(targets), profile.obligations, year=2026, as_of=as_of)
    return next(o for o in result.outcomes if o.obligation_id == "five_ones")


# ---------------------------------------------------------------- 五个一 (jincheng)


def test_jincheng_five_ones_plans_by_march_and_evidence_by_year_end() -> None:
    """Jincheng's profile: each of the five targets planned by 03-31 and proven by 12-31
    (both local defaults); 2 points a target missed, at most 10 (local defaults)."""
    ob = load_profile("jincheng").obligation("five_ones")
    assert ob is not None and ob.kinds == ALL and (ob.plan_due, ob.due, ob.points_each, ob.points) == (
        "03-31", "12-31", 2, 10,
    )  # fmt: skip
    on_time = {k: (D(2026, 3, 10), D(2026, 9, 1)) for k in ALL}
    assert five_ones_outcome(on_time, D(2026, 12, 31)).status == Status.MET

    # Three targets planned on time, two on 04-10: on 04-15 the two plans are late for the
    # year → missed, 2 × 2 = 4 points, whatever the evidence does later.
    late = {k: (D(2026, 3, 10), None) for k in ALL[:3]} | {k: (D(2026, 4, 10), None) for k in ALL[3:]}
    outcome = five_ones_outcome(late, D(2026, 4, 15))
    assert (outcome.status, outcome.points_lost, outcome.deadline) == (Status.MISSED, 4, D(2026, 3, 31))
    assert outcome.reason == (
        "五个一（每年）有计划 3/5 项（截止 2026年3月31日），有佐证 0/5 项（截止 2026年12月31日），"
        "缺计划：开辟一条增收门路、解决一批突出问题"
    )


def test_five_ones_pending_until_the_evidence_deadline_then_missed_per_target() -> None:
    """All planned on time, evidence for two: pending in June, at risk within 30 days (local
    default) of 12-31, missed after it with 3 × 2 = 6 points."""
    targets = {k: (D(2026, 2, 1), D(2026, 5, 1) if k in ALL[:2] else None) for k in ALL}
    assert five_ones_outcome(targets, D(2026, 6, 30)).status == Status.PENDING
    assert five_ones_outcome(targets, D(2026, 12, 10)).status == Status.AT_RISK
    outcome = five_ones_outcome(targets, D(2027, 1, 5))
    assert (outcome.status, outcome.done, outcome.points_lost) == (Status.MISSED, 2, 6)
    # Nothing at all: 5 × 2 = 10, the cap.
    assert five_ones_outcome({}, D(2027, 1, 5)).points_lost == 10


def test_evidence_entered_after_the_as_of_date_does_not_count() -> None:
    targets = {k: (D(2026, 2, 1), D(2026, 11, 1)) for k in ALL}
    assert five_ones_outcome(targets, D(2026, 10, 31)).done == 0
    assert five_ones_outcome(targets, D(2026, 11, 1)).status == Status.MET


# ---------------------------------------------------------------- the public's evaluation (shangnan)

QUESTIONS = (("help", 50), ("style", 25), ("results", 25))  # shangnan.yaml (local default)


def test_seven_satisfied_two_basic_one_unsatisfied() -> None:
    """Shangnan's profile: 满意 100, 基本满意 80, 不满意 0, worth 20 points (local defaults).
    7 满意, 2 基本满意, 1 不满意 on every question: 满意率 = 9/10 = 90 %; score = (7 × 100 +
    2 × 80 + 0) / 10 = 86; points = 20 × 86 / 100 = 17.2; lost 2.8."""
    rules = load_profile("shangnan").public_evaluation
    assert rules is not None
    counts = {q: {"satisfied": 7, "basic": 2, "unsatisfied": 1} for q, _ in QUESTIONS}
    score = score_evaluation(EvaluationFact(10, QUESTIONS, counts), rules)
    assert (score.rate, score.score, score.points, score.lost, score.counted) == (
        Decimal("90.00"), Decimal("86.00"), Decimal("17.20"), Decimal("2.80"), True,
    )  # fmt: skip


def test_questions_are_weighted_and_the_rate_stays_within_100() -> None:
    """help (50): 10 满意 → 100; style (25): 10 不满意 → 0; results (25): 5 满意 5 基本满意 → 90.
    score = (50 × 100 + 25 × 0 + 25 × 90) / 100 = 72.5 → 14.5 of 20. 满意率 = 20/30 = 66.67 %."""
    rules = load_profile("shangnan").public_evaluation
    assert rules is not None
    counts = {"help": {"satisfied": 10}, "style": {"unsatisfied": 10}, "results": {"satisfied": 5, "basic": 5}}
    score = score_evaluation(EvaluationFact(10, QUESTIONS, counts), rules)
    assert (score.rate, score.score, score.points) == (Decimal("66.67"), Decimal("72.50"), Decimal("14.50"))
    every = {q: {"satisfied": 10} for q, _ in QUESTIONS}
    assert score_evaluation(EvaluationFact(10, QUESTIONS, every), rules).rate == Decimal("100.00")


def test_too_few_respondents_are_not_weighed_in() -> None:
    """Fewer than 10 respondents (local default): the rate is shown, no points are lost."""
    rules = load_profile("shangnan").public_evaluation
    assert rules is not None
    counts = {q: {"unsatisfied": 9} for q, _ in QUESTIONS}
    score = score_evaluation(EvaluationFact(9, QUESTIONS, counts), rules)
    assert (score.rate, score.points, score.lost, score.counted) == (Decimal("0.00"), None, Decimal(0), False)
    assert score_evaluation(None, rules).counted is False


# ---------------------------------------------------------------- commitments (shangnan, anhui)


def test_commitments_cost_their_outcomes_and_the_review_capped() -> None:
    """Shangnan's profile: 部分兑现 1, 未兑现 2 a commitment; 评议 好 0, 较好 2, 一般 5, 差 10; at
    most 10; a commitment without a report after 12-31 is 未兑现 (local defaults)."""
    rules = load_profile("shangnan").commitments
    assert rules is not None
    # done, partly → 1; 较好 → 2; 3.
    assert commitment_lost(
        CommitmentFact(("done", "partly"), "fairly_good"), rules, year=2026, as_of=D(2027, 1, 5)
    ) == Decimal(3)
    # done, partly, not reported: before 12-31 the unreported one costs nothing (1); after, 2 more.
    fact = CommitmentFact(("done", "partly", ""), "")
    assert commitment_lost(fact, rules, year=2026, as_of=D(2026, 12, 31)) == Decimal(1)
    assert commitment_lost(fact, rules, year=2026, as_of=D(2027, 1, 1)) == Decimal(3)
    # not_done, not_done, 一般: 2 + 2 + 5 = 9; 差 instead: 14 → capped at 10.
    assert commitment_lost(CommitmentFact(("not_done",) * 2, "average"), rules, year=2026, as_of=D(2027, 1, 1)) == 9
    assert commitment_lost(CommitmentFact(("not_done",) * 2, "poor"), rules, year=2026, as_of=D(2027, 1, 1)) == 10


def test_which_profiles_weigh_what() -> None:
    """五个一 only in Jincheng (seed 000); the public's evaluation only in Shangnan (seed 002);
    commitments in Shangnan (seed 002) and Anhui (seed 004 doc 2 作出公开承诺)."""
    profiles = {key: load_profile(key) for key in ("jincheng", "shangnan", "anhui", "shanghai", "suifenhe")}
    assert {k for k, p in profiles.items() if p.obligation("five_ones")} == {"jincheng"}
    assert {k for k, p in profiles.items() if p.public_evaluation} == {"shangnan"}
    assert {k for k, p in profiles.items() if p.commitments} == {"shangnan", "anhui"}


# ---------------------------------------------------------------- stored by the evaluation run


def test_shangnan_assessment_weighs_the_survey_and_the_commitments(world_factory: Any) -> None:
    """A: 7 满意, 2 基本满意, 1 不满意 on every question → 17.2 of 20 (lost 2.8); commitments done,
    partly, with 较好 → 3; 100 − 2.8 − 3 = 94.2. B: no survey, no commitment → 100. C: 9
    respondents (under 10: not counted) → 100. U1 = (94.2 + 100) / 2 = 97.1."""
    w = world_factory("shangnan")
    questions = [{"id": q, "text": q, "weight": weight} for q, weight in QUESTIONS]
    answers = (
        [{q: "satisfied" for q, _ in QUESTIONS}] * 7
        + [{q: "basic" for q, _ in QUESTIONS}] * 2
        + [{q: "unsatisfied" for q, _ in QUESTIONS}]
    )
    survey(w.a, 2026, questions, answers)
    commitments(w.a, 2026, ["done", "partly"], review="fairly_good")
    survey(w.c, 2026, questions, [{q: "unsatisfied" for q, _ in QUESTIONS}] * 9)
    run(w, D(2027, 1, 10))
    row = PairStatus.objects.get(pairing=w.a, year=2026)
    assert (row.evaluation_respondents, row.evaluation_rate, row.evaluation_points, row.evaluation_lost) == (
        10, Decimal("90.00"), Decimal("17.20"), Decimal("2.80"),
    )  # fmt: skip
    assert (row.commitment_lost, row.commitment_review, row.score) == (Decimal(3), "fairly_good", Decimal("94.20"))
    assert stored(w.b).score == 100
    c = PairStatus.objects.get(pairing=w.c, year=2026)
    assert (c.evaluation_respondents, c.evaluation_points, c.score) == (9, None, 100)
    assert unit_score(w, True) == (Decimal("97.10"), 2)


def test_a_profile_without_the_practice_ignores_its_rows(world_factory: Any) -> None:
    """Shanghai's seed has neither a survey nor commitments: rows of both weigh nothing."""
    w = world_factory("shanghai")
    survey(w.a, 2026, [{"id": "help", "text": "help", "weight": 1}], [{"help": "unsatisfied"}] * 12)
    commitments(w.a, 2026, ["not_done"], review="poor")
    run(w, D(2027, 1, 10))
    row = PairStatus.objects.get(pairing=w.a, year=2026)
    assert (row.evaluation_points, row.evaluation_lost, row.commitment_lost) == (None, 0, 0)


def test_jincheng_pair_without_five_ones_loses_its_points(world_factory: Any) -> None:
    """A Jincheng pair that planned and proved all five targets keeps them; one that did
    nothing loses 10 on 五个一 (with 12 missing cards and 五送, as the year test shows)."""
    w = world_factory("jincheng")
    five_ones(w.a, 2026, D(2026, 3, 1), D(2026, 10, 1))
    run(w, D(2027, 1, 10))
    assert stored(w.a).obligations["five_ones"] == "met"
    assert stored(w.b).obligations["five_ones"] == "missed"
    assert "缺计划" in stored(w.b).reasons["five_ones"]
