"""A round on the standing cast: the city's villages in the directory, its units taking part."""

from __future__ import annotations

import datetime

import pytest

from gongjian.orgs.models import Organization
from gongjian.rounds.models import Round
from gongjian.rounds.services_setup import round_create, round_open
from tests.conftest import Cast


def make_round(
    cast: Cast, *, open_it: bool = True, days: int = 30, scope: Organization | None = None, **extra: object
) -> Round:
    today = datetime.date.today()
    round_ = round_create(
        actor=cast.city_admin,
        scope=scope or cast.city,
        name="2026年城乡结对",
        policy_key="shangnan",
        intent_deadline=today + datetime.timedelta(days=days),
        signing_deadline=today + datetime.timedelta(days=days + 60),
        term_start=today + datetime.timedelta(days=days + 60),
        term_end=today + datetime.timedelta(days=days + 60 + 3 * 365),
        **extra,  # type: ignore[arg-type]
    )
    return round_open(actor=cast.city_admin, round_=round_) if open_it else round_


@pytest.fixture
def open_round(cast: Cast) -> Round:
    return make_round(cast)
