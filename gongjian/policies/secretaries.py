"""``secretaries:`` — the dual-hundred (双百分) pay, 两险 subsidy and 离任补贴 of village party
secretaries (seed 004 doc 3, Suifenhe); absent where the place's document does not pay them so."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gongjian.policies.reader import Reader


@dataclass(frozen=True)
class DepartureRules:
    """离任补贴 of village secretaries (seed 004 doc 3): 连续任职 ``long_service_years`` or more →
    a yearly living subsidy of ``periodic_percent`` % of the village's current secretary's
    annual base subsidy; shorter (or only cumulative) service → a one-time grant."""

    long_service_years: int
    periodic_percent: Decimal


@dataclass(frozen=True)
class SecretaryRules:
    """The dual-hundred (双百分) performance pay of village party secretaries (seed 004 doc 3):
    every point above or below ``mark`` is worth ``yuan_per_point``; the contribution award
    (创收奖) is ``contribution_percent`` % of the village's created income; the city pays
    ``insurance_subsidy_percent`` % of the two insurances' premiums (两险)."""

    mark: int
    yuan_per_point: Decimal
    contribution_percent: Decimal
    insurance_subsidy_percent: Decimal
    departure: DepartureRules


def _secretaries(file: str, value: Any) -> SecretaryRules | None:
    """The ``secretaries:`` section, every key required (the numbers are the place's own)."""
    if value is None:
        return None
    reader = Reader(file, value, "secretaries")
    reader.only({"mark", "yuan_per_point", "contribution_percent", "insurance_subsidy_percent", "departure"})
    departure = reader.child("departure")
    departure.only({"long_service_years", "periodic_percent"})

    def percent(part: Reader, name: str) -> Decimal:
        number = part.decimal(name)
        if number > 100:
            raise part.fail(name, "应在 0 到 100 之间")
        return number

    return SecretaryRules(
        mark=reader.integer("mark"),
        yuan_per_point=reader.decimal("yuan_per_point"),
        contribution_percent=percent(reader, "contribution_percent"),
        insurance_subsidy_percent=percent(reader, "insurance_subsidy_percent"),
        departure=DepartureRules(
            long_service_years=departure.integer("long_service_years", minimum=1),
            periodic_percent=percent(departure, "periodic_percent"),
        ),
    )


def parse(file: str, value: Any, done: Mapping[str, Any]) -> SecretaryRules | None:
    return _secretaries(file, value)
