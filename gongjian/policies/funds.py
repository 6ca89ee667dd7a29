"""``funds_tax:`` — 公益性捐赠税前扣除 (seed 004 doc 1 (十一); 《企业所得税法》第九条): the share of
the year's total profit deductible, and the years an excess carries forward. Absent where a
profile does not set the rule (the calculator then does not offer that profile)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gongjian.policies.reader import Reader


@dataclass(frozen=True)
class FundsTaxRules:
    limit_percent: Decimal  # deductible within this % of the year's total profit (利润总额)
    carry_forward_years: int | None  # None: the profile does not say; only the excess is shown


def parse(file: str, value: Any, done: Mapping[str, Any]) -> FundsTaxRules | None:
    if value is None:
        return None
    reader = Reader(file, value, "funds_tax")
    reader.only({"deduction_limit_percent", "carry_forward_years"})
    percent = reader.percent("deduction_limit_percent")
    if percent == 0:
        raise reader.fail("deduction_limit_percent", "应大于 0")
    return FundsTaxRules(limit_percent=percent, carry_forward_years=reader.optional_integer("carry_forward_years"))
