"""On a 390-px phone: the unit records a visit (with a photo) and submits this month's
performance card; the village countersigns it on its phone; the county sees it."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from gongjian.audit.models import AuditEntry
from gongjian.records.choices import CardStatus
from gongjian.records.models import PerformanceCard, Visit
from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import login, screenshot
from tests.records.conftest import backdate_term, sign_pairing
from tests.rounds.conftest import make_round


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "visit.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (180, 40, 40)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, f"the page is {width}px wide on a 390px phone"


def test_unit_records_visit_and_card_village_countersigns_on_phones(
    phone_page: Page,
    cast: Cast,
    photo: Path,
    settings,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    round_ = make_round(cast)
    pairing = sign_pairing(cast, round_)
    backdate_term(round_, datetime.date(datetime.date.today().year - 1, 1, 1))
    page = phone_page

    # The unit cadre, on the phone: archive → 登记走访.
    login(page, "unit", PASSWORD)
    page.goto("/records/")
    page.get_by_role("link", name="花家村党支部").first.click()
    expect(page.locator("h1")).to_have_text("帮扶工作档案")
    no_horizontal_scroll(page)
    page.get_by_role("link", name="登记走访").first.click()
    date_input = page.get_by_label("走访日期")
    expect(date_input).to_have_value(f"{datetime.date.today():%Y-%m-%d}")  # defaults to today
    box = date_input.bounding_box()
    assert box is not None and box["height"] >= 40 and box["width"] >= 300  # a thumb-sized field
    page.get_by_label("走访人员层级").select_option(label="分管领导")
    page.get_by_label("走访人员（姓名、职务）").fill("王芳 分管副局长")
    page.get_by_label("走访内容").fill("到村察看光伏电站建设进度，协调解决并网问题")
    page.get_by_label("现场照片").set_input_files(str(photo))
    no_horizontal_scroll(page)
    screenshot(page, "records-phone-visit-form")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".message")).to_contain_text("走访记录已保存")
    expect(page.locator(".rec-list")).to_contain_text("王芳 分管副局长")
    expect(page.locator(".rec-photos img")).to_have_count(1)
    screenshot(page, "records-phone-visit-saved")

    # This month's performance card, submitted to the village.
    page.get_by_role("link", name="填报本月实绩卡").first.click()
    page.get_by_label("本月工作实绩").fill("本月到村走访1次，协调解决光伏并网问题；走访困难党员2户。")
    no_horizontal_scroll(page)
    page.get_by_role("button", name="报送村党组织会签").click()
    expect(page.locator(".message")).to_contain_text("等待村党组织会签")
    expect(page.locator(".status-submitted")).to_contain_text("待村会签")
    screenshot(page, "records-phone-card-submitted")

    # The village secretary, on the phone: countersigns.
    page.context.clear_cookies()
    login(page, "village", PASSWORD)
    page.goto("/records/cards/")
    page.locator("table").last.get_by_role("link").first.click()
    expect(page.locator(".work-text")).to_contain_text("协调解决光伏并网问题")
    no_horizontal_scroll(page)
    page.get_by_label("签注意见").fill("情况属实，群众满意")
    page.get_by_role("button", name="签注意见并会签").click()
    expect(page.locator(".message")).to_contain_text("已签注意见并会签")
    expect(page.locator(".status-countersigned")).to_contain_text("村已会签")
    screenshot(page, "records-phone-card-countersigned")

    visit = Visit.objects.get(pairing=pairing)
    assert visit.visitor_level == "in_charge" and visit.photos.count() == 1
    card = PerformanceCard.objects.get(pairing=pairing)
    assert card.status == CardStatus.COUNTERSIGNED and card.countersigned_by == cast.village_user
    assert AuditEntry.objects.filter(action="performance_card.countersign", success=True).exists()

    # The county committee sees the countersigned card in its list.
    page.context.clear_cookies()
    login(page, "county", PASSWORD)
    page.goto("/records/cards/")
    expect(page.locator("table").last).to_contain_text("村已会签")
    expect(page.locator("table").last).to_contain_text("商南县农业农村局机关党委")
    # … and, as the unit's superior committee, acknowledges it (seed 000 报上级党委).
    page.get_by_role("link", name=f"{card.month:%Y}年{card.month.month}月").first.click()
    expect(page.get_by_test_id("village-comment")).to_contain_text("情况属实，群众满意")
    page.get_by_role("button", name="上级党委收阅").click()
    expect(page.locator(".message")).to_contain_text("已收阅")
