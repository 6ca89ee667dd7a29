"""Issue 6 (individual pairing): a unit's cadre records a "1+2" pair under the unit's
signed village pairing, with a new needy villager, then records a 五送 delivery; the
unit's page then shows the cadre with a record this quarter, and the village sees the pair
with the villager's phone masked.

The database is written only to set up the cast and the signed pairing; every step of the
story goes through the pages."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from gongjian.members.models import CadrePair, IndividualDelivery
from gongjian.orgs.models import Person
from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import login, screenshot
from tests.members.conftest import policy_dir, sign_pairing  # noqa: F401  (policy_dir: autouse fixture)


def test_cadre_records_a_one_plus_two_pair_and_a_delivery(page: Page, cast: Cast) -> None:
    pairing = sign_pairing(cast, cast.unit, cast.village)
    cadre = Person.objects.get(name="李建国")
    login(page, "unit", PASSWORD)

    page.goto("/members/")
    page.get_by_role("link", name="个人结对").first.click()
    row = page.locator("tr", has_text="花家村党支部")
    row.get_by_role("link", name="个人结对").click()
    page.get_by_role("link", name="登记“1+2”结对").click()
    page.get_by_label("结对干部").select_option(label="李建国（党支部书记）")
    page.get_by_label("困难党员").select_option(label="张秀英（党支部书记）")
    page.get_by_label("新登记困难群众姓名").fill("赵大娘")
    page.get_by_label("联系电话").fill("13800001111")
    page.get_by_label("困难情况").fill("独居老人，患慢性病，缺少劳动力")
    screenshot(page, "members-1plus2-form")
    page.get_by_role("button", name="保存").click()

    expect(page.locator(".message.success")).to_contain_text("已登记“1+2”结对：李建国")
    expect(page.locator(".facts")).to_contain_text("赵大娘")
    expect(page.locator(".facts")).to_contain_text("138****1111")

    page.get_by_text("记录五送").click()
    page.get_by_label("五送类别").select_option(label="送技术")
    page.get_by_label("内容").fill("上门讲解香菇大棚种植技术，赠送技术手册一本")
    page.get_by_label("金额（元）").fill("120")
    page.get_by_role("button", name="保存五送记录").click()

    expect(page.locator(".message.success")).to_contain_text("已记录五送：送技术")
    deliveries = page.locator("table.deliveries")
    expect(deliveries).to_contain_text("送技术")
    expect(deliveries).to_contain_text("香菇大棚")
    expect(deliveries).to_contain_text("¥120.00")
    screenshot(page, "members-1plus2-delivery")

    page.get_by_role("link", name="单位干部结对情况").click()
    cadre_row = page.locator("table.unit-pairs tr", has_text="李建国")
    expect(cadre_row).to_contain_text("“1+2”：张秀英、赵大娘")
    expect(cadre_row).not_to_have_class("flagged")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "members-unit-page-phone")

    pair = CadrePair.objects.get()
    assert (pair.pairing, pair.cadre, pair.needy_villager.name) == (pairing, cadre, "赵大娘")
    delivery = IndividualDelivery.objects.get()
    assert (delivery.cadre_pair, delivery.kind, delivery.amount) == (pair, "technology", 120)
