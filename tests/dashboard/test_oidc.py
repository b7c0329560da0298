"""End to end: the OIDC sign-in (Streamlit's st.login) against a local mock identity provider.

oidc-provider-mock runs on 127.0.0.1 in a thread; the app runs with `streamlit run` and a
temporary secrets file whose [auth] section points at the mock, and a users file whose entry
matches the e-mail the mock issues (a viewer scoped to 青云谱区, 360104). Headless Chromium opens
the app, sees only the 登录 button, signs in on the mock's form, comes back signed in and sees the
overview of that county only, with no SQL page in the navigation; then signs out (through the
mock's end-session page), and an identity the users file does not know is refused.
Screenshots: test-artifacts/screenshots/oidc_*.png.
"""

from __future__ import annotations

import json
import secrets
import threading
import urllib.request
from urllib.parse import quote, urlparse

import pytest

from dashboard_helpers import QINGYUNPU

playwright = pytest.importorskip("playwright.sync_api")
oidc_provider_mock = pytest.importorskip("oidc_provider_mock")

from test_browser import (  # noqa: E402 - the browser helpers, after the skips
    CHROMIUM,
    _serve,
    CHROMIUM_ARGS,
    SHOTS,
    assert_clean,
    free_port,
    wait_plotly_total,
    screenshot,
    settle,
    visible_text,
)

EMAIL = "qyp.viewer@example.org"
SUBJECT = "qyp-viewer-0001"  # the identity's `sub`; the app matches on the e-mail claim
STRANGER = "stranger@example.org"  # signed in by the provider (email = sub), unknown to the users file


@pytest.fixture
def provider():
    """The mock OpenID provider on 127.0.0.1 and a free port, in a thread; stopped at the end."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", free_port(), oidc_provider_mock.app(require_nonce=True), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
        assert not thread.is_alive(), "the mock provider did not stop"


@pytest.fixture
def oidc_server(real_warehouse, tmp_path, provider):
    """The app with an [auth] section pointing at the mock, and a users file knowing EMAIL."""
    from warehouse import users

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{base}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "union-dashboard-test"\n'
        f'client_secret = "{secrets.token_hex(16)}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8")
    users_file = tmp_path / "users.toml"
    users.add("qyp_oidc", "viewer", "360104", "unused-password", email=EMAIL, path=users_file)
    users.add("nation_analyst", "analyst", "", "analyst-password", email="analyst@example.org", path=users_file)

    yield from _serve(real_warehouse, tmp_path, {"DASHBOARD_USERS": str(users_file)}, port=port,
                      extra_args=("--secrets.files", str(secrets_file)))


def set_claims(provider: str, sub: str, claims: dict) -> None:
    """Tell the mock which claims it issues for `sub` (PUT /users/<sub>)."""
    request = urllib.request.Request(f"{provider}/users/{quote(sub, safe='')}", method="PUT",
                                     data=json.dumps(claims).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 204


@pytest.mark.browser
@pytest.mark.timeout(240)
def test_oidc_sign_in_with_a_mock_provider(oidc_server, provider):
    SHOTS.mkdir(parents=True, exist_ok=True)
    set_claims(provider, SUBJECT, {"email": EMAIL, "email_verified": True, "name": "青云谱浏览者"})
    app_host = urlparse(oidc_server).netloc
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
            # Before sign-in: the title and the 登录 button only, no figures, no navigation.
            page.goto(oidc_server + "/overview")
            settle(page)
            main = page.locator('[data-testid="stMain"]')
            assert page.locator('[data-testid="stMetric"]').count() == 0
            assert page.locator('[data-testid="stSidebarNav"]').count() == 0
            assert main.get_by_label("用户名").count() == 0  # no password form in OIDC mode
            body = page.locator("body").inner_text()
            assert "本地单用户模式" not in body and QINGYUNPU not in body
            assert main.get_by_role("button").count() == 1
            screenshot(page, "oidc_01_sign_in_button")

            # 登录 sends the browser to the mock provider's authorization form.
            main.get_by_role("button", name="登录").click()
            page.wait_for_url(f"{provider}/oauth2/authorize*", timeout=20_000)
            assert "redirect_uri=" + quote(f"{oidc_server}/oauth2callback", safe="") in page.url
            page.get_by_placeholder("sub").wait_for(timeout=10_000)
            page.get_by_placeholder("sub").fill(SUBJECT)
            page.screenshot(path=str(SHOTS / "oidc_02_provider_form.png"), full_page=True)
            page.get_by_role("button", name="Authorize").click()

            # Back at the app (/oauth2callback, then the app's root): signed in as the viewer of 360104.
            page.wait_for_url(lambda url: urlparse(url).netloc == app_host and "/oauth2callback" not in url,
                              timeout=30_000)
            sidebar = page.locator('[data-testid="stSidebar"]')
            sidebar.get_by_text("qyp_oidc").wait_for(timeout=30_000)
            page.wait_for_url("**/overview*", timeout=20_000)
            settle(page)
            assert_clean(page, "总览（OIDC 浏览者）")
            box = sidebar.locator(".st-key-auth_box").inner_text()
            assert "qyp_oidc" in box and "浏览者" in box and "360104" in box, box
            nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
            assert "总览" in nav and "SQL 查询" not in nav and "导入报告" not in nav, nav
            wait_plotly_total(page, 0, 1)  # the grade chart counts 青云谱区's one report (once Plotly has drawn it)
            text = visible_text(page)
            assert QINGYUNPU in text and "信丰县" not in text and "云溪区" not in text
            assert page.locator('[data-testid="stDownloadButton"]').count() == 0
            screenshot(page, "oidc_03_viewer_overview")

            # The SQL page's URL does not open it for a viewer.
            page.goto(oidc_server + "/sql")
            settle(page)
            assert page.locator("textarea").count() == 0 and "只读连接" not in visible_text(page)

            # Signing out: Streamlit clears its cookie and sends the browser to the provider's
            # end_session endpoint, which (on the mock) asks to confirm and redirects back to the app.
            page.goto(oidc_server + "/overview")
            settle(page)
            sidebar.get_by_role("button", name="退出登录").click()
            page.wait_for_url(f"{provider}/oauth2/end_session*", timeout=20_000)
            page.get_by_role("button", name="End session").click()
            page.wait_for_url(lambda url: urlparse(url).netloc == app_host, timeout=30_000)
            page.locator('[data-testid="stMain"]').get_by_role("button", name="登录").wait_for(timeout=30_000)
            settle(page)
            assert page.locator('[data-testid="stMetric"]').count() == 0
            assert page.locator('[data-testid="stSidebarNav"]').count() == 0
            screenshot(page, "oidc_04_signed_out")

            # An identity the users file does not know is signed in by the provider but refused.
            page.locator('[data-testid="stMain"]').get_by_role("button", name="登录").click()
            page.wait_for_url(f"{provider}/oauth2/authorize*", timeout=20_000)
            page.get_by_placeholder("sub").fill(STRANGER)
            page.get_by_role("button", name="Authorize").click()
            page.wait_for_url(lambda url: urlparse(url).netloc == app_host and "/oauth2callback" not in url,
                              timeout=30_000)
            page.get_by_text("此账号未被授权使用本看板").wait_for(timeout=30_000)
            settle(page)
            assert page.locator('[data-testid="stMetric"]').count() == 0
            assert page.locator('[data-testid="stSidebarNav"]').count() == 0
            assert QINGYUNPU not in page.locator("body").inner_text()
            screenshot(page, "oidc_05_unknown_identity")
        finally:
            browser.close()
