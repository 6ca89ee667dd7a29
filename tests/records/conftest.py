"""A signed pairing on the standing cast: 商南县农业农村局 (unit) with 花家村 (village), taken
to signed through the rounds services, its term then put a year back so that records and
monthly cards fall inside it."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings as SettingsFixture

from gongjian.rounds.models import Pairing, PairingStatus, Round
from gongjian.rounds.services_agreement import agreement_generate, agreement_sign
from gongjian.rounds.services_allocation import allocation_publish, allocation_run
from gongjian.rounds.services_pairing import pairing_confirm
from tests.conftest import Cast
from tests.rounds.conftest import make_round


@pytest.fixture(autouse=True)
def _media(settings: SettingsFixture, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def sign_pairing(cast: Cast, round_: Round) -> Pairing:
    run = allocation_run(actor=cast.city_admin, round_=round_, pins=[(cast.unit.pk, cast.village.pk)])
    allocation_publish(actor=cast.city_admin, run=run)
    pairing = Pairing.objects.get(round=round_, unit=cast.unit, village=cast.village)
    pairing_confirm(actor=cast.unit_user, pairing=pairing)
    pairing = pairing_confirm(actor=cast.village_user, pairing=pairing)
    agreement_generate(actor=cast.unit_user, pairing=pairing)
    agreement_sign(actor=cast.unit_user, pairing=pairing, signer_name="李建国", signer_post="党委书记")
    agreement_sign(actor=cast.village_user, pairing=pairing, signer_name="张秀英", signer_post="党支部书记")
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.SIGNED
    return pairing


def backdate_term(round_: Round, start: datetime.date) -> None:
    """The round's term began on ``start`` (a round cannot be created with past dates)."""
    Round.objects.filter(pk=round_.pk).update(term_start=start, term_end=start.replace(year=start.year + 3))


@pytest.fixture
def signed(cast: Cast) -> Pairing:
    """The unit and 花家村, signed, with a term that began 1 January of last year."""
    round_ = make_round(cast)
    pairing = sign_pairing(cast, round_)
    backdate_term(round_, datetime.date(datetime.date.today().year - 1, 1, 1))
    return Pairing.objects.select_related("round", "unit", "village").get(pk=pairing.pk)
