"""Issue 16 point 6 — the dual-hundred (双百分) of seed 004 doc 3 (Suifenhe) is the performance
pay of village party secretaries, not a reward or penalty for helping units:

  "“雙百分”績效考核,每增加1分獎勵50元,每扣1分相應扣去50元,貢獻獎即為創收獎,按各村創收的10%
  標準返還給各行政村" … "為全市7名現任村黨支部書記全部辦理了基本養老保險和醫療保險,當年由市財政
  為村黨組織書記補貼“兩險”保費" … "對19名連續任職或累計任職不滿10年的,給予一次性離任補助;對4名
  連續任職10年以上的,按照本村現任黨組織書記年基礎補貼的30%,發放了離任定期生活補貼".

Units are assessed as each place's own document says (Shanghai: "納入年度基層黨建責任制考核內容",
no money). Pure: no database.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from gongjian.compliance.assess import score_pair
from gongjian.compliance.evaluate import PairFacts, evaluate_pair
from gongjian.policies import load_profile, profile_keys

D = datetime.date


def test_a_units_assessment_carries_no_money() -> None:
    # A Shanghai pair that missed its in-charge and department visits in 2026: its score drops
    # (the responsibility assessment), but no seed pays or fines a helping unit per point.
    profile = load_profile("shanghai")
    pair = PairFacts(pairing_id=1, unit_id=10, village_id=20, term_start=D(2025, 7, 1), term_end=D(2028, 6, 30))
    score = score_pair(evaluate_pair(pair, profile.obligations, year=2026, as_of=D(2027, 1, 31)), profile.assessment)
    assert score.points_lost > 0
    money = {k: v for k, v in dataclasses.asdict(score).items() if k in ("yuan", "money", "reward")}
    assert money == {}
    for key in profile_keys():
        # the assessment section admits no such key: a profile that set one would not load
        assert not hasattr(load_profile(key).assessment, "yuan_per_point"), key


def test_a_village_secretarys_pay_under_the_dual_hundred() -> None:
    from gongjian.compliance.secretaries import SecretaryYear, secretary_pay

    rules = load_profile("suifenhe").secretaries
    assert rules is not None
    # 104 points (4 above the mark of 100 → +¥200), village income ¥30,000 (10 % → ¥3,000),
    # base subsidy ¥20,000, two-insurance premiums ¥4,400 paid by the city.
    pay = secretary_pay(
        SecretaryYear(score=Decimal(104), base_yuan=Decimal(20000), village_income=Decimal(30000),
                      insurance_premiums=Decimal(4400)),
        rules,
    )  # fmt: skip
    assert (pay.performance, pay.contribution, pay.insurance_subsidy) == (200, 3000, 4400)
    assert pay.total == Decimal(20000 + 200 + 3000)  # the subsidy goes to the insurer, not the pay
    # 97 points → 3 below → −¥150.
    low = secretary_pay(SecretaryYear(score=Decimal(97), base_yuan=Decimal(20000)), rules)
    assert (low.performance, low.total) == (-150, Decimal(19850))


def test_departure_subsidy_long_consecutive_service_is_periodic() -> None:
    from gongjian.compliance.secretaries import departure_subsidy

    rules = load_profile("suifenhe").secretaries
    assert rules is not None
    # 12 years in a row, the village's current secretary's base subsidy ¥24,000 → 30 % a year.
    periodic = departure_subsidy(consecutive_years=12, total_years=12, current_base_yuan=Decimal(24000), rules=rules)
    assert (periodic.kind, periodic.yearly_yuan) == ("periodic", Decimal(7200))
    # 12 years in two spells of 6: not 10 in a row → one-time grant (the seed gives no amount).
    split = departure_subsidy(consecutive_years=6, total_years=12, current_base_yuan=Decimal(24000), rules=rules)
    assert (split.kind, split.yearly_yuan) == ("one_time", None)
    # Exactly 10 in a row counts ("10年以上").
    ten = departure_subsidy(consecutive_years=10, total_years=10, current_base_yuan=Decimal(20000), rules=rules)
    assert (ten.kind, ten.yearly_yuan) == ("periodic", Decimal(6000))


def test_only_suifenhe_has_the_dual_hundred() -> None:
    holders = {key for key in profile_keys() if getattr(load_profile(key), "secretaries", None) is not None}
    assert holders == {"suifenhe"}
