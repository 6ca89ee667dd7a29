"""In Chromium: the registry tree opens level by level (issue #11.13), and 群众选对 keeps the
village's ticks across pages and searches until it saves (issue #11.8)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from gongjian.orgs.models import OrgKind, OrgLevel
from gongjian.rounds.models import VillageWish
from tests.conftest import PASSWORD, Cast, make_org
from tests.e2e.conftest import login
from tests.rounds.conftest import make_round


def test_the_tree_expands_and_collapses_loading_each_level_once(page: Page, cast: Cast) -> None:
    login(page, "city", PASSWORD)
    page.goto("/orgs/tree/")
    county = page.locator(f'li.tree-node[data-org="{cast.county.pk}"]')
    expect(county).to_contain_text(cast.county.name)  # the root's level loads by itself
    expect(page.get_by_text(cast.village.name)).to_have_count(0)
    county.locator("summary").first.click()
    town = page.locator(f'li.tree-node[data-org="{cast.town.pk}"]')
    expect(town).to_be_visible()
    town.locator("summary").first.click()
    expect(town.get_by_role("link", name=cast.village.name)).to_be_visible()
    town.locator("summary").first.click()  # collapse: the loaded level stays in the page, hidden
    expect(town.get_by_role("link", name=cast.village.name)).to_be_hidden()
    town.locator("summary").first.click()
    expect(town.get_by_role("link", name=cast.village.name)).to_have_count(1)  # not loaded twice
    town.get_by_role("link", name=cast.village.name).click()
    expect(page.get_by_role("heading", name="当前结对单位")).to_be_visible()


@pytest.mark.parametrize("units", [35])
def test_wish_ticks_survive_pages_and_searches(page: Page, cast: Cast, units: int) -> None:
    for n in range(units):
        name = f"测试单位{n:02d}党支部"
        make_org(cast.county, f"W{n:04d}", name, OrgLevel.BRANCH, OrgKind.STATE_ENTERPRISE, capacity=1)
    round_ = make_round(cast)
    login(page, "village", PASSWORD)
    page.goto(f"/rounds/{round_.pk}/wishes/")
    picker = page.locator("#wish-picker")
    picker.get_by_label("测试单位00党支部").check()
    selected = page.locator("#wish-selected")
    expect(selected).to_contain_text("测试单位00党支部")
    # Next page of the other units: the tick is still there.
    picker.get_by_role("button", name="下一页").click()
    expect(page.locator("#unit-options")).to_contain_text("第 2 /")
    expect(selected).to_contain_text("测试单位00党支部")
    second = page.locator("#unit-options label").first
    second_name = second.inner_text().strip()
    second.locator("input").check()
    expect(selected).to_contain_text(second_name)
    # A search for the unit by its initials: both ticks stay.
    page.locator("#wish-q").fill("snx")
    expect(page.locator("#unit-options")).to_contain_text(cast.unit.name)
    expect(page.locator("#unit-options")).not_to_contain_text("测试单位01党支部")
    expect(selected).to_contain_text("测试单位00党支部")
    expect(selected).to_contain_text(second_name)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存本村希望结对的单位（2 个）")).to_be_visible()
    assert set(VillageWish.objects.values_list("unit__name", flat=True)) == {"测试单位00党支部", second_name}
