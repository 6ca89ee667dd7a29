"""On a phone: the unit records a transfer through a foundation, the village confirms it,
records a use with its voucher (an overdraft is refused, input kept), publishes the half
year, and the public disclosure page shows it without login."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import login, screenshot
from tests.funds.conftest import make_pairs

YEAR = datetime.date.today().year - 1


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def test_funds_on_a_phone(phone_page: Page, cast: Cast) -> None:
    page = phone_page
    make_pairs(cast)
    login(page, "unit", PASSWORD)
    page.goto("/funds/")
    page.get_by_role("link", name="商南县农业农村局机关党委").first.click()
    page.get_by_role("link", name="登记拨付").click()
    page.get_by_label("拨付日期").fill(f"{YEAR}-03-05")
    page.get_by_label("拨付金额（元）").fill("20000.00")
    page.get_by_label("通过公益基金会").check()
    page.get_by_role("button", name="保存").click()
    # The form refuses a foundation transfer without the foundation's name and keeps the input.
    expect(page.locator(".error-text").filter(has_text="请填写公益组织名称")).to_be_visible()
    expect(page.get_by_label("拨付金额（元）")).to_have_value("20000.00")
    page.get_by_label("公益组织名称").fill("商洛市慈善基金会")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("table.transfers")).to_contain_text("在途")
    expect(page.locator("table.transfers")).to_contain_text("¥20,000.00")
    screenshot(page, "funds-unit-transfer-phone")

    page.context.clear_cookies()
    login(page, "village", PASSWORD)
    page.goto("/funds/")
    expect(page).to_have_url(re.compile(rf"/funds/villages/{cast.village.pk}/$"))
    page.locator("table.awaiting").get_by_role("link", name="确认到账").click()
    page.get_by_label("到账日期").fill(f"{YEAR}-03-08")
    page.get_by_role("button", name="确认到账").click()
    expect(page.get_by_test_id("balance")).to_have_text("¥20,000.00")

    page.get_by_role("link", name="登记资金使用").click()
    page.get_by_label("使用日期").fill(f"{YEAR}-04-02")
    page.get_by_label("使用金额（元）").fill("25000.00")
    page.get_by_label("用途").fill("村道硬化")
    page.get_by_label("支出凭证").set_input_files(
        files=[{"name": "发票.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n"}]
    )
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".error-text").filter(has_text="超过本村帮扶资金结余 ¥20,000.00")).to_be_visible()
    expect(page.get_by_label("用途")).to_have_value("村道硬化")
    page.get_by_label("使用金额（元）").fill("8000.00")
    page.get_by_label("支出凭证").set_input_files(
        files=[{"name": "发票.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n"}]
    )
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("balance")).to_have_text("¥12,000.00")
    screenshot(page, "funds-village-ledger-phone")

    page.get_by_role("link", name="村务公开").click()
    page.get_by_label("年度").fill(str(YEAR))
    page.get_by_label("公开期间").select_option(label="上半年")
    page.get_by_role("button", name="公开").click()
    expect(page.locator(".message")).to_contain_text("已公开")

    page.context.clear_cookies()
    page.goto(f"/portal/funds/villages/{cast.village.pk}/")
    expect(page.locator("h1")).to_contain_text("花家村党支部帮扶资金公开")
    expect(page.locator("main, body").first).to_contain_text("村道硬化")
    expect(page.locator("body")).to_contain_text("¥12,000.00")
    expect(page.locator("body")).not_to_contain_text("发票")
    screenshot(page, "funds-public-disclosure-phone")
