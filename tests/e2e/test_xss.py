"""Issue 12, hole 1 ("must show": the XSS Playwright test). Stored XSS through names that
reach the charts' tooltips.

A town named with an ``<img onerror>`` is imported through the registry import (the real
service a committee admin uses), and the county committee is renamed through
``organization_update`` to a ``<script>``/``<img onerror>`` name with quotes and
``</script>``. An anonymous visitor opens the public status board and the city admin the
dashboard; the mouse passes over every chart (a grid of points over each canvas; the
treemap also zoomed into the county so that its town tiles are drawn), then every data item
is shown through the chart's ``showTip``. The test fails if any script ran
(``window.__xss``), if an element with an event-handler attribute entered the page, if the
browser reported a Content-Security-Policy violation or a console error, or if the name is
not shown, as text, in a tooltip.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from gongjian.orgs.import_organizations import organization_import
from gongjian.orgs.models import Organization, Region
from gongjian.orgs.services import organization_update
from gongjian.rounds.models import Round
from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import login, poll_until, screenshot
from tests.records.conftest import backdate_term, sign_pairing
from tests.rounds.conftest import make_round

EVIL_TOWN = "桃源镇<img src=x onerror=window.__xss=1>\"'</script>"
EVIL_ORG = "<script>window.__xss=1</script><img src=x onerror=window.__xss=2>\"'</script>商南县委"
LAST_YEAR = datetime.date.today().year - 1
# The county map (issue 15) names each county's committee in its tooltip too.
CHARTS = ("chart-map", "chart-coverage", "chart-visits", "chart-funds", "chart-heat")

# Runs before any page script (Playwright adds it through the DevTools protocol, not the
# page, so the page's own policy does not block it): every CSP violation is kept.
# Any element that enters the page with an event-handler attribute (``onerror=``…) is kept
# too: a handler planted by a name, whether or not its event has fired yet.
WATCH_VIOLATIONS = """
window.__violations = [];
window.__planted = [];
document.addEventListener("securitypolicyviolation", function (e) {
  var where = e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 160) : "";
  window.__violations.push([e.violatedDirective, e.blockedURI, e.sourceFile + ":" + e.lineNumber, where].join(" "));
});
new MutationObserver(function (mutations) {
  mutations.forEach(function (m) {
    m.addedNodes.forEach(function (node) {
      if (node.nodeType !== 1) { return; }
      [node].concat(Array.from(node.querySelectorAll("*"))).forEach(function (el) {
        if (Array.from(el.attributes).some(function (a) { return a.name.indexOf("on") === 0; })) {
          window.__planted.push(el.outerHTML);
        }
      });
    });
  });
}).observe(document, {childList: true, subtree: true});
"""

# Every tooltip text currently shown in a chart container (ECharts appends the tooltip as
# a child of the container, beside the child that holds the canvas).
TOOLTIP_TEXTS = """
(id) => Array.from(document.getElementById(id).children)
  .filter((child) => !child.querySelector("canvas") && child.style.display !== "none")
  .map((child) => child.innerText)
"""

# Shows the tooltip of every data item of every series through the chart instance (the
# ``showTip`` action a hover dispatches) and returns each tooltip's text. A treemap's item
# that is not drawn (a town while its county is not zoomed into) shows nothing.
SHOW_EVERY_TIP = """
(id) => {
  const el = document.getElementById(id);
  const chart = echarts.getInstanceByDom(el);
  const read = () => Array.from(el.children)
    .filter((child) => !child.querySelector("canvas") && child.style.display !== "none")
    .map((child) => child.innerText);
  const count = (items) => items.reduce((n, item) => n + 1 + count((item && item.children) || []), 0);
  const texts = [];
  chart.getOption().series.forEach((series, seriesIndex) => {
    const items = count(series.data || []) + 1;  // a treemap's items are its nodes, root too
    for (let dataIndex = 0; dataIndex < items; dataIndex++) {
      chart.dispatchAction({type: "showTip", seriesIndex, dataIndex});
      texts.push(...read());
    }
  });
  chart.dispatchAction({type: "hideTip"});
  return texts;
}
"""


# True once the treemap draws a town's tile (a town's tooltip can be shown).
TOWNS_DRAWN = (
    "(id) => { const texts = ("
    + SHOW_EVERY_TIP.strip()
    + ")(id); return texts.some((t) => t.includes('桃源镇') || t.includes('富水镇')); }"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def hostile_round(cast: Cast) -> Round:
    """A round whose directory holds a village of the hostile town, with the county
    committee renamed; the cast's pair is signed with a term that began last January."""
    csv = (
        "组织代码,组织名称,上级组织代码,组织层级,单位类型,区县,乡镇街道\n"
        f'C0100,桃源村党支部,C0003,党支部,村,商南县,"{EVIL_TOWN.replace(chr(34), chr(34) * 2)}"\n'
    )
    summary = organization_import(actor=cast.city_admin, data=csv.encode("utf-8"), filename="registry.csv")
    assert summary.created == 1, summary
    assert Region.objects.filter(name=EVIL_TOWN).exists()
    organization_update(actor=cast.city_admin, organization=cast.county, name=EVIL_ORG)
    assert Organization.objects.get(pk=cast.county.pk).name == EVIL_ORG
    round_ = make_round(cast)
    sign_pairing(cast, round_)
    backdate_term(round_, datetime.date(LAST_YEAR, 1, 1))
    return round_


@pytest.fixture
def watched(page: Page) -> Iterator[tuple[Page, list[str]]]:
    """The page, with console errors and uncaught exceptions collected."""
    problems: list[str] = []
    page.add_init_script(WATCH_VIOLATIONS)
    page.on("console", lambda m: problems.append(f"console: {m.text} {m.location}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    yield page, problems


def hover_chart(page: Page, chart_id: str, step: int = 36) -> dict[str, tuple[float, float]]:
    """Every tooltip text the chart shows, with where the mouse was: the mouse over a grid of
    points covering the canvas (as a person hovers), then every data item through the
    chart's ``showTip`` (those without a place)."""
    page.locator(f"#{chart_id} canvas").first.scroll_into_view_if_needed()
    box = page.locator(f"#{chart_id}").bounding_box()
    assert box and box["width"] > 50 and box["height"] > 50, f"{chart_id} is not drawn: {box}"
    seen: dict[str, tuple[float, float]] = {}
    y = box["y"] + step / 2
    while y < box["y"] + box["height"]:
        x = box["x"] + step / 2
        while x < box["x"] + box["width"]:
            page.mouse.move(x, y)
            for text in page.evaluate(TOOLTIP_TEXTS, chart_id):
                if text.strip():
                    seen.setdefault(text, (x, y))
            x += step
        y += step
    page.mouse.move(0, 0)
    for text in page.evaluate(SHOW_EVERY_TIP, chart_id):
        if text.strip():
            seen.setdefault(text, (-1, -1))
    return seen


def assert_clean(page: Page, problems: list[str]) -> None:
    # An injected <img src=x onerror=…> runs its handler when the request for x has
    # failed: let such requests finish before looking.
    page.wait_for_timeout(1500)
    ran = page.evaluate("window.__xss")
    assert ran is None, f"a name ran as script: window.__xss = {ran}"
    planted: list[str] = page.evaluate("window.__planted")
    assert planted == [], f"elements with event handlers entered the page: {planted}"
    violations: list[Any] = page.evaluate("window.__violations")
    assert violations == [], f"Content-Security-Policy violations: {violations}"
    assert problems == [], problems


def shown(texts: dict[str, tuple[float, float]], name: str) -> bool:
    return any(name in t for t in texts)


def test_hostile_names_are_text_on_public_board(watched: tuple[Page, list[str]], hostile_round: Round) -> None:
    page, problems = watched
    response = page.goto(f"/portal/rounds/{hostile_round.pk}/")
    assert response is not None and response.ok
    # Locators, not wait_for_function: its polling evaluates a string in the page, which the
    # Content-Security-Policy (no 'unsafe-eval') refuses whenever the first check is too early.
    expect(page.locator("#board-map canvas, #board-bar canvas")).to_have_count(2)

    bar_tips = hover_chart(page, "board-bar")
    # The treemap first shows counties; a click on 商南县 zooms into it and draws its towns.
    county_tips = hover_chart(page, "board-map")
    x, y = next(place for text, place in county_tips.items() if text.startswith("商南县\n") and place[0] >= 0)
    for _attempt in range(3):  # a click that lands while a poll redraws the chart is lost: click again
        page.mouse.click(x, y)
        try:
            poll_until(page, lambda: page.evaluate(TOWNS_DRAWN, "board-map"), what="the towns drawn")
            break
        except PlaywrightTimeoutError:
            continue
    town_tips = hover_chart(page, "board-map")
    for _attempt in range(3):  # a poll that redraws the chart under the mouse blanks its tips: look again
        if shown(town_tips, EVIL_TOWN):
            break
        page.wait_for_timeout(1_000)
        town_tips = hover_chart(page, "board-map")
    screenshot(page, "xss-board")
    assert_clean(page, problems)
    assert shown(bar_tips, "商南县") and shown(county_tips, "商南县"), (bar_tips, county_tips)
    assert shown(town_tips, EVIL_TOWN), f"the town's name is not shown as text in a tooltip: {town_tips}"


def test_hostile_names_are_text_on_dashboard(watched: tuple[Page, list[str]], hostile_round: Round) -> None:
    page, problems = watched
    login(page, "city", PASSWORD)
    page.goto(f"/dashboard/?round={hostile_round.pk}&year={LAST_YEAR}")
    expect(page.locator("#dashboard-charts canvas")).to_have_count(5)
    tips = {chart_id: hover_chart(page, chart_id) for chart_id in CHARTS}
    screenshot(page, "xss-dashboard")
    assert_clean(page, problems)
    for chart_id in CHARTS:
        assert shown(tips[chart_id], EVIL_ORG), f"{chart_id}: the name is not shown as text: {tips[chart_id]}"
