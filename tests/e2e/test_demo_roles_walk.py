"""Issue 11 "Must show": each role of the county demo walks its part of a real round, in
Chromium, with the demo's own accounts, on the demo's own data.

Every test starts from what ``make run`` loads: ``generate("county", seed=1)`` (商洛市委 with
商南县 and 柞水县, their towns and villages from the national register) and
``demo_activity`` (a signed round over the city, a year of records, funds and agreements).
The live server's transactional database is flushed after each test, so each test builds
the demo again (about 25 s); each then walks one role's path through the pages:

1. ``city_admin`` (desktop) creates next year's round naming the demo round as the previous
   one, publishes the directory and finds the villages held by renewal offers (续签待定);
   the demo village declines its renewal; the admin runs the allocation and reads in Chinese
   which villages are held and why the run covers what it covers, sees the declined renewal
   among the automatic forbids, pins another unit to the freed village and publishes.
2. ``unit_user`` (desktop) agrees to renew with its village in that next round, then records
   a visit with a photo in the archive of its demo pair and sees the photo load.
3. ``village_user`` (phone, 390×844): the unit submits this month's performance card; the
   village secretary sees the unread count and the 待办 item, countersigns, and both go.
4. ``committee_admin`` (desktop) downloads the signed agreement of a demo pair of its county
   from the round's pairings page; ``pdftotext`` reads the profile's commitments in 二、共建承诺.

The database is written only by the demo generators (and, in 2., to create the next round
the unit answers); it is read to name things and to check outcomes.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from django.core.management import call_command
from django.db.models import Count
from PIL import Image
from playwright.sync_api import Browser, Locator, Page, expect

from gongjian.accounts.models import User
from gongjian.demo.registry import generate
from gongjian.notifications.models import Event, Notification
from gongjian.orgs.models import Organization
from gongjian.orgs.vocabulary import ensure_vocabularies
from gongjian.policies import load_profile
from gongjian.records.choices import CardStatus
from gongjian.records.models import PerformanceCard, Visit
from gongjian.rounds.models import (
    Agreement,
    AllocationRun,
    DirectoryEntry,
    Pairing,
    PairingOrigin,
    PairingStatus,
    Round,
    RoundUnit,
)
from gongjian.rounds.services_setup import round_create, round_open, round_schedule_defaults
from tests.conftest import PASSWORD
from tests.e2e.conftest import People, login, poll_until, screenshot
from tests.rounds.test_agreement_profiles import commitments_section, expected_words

NEXT_ROUND = "{year}年城乡基层党组织结对共建"


@dataclass
class Demo:
    """The demo as ``make run`` loads it: its signed round and the demo accounts' pair."""

    round: Round
    pairing: Pairing  # unit_user's unit with village_user's village, signed in the demo round
    city_admin: User
    unit_user: User
    village_user: User


@pytest.fixture
def demo(live_server, transactional_db, settings, tmp_path: Path) -> Demo:  # type: ignore[no-untyped-def]
    """``manage.py demo`` (county) and ``manage.py demo_activity``, as ``make run`` does."""
    settings.MEDIA_ROOT = tmp_path / "media"  # photos and PDFs stay out of var/media
    ensure_vocabularies()  # a transactional test before may have flushed the migration's rows
    generate("county", seed=1, password=PASSWORD)
    call_command("demo_activity", seed=1, stdout=io.StringIO())
    users = {u.username: u for u in User.objects.filter(username__in=["city_admin", "unit_user", "village_user"])}
    round_ = Round.objects.get()
    pairing = Pairing.objects.select_related("unit", "village").get(
        round=round_,
        unit=users["unit_user"].organization,
        village=users["village_user"].organization,
        status=PairingStatus.SIGNED,
    )
    return Demo(round_, pairing, users["city_admin"], users["unit_user"], users["village_user"])


@pytest.fixture
def people(browser: Browser, live_server, demo: Demo) -> Iterator[People]:  # type: ignore[no-untyped-def]
    crowd = People(browser, live_server.url, PASSWORD)
    yield crowd
    crowd.close()


# --- what a person does on every page ----------------------------------------------------


def expect_message(page: Page, text: str) -> None:
    expect(page.locator("main .message").filter(has_text=text)).to_be_visible()


def open_round(page: Page, name: str) -> None:
    """From any page: the menu's 结对轮次, then the round's name in the list."""
    page.locator("nav.nav").get_by_role("link", name="结对轮次").click()
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.locator("h1")).to_have_text(name)


def tab(page: Page, name: str) -> None:
    page.locator("nav.tabs").first.get_by_role("link", name=name, exact=True).click()
    expect(page.locator("nav.tabs a.active").first).to_have_text(name)


def pairing_row(page: Page, unit: Organization, village: Organization) -> Locator:
    return page.locator("table.pairings tbody tr").filter(has_text=unit.name).filter(has_text=village.name)


def wait_for_run(page: Page, number: int) -> AllocationRun:
    """An allocation runs as a job; its page then opens the run it made."""
    page.wait_for_url(re.compile(rf".*/runs/{number}/$"), timeout=120_000)
    expect(page.locator("h2").filter(has_text=f"方案 {number}")).to_be_visible()
    return AllocationRun.objects.get(number=number, round__previous_round__isnull=False)


def no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, f"the page is {width}px wide on a 390px phone"


def next_round_for_unit(demo: Demo) -> Round:
    """Next year's round over the city, naming the demo round, its directory published (the
    admin's walk of test 1, done through the services here so the unit has offers to answer)."""
    schedule = round_schedule_defaults("shanghai", datetime.date.today().year)
    round_ = round_create(
        actor=demo.city_admin,
        scope=demo.round.scope,
        name=NEXT_ROUND.format(year=schedule["intent_deadline"].year),
        policy_key="shanghai",
        previous_round=demo.round,
        **schedule,
    )
    return round_open(actor=demo.city_admin, round_=round_)


# --- 1. city_admin ------------------------------------------------------------------------


def test_city_admin_opens_a_renewal_round_allocates_pins_and_publishes(people: People, demo: Demo) -> None:
    admin = people["city_admin"]
    village = demo.pairing.village
    old_unit = demo.pairing.unit

    # 新建轮次: the Shanghai profile (the demo round's) fills in next year's schedule.
    admin.locator("nav.nav").get_by_role("link", name="结对轮次").click()
    admin.get_by_role("link", name="新建轮次").click()
    admin.locator("#round-form").evaluate("form => form.dataset.stale = 'yes'")
    admin.get_by_label("政策配置").select_option("shanghai")
    expect(admin.locator("#round-form[data-stale]")).to_have_count(0)
    year = int(admin.get_by_label("意向确认截止").input_value()[:4])
    name = NEXT_ROUND.format(year=year)
    admin.get_by_label("轮次名称").fill(name)
    admin.get_by_label("组织范围").select_option(label=demo.round.scope.name)
    admin.get_by_label("上一轮").select_option(label=demo.round.name)
    admin.get_by_role("button", name="创建").click()
    expect_message(admin, f"已创建轮次“{name}”")
    round_ = Round.objects.get(name=name)
    assert round_.previous_round == demo.round

    admin.get_by_role("button", name="发布名录").click()
    expect(admin.locator(".status")).to_have_text("选择中")
    signed = Pairing.objects.filter(round=demo.round, status=PairingStatus.SIGNED).count()
    offers = Pairing.objects.filter(round=round_, origin=PairingOrigin.RENEWAL)
    assert offers.count() == signed > 100

    # The directory: the demo village (and every other signed one) is held, no form on it.
    tab(admin, "名录")
    admin.get_by_role("searchbox", name="搜索").fill(village.name)
    admin.get_by_role("searchbox", name="搜索").press("Enter")
    row = admin.locator("#directory-rows tbody tr").filter(has_text=village.name).first
    expect(row.locator(".renewal-held")).to_have_text("续签待定")
    expect(row.locator("input[name=rank]")).to_have_count(0)
    screenshot(admin, "demo-walk-admin-directory-held")

    # The demo village declines to renew: its place opens again.
    secretary = people["village_user"]
    open_round(secretary, name)
    tab(secretary, "续签")
    pairing_row(secretary, old_unit, village).get_by_role("button", name="不续签").click()
    expect(secretary.get_by_text("已选择不续签")).to_be_visible()

    # The allocation: held villages and the coverage explained in Chinese.
    open_round(admin, name)
    tab(admin, "组织分配")
    admin.get_by_role("button", name="运行组织分配").click()
    run = wait_for_run(admin, 1)
    held = offers.count() - 1
    explained = admin.locator("#coverage-explained")
    expect(explained).to_contain_text(f"应覆盖 {run.required_slots} 个名额")
    expect(explained).to_contain_text(f"另有 {held} 个村的名额在运行时已被占用")
    expect(explained).to_contain_text("都在等上一轮结对双方决定是否续签")
    screenshot(admin, "demo-walk-admin-run-1")
    admin.get_by_role("link", name=re.compile(r"^已占用名额的村（")).click()
    held_rows = admin.locator("table.held-villages tbody")
    expect(held_rows).not_to_contain_text(village.name)
    expect(admin.locator("table.held-villages tbody tr").first).to_contain_text("续签")
    admin.get_by_role("link", name=re.compile(r"^指定与禁止（")).click()
    declined = admin.locator("table.pair-rules tbody tr").filter(has_text=village.name)
    expect(declined).to_contain_text(old_unit.name)
    expect(declined).to_contain_text("不续签（村）")
    screenshot(admin, "demo-walk-admin-rules")

    # Pin another unit of the county to the freed village, and re-run.
    admin.get_by_role("link", name=re.compile(r"^结对方案（")).click()
    engine_row = admin.locator("table.run-pairs tbody tr").filter(has_text=village.name)
    engine_unit = engine_row.locator("td").first.inner_text().strip() if engine_row.count() else ""
    county = User.objects.get(username="committee_admin").organization
    assert county is not None and village.path.startswith(county.path)
    pin_unit = (
        Organization.objects.filter(pk__in=RoundUnit.objects.filter(round=round_).values("unit_id"))
        .filter(path__startswith=county.path, capacity__gt=0)
        .exclude(pk=old_unit.pk)
        .exclude(name=engine_unit)
        .order_by("code")
        .first()
    )
    assert pin_unit is not None
    admin.get_by_role("link", name="历次方案").click()
    # Two villages of the register bear the same name: typed by name, the pin is refused with
    # where each one is (county, town, code), never resolved silently to one of them.
    twin = (
        DirectoryEntry.objects.filter(round=round_)
        .values("village__name")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("village__name")
        .first()
    )
    assert twin is not None
    twins = DirectoryEntry.objects.filter(round=round_, village__name=twin["village__name"]).select_related("village")
    admin.get_by_label(re.compile("^指定结对：单位")).fill(pin_unit.name)
    admin.get_by_label(re.compile("^指定结对：村")).fill(twin["village__name"])
    admin.get_by_role("button", name="运行组织分配").click()
    refusal = admin.locator("main .message.error")
    expect(refusal).to_contain_text(f"本轮有 {len(twins)} 个“{twin['village__name']}”")
    for entry in twins:
        expect(refusal).to_contain_text(f"{entry.county} {entry.town}（{entry.village.code}）")
    screenshot(admin, "demo-walk-admin-pin-ambiguous")
    admin.get_by_label(re.compile("^指定结对：单位")).fill(pin_unit.name)
    admin.get_by_label(re.compile("^指定结对：村")).fill(village.name)
    admin.get_by_role("button", name="运行组织分配").click()
    wait_for_run(admin, 2)
    pinned = admin.locator("table.run-pairs tbody tr").filter(has_text=village.name)
    expect(pinned).to_contain_text(pin_unit.name)
    expect(pinned.get_by_label("指定该结对")).to_be_checked()
    screenshot(admin, "demo-walk-admin-run-2")

    admin.get_by_role("button", name="发布本方案").click()
    expect_message(admin, "方案 2 已发布")
    assert Pairing.objects.filter(
        round=round_, unit=pin_unit, village=village, origin=PairingOrigin.ALLOCATION, status=PairingStatus.PROPOSED
    ).exists()
    assert (
        not Pairing.objects.filter(round=round_, unit=old_unit, village=village)
        .exclude(status=PairingStatus.ENDED)
        .exists()
    )


# --- 2. unit_user -------------------------------------------------------------------------


def photo_file(tmp_path: Path) -> Path:
    path = tmp_path / "走访.jpg"
    Image.new("RGB", (640, 480), (180, 40, 40)).save(path, "JPEG")
    return path


def test_unit_user_renews_and_its_visit_photo_shows(people: People, demo: Demo, tmp_path: Path) -> None:
    round_ = next_round_for_unit(demo)
    unit_page = people["unit_user"]
    unit, village = demo.pairing.unit, demo.pairing.village

    # The renewal offer waits in the unit's to-do list; it agrees to renew.
    unit_page.goto("/")
    expect(unit_page.get_by_test_id("todo")).to_contain_text(village.name)
    open_round(unit_page, round_.name)
    tab(unit_page, "续签")
    row = pairing_row(unit_page, unit, village)
    row.get_by_role("button", name="同意续签").click()
    expect(pairing_row(unit_page, unit, village)).to_contain_text("等待对方")
    screenshot(unit_page, "demo-walk-unit-renewal")
    offer = Pairing.objects.get(round=round_, unit=unit, village=village, origin=PairingOrigin.RENEWAL)
    assert offer.unit_confirmed_at is not None

    # The archive of its demo pair: a visit with a photo, shown on the archive page.
    unit_page.locator("nav.nav").get_by_role("link", name="共建档案").click()
    unit_page.get_by_role("link", name=village.name).first.click()
    expect(unit_page.locator("h1")).to_have_text("帮扶工作档案")
    unit_page.get_by_role("link", name="登记走访").first.click()
    unit_page.get_by_label("走访人员层级").select_option(label="分管领导")
    unit_page.get_by_label("走访人员（姓名、职务）").fill("王芳 分管副局长")
    unit_page.get_by_label("走访内容").fill("到村察看茶园提升项目进度，协调解决道路硬化问题")
    unit_page.get_by_label("现场照片").set_input_files(str(photo_file(tmp_path)))
    unit_page.get_by_role("button", name="保存").click()
    expect(unit_page.locator(".message")).to_contain_text("走访记录已保存")
    visit = Visit.objects.filter(pairing=demo.pairing, visitors="王芳 分管副局长").get()
    photo = visit.photos.get()
    image = unit_page.locator(f".rec-photos img[src*='{photo.pk}'], .rec-photos img").first
    expect(image).to_be_visible()
    image.scroll_into_view_if_needed()
    poll_until(
        unit_page, lambda: image.evaluate("img => img.complete && img.naturalWidth > 0"), what="the photo loaded"
    )
    assert image.evaluate("img => img.naturalWidth") == 640
    screenshot(unit_page, "demo-walk-unit-photo")


# --- 3. village_user on a phone -----------------------------------------------------------


def unread(page: Page) -> int:
    badge = page.get_by_test_id("menu-unread-count")
    return int(badge.inner_text()) if badge.count() else 0


def test_village_user_on_a_phone_countersigns_from_the_todo_list(people: People, demo: Demo, phone_page: Page) -> None:
    unit, village = demo.pairing.unit, demo.pairing.village

    # The unit submits this month's performance card (desktop).
    unit_page = people["unit_user"]
    unit_page.locator("nav.nav").get_by_role("link", name="共建档案").click()
    unit_page.get_by_role("link", name=village.name).first.click()
    unit_page.get_by_role("link", name="填报本月实绩卡").first.click()
    unit_page.get_by_label("本月工作实绩").fill("本月到村走访1次，协调解决茶园道路硬化问题；慰问困难党员2户。")
    unit_page.get_by_role("button", name="报送村党组织会签").click()
    expect(unit_page.locator(".message")).to_contain_text("等待村党组织会签")
    card = PerformanceCard.objects.get(pairing=demo.pairing, month=datetime.date.today().replace(day=1))

    # The village secretary on the phone: the count and the item on the home page.
    page = phone_page
    login(page, "village_user", PASSWORD)
    before = unread(page)
    assert before >= 1
    todo = page.get_by_test_id("todo")
    expect(todo).to_contain_text("工作实绩卡待会签")
    # The demo year may have left an earlier month's card waiting as well: this month's item.
    month = f"{card.month.year}年{card.month.month}月"
    item = todo.get_by_role("link", name=re.compile(f"^{re.escape(unit.name)}报送了{month}工作实绩卡"))
    expect(item).to_have_count(1)
    no_horizontal_scroll(page)
    screenshot(page, "demo-walk-village-todo")

    item.click()
    expect(page).to_have_url(re.compile(f"/records/cards/{card.pk}/$"))
    expect(page.locator(".work-text")).to_contain_text("茶园道路硬化")
    page.get_by_label("签注意见").fill("情况属实，群众满意")
    page.get_by_role("button", name="签注意见并会签").click()
    expect(page.locator(".message")).to_contain_text("已签注意见并会签")

    page.goto("/")
    done = page.get_by_test_id("todo").get_by_role("link", name=re.compile(f"报送了{month}工作实绩卡"))
    expect(done).to_have_count(0)
    assert unread(page) == before - 1
    no_horizontal_scroll(page)
    screenshot(page, "demo-walk-village-done")
    card.refresh_from_db()
    assert card.status == CardStatus.COUNTERSIGNED and card.countersigned_by == demo.village_user
    notice = Notification.objects.get(event=Event.CARD_COUNTERSIGN, object_id=card.pk)
    assert notice.done_at is not None


# --- 4. the agreement PDF ----------------------------------------------------------------


def test_committee_admin_downloads_a_signed_demo_agreement_with_its_commitments(
    people: People, demo: Demo, tmp_path: Path
) -> None:
    admin_user = User.objects.select_related("organization").get(username="committee_admin")
    county = admin_user.organization
    assert county is not None
    # A pair of the county signed as the demo round brought it in (PDF rendered on download).
    pairing = (
        Pairing.objects.select_related("unit", "village")
        .filter(round=demo.round, status=PairingStatus.SIGNED, village__path__startswith=county.path)
        .exclude(pk=demo.pairing.pk)
        .order_by("village__code")
        .first()
    )
    assert pairing is not None
    page = people["committee_admin"]
    open_round(page, demo.round.name)
    tab(page, "结对")
    page.get_by_role("searchbox", name="搜索").fill(pairing.village.name)
    page.get_by_role("button", name="查询").click()
    row = pairing_row(page, pairing.unit, pairing.village)
    expect(row.locator(".status")).to_have_text("已签约")
    # The link the person clicks, fetched in their own session (the PDF opens inline).
    link = row.get_by_role("link", name="下载已签署协议书")
    href = link.get_attribute("href")
    assert href is not None
    response = page.request.get(urljoin(page.url, href))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    disposition = unquote(response.headers["content-disposition"])
    assert "共建协议书（已签署）" in disposition and pairing.village.name[:2] in disposition, disposition
    path = tmp_path / "signed.pdf"
    path.write_bytes(response.body())
    agreement = Agreement.objects.get(pairing=pairing)
    assert agreement.signed_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()

    section = commitments_section(path.read_bytes(), tmp_path)
    tags = frozenset(pairing.village.tags.values_list("code", flat=True))
    applying = [o for o in load_profile(demo.round.policy_key).obligations if o.applies_to(tags)]
    assert applying and section.startswith("（一）")
    for obligation in applying:
        for word in expected_words(obligation):
            assert re.sub(r"\s+", "", word) in section, (obligation.id, word, section)
    screenshot(page, "demo-walk-committee-pairings")
