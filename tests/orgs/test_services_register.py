"""A village created from the national register by its 12-digit code (issue 15, point 1)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from gongjian.audit.models import AuditEntry
from gongjian.orgs.models import Organization, OrgKind
from gongjian.orgs.services_register import village_create_from_register
from tests.conftest import Cast

SANGSHU = "611023101202"  # 桑树村委会 of 富水镇 (611023101), 商南县


def test_the_register_names_the_village_and_codes_the_town(cast: Cast) -> None:
    village = village_create_from_register(actor=cast.committee_admin, parent=cast.town, division_code=SANGSHU)
    assert (village.name, village.code, village.kind, village.parent) == (
        "桑树村党支部",
        SANGSHU,
        OrgKind.VILLAGE,
        cast.town,
    )
    assert village.region is not None and (village.region.name, village.region.division_code) == ("富水镇", "611023101")
    assert AuditEntry.objects.filter(action="organization.create", object_id=str(village.pk), success=True).exists()


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("611023999999", "不是国家行政区划名录中的村级代码"),
        ("611023101001", "不是村民委员会"),  # 富水街社区居委会: a residents' committee
        ("611023104201", "不属于“富水镇”"),  # a village of 赵川镇
    ],
)
def test_a_wrong_code_is_refused_with_the_registers_words(cast: Cast, code: str, says: str) -> None:
    with pytest.raises(ValidationError) as caught:
        village_create_from_register(actor=cast.committee_admin, parent=cast.town, division_code=code)
    assert says in " ".join(caught.value.message_dict["division_code"])
    assert not Organization.objects.filter(code=code).exists()


def test_only_under_a_town_and_only_in_scope(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        village_create_from_register(actor=cast.committee_admin, parent=cast.county, division_code=SANGSHU)
    with pytest.raises(PermissionDenied):
        village_create_from_register(actor=cast.outsider, parent=cast.town, division_code=SANGSHU)


def test_the_page_creates_it_and_keeps_a_wrong_code(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.committee_admin)
    url = f"/orgs/{cast.town.pk}/new-village/"
    response = client.post(url, {"division_code": "611023101001"})
    assert response.status_code == 200 and "不是村民委员会" in response.content.decode()
    assert 'value="611023101001"' in response.content.decode()
    response = client.post(url, {"division_code": SANGSHU})
    created = Organization.objects.get(code=SANGSHU)
    assert response.status_code == 302 and response["Location"] == f"/orgs/{created.pk}/"
    outsider = Client()
    outsider.force_login(cast.outsider)
    assert outsider.get(url).status_code == 404
