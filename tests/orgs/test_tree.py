"""The registry as a tree (issue #11.13): the user's node first, each level loaded when opened
(htmx), counts per node equal to the rows below it; a village's page shows its current
partners and round; a unit opens the pages of the villages it is paired with, nobody else."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gongjian.accounts.models import User
from gongjian.orgs import views
from gongjian.orgs.models import VILLAGE_SIDE_KINDS, Organization
from gongjian.rounds.models import DirectoryEntry, Pairing, PairingOrigin, PairingStatus
from tests.conftest import Cast
from tests.rounds.conftest import make_round

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def below(node: Organization) -> tuple[int, int]:
    """Organizations and villages under a node, counted in Python from every row."""
    rows = [o for o in Organization.objects.all() if o.path.startswith(node.path) and o.pk != node.pk]
    return len(rows), sum(1 for o in rows if o.kind in VILLAGE_SIDE_KINDS)


def test_the_tree_opens_on_the_users_node_and_loads_each_level_with_true_counts(cast: Cast) -> None:
    admin = client_for(cast.city_admin)
    page = admin.get(reverse("orgs:tree")).content.decode()
    n, v = below(cast.city)
    assert cast.city.name in page and f"下级 {n} 个，村 {v} 个" in page
    # Lazy: nothing below the root is rendered until it is opened.
    assert cast.village.name not in page and cast.county.name not in page
    level = admin.get(reverse("orgs:tree_children", args=[cast.city.pk]), **HTMX).content.decode()
    for county in (cast.county, cast.sibling_county):
        n, v = below(county)
        assert county.name in level
        node = level[level.index(f'data-org="{county.pk}"') :]
        assert f"下级 {n} 个，村 {v} 个" in node[: node.index("</summary>")]
    assert cast.village.name not in level  # two levels down: not yet
    town = admin.get(reverse("orgs:tree_children", args=[cast.town.pk]), **HTMX).content.decode()
    assert cast.village.name in town and cast.other_village.name in town


def test_a_long_level_comes_a_page_at_a_time(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "TREE_PAGE_SIZE", 1)
    admin = client_for(cast.city_admin)
    url = reverse("orgs:tree_children", args=[cast.town.pk])
    first = admin.get(url, **HTMX).content.decode()
    assert "更多（已显示 1 / 2）" in first and first.count('class="tree-node"') == 1
    second = admin.get(url + "?page=2", **HTMX).content.decode()
    assert second.count('class="tree-node"') == 1 and "<ul" not in second and "更多" not in second
    names = {cast.village.name, cast.other_village.name}
    assert {n for n in names if n in first} | {n for n in names if n in second} == names


def test_the_tree_is_scoped(cast: Cast) -> None:
    sibling = client_for(cast.sibling_admin)
    assert sibling.get(reverse("orgs:tree_children", args=[cast.county.pk]), **HTMX).status_code == 404
    assert cast.county.name not in sibling.get(reverse("orgs:tree")).content.decode()
    assert client_for(cast.outsider).get(reverse("orgs:tree_children", args=[cast.city.pk])).status_code == 404
    assert client_for(cast.auditor).get(reverse("orgs:tree")).status_code == 404


def _pair(cast: Cast, status: str = PairingStatus.SIGNED) -> Pairing:
    round_ = make_round(cast)
    entry = DirectoryEntry.objects.get(round=round_, village=cast.village)
    return Pairing.objects.create(
        round=round_, entry=entry, unit=cast.unit, village=cast.village, origin=PairingOrigin.ALLOCATION, status=status
    )


def test_a_village_page_shows_its_partners_and_the_unit_may_open_it(cast: Cast) -> None:
    village_url = reverse("orgs:detail", args=[cast.village.pk])
    unit = client_for(cast.unit_user)
    assert unit.get(village_url).status_code == 404  # not paired yet: outside the unit's scope
    pairing = _pair(cast)
    page = client_for(cast.city_admin).get(village_url).content.decode()
    partners = page[page.index("当前结对单位") :]
    assert cast.unit.name in partners and pairing.round.name in partners and "已签约" in partners
    opened = unit.get(village_url)
    assert opened.status_code == 200 and "当前结对单位" in opened.content.decode()
    # Read-only: the unit still may not edit the village, nor open an unpaired one.
    assert unit.get(reverse("orgs:edit", args=[cast.village.pk])).status_code == 404
    assert unit.get(reverse("orgs:detail", args=[cast.other_village.pk])).status_code == 404
    assert client_for(cast.outsider).get(village_url).status_code == 404
    assert client_for(cast.sibling_admin).get(village_url).status_code == 404
    # The unit's own page lists the village, linked.
    own = unit.get(reverse("orgs:detail", args=[cast.unit.pk])).content.decode()
    assert "当前结对村" in own and f'href="{village_url}"' in own
    # Once the pair is ended the page is closed to the unit again.
    Pairing.objects.filter(pk=pairing.pk).update(status=PairingStatus.ENDED)
    assert unit.get(village_url).status_code == 404
