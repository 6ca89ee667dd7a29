"""The pure evaluation and assessment (no database: these tests have no ``db`` fixture, so any
query would fail them)."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from gongjian.compliance.assess import YearRecord, adjust_reason, rank_within, score_pair
from gongjian.compliance.evaluate import CardFact, PairFacts, Status, evaluate_pair
from gongjian.policies import load_profile

D = datetime.date


def facts(**extra: object) -> PairFacts:
    base = PairFacts(pairing_id=1, unit_id=10, village_id=20, term_start=D(2025, 7, 1), term_end=D(2028, 6, 30))
    return dataclasses.replace(base, **extra)  # type: ignore[arg-type]


def outcome(result, obligation_id):  # type: ignore[no-untyped-def]
    return next(o for o in result.outcomes if o.obligation_id == obligation_id)


def test_the_term_visit_is_missed_only_in_the_year_the_term_ends() -> None:
    obligations = load_profile("shanghai").obligations
    pair = facts(village_tags=frozenset({"lax"}))
    in_2026 = evaluate_pair(pair, obligations, year=2026, as_of=D(2027, 1, 31))
    assert outcome(in_2026, "visit_principal").status == Status.PENDING
    # 2028: the year is cut at the term's end, 2028-06-30; no leader ever came → missed.
    in_2028 = evaluate_pair(pair, obligations, year=2028, as_of=D(2028, 7, 15))
    leaders = outcome(in_2028, "visit_principal")
    assert (leaders.status, leaders.deadline, leaders.points_lost) == (Status.MISSED, D(2028, 6, 30), 10)
    assert outcome(in_2028, "visit_in_charge").deadline == D(2028, 6, 30)
    # A year outside the term has no obligations at all.
    assert evaluate_pair(pair, obligations, year=2029, as_of=D(2029, 12, 31)).outcomes == ()


def test_a_term_starting_mid_year_asks_for_cards_from_its_first_month_only() -> None:
    cards = {m: CardFact(D(2025, m + 1, 2), D(2025, m + 1, 4)) for m in range(7, 12)}
    cards[12] = CardFact(D(2026, 1, 2), D(2026, 1, 4))
    result = evaluate_pair(facts(cards=cards), load_profile("jincheng").obligations, year=2025, as_of=D(2026, 1, 31))
    cards_outcome = outcome(result, "performance_cards")
    assert (cards_outcome.status, cards_outcome.done, cards_outcome.required) == (Status.MET, 6, 6)


def test_work_done_after_an_early_deadline_does_not_count() -> None:
    obligations = load_profile("town_quarterly").obligations
    late = facts(six_musts={"work_plan": {7: 1}})  # due 06-30, done in July
    on_time = facts(six_musts={"work_plan": {6: 1}})
    assert outcome(evaluate_pair(late, obligations, year=2026, as_of=D(2026, 12, 31)), "work_plan").status == (
        Status.MISSED
    )
    assert outcome(evaluate_pair(on_time, obligations, year=2026, as_of=D(2026, 12, 31)), "work_plan").status == (
        Status.MET
    )


def test_points_each_is_capped_and_bonus_counts_whole_steps() -> None:
    profile = load_profile("shanghai")
    rich = facts(village_tags=frozenset({"weak"}), funds_paid={3: Decimal("29999.99"), 9: Decimal(50000)})
    result = evaluate_pair(rich, profile.obligations, year=2026, as_of=D(2027, 1, 31))
    # ¥79,999.99 − ¥20,000 = ¥59,999.99 → 5 whole steps of ¥10,000 → +5 (cap 5);
    # in-charge visits 0/2 → 2 × 5 = 10 (cap 10), department visits 0/2 → 10. 100 − 20 + 5 = 85.
    score = score_pair(result, profile.assessment)
    assert (score.score, score.bonus, score.points_lost) == (85, 5, 20)


def test_competition_ranking_within_each_committee() -> None:
    scores = {1: Decimal(90), 2: Decimal(95), 3: Decimal(90), 4: Decimal(80), 5: Decimal(70)}
    groups = {1: "a", 2: "a", 3: "a", 4: "a", 5: "b"}
    assert rank_within(scores, groups) == {2: 1, 1: 2, 3: 2, 4: 4, 5: 1}


def test_adjustment_needs_consecutive_years() -> None:
    rules = load_profile("anhui").assessment
    gap = [YearRecord(2024, 1, Decimal(95)), YearRecord(2025, 0, Decimal(100)), YearRecord(2026, 1, Decimal(95))]
    assert adjust_reason(gap, rules, 2026) == ""
    run = [YearRecord(2025, 2, Decimal(90)), YearRecord(2026, 1, Decimal(95))]
    assert adjust_reason(run, rules, 2026) == "连续 2 年有义务未完成"
