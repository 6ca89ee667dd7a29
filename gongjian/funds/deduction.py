"""公益性捐赠税前扣除: how much of an enterprise's donations through qualifying public-welfare
bodies may be deducted before enterprise income tax, and what carries forward.

The rule (seed 004 doc 1 (11); 《中华人民共和国企业所得税法》第九条，2017年修正):
  donations within ``limit_percent`` % of the year's total profit (利润总额) are deductible;
  the excess may be carried forward and deducted within the next ``carry_forward_years``
  years (财税〔2018〕15号: carried amounts are deducted first, the oldest first, and the
  current year's after them, all within the same limit; the years count from the year after
  the donation).
Only donations through public-welfare social organisations or governments at county level
and above count — money the unit paid the village directly does not.

Both numbers are policy: they come from the round's profile (``funds_tax`` block), never
from code. A profile without ``carry_forward_years`` shows only the excess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from gongjian.policies import PolicyProfileError, load_profile, profile_keys

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class TaxRule:
    limit_percent: Decimal
    carry_forward_years: int | None  # None: the profile does not say; only the excess is shown
    profile_key: str = ""
    profile_label: str = ""


def tax_rule(policy_key: str) -> TaxRule | None:
    """The deduction rule of a policy profile, or None if it has no ``funds_tax`` section."""
    try:
        profile = load_profile(policy_key)
    except PolicyProfileError:
        return None
    if profile.funds_tax is None:
        return None
    rules = profile.funds_tax
    return TaxRule(
        rules.limit_percent, rules.carry_forward_years, profile_key=policy_key, profile_label=profile.label
    )


def profiles_with_tax_rule() -> list[TaxRule]:
    """Every shipped profile that sets the rule (for the calculator's choice)."""
    rules = []
    for key in profile_keys():
        try:
            rule = tax_rule(key)
        except PolicyProfileError:
            continue
        if rule is not None:
            rules.append(rule)
    return rules


@dataclass(frozen=True)
class CarriedItem:
    year: int  # the year the donation was made
    amount: Decimal  # what is still to be deducted


@dataclass
class DeductionResult:
    year: int
    profit: Decimal
    donations: Decimal
    limit: Decimal  # 扣除限额 = max(profit, 0) × percent
    deducted_carried: list[CarriedItem] = field(default_factory=list)
    expired: list[CarriedItem] = field(default_factory=list)  # past the carry-forward years
    deducted_current: Decimal = ZERO
    excess: Decimal = ZERO  # this year's donations not deducted this year
    carry_until: int | None = None  # last year the excess may be deducted
    still_carried: list[CarriedItem] = field(default_factory=list)  # earlier years' not yet deducted

    @property
    def deductible_total(self) -> Decimal:
        return self.deducted_current + sum((c.amount for c in self.deducted_carried), ZERO)


def compute_deduction(
    *, year: int, profit: Decimal, donations: Decimal, rule: TaxRule, carried: Sequence[CarriedItem] = ()
) -> DeductionResult:
    """Apply the rule. ``carried``: earlier years' donations not yet deducted."""
    for value in (profit, donations, *(c.amount for c in carried)):
        if not isinstance(value, Decimal):
            raise TypeError("金额必须是 Decimal")
    limit = (max(profit, ZERO) * rule.limit_percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    result = DeductionResult(year=year, profit=profit, donations=donations, limit=limit)
    room = limit
    if rule.carry_forward_years is not None:
        for item in sorted(carried, key=lambda c: c.year):
            age = year - item.year
            if age < 1 or item.amount <= 0:
                continue
            if age > rule.carry_forward_years:
                result.expired.append(item)
                continue
            used = min(item.amount, room)
            room -= used
            if used > 0:
                result.deducted_carried.append(CarriedItem(item.year, used))
            if item.amount > used and age < rule.carry_forward_years:
                result.still_carried.append(CarriedItem(item.year, item.amount - used))
            elif item.amount > used:
                result.expired.append(CarriedItem(item.year, item.amount - used))
    result.deducted_current = min(donations, room)
    result.excess = donations - result.deducted_current
    if result.excess > 0 and rule.carry_forward_years:
        result.carry_until = year + rule.carry_forward_years
    return result
