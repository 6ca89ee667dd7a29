"""Issue 6 (mobile members): 张秀英 of 花家村 works in 丹凤, hosted by 清泉村 (dual
management). She files her half-year report from her own account; the host county asks her
origin about her with a 联系函; the origin village answers; the host reads the answer.
Three people, three browser contexts, all through the pages (the database is written only
to set up the cast and her registration)."""

from __future__ import annotations

import datetime

from playwright.sync_api import Browser, Page, expect

from gongjian.accounts.models import Role, User
from gongjian.audit.models import AuditEntry
from gongjian.members.models import HalfYearReport, HostQuery
from gongjian.members.policy import half_label, half_of
from gongjian.members.services_mobile import agreement_record_signed, member_register
from gongjian.orgs.models import Person
from tests.conftest import PASSWORD, Cast, password_hash
from tests.e2e.conftest import login, screenshot
from tests.members.conftest import policy_dir  # noqa: F401  (autouse: profiles with a members block)


def new_page(browser: Browser, base_url: str) -> Page:
    context = browser.new_context(locale="zh-CN", base_url=base_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    return context.new_page()


def test_half_year_report_and_host_query_answered_by_origin(
    page: Page,
    browser: Browser,
    live_server,
    cast: Cast,  # type: ignore[no-untyped-def]
) -> None:
    today = datetime.date.today()
    left = today - datetime.timedelta(days=200)
    # her own account belongs to no organization: she sees her own record and nothing else
    account = User.objects.create(
        username="zhangxiuying", password=password_hash(), role=Role.VILLAGE_USER, organization=None
    )
    member = member_register(
        actor=cast.village_user,
        person=Person.objects.get(name="张秀英"),
        location="丹凤县龙驹寨街道",
        work="建筑工地木工",
        left_on=left,
        phone="13700002222",
        host=cast.sibling_village,
        account=account,
    )
    agreement_record_signed(
        actor=cast.village_user, member=member, signed_on=left - datetime.timedelta(days=2), branch_signer="王书记"
    )

    # 1. the member files this half-year's report herself
    login(page, "zhangxiuying", PASSWORD)
    page.goto("/members/")
    page.get_by_role("link", name="张秀英 · 花家村党支部").click()
    expect(page.locator("h1")).to_contain_text("张秀英")
    page.get_by_label("在外工作情况").fill("在龙驹寨街道建筑工地做木工，带了两名同村青年学手艺")
    page.get_by_label("思想状况").fill("按月参加清泉村党支部组织生活，按时交纳党费")
    page.get_by_label("新技能新知识").fill("考取了建筑木工中级证书")
    page.get_by_role("button", name="报送").click()
    expect(page.locator(".message.success")).to_contain_text("思想汇报已报送")
    reports = page.locator("table.reports")
    year, half = half_of(today)
    expect(reports).to_contain_text(half_label(year, half))
    expect(reports).to_contain_text("网上报送")
    expect(reports).to_contain_text("本人")
    expect(page.get_by_text("向流出地党组织发联系函")).to_have_count(0)  # she is not the host
    assert page.goto("/members/mobile/") is not None
    expect(page.locator("table.members")).to_contain_text("张秀英")
    screenshot(page, "members-mobile-report")

    # 2. the host county asks the origin about her
    host = new_page(browser, live_server.url)
    origin = new_page(browser, live_server.url)
    try:
        walk_host_and_origin(host, origin)
    finally:
        host.context.close()
        origin.context.close()

    report = HalfYearReport.objects.get()
    assert (report.member, report.year, report.half, report.on_behalf) == (member, year, half, False)
    query = HostQuery.objects.get()
    assert query.host == cast.sibling_village and query.origin == cast.village and query.answered_at is not None
    assert AuditEntry.objects.filter(action="host_query.answer", actor_username="village", success=True).exists()


def walk_host_and_origin(host: Page, origin: Page) -> None:
    """The host asks, the origin answers, the host reads the answer."""
    login(host, "sibling", PASSWORD)
    host.goto("/members/mobile/")
    host.get_by_role("link", name="张秀英").click()
    host.get_by_text("向流出地党组织发联系函").click()
    host.get_by_label("查询事项").fill("拟推荐该同志为清泉村流动党员党小组组长，请告知其组织关系、党费交纳及表现情况。")
    host.get_by_role("button", name="发出联系函").click()
    expect(host.locator(".message.success")).to_contain_text("联系函已发出")
    expect(host.locator("table.queries")).to_contain_text("待答复")

    # 3. the origin village answers
    login(origin, "village", PASSWORD)
    origin.goto("/members/")
    origin.get_by_role("link", name="待答复的联系函").click()
    origin.get_by_role("link", name="张秀英").click()
    expect(origin.locator(".facts")).to_contain_text("党小组组长")
    origin.get_by_label("答复").fill("该同志组织关系在花家村党支部，党费交纳至本月，表现良好，同意推荐。")
    origin.get_by_role("button", name="答复").click()
    expect(origin.locator(".message.success")).to_contain_text("已答复联系函")
    expect(origin.locator("h1 .status")).to_have_text("已答复")
    screenshot(origin, "members-mobile-query-answered")

    # 4. the host reads the answer
    host.goto("/members/queries/?direction=sent")
    expect(host.locator("table.queries")).to_contain_text("已答复")
    host.get_by_role("link", name="张秀英").click()
    expect(host.locator(".facts .answer")).to_contain_text("同意推荐")
    screenshot(host, "members-mobile-query-host")
