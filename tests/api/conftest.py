"""Fixtures of the API tests: a signed pairing on the standing cast (as the archive's tests)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings as SettingsFixture

from gongjian.rounds.models import Pairing
from tests.conftest import Cast
from tests.records.conftest import backdate_term, sign_pairing
from tests.rounds.conftest import make_round


@pytest.fixture(autouse=True)
def _media(settings: SettingsFixture, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def signed(cast: Cast) -> Pairing:
    """商南县农业农村局 and 花家村, signed, with a term that began 1 January of last year."""
    round_ = make_round(cast)
    pairing = sign_pairing(cast, round_)
    backdate_term(round_, datetime.date(datetime.date.today().year - 1, 1, 1))
    return Pairing.objects.select_related("round", "unit", "village").get(pk=pairing.pk)
