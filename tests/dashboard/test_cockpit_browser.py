"""Issue 14 in headless Chromium: the cockpit's first screen, one click from an alert to the sentence
of its report (same tab, the figure's tab open, the line highlighted and in view), and a 390 px
phone. Screenshots under test-artifacts/screenshots/cockpit_*.png.

The warehouse holds the four real reports and a small demo corpus (12 units, 2022–2024), so the
latest year has a year before it to compare with and alerts of several units and rules."""

from __future__ import annotations

import subprocess
import sys
import time
from urllib.parse import parse_qs, urlparse

import duckdb
import pandas as pd
import pytest

from dashboard import cockpit
from dashboard_helpers import QINGYUNPU, ROOT
from test_browser import CHROMIUM, CHROMIUM_ARGS, SHOTS, _serve, assert_clean, screenshot, settle, visible_text

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def cockpit_warehouse(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cockpit")
    corpus = folder / "demo"
    made = subprocess.run([sys.executable, "-m", "loaders.demo", "--units", "12", "--years", "2022-2024", "--seed", "3",
                           "--out", str(corpus), "--workers", "1"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    db = folder / "warehouse.duckdb"
    done = subprocess.run([sys.executable, "-m", "loaders", "load", str(ROOT / "data" / "reports"), str(corpus),
                           "--db", str(db), "-q"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr + done.stdout
    return db


@pytest.fixture
def cockpit_server(cockpit_warehouse, tmp_path):
    yield from _serve(cockpit_warehouse, tmp_path, {"DASHBOARD_USERS": str(tmp_path / "no_users.toml")})


@pytest.fixture
def real_server(real_warehouse, tmp_path):
    yield from _serve(real_warehouse, tmp_path, {"DASHBOARD_USERS": str(tmp_path / "no_users.toml")})


def one(db, sql: str, params=()) -> tuple:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchone()
    finally:
        con.close()


def source_line(db, evaluation_id: int, line: int) -> str:
    return one(db, """SELECT l.text FROM source_line l JOIN v_evaluation e USING (file_id)
                      WHERE e.evaluation_id = ? AND l.line_no = ?""", [evaluation_id, line])[0]


def in_view(page, locator, wait: float = 10) -> bool:
    """Whether the element lies inside the viewport, waiting up to `wait` seconds for the layout
    to settle (charts drawing above it move it; a busy machine draws slowly)."""
    deadline = time.time() + wait
    while True:
        box = locator.bounding_box()
        height = page.viewport_size["height"]
        if box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height:
            return True
        if time.time() >= deadline:
            return False
        time.sleep(0.3)


def alert_links(page):
    # st.page_link renders each link twice, one of them hidden; the visible one is the one to click
    return page.locator('[data-testid="stMain"] a[data-testid="stPageLink-NavLink"][href*="alert="]:visible')


def follow_to_the_sentence(page, db, link, shot: str) -> dict:
    """Click an alert's link and check the report page: same tab, the figure's tab selected, its
    entry open, its line highlighted, in view, and the line of the report's own text."""
    query = {k: v[0] for k, v in parse_qs(urlparse(link.get_attribute("href")).query).items()}
    tabs_before = len(page.context.pages)
    link.click()
    page.wait_for_url("**/report?*", timeout=20_000)
    settle(page, after_input=True)
    time.sleep(1.5)  # the scroll runs after the page has drawn
    assert len(page.context.pages) == tabs_before, "the link opened a new tab"
    assert_clean(page, "报告详情（预警链接）")
    assert urlparse(page.url).path == "/report"
    line = page.locator("#report-focus-line")
    line.wait_for(timeout=20_000)
    assert in_view(page, line, wait=15), f"the sentence is not in view: {line.bounding_box()}"
    n = int(query["line"])
    assert line.get_attribute("data-line") == str(n)
    expected = source_line(db, int(query["evaluation_id"]), n)
    assert line.evaluate("e => e.lastChild.textContent").strip() == expected.strip()  # after the line number
    tab = page.locator('[data-testid="stTab"][aria-selected="true"]').inner_text()
    want = {"quality_flag": "质量标记", "satisfaction_pct": "满意度", "total_score": "得分表"}.get(query["field"], "关键数值")
    assert tab.startswith(want), (query["field"], tab)
    opened = page.locator('[data-testid="stExpander"] details[open] summary')
    assert opened.count() >= 1 and f"第 {n} 行" in opened.first.inner_text()
    focus = page.locator(".st-key-report_focus").inner_text()
    assert cockpit.ALERT_LABELS[query["alert"]] in focus
    page.screenshot(path=str(SHOTS / f"{shot}.png"))
    return query


@pytest.mark.timeout(300)
def test_the_cockpit_first_screen_and_one_click_to_the_sentence(cockpit_server, cockpit_warehouse):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
        try:
            page.goto(cockpit_server + "/overview")
            settle(page)
            assert_clean(page, "总览")
            # each card's sparkline (one value per year) has drawn
            page.wait_for_function("() => document.querySelectorAll("
                                   "'.st-key-cockpit_cards [data-testid=stMetricChart] svg').length === 5", timeout=20_000)
            page.screenshot(path=str(SHOTS / "cockpit_01_first_screen.png"))
            # The first screen: the state of 2024 against 2023 in five cards, then the alerts.
            text = visible_text(page)
            assert "2024年 · 全部地区" in text and "与 2023年 比较" in text
            cards = page.locator('.st-key-cockpit_cards [data-testid="stMetric"]')
            assert cards.count() == 5 and all(in_view(page, cards.nth(i)) for i in range(5))
            labels = [cards.nth(i).locator('[data-testid="stMetricLabel"]').inner_text() for i in range(5)]
            assert labels == ["总分中位数", "等次为中或差", "超支或执行率<90%", "采购执行率<80%", "满意度<90%"]
            assert all(cards.nth(i).locator('[data-testid="stMetricDelta"]').count() == 1 for i in range(5))
            heading = page.get_by_role("heading", name="预警：最要紧的在前")
            assert in_view(page, heading)
            first_unit = page.locator(".st-key-alert_unit_1")
            assert first_unit.bounding_box()["y"] < 1000  # the most severe unit starts on the first screen
            # Ranked by severity: the first unit is the one with the most severe alert of 2024.
            # (units whose most severe alerts tie may come in either order)
            top_band = one(cockpit_warehouse, """SELECT max(severity) FROM v_alerts
                WHERE fiscal_year = 2024 AND alert_code <> 'error_flag'""")[0]
            con = duckdb.connect(str(cockpit_warehouse), read_only=True)
            try:
                top_units = {u for (u,) in con.execute("""SELECT DISTINCT unit_name FROM v_alerts
                    WHERE fiscal_year = 2024 AND alert_code <> 'error_flag' AND severity = ?""", [top_band]).fetchall()}
            finally:
                con.close()
            shown = first_unit.inner_text()
            assert any(f"1. {u}" in shown for u in top_units), (top_units, shown[:80])
            assert cockpit.severity_band(top_band)[0] in shown
            # Data-quality errors in their own block, after the alerts; one alert list only.
            errors = page.locator(".st-key-cockpit_errors")
            assert errors.bounding_box()["y"] > first_unit.bounding_box()["y"]
            assert "条错误级质量标记" in errors.inner_text()
            assert not any(label in errors.inner_text() for label in ("预算执行率低于90%", "满意度低于90%"))
            first_alert = first_unit.locator('[data-testid="stMarkdownContainer"]').nth(1).inner_text()
            assert visible_text(page).count(first_alert.strip()) == 1
            screenshot(page, "cockpit_02_overview_full")

            page.set_viewport_size({"width": 1440, "height": 1000})
            page.goto(cockpit_server + "/overview")
            settle(page)
            query = follow_to_the_sentence(page, cockpit_warehouse, first_unit.locator(
                'a[data-testid="stPageLink-NavLink"]:visible').first, "cockpit_03_alert_to_sentence")
            assert query["alert"] != "error_flag"
            page.goto(cockpit_server + "/overview")
            settle(page)
            # the whole list, ranked, as a CSV whose links open the report from outside the app
            table = page.locator('[data-testid="stExpander"]').filter(has_text="全部预警").first
            table.locator("summary").click()
            button = table.get_by_role("button", name="下载 CSV")
            button.wait_for(state="visible", timeout=60_000)
            settle(page)
            # (on a loaded machine a click can land while the app reruns: one more try then)
            try:
                with page.expect_download(timeout=45_000) as download:
                    button.click()
            except playwright.TimeoutError:
                settle(page)
                with page.expect_download(timeout=45_000) as download:
                    button.click()
            csv = pd.read_csv(download.value.path(), encoding="utf-8-sig")
            (total,) = one(cockpit_warehouse, "SELECT count(*) FROM v_alerts")
            assert len(csv) == total and csv["报告"].str.startswith(cockpit_server + "/report?").all()
            assert csv["报告"].str.contains("evaluation_id=").all() and csv["报告"].str.contains("field=").all()
        finally:
            browser.close()


@pytest.mark.timeout(300)
def test_the_real_procurement_alert_opens_at_its_sentence(real_server, real_warehouse):
    """The real report's 0.07% procurement execution, once buried under 32 overspends: first in the
    cockpit's list of every year, and one click from line 215 of 青云谱区's report."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
        try:
            page.goto(real_server + "/overview?alert_all_years=true")
            settle(page)
            assert_clean(page, "总览")
            first_unit = page.locator(".st-key-alert_unit_1").inner_text()
            assert QINGYUNPU in first_unit
            assert first_unit.index("采购执行率 0.1%") < first_unit.index("预算执行率 105.7%")
            query = follow_to_the_sentence(page, real_warehouse, alert_links(page).first, "cockpit_04_real_procurement")
            assert (query["field"], query["line"]) == ("procurement_exec_pct", "215")
            assert "0.07%" in page.locator("#report-focus-line").inner_text()
        finally:
            browser.close()


@pytest.mark.timeout(300)
def test_a_390px_phone_sees_the_state_first_and_reaches_the_sentence(cockpit_server, cockpit_warehouse):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True,
                                has_touch=True, device_scale_factor=2)
        try:
            page.goto(cockpit_server + "/overview")
            settle(page)
            assert_clean(page, "总览（手机）")
            page.screenshot(path=str(SHOTS / "cockpit_05_phone_first_screen.png"))
            assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # nothing runs off the side
            title = page.locator('[data-testid="stMain"] h1').first
            assert title.inner_text() == "工会绩效评价总览" and title.bounding_box()["height"] < 50  # one line
            cards = page.locator('.st-key-cockpit_cards [data-testid="stMetric"]')
            boxes = [cards.nth(i).bounding_box() for i in range(cards.count())]
            assert len(boxes) == 5 and abs(boxes[0]["y"] - boxes[1]["y"]) < 2  # two cards a row, not five stacked
            assert all(b["y"] + b["height"] <= 844 for b in boxes)  # the whole state on the first screen
            assert page.locator('.st-key-cockpit_cards [data-testid="stMetricChart"]:visible').count() == 0
            assert page.get_by_role("heading", name="预警：最要紧的在前").bounding_box()["y"] < 844
            follow_to_the_sentence(page, cockpit_warehouse, alert_links(page).first, "cockpit_06_phone_sentence")
        finally:
            browser.close()
