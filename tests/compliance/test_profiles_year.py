"""MUST SHOW: a year of records fed into three pairs under each shipped profile; every pair's
status per obligation and its assessment score equal what the seed rules give by hand.

Pairs (see conftest): A = U1–花家村 (weak), B = U1–王家沟村 (lax), C = U2–石门村 (weak);
U1 and U2 are both units of 商南县委, the committee they are ranked in. The term runs
2025-07-01 – 2028-06-30. "Final" means evaluated for 2026 as of 2027-01-31, after every
2026 deadline (the December card is due on 5 January).
Score = 100 − points lost + bonus (local defaults; no money: seed 004 doc 3's ¥50 a point is
village secretaries' pay, tested in test_seed_dual_hundred).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from gongjian.records.choices import FiveDelivery, SixMust, VisitorLevel
from tests.compliance.conftest import (
    card,
    delivery,
    feedback,
    report,
    six_must,
    visit,
)
from tests.compliance.helpers import run, shanghai_records, stored, unit_score
from tests.compliance.practices_helpers import five_ones

D = datetime.date
FINAL = D(2027, 1, 31)
MET, PENDING, AT_RISK, MISSED = "met", "pending", "at_risk", "missed"


def test_shanghai_visits_funds_projects(world_factory: Any) -> None:
    """seed 004 doc 1 (十): the principal leader and the team members each visit at least once in
    the term; the leader in charge and the department each at least twice a year (levels not
    summed); weak villages ≥ ¥20,000 a year; every other pair has a checkable project."""
    w = world_factory("shanghai")
    shanghai_records(w)

    # Mid-year, 2026-07-15 (pro rata: 196 of 365 days gone → 2 × 0.537 = 1.07 → 1 visit due by now).
    run(w, D(2026, 7, 15))
    b, c = stored(w.b), stored(w.c)
    assert c.obligations["visit_in_charge"] == AT_RISK  # 0 done < 1 due pro rata
    assert c.obligations["funds_weak"] == PENDING  # 169 days left > 90 lead days, no pro rata for funds
    assert b.obligations["visit_in_charge"] == PENDING  # 1 done ≥ 1 due pro rata
    assert b.obligations["visit_department"] == AT_RISK  # the in-charge visit is not the department's

    # 2026-11-15: 46 days to 2026-12-31.
    run(w, D(2026, 11, 15))
    a, b, c = stored(w.a), stored(w.b), stored(w.c)
    assert a.status == MET and set(a.obligations.values()) == {MET}
    # B: in-charge 1 of 2 and department 0 of 2 with 46 ≤ 60 lead days → at risk; the term
    # visits are due 2028-06-30 → pending.
    assert b.obligations == {
        "visit_principal": PENDING, "visit_team": PENDING, "visit_in_charge": AT_RISK,
        "visit_department": AT_RISK, "projects": MET, "funds_feedback": MET,
    }  # fmt: skip
    assert b.status == AT_RISK and b.score == 100  # nothing missed yet
    assert b.reasons["visit_in_charge"] == "分管领导走访（每年）1/2 次，截止 2026年12月31日"
    assert b.deadlines["visit_in_charge"] == D(2026, 12, 31)
    # C: the team member came (met); the principal did not, but the term runs to 2028 (pending);
    # funds 0 of 20,000 with 46 ≤ 90 lead days → at risk. No funds received yet: nothing to
    # report to the donor (seed 004 (十一)).
    assert c.obligations == {
        "visit_principal": PENDING, "visit_team": MET, "visit_in_charge": AT_RISK,
        "visit_department": AT_RISK, "funds_weak": AT_RISK, "funds_feedback": MET,
    }  # fmt: skip
    assert c.reasons["funds_weak"] == "经济薄弱村帮扶资金（每年）¥0.00/¥20,000.00，截止 2026年12月31日"

    run(w, FINAL)
    a, b, c = stored(w.a), stored(w.b), stored(w.c)
    # A: all met; ¥32,000 is ¥12,000 above the mark → 1 bonus point per ¥10,000 → 100 + 1 = 101.
    assert (a.status, a.score) == (MET, 101)
    # B: in-charge 1 of 2 → 5 points; department 0 of 2 → 2 × 5 = 10; 100 − 15 = 85.
    #    The term visits are still open (deadline 2028-06-30: pending, no points lost).
    assert b.obligations == {
        "visit_principal": PENDING, "visit_team": PENDING, "visit_in_charge": MISSED,
        "visit_department": MISSED, "projects": MET, "funds_feedback": MET,
    }  # fmt: skip
    assert (b.status, b.score) == (MISSED, 85)
    # C: in-charge 0 of 2 → 10; department 0 of 2 → 10; funds 0 of ¥20,000 → 20; 100 − 40 = 60;
    #    60 < 80 → to adjust.
    assert (c.obligations["visit_in_charge"], c.obligations["visit_department"]) == (MISSED, MISSED)
    assert (c.score, c.to_adjust) == (60, True)
    assert c.adjust_reason == "年度得分 60 低于 80 分"
    assert not a.to_adjust and not b.to_adjust
    # Ranks in 商南县委: A 101 → 1, B 85 → 2, C 60 → 3.
    assert (a.rank, b.rank, c.rank) == (1, 2, 3)
    # U1 = (101 + 85) / 2 = 93, rank 1; U2 = 60, rank 2.
    assert unit_score(w, True) == (Decimal("93.00"), 1)
    assert unit_score(w, False) == (Decimal("60.00"), 2)


def test_anhui_six_annual_musts(world_factory: Any) -> None:
    """seed 004 doc 2: each year one joint meeting, one work plan, one joint party lesson, one
    cultural or sports activity, one volunteer service, one visit of condolence; poorly working
    pairs are adjusted (here: a must missed two years running, or a score below 80)."""
    w = world_factory("anhui")
    for day, kind in [
        (D(2026, 1, 20), SixMust.JOINT_MEETING),
        (D(2026, 2, 15), SixMust.WORK_PLAN),
        (D(2026, 5, 4), SixMust.PARTY_LESSON),
        (D(2026, 8, 1), SixMust.CULTURE_SPORTS),
        (D(2026, 9, 5), SixMust.VOLUNTEER),
        (D(2026, 10, 1), SixMust.CONDOLENCE),
    ]:
        six_must(w.a, day, kind)
    # B in 2025: five of six (no cultural or sports activity).
    for day, kind in [
        (D(2025, 8, 1), SixMust.JOINT_MEETING),
        (D(2025, 8, 20), SixMust.WORK_PLAN),
        (D(2025, 9, 10), SixMust.PARTY_LESSON),
        (D(2025, 10, 10), SixMust.VOLUNTEER),
        (D(2025, 12, 20), SixMust.CONDOLENCE),
    ]:
        six_must(w.b, day, kind)
    # B in 2026: four of six (no cultural or sports activity, no condolence visit).
    for day, kind in [
        (D(2026, 3, 1), SixMust.JOINT_MEETING),
        (D(2026, 3, 2), SixMust.WORK_PLAN),
        (D(2026, 6, 1), SixMust.PARTY_LESSON),
        (D(2026, 9, 9), SixMust.VOLUNTEER),
    ]:
        six_must(w.b, day, kind)
    # C: nothing in either year.

    # 2025 (term from 2025-07-01), final as of 2026-01-31.
    run(w, D(2026, 1, 31), year=2025)
    # A did nothing in 2025: 6 × 5 = 30 → 70. B: one missing → 95. C: 70.
    assert [stored(p, 2025).score for p in (w.a, w.b, w.c)] == [70, 95, 70]

    # 2026-07-15, pro rata: 6 × 196/365 = 3.2 → 3 musts due by now.
    run(w, D(2026, 7, 15))
    assert stored(w.a).obligations == {"six_musts": PENDING}  # 3 done ≥ 3
    assert stored(w.c).obligations == {"six_musts": AT_RISK}  # 0 done < 3

    # 2026-11-15: 46 ≤ 60 lead days.
    run(w, D(2026, 11, 15))
    b = stored(w.b)
    assert b.obligations == {"six_musts": AT_RISK}
    assert b.reasons["six_musts"] == "六个一（每年）4/6 项，缺：一次文体活动、一次走访慰问，截止 2026年12月31日"

    run(w, FINAL)
    a, b, c = stored(w.a), stored(w.b), stored(w.c)
    # A: 6/6 → 100; missed in 2025 but not in 2026 → not two years running.
    assert (a.status, a.score, a.to_adjust) == (MET, 100, False)
    # B: 4/6 → 2 × 5 = 10 → 90; missed in 2025 and 2026 → adjust.
    assert (b.status, b.score) == (MISSED, 90)
    assert (b.to_adjust, b.adjust_reason) == (True, "连续 2 年有义务未完成")
    # C: 0/6 → 6 × 5 = 30 (the cap) → 70; both reasons.
    assert c.score == 70
    assert c.adjust_reason == "连续 2 年有义务未完成；年度得分 70 低于 80 分"
    # U1 = (100 + 90) / 2 = 95; U2 = 70.
    assert unit_score(w, True) == (Decimal("95.00"), 1)
    assert unit_score(w, False) == (Decimal("70.00"), 2)


def test_jincheng_deliveries_and_three_cards(world_factory: Any) -> None:
    """Jincheng (seed 000): 五送 of every kind each year (count a local default), the monthly
    performance card by the 5th of the next month countersigned within 5 days, villagers'
    opinions answered within 15 days (三卡; the days are local defaults)."""
    w = world_factory("jincheng")
    for month, kind in zip((3, 5, 7, 9, 11), FiveDelivery.values, strict=True):
        delivery(w.a, D(2026, month, 8), kind)
    for month in range(1, 13):  # every card submitted on the 3rd and countersigned on the 6th
        nxt = D(2026 + month // 12, month % 12 + 1, 1)
        card(w.a, month, nxt.replace(day=3), nxt.replace(day=6))
    feedback(w.a, D(2026, 6, 1), D(2026, 6, 15))  # due 06-16
    feedback(w.a, D(2026, 9, 1), D(2026, 9, 5))
    # 五个一 (seed 000): A and B plan every target by 03-31 and prove it; C does nothing.
    five_ones(w.a, 2026, D(2026, 3, 2), D(2026, 5, 20))
    five_ones(w.b, 2026, D(2026, 3, 30), D(2026, 6, 1))

    for kind in (FiveDelivery.POLICY, FiveDelivery.INFORMATION, FiveDelivery.FUNDS):
        delivery(w.b, D(2026, 6, 6), kind)
    for month in [1, 2, 4, 5, 7, 9, 10, 11, 12]:  # no card for March and August
        nxt = D(2026 + month // 12, month % 12 + 1, 1)
        card(w.b, month, nxt.replace(day=2), nxt.replace(day=4))
    card(w.b, 6, D(2026, 7, 8), D(2026, 7, 9))  # June's card late: due 07-05
    feedback(w.b, D(2026, 4, 1), D(2026, 4, 21))  # due 04-16: answered late
    # C: nothing at all.

    # 2026-06-14: A's June opinion is unanswered, due 06-16: 2 ≤ 3 lead days → at risk.
    run(w, D(2026, 6, 14))
    a, b = stored(w.a), stored(w.b)
    assert a.obligations == {
        "five_deliveries": PENDING, "performance_cards": MET, "feedback": AT_RISK, "five_ones": MET,
    }  # fmt: skip
    assert a.status == AT_RISK
    assert a.reasons["feedback"] == "意见反馈卡答复按时完成 0/0 件；2026年6月1日收到的意见截止 2026年6月16日"
    # B: cards of January, February, April, May on time, March's (due for countersigning by
    # 04-10) missing → 4 of 5 due so far; the April opinion was answered late.
    assert b.obligations["performance_cards"] == MISSED and b.obligations["feedback"] == MISSED
    assert b.reasons["performance_cards"] == "工作实绩卡按时完成 4/5 个月，逾期：2026年3月，截止 2026年4月10日"

    run(w, FINAL)
    a, b, c = stored(w.a), stored(w.b), stored(w.c)
    # A: everything met → 100.
    assert set(a.obligations.values()) == {MET}
    assert a.score == 100
    # B: 五送 3/5 → 2 × 2 = 4; cards late for March, June, August → 3 × 1 = 3; one opinion
    #    answered late → 2; 100 − 4 − 3 − 2 = 91.
    assert b.obligations == {
        "five_deliveries": MISSED, "performance_cards": MISSED, "feedback": MISSED, "five_ones": MET,
    }  # fmt: skip
    assert (b.score, b.to_adjust) == (91, False)
    assert b.reasons["five_deliveries"] == "五送（每年）3/5 项，缺：送技术、送温暖，截止 2026年12月31日"
    # C: 五送 0/5 → 5 × 2 = 10; 12 months without a card → 12; no opinion received → nothing
    #    to answer (met); no 五个一 → 5 × 2 = 10; 100 − 32 = 68; below 80 → adjust.
    assert (c.score, c.to_adjust, c.obligations["feedback"], c.obligations["five_ones"]) == (68, True, MET, MISSED)
    # U1 = (100 + 91) / 2 = 95.5; U2 = 68.
    assert unit_score(w, True) == (Decimal("95.50"), 1)
    assert unit_score(w, False) == (Decimal("68.00"), 2)


def test_shangnan_sets_no_unit_duty_its_seed_does_not_give(world_factory: Any) -> None:
    """seed 002 gives Shangnan's units no visit count, funds, projects or three cards (those are
    Jincheng's, seed 000): records of every kind leave a Shangnan pair with nothing to miss."""
    w = world_factory("shangnan")
    visit(w.a, D(2026, 3, 1), VisitorLevel.IN_CHARGE)
    run(w, FINAL)
    assert stored(w.a).obligations == {} and stored(w.c).score == 100


def test_town_quarterly_reports(world_factory: Any) -> None:
    """seed 004 doc 5: unit organizations report to their superior every quarter; each year a
    party lesson for the village's members, 1–2 forums with the village, a work plan."""
    w = world_factory("town_quarterly")
    for quarter, day in [(1, D(2026, 4, 8)), (2, D(2026, 7, 9)), (3, D(2026, 10, 15)), (4, D(2027, 1, 8))]:
        report(w.unit1, 2026, quarter, day)  # Q3 due 10-10: late
    six_must(w.a, D(2026, 3, 1), SixMust.WORK_PLAN)
    six_must(w.a, D(2026, 4, 10), SixMust.JOINT_MEETING)
    six_must(w.a, D(2026, 5, 20), SixMust.PARTY_LESSON)
    six_must(w.b, D(2026, 8, 1), SixMust.WORK_PLAN)  # due 06-30: too late
    six_must(w.b, D(2026, 9, 1), SixMust.PARTY_LESSON)
    for day, kind in [(D(2026, 3, 3), SixMust.WORK_PLAN), (D(2026, 4, 4), SixMust.JOINT_MEETING)]:
        six_must(w.c, day, kind)
    six_must(w.c, D(2026, 5, 5), SixMust.PARTY_LESSON)
    # U2 never reports.

    # 2026-04-05: Q1 reports are due 04-10, 5 ≤ 10 lead days, neither unit has reported yet.
    run(w, D(2026, 4, 5))
    c = stored(w.c)
    assert c.obligations["quarterly_reports"] == AT_RISK
    assert c.reasons["quarterly_reports"] == "季度报告按时完成 0/0 个季度；2026年第1季度截止 2026年4月10日"
    # 2026-06-10: B's work plan is due 06-30, 20 ≤ 30 lead days.
    run(w, D(2026, 6, 10))
    assert stored(w.b).obligations["work_plan"] == AT_RISK
    assert stored(w.a).obligations["work_plan"] == MET

    run(w, FINAL)
    a, b, c = stored(w.a), stored(w.b), stored(w.c)
    # U1's Q3 report late → 5 points off each of its pairs.
    # A: 100 − 5 = 95.
    assert a.obligations == {"quarterly_reports": MISSED, "party_lesson": MET, "forum": MET, "work_plan": MET}
    assert a.score == 95
    assert a.reasons["quarterly_reports"] == "季度报告按时完成 3/4 个季度，逾期：2026年第3季度，截止 2026年10月10日"
    # B: report 5, no forum 10, work plan after 06-30 10 → 75; below 80 → adjust.
    assert b.obligations == {"quarterly_reports": MISSED, "party_lesson": MET, "forum": MISSED, "work_plan": MISSED}
    assert (b.score, b.to_adjust) == (75, True)
    # C: four quarters unreported → 4 × 5 = 20 (cap 20) → 80; 80 is not below 80.
    assert (c.score, c.to_adjust) == (80, False)
    # Pair ranks: A 95, C 80, B 75. Units: U1 (95 + 75) / 2 = 85; U2 80.
    assert (a.rank, c.rank, b.rank) == (1, 2, 3)
    assert unit_score(w, True) == (Decimal("85.00"), 1)
    assert unit_score(w, False) == (Decimal("80.00"), 2)
