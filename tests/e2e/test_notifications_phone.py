"""On a 390×844 phone: the unit submits this month's performance card; the village
secretary signs in and sees the unread count and the card in 待办 on the home page, opens
it, countersigns, and the item and the count are gone."""

from __future__ import annotations

import datetime

from playwright.sync_api import Page, expect

from gongjian.notifications.models import Event, Notification
from gongjian.records.models import PerformanceCard
from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import login, screenshot
from tests.records.conftest import backdate_term, sign_pairing
from tests.rounds.conftest import make_round


def no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, f"the page is {width}px wide on a 390px phone"


def test_village_secretary_is_told_and_the_todo_item_goes_when_countersigned(
    phone_page: Page,
    cast: Cast,
    settings,  # type: ignore[no-untyped-def]
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    round_ = make_round(cast)
    pairing = sign_pairing(cast, round_)
    backdate_term(round_, datetime.date(datetime.date.today().year - 1, 1, 1))
    page = phone_page

    # The unit cadre submits this month's card from the phone.
    login(page, "unit", PASSWORD)
    page.goto(f"/records/p/{pairing.pk}/card/")
    page.get_by_label("本月工作实绩").fill("本月到村走访1次，协调解决光伏并网问题。")
    page.get_by_role("button", name="报送村党组织会签").click()
    expect(page.locator(".message")).to_contain_text("等待村党组织会签")
    card = PerformanceCard.objects.get(pairing=pairing)

    # The village secretary signs in: the menu shows one unread, the home page the item.
    page.context.clear_cookies()
    login(page, "village", PASSWORD)
    expect(page.get_by_test_id("menu-unread-count")).to_have_text("1")
    todo = page.get_by_test_id("todo")
    expect(todo).to_contain_text("工作实绩卡待会签")
    item = todo.get_by_role("link", name="商南县农业农村局机关党委报送了")
    expect(item).to_have_count(1)
    no_horizontal_scroll(page)
    page.locator("label.nav-toggle-label").click()
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    screenshot(page, "notifications-phone-todo")

    # Opens it and countersigns with the village's comment.
    item.click()
    expect(page).to_have_url(f"{page.url.split('/records/')[0]}/records/cards/{card.pk}/")
    page.get_by_label("签注意见").fill("情况属实，群众满意")
    page.get_by_role("button", name="签注意见并会签").click()
    expect(page.locator(".message")).to_contain_text("已签注意见并会签")

    # Home again: the item is gone, and so is the count.
    page.goto("/")
    expect(page.get_by_test_id("todo")).to_contain_text("暂无待办事项")
    expect(page.get_by_test_id("menu-unread-count")).to_have_count(0)
    no_horizontal_scroll(page)
    screenshot(page, "notifications-phone-done")
    notice = Notification.objects.get(event=Event.CARD_COUNTERSIGN, organization=cast.village)
    assert notice.done_at is not None
