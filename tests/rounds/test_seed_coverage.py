"""Coverage of towns and of the city side (issue 16 point 5).

Seed 004 doc 1 (二) "全面实施中心城区社区（街道）党工委与远郊地区乡镇党委、村党组织结对共建"; (四)
"确保远郊所有乡镇、村党组织都有结对单位": under Shanghai's profile the towns (乡镇党委) are in the
directory and paired like the villages, a 街道党工委 helps as a unit, and the towns' coverage is
counted apart from the villages'. Seed 004 doc 2 二、1 "实现对城市各类型党组织的全覆盖": under
Anhui's profile the city side is a target — which units have no pair, by type.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongjian.accounts.models import Role
from gongjian.orgs.models import OrgKind, OrgLevel
from gongjian.rounds.models import DirectoryEntry, PairingStatus, RoundUnit
from gongjian.rounds.selectors import board_public
from gongjian.rounds.services_pairing import pairing_confirm
from tests.conftest import Cast, make_org
from tests.rounds.seed_rounds import client_for, pair, profile_round, user_of

pytestmark = pytest.mark.django_db


def test_shanghai_pairs_towns_and_counts_them_apart_from_villages(cast: Cast) -> None:
    # A 街道党工委 of the city side: a town-level node with communities, no villages.
    street = make_org(cast.county, "C0011", "城关街道党工委", OrgLevel.COMMITTEE, OrgKind.TOWN, capacity=1)
    round_ = profile_round(cast, "shanghai")

    # By hand: 3 villages and 2 towns with villages (富水镇, 龙驹寨) must each have a unit.
    towns = set(
        DirectoryEntry.objects.filter(round=round_)
        .exclude(village__kind=OrgKind.VILLAGE)
        .values_list("village__name", flat=True)
    )
    assert towns == {cast.town.name, "龙驹寨街道党工委"}
    assert RoundUnit.objects.filter(round=round_, unit=street).exists()  # the street helps

    # The street pairs with 富水镇党委; the town's own user confirms.
    town_pair = pair(round_, street, cast.town, PairingStatus.PROPOSED)
    pairing_confirm(actor=user_of(street), pairing=town_pair)
    town_pair = pairing_confirm(actor=user_of(cast.town, Role.VILLAGE_USER), pairing=town_pair)
    assert town_pair.status == PairingStatus.CONFIRMED

    from gongjian.rounds.coverage import round_coverage

    cov = round_coverage(round_=round_, scope_path=None, public=True)
    assert (cov.towns, cov.towns_covered, cov.towns_pct) == (2, 1, 50.0)
    assert cov.towns_uncovered == ["龙驹寨街道党工委"]
    # The villages' board is about villages: the towns are not among them.
    board = board_public(user=None, round_=round_)
    assert (board.total.total, board.total.covered) == (3, 0)
    page = client_for(cast.outsider).get(reverse("portal:board", args=[round_.pk])).content.decode()
    assert "乡镇结对覆盖" in page and "1 / 2 个乡镇党委已有结对单位（50.0%）" in page


def test_a_profile_without_towns_lists_villages_only(cast: Cast) -> None:
    round_ = profile_round(cast, "anhui")  # seed 004 doc 2: 建制村全覆盖, no towns
    assert not DirectoryEntry.objects.filter(round=round_).exclude(village__kind=OrgKind.VILLAGE).exists()


def test_anhui_shows_which_city_units_have_no_pair(cast: Cast) -> None:
    from gongjian.rounds.coverage import round_coverage

    round_ = profile_round(cast, "anhui")
    pair(round_, cast.unit, cast.village, PairingStatus.SIGNED)
    pair(round_, cast.sibling_unit, cast.sibling_village, PairingStatus.PROPOSED)  # not yet a pair

    # By hand: 2 units take part (农业农村局 agency, 人民医院 hospital); one has a pair.
    cov = round_coverage(round_=round_, scope_path=None, public=False)
    assert cov.city_side
    assert (cov.units, cov.units_paired, cov.units_pct) == (2, 1, 50.0)
    assert cov.units_unpaired == [cast.sibling_unit.name]
    assert {(k.label, k.units, k.paired) for k in cov.kinds} == {("机关（涉农）", 1, 1), ("医疗卫生", 1, 0)}
    # The public sees the counts, never the names of units without a pair.
    public = round_coverage(round_=round_, scope_path=None, public=True)
    assert public.units_unpaired == [] and public.units_paired == 1
    # A committee admin sees their own county's units only.
    county = round_coverage(round_=round_, scope_path=cast.county.path, public=False)
    assert (county.units, county.units_paired) == (1, 1)

    page = client_for(cast.outsider).get(reverse("portal:board", args=[round_.pk])).content.decode()
    assert "城市各类型党组织全覆盖" in page and cast.sibling_unit.name not in page
    internal = client_for(cast.city_admin).get(reverse("portal:internal_board", args=[round_.pk]))
    assert cast.sibling_unit.name in internal.content.decode()
    assert client_for(cast.outsider).get(reverse("portal:internal_board", args=[round_.pk])).status_code == 404
