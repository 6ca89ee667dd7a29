"""Village party secretaries' annual pay under the dual-hundred (双百分), pure (seed 004 doc 3,
Suifenhe): "“雙百分”績效考核,每增加1分獎勵50元,每扣1分相應扣去50元,貢獻獎即為創收獎,按各村創收的
10%標準返還給各行政村"; the city subsidises the two insurances' premiums (兩險); secretaries who
leave get a one-time grant, or, after 10 years or more in a row, a yearly living subsidy of 30 %
of the village's current secretary's annual base subsidy.

This is the village secretaries' assessment, not the helping units': units are assessed by
:mod:`gongjian.compliance.assess` as each place's document says. The numbers come from the
profile's ``secretaries:`` section (:class:`gongjian.policies.SecretaryRules`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from gongjian.policies import SecretaryRules

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class SecretaryYear:
    """What the year's assessment of one village secretary gives: the dual-hundred score, the
    annual base subsidy (年基础补贴), the village's created income (创收) and the premiums of
    the basic pension and medical insurance (两险)."""

    score: Decimal
    base_yuan: Decimal
    village_income: Decimal = Decimal(0)
    insurance_premiums: Decimal = Decimal(0)


@dataclass(frozen=True)
class SecretaryPay:
    """One secretary's year: base + performance (± per point) + contribution award = pay; the
    insurance subsidy is paid by the city to the insurer and shown beside the pay."""

    base: Decimal
    performance: Decimal
    contribution: Decimal
    insurance_subsidy: Decimal

    @property
    def total(self) -> Decimal:
        return self.base + self.performance + self.contribution


def secretary_pay(year: SecretaryYear, rules: SecretaryRules) -> SecretaryPay:
    """The year's pay of a village secretary under ``rules``."""
    return SecretaryPay(
        base=_money(year.base_yuan),
        performance=_money((year.score - rules.mark) * rules.yuan_per_point),
        contribution=_money(max(year.village_income, Decimal(0)) * rules.contribution_percent / HUNDRED),
        insurance_subsidy=_money(year.insurance_premiums * rules.insurance_subsidy_percent / HUNDRED),
    )


@dataclass(frozen=True)
class DepartureSubsidy:
    """``periodic``: ``yearly_yuan`` every year; ``one_time``: a grant whose amount the seed does
    not fix (entered by the finance office), so ``yearly_yuan`` is None."""

    kind: Literal["periodic", "one_time"]
    yearly_yuan: Decimal | None


def departure_subsidy(
    *, consecutive_years: int, total_years: int, current_base_yuan: Decimal, rules: SecretaryRules
) -> DepartureSubsidy:
    """离任补贴 of a secretary who left normally: only service in a row counts for the periodic
    subsidy ("連續任職10年以上"); cumulative service below it, or any shorter, gets the one-time
    grant ("連續任職或累計任職不滿10年的,給予一次性離任補助")."""
    if consecutive_years > total_years:
        raise ValueError("consecutive_years > total_years")
    if consecutive_years >= rules.departure.long_service_years:
        return DepartureSubsidy("periodic", _money(current_base_yuan * rules.departure.periodic_percent / HUNDRED))
    return DepartureSubsidy("one_time", None)
