"""Registry services: the tree's paths, permissions, and validation."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongjian.orgs.models import Organization, OrgKind, OrgLevel
from gongjian.orgs.personal_data import id_number_problem, mask_id_number, mask_phone
from gongjian.orgs.services import organization_create, organization_update, person_create
from tests.conftest import Cast


def test_paths_follow_the_tree(cast: Cast) -> None:
    assert cast.village.path == f"{cast.town.path}{cast.village.pk}/"
    assert cast.village.depth == 3


def test_moving_an_organization_moves_its_subtree(cast: Cast) -> None:
    organization_update(actor=cast.city_admin, organization=cast.town, parent=cast.sibling_county)
    village = Organization.objects.get(pk=cast.village.pk)
    assert village.path.startswith(cast.sibling_county.path) and village.depth == 3
    assert village.path == f"{cast.sibling_county.path}{cast.town.pk}/{village.pk}/"


def test_an_organization_cannot_move_below_itself(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        organization_update(actor=cast.city_admin, organization=cast.county, parent=cast.town)


def test_committee_admin_cannot_move_into_sibling(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        organization_update(actor=cast.committee_admin, organization=cast.town, parent=cast.sibling_county)


def test_units_edit_their_profile_but_not_their_structure(cast: Cast) -> None:
    organization_update(actor=cast.unit_user, organization=cast.unit, capacity=3)
    with pytest.raises(PermissionDenied):
        organization_update(actor=cast.unit_user, organization=cast.unit, name="别的名字")
    with pytest.raises(PermissionDenied):
        organization_create(
            actor=cast.unit_user, parent=cast.unit, code="Z1", name="支部", level=OrgLevel.BRANCH, kind=OrgKind.AGENCY
        )


def test_id_numbers_are_checked() -> None:
    # The worked example of GB 11643-1999.
    assert id_number_problem("11010519491231002X") is None
    assert id_number_problem("110105194912310021") == "身份证号校验位不正确"
    assert id_number_problem("12345") is not None
    assert id_number_problem("1101051949123100ZX") is not None


def test_masking() -> None:
    assert mask_phone("13812341234") == "138****1234"
    assert mask_id_number("110101199003071234") == "110101********1234"


def test_person_with_bad_id_is_refused(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        person_create(actor=cast.village_user, organization=cast.village, name="甲", id_number="110101199003070010x")
