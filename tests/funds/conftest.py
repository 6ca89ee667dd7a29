"""Signed pairings on the standing cast, for the funds tests.

The round goes through its services up to an open directory; the pairings themselves are
written directly as signed (how they got signed is the rounds app's business, tested there).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongjian.orgs.models import Organization
from gongjian.rounds.models import DirectoryEntry, Pairing, PairingOrigin, PairingStatus, Round
from tests.conftest import Cast, make_user
from tests.rounds.conftest import make_round


def make_pairing(round_: Round, unit: Organization, village: Organization) -> Pairing:
    entry = DirectoryEntry.objects.get(round=round_, village=village)
    return Pairing.objects.create(
        round=round_,
        entry=entry,
        unit=unit,
        village=village,
        origin=PairingOrigin.ALLOCATION,
        status=PairingStatus.SIGNED,
    )


@dataclass
class Pairs:
    round: Round
    main: Pairing  # 农业农村局 — 花家村 (weak)
    second: Pairing  # 农业农村局 — 王家沟村
    sibling: Pairing  # 丹凤县医院 — 清泉村 (the sibling county)
    other_donor: Pairing  # 丹凤县医院 — 花家村: a second donor of the same village


@pytest.fixture
def pairs(cast: Cast) -> Pairs:
    return make_pairs(cast)


def make_pairs(cast: Cast) -> Pairs:
    """Four signed pairings on the cast (also used by the portal's disclosure tests)."""
    round_ = make_round(cast)
    return Pairs(
        round=round_,
        main=make_pairing(round_, cast.unit, cast.village),
        second=make_pairing(round_, cast.unit, cast.other_village),
        sibling=make_pairing(round_, cast.sibling_unit, cast.sibling_village),
        other_donor=make_pairing(round_, cast.sibling_unit, cast.village),
    )


@pytest.fixture
def sibling_unit_user(cast: Cast):  # type: ignore[no-untyped-def]
    return make_user("hospital", "unit_user", cast.sibling_unit)


@pytest.fixture
def sibling_village_user(cast: Cast):  # type: ignore[no-untyped-def]
    return make_user("qingquan", "village_user", cast.sibling_village)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Vouchers go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


def voucher(name: str = "凭证.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% voucher\n", content_type="application/pdf")
