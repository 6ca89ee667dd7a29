"""Each role logs in through the browser and sees only its own part of the tree."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from gongjian.orgs.models import Person
from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import login, screenshot

# What each user must and must not find in the registry list.
SCOPES = {
    "city": (["商南县委", "花家村党支部", "丹凤县委", "清泉村党支部"], ["外市市委"]),
    "county": (["商南县委", "花家村党支部", "商南县农业农村局机关党委"], ["丹凤县委", "清泉村党支部", "外市市委"]),
    "sibling": (["丹凤县委", "清泉村党支部"], ["商南县委", "花家村党支部"]),
    "unit": (["商南县农业农村局机关党委"], ["花家村党支部", "商南县委", "清泉村党支部"]),
    "village": (["花家村党支部"], ["王家沟村党支部", "商南县委", "清泉村党支部"]),
    "outsider": (["外市市委"], ["商洛市委", "花家村党支部", "清泉村党支部"]),
}


@pytest.mark.parametrize("username", list(SCOPES))
def test_role_sees_only_its_scope(page: Page, cast: Cast, username: str) -> None:
    login(page, username, PASSWORD)
    expect(page.locator(".who")).to_contain_text(username if username != "city" else "city")
    page.goto("/orgs/")
    table = page.locator("#org-rows table")
    visible, hidden = SCOPES[username]
    for name in visible:
        expect(table).to_contain_text(name)
    for name in hidden:
        expect(table).not_to_contain_text(name)
    screenshot(page, f"scope-{username}")
    # An address outside the scope is a plain 404, not a page that admits the object exists.
    outside = {"city": cast.other_city, "sibling": cast.village, "outsider": cast.village}.get(
        username, cast.sibling_village
    )
    response = page.goto(f"/orgs/{outside.pk}/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("页面不存在")


def test_auditor_sees_the_audit_log_and_no_registry(page: Page, cast: Cast) -> None:
    login(page, "auditor", PASSWORD)
    page.goto("/audit/")
    expect(page.locator("h1")).to_have_text("审计日志")
    expect(page.locator("table")).to_contain_text("account.login")
    response = page.goto("/orgs/")
    assert response is not None
    expect(page.locator("#org-rows")).to_contain_text("没有符合条件的组织")


def test_pinyin_initials_search_as_you_type(page: Page, cast: Cast) -> None:
    login(page, "county", PASSWORD)
    page.goto("/orgs/")
    page.get_by_placeholder("名称、全拼或拼音首字母，如 hjc").fill("hjc")
    rows = page.locator("#org-rows tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("花家村党支部")
    assert "q=hjc" in page.url  # the search is in the address, so it can be shared and reloaded


def test_personal_data_masked_until_revealed(page: Page, cast: Cast) -> None:
    person = Person.objects.get(name="张秀英")
    login(page, "city", PASSWORD)
    page.goto(f"/orgs/people/{person.pk}/")
    expect(page.locator("#phone")).to_have_text("139****5678")
    page.get_by_role("button", name="查看完整信息（将记入审计日志）").click()
    expect(page.locator("#phone")).to_have_text("13912345678")


def test_logout_ends_the_session(page: Page, cast: Cast) -> None:
    login(page, "village", PASSWORD)
    page.get_by_role("button", name="退出").click()
    page.goto("/orgs/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/orgs/$"))


def test_bad_form_keeps_what_was_typed(page: Page, cast: Cast) -> None:
    login(page, "county", PASSWORD)
    page.goto(f"/orgs/{cast.village.pk}/people/new/")
    page.get_by_label("姓名").fill("赵敏")
    page.get_by_label("职务").fill("村委会委员")
    page.get_by_label("身份证号").fill("110105194912310021")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".error-text")).to_contain_text("校验位")
    expect(page.get_by_label("姓名")).to_have_value("赵敏")
    expect(page.get_by_label("职务")).to_have_value("村委会委员")


def test_phone_sized_screen_has_a_menu(phone_page: Page, cast: Cast) -> None:
    login(phone_page, "village", PASSWORD)
    phone_page.locator(".nav-toggle-label").click()
    phone_page.get_by_role("link", name="组织名册").click()
    expect(phone_page.locator("#org-rows")).to_contain_text("花家村党支部")
    screenshot(phone_page, "phone-village")
