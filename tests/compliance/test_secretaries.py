"""Village secretaries' dual-hundred pay and departure subsidies (seed 004 doc 3) through the
audited services: computed by the place's profile, only by the village's administrators,
refused (and audited) where the place's document has no such rule."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from gongjian.audit.models import AuditEntry
from gongjian.compliance.models import SecretaryDeparture, SecretaryYearPay
from gongjian.compliance.services_secretaries import (
    SecretaryActionRefused,
    secretary_departure_record,
    secretary_year_record,
)

D = datetime.date


def test_the_committee_records_a_secretarys_year_under_suifenhe(world_factory: Any) -> None:
    w = world_factory("suifenhe")
    row = secretary_year_record(
        actor=w.cast.committee_admin, village=w.cast.village, year=2026, secretary="李书记",
        score=Decimal(106), base_yuan=Decimal(22000), village_income=Decimal(45000),
        insurance_premiums=Decimal(4300),
    )  # fmt: skip
    # 6 points above 100 × ¥50 = ¥300; 10 % of ¥45,000 = ¥4,500; 22,000 + 300 + 4,500 = 26,800.
    assert (row.performance_yuan, row.contribution_yuan, row.total_yuan) == (300, 4500, 26800)
    assert row.insurance_subsidy_yuan == 4300 and row.profile_key == "suifenhe"
    # A correction replaces the year (one row per village and year), before/after audited.
    secretary_year_record(
        actor=w.cast.committee_admin, village=w.cast.village, year=2026, secretary="李书记",
        score=Decimal(98), base_yuan=Decimal(22000),
    )  # fmt: skip
    row = SecretaryYearPay.objects.get(village=w.cast.village, year=2026)
    assert (row.performance_yuan, row.total_yuan) == (-100, 21900)
    entry = AuditEntry.objects.filter(action="secretary_pay.record", success=True).latest("pk")
    assert Decimal(str(entry.before["total_yuan"])) == 26800


def test_departures_periodic_or_one_time(world_factory: Any) -> None:
    w = world_factory("suifenhe")
    long = secretary_departure_record(
        actor=w.cast.committee_admin, village=w.cast.village, secretary="王书记", left_on=D(2026, 3, 1),
        consecutive_years=11, total_years=11, current_base_yuan=Decimal(22000),
    )  # fmt: skip
    assert (long.kind, long.yearly_yuan, long.one_time_yuan) == ("periodic", Decimal("6600.00"), None)
    with pytest.raises(SecretaryActionRefused) as refused:
        secretary_departure_record(
            actor=w.cast.committee_admin, village=w.cast.village, secretary="赵书记", left_on=D(2026, 3, 1),
            consecutive_years=5, total_years=12, current_base_yuan=Decimal(22000),
        )  # fmt: skip
    assert refused.value.field == "one_time_yuan"
    short = secretary_departure_record(
        actor=w.cast.committee_admin, village=w.cast.village, secretary="赵书记", left_on=D(2026, 3, 1),
        consecutive_years=5, total_years=12, current_base_yuan=Decimal(22000), one_time_yuan=Decimal(8000),
    )  # fmt: skip
    assert (short.kind, short.yearly_yuan, short.one_time_yuan) == ("one_time", None, Decimal(8000))


def test_refused_outside_the_scope_and_where_the_place_has_no_such_rule(world_factory: Any) -> None:
    w = world_factory("suifenhe")
    for user in (w.cast.unit_user, w.cast.village_user, w.cast.sibling_admin, w.cast.outsider):
        with pytest.raises(SecretaryActionRefused):
            secretary_year_record(
                actor=user, village=w.cast.village, year=2026, secretary="李书记", score=Decimal(100),
                base_yuan=Decimal(20000),
            )  # fmt: skip
    assert AuditEntry.objects.filter(action="secretary_pay.record", success=False).count() == 4
    assert not SecretaryYearPay.objects.exists() and not SecretaryDeparture.objects.exists()


def test_shanghai_has_no_village_secretary_pay(world_factory: Any) -> None:
    w = world_factory("shanghai")
    with pytest.raises(SecretaryActionRefused) as refused:
        secretary_year_record(
            actor=w.cast.committee_admin, village=w.cast.village, year=2026, secretary="李书记",
            score=Decimal(100), base_yuan=Decimal(20000),
        )  # fmt: skip
    assert refused.value.code == "no_rule"
