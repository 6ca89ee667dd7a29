"""Issue 16 "must show": on a 390 × 844 phone, the village secretary collects ten villagers'
and members' evaluations of the helping unit (群众评议, seed 002) — 7 满意, 2 基本满意, 1 不满意
on every question — from the pair's archive page; the evaluation runs; the city admin's
annual assessment shows the evaluation's points: 满意率 90 %, 17.2 of 20 (Shangnan's profile:
满意 100, 基本满意 80, 不满意 0, 20 points, all local defaults), the pair's score 97.2.

The pair (商南县农业农村局 – 花家村, Shangnan's profile) is signed through the rounds
services; its term began on 1 January of last year.
"""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from gongjian.compliance.services import compliance_evaluate
from gongjian.rounds.models import Pairing
from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import login, screenshot
from tests.records.conftest import backdate_term, sign_pairing
from tests.rounds.conftest import make_round

TODAY = datetime.date.today()
QUESTIONS = ("help", "style", "results")  # shangnan.yaml


@pytest.fixture
def pairing(cast: Cast) -> Pairing:
    round_ = make_round(cast)  # Shangnan's profile
    pairing = sign_pairing(cast, round_)
    backdate_term(round_, datetime.date(TODAY.year - 1, 1, 1))
    return Pairing.objects.select_related("round").get(pk=pairing.pk)


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px phone"


def test_village_collects_evaluations_on_a_phone_and_the_assessment_shows_the_points(
    phone_page: Page, cast: Cast, pairing: Pairing
) -> None:
    page = phone_page
    login(page, "village", PASSWORD)
    page.goto(f"/records/p/{pairing.pk}/")
    page.get_by_role("link", name="群众评议").click()
    expect(page.locator("h1")).to_contain_text("群众评议")
    expect(page.get_by_test_id("respondents")).to_have_text("0")
    no_sideways_scroll(page)
    screenshot(page, "phone-evaluation-1-empty")

    answers = ["satisfied"] * 7 + ["basic"] * 2 + ["unsatisfied"]
    for n, value in enumerate(answers, start=1):
        if value == "unsatisfied":
            page.get_by_label("村党员").check()
            page.get_by_label("意见建议").fill("希望单位多派技术员来村指导")
        for question in QUESTIONS:
            # The secretary taps the answer's button (the label wrapping the radio).
            page.locator("label", has=page.locator(f"input[name='q_{question}'][value='{value}']")).tap()
        if n == 1:
            screenshot(page, "phone-evaluation-2-form")
        page.get_by_role("button", name="保存并录入下一位").click()
        expect(page.locator(".message")).to_contain_text(f"已录入第 {n} 份评议")
        expect(page.get_by_test_id("respondents")).to_have_text(str(n))

    expect(page.get_by_test_id("rate")).to_have_text("90%")
    expect(page.get_by_test_id("points")).to_have_text("17.20")
    expect(page.locator("body")).to_contain_text("希望单位多派技术员来村指导")
    no_sideways_scroll(page)
    screenshot(page, "phone-evaluation-3-collected")
    page.context.clear_cookies()

    # The nightly evaluation runs (the same service as the cron command and the button).
    compliance_evaluate(actor=cast.city_admin, round_or_scope=pairing.round, remind=False)

    login(page, "city", PASSWORD)
    page.goto(f"/compliance/assessment/?year={TODAY.year}")
    row = page.locator("#practices tbody tr", has_text="花家村")
    expect(row).to_contain_text("10")
    expect(row).to_contain_text("90%")
    expect(row).to_contain_text("17.20")
    expect(row).to_contain_text("扣 2.80 分")
    expect(row).to_contain_text("97.20")
    no_sideways_scroll(page)
    screenshot(page, "phone-evaluation-4-assessment")
