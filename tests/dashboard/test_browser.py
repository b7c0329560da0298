"""End to end: `streamlit run streamlit_app.py` for real, driven by headless Chromium.

Opens every page at its own URL (the overview at /overview; / opens it too) against the warehouse
built from data/reports/, checks that no error or exception box is shown and that a key number of
the real reports is on screen, changes a filter and checks that the URL and the chart follow (also
across a page change), opens an alert's link, and saves a full-page screenshot of each page under
test-artifacts/screenshots/.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlparse

import pytest

from dashboard.registry import PAGES
from dashboard_helpers import APP, QINGYUNPU, REPORTS_DIR, ROOT

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SHOTS = ROOT / "test-artifacts" / "screenshots"

# What each page must show of the real reports, and the query string it is opened with.
EXPECTED = {
    # the cockpit's alerts of every year (the first screen shows the latest year, 2023), ranked
    "overview": ("?alert_all_years=true", ["采购执行率 0.1%", "预算执行率 105.7%", "总分中位数"]),
    "map": ("?map_year=" + quote("2022年"), ["全国 · 2022年 · 总分中位数（按省）", "各省（2022年）"]),
    "regions": ("?rank_year=" + quote("2022年"), ["88.78"]),
    # no unit of the real reports has two years in a row: the median alone, and one unit from the URL
    "trends": ("?units=" + quote("南昌市青云谱区总工会 · 部门整体 第三方评价"), ["总分 88.78", "满意度 96.0%", "全部地区中位数"]),
    "execution": ("", ["政府采购执行率 0.1%", "0.06 万元", "92.10 万元"]),
    "satisfaction": ("", ["96.0%"]),
    "scores": ("", ["75.5%"]),
    "report": (None, ["88.78", QINGYUNPU]),  # opened with ?evaluation_id= of 青云谱区
    "quality": ("", ["错误", "警告", "1 / 4 个县区报告"]),  # coverage against the counties in scope
    "sql": ("", ["只读连接"]),
    "import": ("", ["选择报告文件"]),
    "dictionary": ("", ["v_procurement_execution"]),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(real_warehouse, tmp_path):
    yield from _serve(real_warehouse, tmp_path, {"DASHBOARD_USERS": str(tmp_path / "no_users.toml")})


def _serve(real_warehouse, tmp_path, extra_env: dict, port: int | None = None, extra_args: tuple[str, ...] = ()):
    """`streamlit run` on the real warehouse at 127.0.0.1:port until the test ends; then its log
    must hold no traceback."""
    port = port or free_port()
    env = {**os.environ, "WAREHOUSE_PATH": str(real_warehouse), "UPLOAD_DIR": str(tmp_path / "uploads"), **extra_env}
    log = open(tmp_path / "streamlit.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none", *extra_args],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                pass
            assert proc.poll() is None and time.time() < deadline, (tmp_path / "streamlit.log").read_text()
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    server_log = (tmp_path / "streamlit.log").read_text()
    assert "Traceback" not in server_log, server_log


def settle(page, after_input: bool = False) -> None:
    """Wait until the script has run and every element (charts included) has rendered. After an
    input, first give the rerun a moment to start, or the previous run's state would be read."""
    if after_input:
        try:
            page.wait_for_selector('[data-testid="stApp"][data-test-script-state="running"]', timeout=3_000)
        except playwright.TimeoutError:
            pass  # a fast rerun may already be over
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    page.wait_for_function("() => document.querySelectorAll('[data-testid=stSkeleton]').length === 0",
                           timeout=30_000)
    charts = page.locator('[data-testid="stPlotlyChart"]').count()
    if charts:
        page.wait_for_function(f"() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}",
                               timeout=30_000)


def screenshot(page, name: str) -> Path:
    """A full-page screenshot: the viewport grows to the app's scroll height first, because the
    app scrolls inside its own container."""
    measure = ("() => Math.max(...Array.from(document.querySelectorAll("
               "'[data-testid=stMainBlockContainer], [data-testid=stSidebarContent]')).map(e => e.scrollHeight))")
    for _ in range(2):  # charts re-lay themselves out at the new size; measure again after
        page.set_viewport_size({"width": 1440, "height": min(int(page.evaluate(measure)) + 60, 16_000)})
        settle(page)
        time.sleep(0.5)  # plotly finishes its transition
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 1000})
    return path


def assert_clean(page, where: str) -> None:
    for selector in ('[data-testid="stException"]', '[data-testid="stAlertContentError"]'):
        assert page.locator(selector).count() == 0, f"{where}: {page.locator(selector).first.inner_text()}"


def visible_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


PLOTLY_TOTAL = ("(i) => Array.from(document.querySelectorAll('.js-plotly-plot')[i]._fullData[0].y)"
                ".reduce((a, b) => a + Number(b), 0)")


def wait_plotly_total(page, index: int, expected: float) -> None:
    """Wait until the index-th chart shows `expected` in total (fails after 20 s)."""
    # (the chart may not be drawn yet: no such element, or no _fullData on it until Plotly has run)
    page.wait_for_function(f"(i) => {{ try {{ return ({PLOTLY_TOTAL})(i) === {expected}; }} catch (e) {{ return false; }} }}",
                           arg=index, timeout=20_000)


@pytest.mark.browser
@pytest.mark.timeout(240)
def test_every_page_in_chromium(server, real_warehouse):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
        try:
            # The overview, then a filter change: the URL and the chart follow.
            page.goto(server + "/")
            settle(page)
            assert_clean(page, "总览")
            page.wait_for_url("**/overview*")  # the root opens the overview at its own URL
            wait_plotly_total(page, 0, 4)  # the grade chart counts 4 reports
            sidebar = page.locator('[data-testid="stSidebar"]')
            sidebar.locator('[data-testid="stSelectbox"]').filter(has_text="省").first.click()
            page.get_by_role("option", name="江西省").click()
            settle(page, after_input=True)
            wait_plotly_total(page, 0, 2)  # the chart follows: 青云谱区 (良) and 信丰县 (no grade)
            assert "province=江西省" in unquote(page.url)
            assert page.locator('[data-testid="stMetricValue"]').first.inner_text() == "88.78"  # 江西 2022 median
            # The alert links open the report page of that evaluation, with the filters.
            href = page.locator('[data-testid="stMain"] a[href*="evaluation_id="]').first.get_attribute("href")
            assert "province=" in href
            # The filter follows the user to another page.
            sidebar.locator('[data-testid="stSidebarNav"] a').filter(has_text="地区对比").click()
            page.wait_for_url("**/regions*")
            settle(page, after_input=True)
            assert "/regions" in page.url and "province=江西省" in unquote(page.url)
            assert "江西省" in page.locator('[data-testid="stCaptionContainer"]').first.inner_text()

            page.goto(server + "/" + href.lstrip("./"))
            settle(page)
            assert_clean(page, "报告详情（预警链接）")
            text = visible_text(page)
            assert "88.78" in text and QINGYUNPU in text
            # the report of that alert, at no figure in particular (the checks below open its 得分表 tab;
            # test_cockpit_browser.py follows the link to the figure)
            report_query = "?" + "&".join(p for p in href.split("?", 1)[1].split("&")
                                          if p.split("=")[0] not in ("field", "line", "alert"))

            for spec in PAGES:
                query, wanted = EXPECTED[spec.url_path]
                url = server + "/" + spec.url_path  # every page has its own URL, the overview's too
                page.goto(url + (report_query if query is None else query))
                settle(page)
                assert_clean(page, spec.title)
                assert page.get_by_text("Page not found").count() == 0, f"{spec.title}: /{spec.url_path} not routed"
                assert urlparse(page.url).path == "/" + spec.url_path, page.url
                text = visible_text(page)
                for item in wanted:
                    assert item in text, f"{spec.title}: {item!r} not on the page"
                if spec.url_path == "sql":
                    page.locator("textarea").fill("SELECT * FROM read_csv('/etc/passwd')")
                    page.get_by_role("button", name="运行查询").click()
                    settle(page, after_input=True)
                    page.locator('[data-testid="stAlertContentError"]').wait_for(timeout=20_000)
                    assert "拒绝" in page.locator('[data-testid="stAlertContentError"]').inner_text()
                    page.locator("textarea").fill("SELECT unit_name, total_score FROM v_evaluation")
                    page.get_by_role("button", name="运行查询").click()
                    settle(page, after_input=True)
                    page.get_by_text("返回 4 行").wait_for(timeout=20_000)
                if spec.url_path == "report":  # a number opens to its line of the report, in context
                    item = "产出数量 › 开展维权普法活动次数"
                    page.locator('[data-testid="stExpander"] summary').filter(has_text=item).first.click()
                    context = page.locator('[data-testid="stExpander"]').filter(has_text=item).first
                    context.get_by_text("共计 20 次").wait_for(timeout=10_000)
                    assert "503" in context.inner_text()
                if spec.url_path == "dictionary":
                    view = page.locator('[data-testid="stExpander"]').filter(has_text="v_procurement_execution").first
                    view.locator("summary").click()
                    view.get_by_text("每项有采购数据的当前评价一行").wait_for(timeout=10_000)
                if spec.url_path == "import":
                    page.locator('[data-testid="stFileUploader"] input[type=file]').set_input_files(
                        str(REPORTS_DIR / "003_ec634bb450182679.txt"))
                    settle(page, after_input=True)
                    page.get_by_text("岳阳市云溪区总工会").first.wait_for(timeout=30_000)
                    assert "总分 98" in visible_text(page)
                shot = screenshot(page, f"{PAGES.index(spec) + 1:02d}_{spec.url_path}")
                assert shot.stat().st_size > 20_000
        finally:
            browser.close()


def pick_first_row(page, table) -> None:
    """Tick the first row of a st.dataframe with row selection (its checkbox column, drawn on the
    grid's canvas: the header row, then 35 px rows)."""
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    page.mouse.click(box["x"] + 14, box["y"] + 35 + 17)


@pytest.mark.browser
@pytest.mark.timeout(240)
def test_filters_from_the_url_follow_every_page_change(server):
    """A filter that came in the URL (/overview?province=江西省) stays set, in the sidebar and the URL,
    when the user changes page through the sidebar menu, through a page without filters (SQL 查询),
    and when a table row opens its report (st.switch_page): the row's figure is in focus."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
        sidebar = page.locator('[data-testid="stSidebar"]')

        def holds_province(where: str) -> None:
            assert "province=江西省" in unquote(page.url), f"{where}: {unquote(page.url)}"
            caption = page.locator('[data-testid="stCaptionContainer"]').filter(has_text="筛选：").first.inner_text()
            assert "江西省" in caption, f"{where}: {caption}"
            box = sidebar.locator('[data-testid="stSelectbox"]').filter(has_text="省").first
            chosen = box.inner_text() + " " + " ".join(box.locator("input").evaluate_all("(xs) => xs.map(x => x.value)"))
            assert "江西省" in chosen, f"{where}: {chosen}"

        def menu(title: str, path: str) -> None:
            sidebar.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).click()
            page.wait_for_url(f"**/{path}*")
            settle(page, after_input=True)
            assert_clean(page, title)

        try:
            page.goto(server + "/overview?province=" + quote("江西省"))
            settle(page)
            holds_province("总览")
            menu("地图", "map")  # the first page change after a link: once lost the province
            holds_province("地图")
            menu("SQL 查询", "sql")  # a page without filters in between
            menu("满意度", "satisfaction")
            holds_province("满意度")
            # a row of the satisfaction figures opens its report at that figure, in the same tab
            pick_first_row(page, page.locator('[data-testid="stDataFrame"]').last)
            page.wait_for_url("**/report*", timeout=30_000)
            settle(page, after_input=True)
            assert_clean(page, "报告详情（表格行）")
            query = parse_qs(urlparse(page.url).query)
            assert query["field"] == ["satisfaction_pct"] and query["line"], page.url
            holds_province("报告详情")
            focus = page.locator("#report-focus-line")
            focus.wait_for(timeout=20_000)
            assert focus.get_attribute("data-line") == query["line"][0]
            screenshot(page, "filters_carried_row_to_report")
        finally:
            browser.close()


LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.mark.browser
@pytest.mark.timeout(180)
def test_nothing_is_fetched_from_outside_and_pages_print_without_the_sidebar(server):
    """Offline-ready: on an intranet with no internet every request must go to the dashboard's own
    server (the tab icon once came from fonts.gstatic.com). Print-ready: the browser's print
    view of the overview and the report page leaves out the sidebar and the toolbar."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        try:
            page.goto(server + "/overview")
            settle(page)
            assert_clean(page, "总览")
            href = page.locator('[data-testid="stMain"] a[href*="evaluation_id="]').first.get_attribute("href")
            page.goto(server + "/" + href.lstrip("./"))
            settle(page)
            assert_clean(page, "报告详情")
            time.sleep(1.0)  # the tab icon and late assets
            outside = sorted({url for url in requested if urlparse(url).hostname not in LOCAL_HOSTS})
            assert not outside, f"requests left the server: {outside}"
            icon = page.evaluate("() => Array.from(document.querySelectorAll('link[rel~=icon]')).map(l => l.href)")
            assert icon and all(urlparse(u).hostname in LOCAL_HOSTS or u.startswith("data:") for u in icon), icon

            for name, url in (("print_report", page.url), ("print_overview", server + "/overview")):
                page.goto(url)
                settle(page)
                page.emulate_media(media="print")
                for selector in ('[data-testid="stSidebar"]', '[data-testid="stHeader"]', '[data-testid="stToolbar"]'):
                    assert page.locator(selector).count() == 0 or not page.locator(selector).first.is_visible(), \
                        f"{name}: {selector} shows in print"
                assert page.locator('[data-testid="stMain"] h1').first.is_visible()
                page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
                page.emulate_media(media="screen")
            outside = sorted({url for url in requested if urlparse(url).hostname not in LOCAL_HOSTS})
            assert not outside, f"requests left the server: {outside}"
        finally:
            browser.close()


@pytest.fixture
def signed_server(real_warehouse, tmp_path):
    """The app with a users file: a viewer scoped to 青云谱区 (360104) and a national analyst."""
    from warehouse import users

    path = tmp_path / "users.toml"
    users.add("qyp_viewer", "viewer", "360104", "viewer-password", path=path)
    users.add("nation_analyst", "analyst", "", "analyst-password", path=path)
    yield from _serve(real_warehouse, tmp_path, {"DASHBOARD_USERS": str(path)})


def sign_in(page, url: str, name: str, password: str) -> None:
    page.goto(url)
    settle(page)
    main = page.locator('[data-testid="stMain"]')
    main.get_by_label("用户名").fill(name)
    main.get_by_label("密码").fill(password)
    main.get_by_role("button", name="登录").click()
    settle(page, after_input=True)
    page.locator('[data-testid="stSidebar"]').get_by_text(name).wait_for(timeout=20_000)
    settle(page)


@pytest.mark.browser
@pytest.mark.timeout(240)
def test_two_users_see_their_roles_and_regions(signed_server):
    """A county-scoped viewer: no SQL or import page (not in the menu, not by URL), only 青云谱区's
    report on the overview, no downloads. A national analyst: every report and the SQL console."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
            page.goto(signed_server + "/overview")
            settle(page)
            assert page.locator('[data-testid="stMetric"]').count() == 0  # nothing before sign-in
            assert "本地单用户模式" not in page.locator("body").inner_text()
            main = page.locator('[data-testid="stMain"]')
            main.get_by_label("用户名").fill("qyp_viewer")
            main.get_by_label("密码").fill("wrong-password")
            main.get_by_role("button", name="登录").click()
            page.get_by_text("用户名或密码不正确").wait_for(timeout=20_000)
            screenshot(page, "auth_01_sign_in")

            sign_in(page, signed_server + "/overview", "qyp_viewer", "viewer-password")
            assert_clean(page, "总览（浏览者）")
            nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
            assert "SQL 查询" not in nav and "导入报告" not in nav and "总览" in nav
            wait_plotly_total(page, 0, 1)  # the grade chart counts 青云谱区's one report (once Plotly has drawn it)
            text = visible_text(page)
            assert QINGYUNPU in text and "信丰县" not in text and "云溪区" not in text
            assert page.locator('[data-testid="stDownloadButton"]').count() == 0
            screenshot(page, "auth_02_viewer_overview")
            sign_in(page, signed_server + "/sql", "qyp_viewer", "viewer-password")  # opened by its URL
            assert page.locator("textarea").count() == 0 and "只读连接" not in visible_text(page)
            assert urlparse(page.url).path != "/sql" or page.get_by_text("Page not found").count() > 0
            screenshot(page, "auth_03_viewer_sql_url")

            page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
            sign_in(page, signed_server + "/overview", "nation_analyst", "analyst-password")
            wait_plotly_total(page, 0, 4)  # the grade chart counts all 4 reports once it is drawn
            nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
            assert "SQL 查询" in nav and "导入报告" not in nav
            # the export buttons are drawn after the charts (some inside a closed expander): wait
            # until the first is on the page (a timeout fails)
            page.locator('[data-testid="stDownloadButton"]').first.wait_for(state="attached", timeout=30_000)
            assert page.locator('[data-testid="stDownloadButton"]').count() > 0
            page.locator('[data-testid="stSidebarNav"] a').filter(has_text="SQL 查询").click()
            page.wait_for_url("**/sql*")
            settle(page, after_input=True)
            assert "只读连接" in visible_text(page)
            page.locator("textarea").fill("SELECT unit_name, total_score FROM v_evaluation")
            page.get_by_role("button", name="运行查询").click()
            settle(page, after_input=True)
            page.get_by_text("返回 4 行").wait_for(timeout=20_000)
            screenshot(page, "auth_04_analyst_sql")
        finally:
            browser.close()
