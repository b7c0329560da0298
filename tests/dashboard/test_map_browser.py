"""The map drill end to end in headless Chromium (issue 14, item 9): on the real reports, click a
province on the map → its cities show and the URL holds the province; click a city → its
counties; click a county → it is picked out, the URL holds the county and its reports are listed;
click on to the report. Then the same drill from a ranking's dot. The clicks are real mouse clicks
at a point inside the region's shape (found from Plotly's own path for that region), so Plotly
and Streamlit's on_select handle them as they would a user's. No request leaves the server.
Screenshots: test-artifacts/screenshots/map_*.png."""

from __future__ import annotations

import time
from urllib.parse import quote, unquote, urlparse

import pytest

from dashboard_helpers import QINGYUNPU
from test_browser import CHROMIUM, CHROMIUM_ARGS, LOCAL_HOSTS, SHOTS, _serve, assert_clean, screenshot, settle, \
    visible_text

playwright = pytest.importorskip("playwright.sync_api")

# A point inside the shape of the region `code` on the map, in page coordinates (the shape's own
# SVG path decides, so the point is inside a concave or ring-shaped region too), after scrolling
# the region into view; null when the map does not draw it.
INSIDE = """(code) => {
  const paths = Array.from(document.querySelectorAll('.js-plotly-plot .choroplethlocation'));
  const path = paths.find(p => p.__data__ && p.__data__.loc === code);
  if (!path) return null;
  path.scrollIntoView({block: 'center'});
  const box = path.getBoundingClientRect(), inverse = path.getScreenCTM().inverse();
  const point = path.ownerSVGElement.createSVGPoint();
  let best = null, bestScore = -1;
  for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
    point.x = box.left + box.width * i / 20; point.y = box.top + box.height * j / 20;
    if (!path.isPointInFill(point.matrixTransform(inverse))) continue;
    const score = Math.min(i, 20 - i) * Math.min(j, 20 - j);  // away from the edges
    if (score > bestScore) { bestScore = score; best = [point.x, point.y]; }
  }
  return best;
}"""


@pytest.fixture
def server(real_warehouse, tmp_path):
    yield from _serve(real_warehouse, tmp_path, {"DASHBOARD_USERS": str(tmp_path / "no_users.toml")})


def click_region(page, code: str) -> None:
    page.wait_for_function("(c) => Array.from(document.querySelectorAll('.js-plotly-plot .choroplethlocation'))"
                           ".some(p => p.__data__ && p.__data__.loc === c)", arg=code, timeout=20_000)
    xy = page.evaluate(INSIDE, code)
    assert xy, f"region {code} is not on the map"
    page.mouse.click(*xy)


def wait_url(page, fragment: str) -> None:
    page.wait_for_function("(f) => decodeURIComponent(location.href).includes(f)", arg=fragment, timeout=20_000)
    settle(page, after_input=True)


@pytest.mark.browser
@pytest.mark.timeout(300)
def test_click_a_province_then_a_city_then_a_county_then_its_report(server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        try:
            page.goto(server + "/map?map_year=" + quote("2022年"))
            settle(page)
            assert_clean(page, "地图")
            assert "全国 · 2022年 · 总分中位数（按省）" in visible_text(page)
            screenshot(page, "map_01_national")

            click_region(page, "360000")  # 江西省
            wait_url(page, "province=江西省")
            assert_clean(page, "地图（江西省）")
            page.get_by_text("江西省 · 2022年 · 总分中位数（按市）").wait_for(timeout=20_000)
            # the sidebar's filters follow (the caption under the title says them)
            assert "江西省" in page.locator('[data-testid="stCaptionContainer"]').first.inner_text()
            screenshot(page, "map_02_province")

            click_region(page, "360100")  # 南昌市
            wait_url(page, "city=南昌市")
            page.get_by_text("江西省 南昌市 · 2022年 · 总分中位数（按县区）").wait_for(timeout=20_000)
            screenshot(page, "map_03_city")

            click_region(page, "360104")  # 青云谱区
            wait_url(page, "county=青云谱区")
            assert_clean(page, "地图（青云谱区）")
            page.get_by_text("青云谱区的报告").wait_for(timeout=20_000)
            url = unquote(page.url)
            assert "province=江西省" in url and "city=南昌市" in url and "county=青云谱区" in url
            screenshot(page, "map_04_county")

            # a region without a report that year says so and stays where it is
            click_region(page, "360102")  # 东湖区: no report
            page.get_by_text("东湖区在2022年没有报告").wait_for(timeout=20_000)
            assert "county=青云谱区" in unquote(page.url)

            link = page.locator('[data-testid="stMain"] a[href*="evaluation_id="]').filter(has_text=QINGYUNPU).first
            link.click()
            page.wait_for_url("**/report?*", timeout=20_000)
            settle(page, after_input=True)
            assert_clean(page, "报告详情（从地图）")
            text = visible_text(page)
            assert "88.78" in text and QINGYUNPU in text
            screenshot(page, "map_05_report")

            time.sleep(1.0)
            outside = sorted({u for u in requested if urlparse(u).hostname not in LOCAL_HOSTS})
            assert not outside, f"requests left the server: {outside}"
        finally:
            browser.close()


@pytest.mark.browser
@pytest.mark.timeout(240)
def test_click_a_dot_of_a_ranking_drills_to_its_county(server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
        try:
            page.goto(server + "/regions?rank_year=" + quote("2022年"))
            settle(page)
            assert_clean(page, "地区对比")
            screenshot(page, "map_06_ranking")
            dot = page.locator('[data-testid="stPlotlyChart"]').first.locator(".scatterlayer .points path").first
            dot.scroll_into_view_if_needed()
            box = dot.bounding_box()
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            wait_url(page, "county=青云谱区")
            assert "province=江西省" in unquote(page.url)
            picked = page.get_by_text("已选：").first
            picked.wait_for(timeout=20_000)
            assert QINGYUNPU in visible_text(page)
            screenshot(page, "map_07_ranking_drilled")
            page.locator('[data-testid="stMain"] a[href*="evaluation_id="]').first.click()
            page.wait_for_url("**/report?*", timeout=20_000)
            settle(page, after_input=True)
            assert "88.78" in visible_text(page)
        finally:
            browser.close()
