"""Renewal offers through the browser (issue #11 points 4, 5, 7, 8; #16.3–4).

Last round (set up in the database) signed three pairs: the unit with 花家村 and 王家沟村,
the hospital with 清泉村; a fourth pair (hospital–花家村) was confirmed but never signed.
The city admin creates the next round under the Shanghai profile (its dates prefilled from
seed 004 (八)), names the previous round and publishes the directory: the three signed pairs
are offered renewal, the unsigned one is not. The hospital's directory shows the three
villages as 续签待定, without a choose form. 花家村 declines to renew (the confirm dialog
comes from the static confirm.js); the hospital then finds 花家村 open and chooses it — the
row and the "已提交 N 个" line change in place (htmx, no reload). The admin runs the
allocation: the run names the two held villages, explains its coverage in words and lists
the declined renewal as an automatic forbid. Publishing before the intent deadline warns in
the dialog; afterwards the hospital's directory says choosing is over and shows no forms.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from gongjian.accounts.models import Role
from gongjian.orgs.models import Organization
from gongjian.rounds.models import (
    AllocationRun,
    DirectoryEntry,
    Pairing,
    PairingOrigin,
    PairingStatus,
    Round,
    RoundStatus,
)
from tests.conftest import PASSWORD, Cast, make_user
from tests.e2e.conftest import People, screenshot
from tests.rounds.conftest import make_round


@pytest.fixture
def people(browser: Browser, live_server, transactional_db) -> Iterator[People]:  # type: ignore[no-untyped-def]
    crowd = People(browser, live_server.url, PASSWORD)
    yield crowd
    crowd.close()


def _previous_round(cast: Cast) -> Round:
    previous = make_round(cast)
    for unit, village, status in (
        (cast.unit, cast.village, PairingStatus.SIGNED),
        (cast.unit, cast.other_village, PairingStatus.SIGNED),
        (cast.sibling_unit, cast.sibling_village, PairingStatus.SIGNED),
        (cast.sibling_unit, cast.village, PairingStatus.CONFIRMED),  # never signed: no renewal
    ):
        Pairing.objects.create(
            round=previous,
            entry=DirectoryEntry.objects.get(round=previous, village=village),
            unit=unit,
            village=village,
            origin=PairingOrigin.ALLOCATION,
            status=status,
        )
    Round.objects.filter(pk=previous.pk).update(name="2023年城乡结对", status=RoundStatus.CLOSED)
    return previous


def _row(page: Page, village_name: str):  # type: ignore[no-untyped-def]
    return page.locator("table.directory tbody tr").filter(has_text=village_name)


def test_renewal_offers_hold_villages_and_the_run_explains_them(people: People, cast: Cast) -> None:
    previous = _previous_round(cast)
    # The hospital takes two villages this round (its renewal may hold one of them).
    Organization.objects.filter(pk=cast.sibling_unit.pk).update(capacity=2)
    make_user("hospital", Role.UNIT_USER, cast.sibling_unit)
    admin, hospital, village = people["city"], people["hospital"], people["village"]

    # The admin creates the next round: the Shanghai profile's dates are prefilled.
    admin.goto("/rounds/new/?policy_key=shanghai")
    today = datetime.date.today()
    year = today.year if (today.month, today.day) <= (4, 30) else today.year + 1
    expect(admin.locator("#id_intent_deadline")).to_have_value(f"{year}-04-30")
    expect(admin.locator("#id_confirmation_deadline")).to_have_value(f"{year}-04-30")
    expect(admin.locator("#id_term_end")).to_have_value(f"{year + 3}-07-31")
    admin.locator("#id_name").fill(f"{year}年城乡结对")
    admin.locator("#id_previous_round").select_option(str(previous.pk))
    admin.get_by_role("button", name="创建").click()
    admin.wait_for_url(re.compile(r"/rounds/\d+/$"))
    round_ = Round.objects.exclude(pk=previous.pk).get()
    admin.get_by_role("button", name="发布名录").click()
    expect(admin.locator(".message.success, .message").first).to_be_visible()
    offers = Pairing.objects.filter(round=round_, origin=PairingOrigin.RENEWAL)
    assert set(offers.values_list("unit_id", "village_id")) == {
        (cast.unit.pk, cast.village.pk),
        (cast.unit.pk, cast.other_village.pk),
        (cast.sibling_unit.pk, cast.sibling_village.pk),
    }

    # The hospital's directory: every village is held by a pending renewal, no form offered.
    hospital.goto(f"/rounds/{round_.pk}/directory/")
    for name in (cast.village.name, cast.other_village.name, cast.sibling_village.name):
        row = _row(hospital, name)
        expect(row.locator(".renewal-held")).to_have_text("续签待定")
        expect(row.locator("input[name=rank]")).to_have_count(0)
    screenshot(hospital, "renewal-directory-held")

    # 花家村 declines; the dialog (static confirm.js) says what follows.
    asked: list[str] = []
    village.on("dialog", lambda dialog: asked.append(dialog.message))
    village.goto(f"/rounds/{round_.pk}/renewals/")
    village.get_by_role("button", name="不续签").click()
    village.wait_for_load_state()
    expect(village.get_by_text("已选择不续签")).to_be_visible()
    assert asked and "不续签后，该村将重新选择结对单位" in asked[0]

    # The hospital finds 花家村 open and chooses it; the row changes in place.
    hospital.goto(f"/rounds/{round_.pk}/directory/")
    hospital.evaluate("window.__stay = 1")  # gone if the page were reloaded
    row = _row(hospital, cast.village.name)
    expect(row.locator("td.places")).to_have_text("1 / 1")
    expect(hospital.locator("#intent-summary")).to_contain_text("已提交 0 个")
    row.locator("input[name=rank]").fill("1")
    row.get_by_role("button", name="选择").click()
    row = _row(hospital, cast.village.name)
    expect(row.get_by_text("已选（第 1 志愿）")).to_be_visible()
    expect(row.locator("td.intent-count")).to_have_text("1")
    expect(row.locator("td.places")).to_have_text("0 / 1")
    expect(hospital.locator("#intent-summary")).to_contain_text("已提交 1 个")
    assert hospital.evaluate("window.__stay") == 1

    # The admin runs the allocation and reads the run.
    admin.goto(f"/rounds/{round_.pk}/allocation/")
    admin.get_by_role("button", name="运行组织分配").click()
    admin.wait_for_load_state()
    for _ in range(60):
        if AllocationRun.objects.filter(round=round_).exists():
            break
        admin.wait_for_timeout(500)
    run = AllocationRun.objects.get(round=round_)
    # 花家村 is the one village to allocate; the Shanghai profile pairs towns too (seed 004
    # (二)(四) 所有乡镇、村党组织都有结对单位), each town of the directory one place more.
    towns = DirectoryEntry.objects.filter(round=round_, is_town=True).count()
    assert towns >= 1 and run.required_slots == 1 + towns
    assert (str(cast.sibling_unit.pk), str(cast.village.pk)) in {(p["unit"], p["village"]) for p in run.result["pairs"]}
    admin.goto(f"/rounds/{round_.pk}/runs/{run.number}/")
    explained = admin.locator("#coverage-explained")
    expect(explained).to_contain_text(f"应覆盖 {run.required_slots} 个名额")
    expect(explained).to_contain_text("另有 2 个村的名额在运行时已被占用")
    expect(explained).to_contain_text("都在等上一轮结对双方决定是否续签")
    admin.get_by_role("link", name=re.compile("已占用名额的村")).first.click()
    held = admin.locator("table.held-villages tbody")
    expect(held).to_contain_text(cast.other_village.name)
    expect(held).to_contain_text(cast.sibling_village.name)
    expect(held).not_to_contain_text(cast.village.name)
    expect(held.locator("tr").filter(has_text=cast.sibling_village.name)).to_contain_text(cast.sibling_unit.name)
    admin.get_by_role("link", name=re.compile("指定与禁止")).click()
    declined = admin.locator("table.pair-rules tbody tr").filter(has_text=cast.village.name)
    expect(declined).to_contain_text(cast.unit.name)
    expect(declined).to_contain_text("不续签（村）")
    screenshot(admin, "renewal-run-rules")

    # Publishing before the intent deadline warns that choosing ends; then it has.
    admin_asked: list[str] = []
    admin.on("dialog", lambda dialog: admin_asked.append(dialog.message))
    admin.goto(f"/rounds/{round_.pk}/runs/{run.number}/")
    admin.get_by_role("button", name="发布本方案").click()
    admin.wait_for_url(re.compile(r"/pairings/"))
    assert admin_asked and "尚未到：发布后本轮选择即结束" in admin_asked[0]
    hospital.goto(f"/rounds/{round_.pk}/directory/")
    expect(hospital.locator("#choosing-state")).to_contain_text("本轮选择已提前结束")
    expect(hospital.locator("input[name=rank]")).to_have_count(0)
