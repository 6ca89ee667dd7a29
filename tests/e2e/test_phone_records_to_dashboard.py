"""Issue 5 "must show": on a 390 × 844 phone, the unit records a visit and last month's
performance card through the records pages, the village countersigns it, compliance is
evaluated, and the committee's internal dashboard and the public funds page show it.

The pair (商南县农业农村局 – 花家村) is signed through the rounds services; its term began on
1 January of last year. Funds for the village are recorded in the fixture through the funds
services (transfer, receipt, disclosure of a finished quarter of this year).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from gongjian.compliance.services import compliance_evaluate
from gongjian.funds.services import receipt_confirm, transfer_create
from gongjian.funds.services_disclosure import disclosure_publish
from gongjian.rounds.models import Pairing, Round
from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import login, screenshot
from tests.records.conftest import backdate_term, sign_pairing
from tests.rounds.conftest import make_round

TODAY = datetime.date.today()
LAST_MONTH = (TODAY.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def pairing(cast: Cast) -> Pairing:
    round_ = make_round(cast)
    # A profile with visit duties by level (seed 004 doc 1 (十)); Shangnan's seed sets none.
    Round.objects.filter(pk=round_.pk).update(policy_key="shanghai")
    round_.refresh_from_db()
    pairing = sign_pairing(cast, round_)
    backdate_term(round_, datetime.date(TODAY.year - 1, 1, 1))
    pairing = Pairing.objects.select_related("round", "village").get(pk=pairing.pk)
    # Funds of a quarter that is over, disclosed by the village.
    quarter = (TODAY.month - 1) // 3  # the last finished quarter of this year (0: none yet)
    year, number = (TODAY.year, quarter) if quarter else (TODAY.year - 1, 4)
    paid_on = datetime.date(year, 3 * number - 1, 10)
    transfer = transfer_create(
        actor=cast.unit_user, pairing=pairing, date=paid_on, amount=Decimal("20000.00"), reference="E2E-1"
    )
    receipt_confirm(actor=cast.village_user, transfer=transfer, received_on=paid_on, amount=Decimal("20000.00"))
    disclosure_publish(actor=cast.village_user, village=pairing.village, year=year, period_kind="quarter",
                       period_number=number)  # fmt: skip
    # Last night's evaluation: nothing recorded yet this year.
    compliance_evaluate(actor=cast.city_admin, round_or_scope=pairing.round, remind=False)
    return pairing


def visits_cell(page: Page) -> str:
    return page.locator("#dashboard-table tfoot td.visits").inner_text().strip()


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px phone"


def test_phone_visit_and_card_reach_dashboard_and_portal(phone_page: Page, cast: Cast, pairing: Pairing) -> None:
    page = phone_page
    dashboard = f"/dashboard/?round={pairing.round_id}&year={TODAY.year}"

    # Before: the committee admin's dashboard (their county) — no visit done yet.
    login(page, "county", PASSWORD)
    page.goto(dashboard)
    expect(page.locator("h1")).to_contain_text("商南县委")
    before = visits_cell(page)
    assert before.startswith("0/"), before
    page.context.clear_cookies()

    # The unit records a visit on the phone.
    login(page, "unit", PASSWORD)
    page.goto(f"/records/p/{pairing.pk}/")
    page.get_by_role("link", name="登记走访").first.click()
    page.get_by_label("走访人员层级").select_option("in_charge")
    page.get_by_label("走访人员（姓名、职务）").fill("李建国 分管副局长")
    page.get_by_label("走访内容").fill("到花家村查看茶园项目进度，召开座谈会")
    screenshot(page, "phone-dashboard-1-visit-form")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("body")).to_contain_text("到花家村查看茶园项目进度")

    # ... and last month's performance card, submitted for countersigning.
    page.goto(f"/records/p/{pairing.pk}/card/?month={LAST_MONTH:%Y-%m}")
    page.get_by_label("本月工作实绩").fill("走访 1 次，协调茶园灌溉管道，落实技术培训 1 场")
    page.get_by_role("button", name="报送村党组织会签").click()
    expect(page.locator("body")).to_contain_text("等待村党组织会签")
    card_url = page.url
    screenshot(page, "phone-dashboard-2-card-submitted")
    page.context.clear_cookies()

    # The village countersigns on the phone.
    login(page, "village", PASSWORD)
    page.goto(card_url)
    # Seed 000: the village countersigns with its 签注意见.
    page.get_by_label("签注意见").fill("情况属实")
    page.get_by_role("button", name="签注意见并会签").click()
    expect(page.locator(".message")).to_contain_text("已签注意见并会签")
    screenshot(page, "phone-dashboard-3-countersigned")
    page.context.clear_cookies()

    # The nightly evaluation runs (the same service as the cron command).
    compliance_evaluate(actor=cast.city_admin, round_or_scope=pairing.round, remind=False)

    # After: the committee admin's dashboard shows the visit and the countersigned month.
    login(page, "county", PASSWORD)
    page.goto(dashboard)
    after = visits_cell(page)
    assert int(after.split("/")[0]) == int(before.split("/")[0]) + 1, (before, after)
    expect(page.locator("#chart-heat canvas")).to_have_count(1)
    no_sideways_scroll(page)
    screenshot(page, "phone-dashboard-4-county")
    # Drill down: county → town → the pair, whose page shows the month's card countersigned.
    page.locator("#dashboard-table tbody th a", has_text="富水镇党委").click()
    page.locator("#dashboard-table tbody th a", has_text="花家村党支部").click()
    expect(page.get_by_test_id("pair-visits")).to_contain_text("1")
    row = page.locator("tr", has=page.locator("th", has_text=re.compile(rf"^{LAST_MONTH.month}月$")))
    expect(row).to_contain_text("已会签")
    expect(page.get_by_role("link", name="共建档案")).to_be_visible()
    expect(page.get_by_role("link", name="合规详情")).to_be_visible()
    no_sideways_scroll(page)
    screenshot(page, "phone-dashboard-5-pair")
    page.context.clear_cookies()

    # The public portal (no login): index → funds disclosure → the village's page.
    page.goto("/portal/")
    page.get_by_role("link", name="各村帮扶资金到账与使用公开").click()
    page.get_by_role("link", name=re.compile("花家村")).first.click()
    expect(page.locator("h1")).to_contain_text("花家村")
    expect(page.locator("body")).to_contain_text("¥20,000.00")
    no_sideways_scroll(page)
    screenshot(page, "phone-dashboard-6-public-funds")
