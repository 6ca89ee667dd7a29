"""Search by Chinese name, full pinyin and pinyin initials, within scope."""

from __future__ import annotations

import pytest

from gongjian.orgs.search import search_keys
from gongjian.orgs.selectors import organization_list, person_list
from tests.conftest import Cast


def test_search_keys() -> None:
    assert search_keys("花家村") == ("huajiacun", "hjc")


@pytest.mark.parametrize("query", ["hjc", "HJC", "huajia", "花家", "jiacun"])
def test_village_found_by_name_pinyin_and_initials(cast: Cast, query: str) -> None:
    names = list(organization_list(user=cast.committee_admin, query=query).values_list("name", flat=True))
    assert names == ["花家村党支部"]


def test_search_stays_in_scope(cast: Cast) -> None:
    assert not organization_list(user=cast.sibling_admin, query="hjc").exists()
    assert list(organization_list(user=cast.sibling_admin, query="qqc").values_list("name", flat=True)) == [
        "清泉村党支部"
    ]
    assert not organization_list(user=cast.outsider, query="qqc").exists()


def test_people_search_by_initials(cast: Cast) -> None:
    assert list(person_list(user=cast.city_admin, query="zxy").values_list("name", flat=True)) == ["张秀英"]
    assert not person_list(user=cast.sibling_admin, query="zxy").exists()
