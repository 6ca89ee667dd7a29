"""A town admin sets up a joint village committee (联村党委) of three villages in the browser;
it shows on a member village's page, for the admin and for the village's own user on a phone."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from gongjian.accounts.models import Role
from gongjian.audit.models import AuditEntry
from gongjian.joint.models import JointMembership
from gongjian.orgs.models import OrgKind, OrgLevel
from tests.conftest import PASSWORD, Cast, make_org, make_user
from tests.e2e.conftest import login, screenshot


def test_town_admin_sets_up_a_joint_village_committee(page: Page, phone_page: Page, cast: Cast) -> None:
    third = make_org(cast.town, "C0011", "后湾村党支部", OrgLevel.BRANCH, OrgKind.VILLAGE, region=cast.town.region)
    make_user("town", Role.COMMITTEE_ADMIN, cast.town)

    login(page, "town", PASSWORD)
    page.goto("/orgs/")
    page.get_by_role("main").get_by_role("link", name="联建组织").click()
    page.get_by_role("link", name="设立联建组织").click()
    expect(page.locator("h1")).to_have_text("在“富水镇党委”下设立联建组织")
    page.locator("#id_name").fill("富水联村党委")
    page.get_by_label("联建类型").select_option(label="联村党委")
    members = page.locator("#id_members")
    for name in ("花家村党支部", "王家沟村党支部", "后湾村党支部"):
        members.get_by_label(name).check()
    page.get_by_label("牵头组织").select_option(label="花家村党支部")
    page.get_by_label("共建目标").fill("产业联兴、弱困联扶")
    page.get_by_role("button", name="保存").click()

    expect(page.locator("h1")).to_have_text("富水联村党委")
    table = page.locator("#joint-members")
    for name in ("花家村党支部", "王家沟村党支部", "后湾村党支部"):
        expect(table).to_contain_text(name)
    expect(table.locator("tr", has_text="花家村党支部")).to_contain_text("牵头")
    screenshot(page, "joint-created")

    # Shared rules, adopted by the committee's admin.
    page.get_by_role("link", name="通过新版共同制度").click()
    page.get_by_label("共同制度").fill("定期联席会议：每月召开一次，轮流在各村集中办公。")
    page.get_by_label("定期联席会议").check()
    page.get_by_role("button", name="通过").click()
    expect(page.locator(".message.success")).to_contain_text("第 1 版")

    # The member village's page lists it, loaded into the page by htmx.
    page.goto(f"/orgs/{third.pk}/")
    panel = page.locator("#joint-panel")
    expect(panel).to_contain_text("所属联建组织")
    expect(panel).to_contain_text("富水联村党委")
    expect(panel).to_contain_text("联村党委")
    screenshot(page, "joint-on-member-page")

    # The village's own user, on a phone, sees it on its page and opens it read-only.
    login(phone_page, "village", PASSWORD)
    phone_page.goto(f"/orgs/{cast.village.pk}/")
    phone_panel = phone_page.locator("#joint-panel")
    expect(phone_panel).to_contain_text("富水联村党委")
    expect(phone_panel).to_contain_text("牵头")
    phone_panel.get_by_role("link", name="富水联村党委").click()
    expect(phone_page.locator("h1")).to_have_text("富水联村党委")
    expect(phone_page.locator("body")).to_contain_text("可查看，不能修改")
    expect(phone_page.get_by_role("link", name="通过新版共同制度")).to_have_count(0)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    screenshot(phone_page, "joint-member-phone")

    assert JointMembership.objects.filter(joint__name="富水联村党委", left_on__isnull=True).count() == 3
    assert AuditEntry.objects.filter(action="joint.create", actor_username="town", success=True).exists()
    assert AuditEntry.objects.filter(action="joint.charter_adopt", actor_username="town", success=True).exists()
