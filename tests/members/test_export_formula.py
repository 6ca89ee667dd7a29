"""The mobile members and "1+2" exports write no live formula: names and places typed as
formulas come out as text (see tests/core/test_formula_injection.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from gongjian.members.models import MobileMember, Villager
from gongjian.members.services_pairs import cadre_pair_create
from gongjian.orgs.models import Organization
from tests.conftest import Cast
from tests.core.test_formula_injection import LINK, PAYLOADS, assert_no_formula


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_member_export_neutralises_formulas(cast: Cast, member: MobileMember, fmt: str) -> None:
    MobileMember.objects.filter(pk=member.pk).update(location=LINK, work=PAYLOADS[3])
    client = Client()
    client.force_login(cast.city_admin)
    response = client.get(f"/members/mobile/export.{fmt}")
    assert response.status_code == 200
    assert_no_formula(response.content, fmt, LINK, PAYLOADS[3])


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_pairs_export_neutralises_formulas(  # type: ignore[no-untyped-def]
    cast: Cast, pairing, cadre, needy_member, villager, fmt: str
) -> None:
    cadre_pair_create(
        actor=cast.unit_user, pairing=pairing, cadre=cadre, needy_member=needy_member, needy_villager=villager
    )
    Villager.objects.filter(pk=villager.pk).update(difficulty=LINK)
    Organization.objects.filter(pk=cast.unit.pk).update(name=PAYLOADS[2])
    client = Client()
    client.force_login(cast.city_admin)
    response = client.get(f"/members/pairs/export.{fmt}")
    assert response.status_code == 200
    assert_no_formula(response.content, fmt, PAYLOADS[2], LINK)
