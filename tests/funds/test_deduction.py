"""公益性捐赠税前扣除: hand-computed cases of the 12 %-of-profit limit and the three-year
carry-forward, with the numbers read from a policy profile (a temporary POLICY_DIR)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from gongjian.funds.deduction import CarriedItem, TaxRule, compute_deduction, tax_rule
from tests.conftest import Cast, profile_without

D = Decimal
RULE = TaxRule(limit_percent=D("12"), carry_forward_years=3)


@pytest.fixture
def policy_dir(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    source = Path(settings.BASE_DIR) / "policies"
    (tmp_path / "shanghai.yaml").write_text((source / "shanghai.yaml").read_text("utf-8"), "utf-8")
    shangnan = profile_without((source / "shangnan.yaml").read_text("utf-8"), "funds_tax")
    (tmp_path / "shangnan.yaml").write_text(shangnan, "utf-8")
    settings.POLICY_DIR = tmp_path
    return tmp_path


def test_rule_comes_from_the_profile_only(policy_dir: Path) -> None:
    rule = tax_rule("shanghai")
    assert rule is not None and (rule.limit_percent, rule.carry_forward_years) == (D("12"), 3)
    assert tax_rule("shangnan") is None  # no funds_tax block: no number invented in code
    (policy_dir / "shangnan.yaml").write_text(
        (policy_dir / "shangnan.yaml").read_text("utf-8") + "\nfunds_tax: {deduction_limit_percent: 10}\n", "utf-8"
    )
    partial = tax_rule("shangnan")
    assert partial is not None and partial.carry_forward_years is None


def test_within_and_over_the_limit() -> None:
    r = compute_deduction(year=2026, profit=D("1000000"), donations=D("150000"), rule=RULE)
    assert (r.limit, r.deducted_current, r.excess, r.carry_until) == (D("120000.00"), D("120000"), D("30000"), 2029)
    r = compute_deduction(year=2026, profit=D("1000000"), donations=D("80000.10"), rule=RULE)
    assert (r.deductible_total, r.excess, r.carry_until) == (D("80000.10"), D("0"), None)
    # 333,333.33 × 12 % = 39,999.9996 → ¥40,000.00 (rounded to the fen, half up)
    assert compute_deduction(year=2026, profit=D("333333.33"), donations=D("0"), rule=RULE).limit == D("40000.00")


def test_carried_amounts_go_first_oldest_first_and_expire() -> None:
    r = compute_deduction(
        year=2026,
        profit=D("500000"),  # limit 60,000
        donations=D("20000"),
        rule=RULE,
        carried=[CarriedItem(2025, D("70000")), CarriedItem(2022, D("5000")), CarriedItem(2023, D("10000"))],
    )
    assert r.limit == D("60000.00")
    assert r.deducted_carried == [CarriedItem(2023, D("10000")), CarriedItem(2025, D("50000.00"))]
    assert r.still_carried == [CarriedItem(2025, D("20000.00"))]
    assert r.expired == [CarriedItem(2022, D("5000"))]  # 2022 + 3 < 2026
    assert (r.deducted_current, r.excess, r.carry_until, r.deductible_total) == (
        D("0"),
        D("20000"),
        2029,
        D("60000.00"),
    )


def test_a_loss_year_deducts_nothing_and_last_year_carries_expire() -> None:
    r = compute_deduction(
        year=2026, profit=D("-100000"), donations=D("8000"), rule=RULE, carried=[CarriedItem(2023, D("1000"))]
    )
    assert (r.limit, r.deductible_total, r.excess, r.carry_until) == (D("0.00"), D("0.00"), D("8000"), 2029)
    assert r.expired == [CarriedItem(2023, D("1000"))]  # its third year passed without room


def test_without_carry_forward_years_only_the_excess_is_shown() -> None:
    r = compute_deduction(
        year=2026, profit=D("100"), donations=D("50"), rule=TaxRule(D("12"), None), carried=[CarriedItem(2025, D("9"))]
    )
    assert (r.deductible_total, r.excess, r.carry_until, r.deducted_carried) == (D("12.00"), D("38.00"), None, [])


def test_money_must_be_decimal() -> None:
    with pytest.raises(TypeError):
        compute_deduction(year=2026, profit=1000.0, donations=D("1"), rule=RULE)  # type: ignore[arg-type]


def test_calculator_page(cast: Cast, policy_dir: Path) -> None:
    client = Client()
    client.force_login(cast.unit_user)
    url = reverse("funds:calculator")
    page = client.get(url, {"policy": "shanghai", "year": "2026", "profit": "1000000", "donations": "150000"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "¥120,000.00" in text and "¥30,000.00" in text and "可结转至 2029 年度" in text
    assert "直接拨付给村的帮扶资金不能税前扣除" in text and "第九条" in text
    bad = client.get(url, {"policy": "shanghai", "year": "2026", "profit": "abc", "donations": "150000"})
    assert bad.status_code == 400 and 'value="abc"' in bad.content.decode()


def test_calculator_without_a_profile_rule(cast: Cast, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = Path(settings.BASE_DIR) / "policies" / "shangnan.yaml"
    (tmp_path / "shangnan.yaml").write_text(profile_without(source.read_text("utf-8"), "funds_tax"), "utf-8")
    settings.POLICY_DIR = tmp_path
    client = Client()
    client.force_login(cast.unit_user)
    text = client.get(
        reverse("funds:calculator"), {"profit": "1000", "donations": "1", "year": "2026"}
    ).content.decode()
    assert "未设定公益性捐赠扣除比例" in text and "¥120" not in text
