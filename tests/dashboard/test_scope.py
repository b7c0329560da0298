"""Roles and region scopes in the dashboard: a county-scoped viewer sees only that county on
every page and in every download; pages a role may not use are not there; local mode."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import auth, data, ui
from dashboard.registry import PAGES
from dashboard_helpers import APP, no_exception, texts
from warehouse import users


@pytest.fixture(scope="module")
def county(synth_warehouse):
    """(admin_code, county, unit names in it, unit names elsewhere) of one county of the synthetic warehouse."""
    con = duckdb.connect(str(synth_warehouse), read_only=True)
    code, name = con.execute("SELECT admin_code, county FROM v_evaluation GROUP BY ALL ORDER BY count(*) DESC, 1 "
                             "LIMIT 1").fetchone()
    inside = {u for (u,) in con.execute("SELECT DISTINCT unit_name FROM unit WHERE admin_code = ?", [code]).fetchall()}
    outside = {u for (u,) in con.execute("SELECT DISTINCT unit_name FROM unit WHERE admin_code <> ?", [code]).fetchall()}
    con.close()
    return code, name, inside, outside - inside


@pytest.fixture
def users_file(tmp_path, monkeypatch, county):
    path = tmp_path / "users.toml"
    users.add("county_viewer", "viewer", county[0], "viewer-password", path=path)
    users.add("nation_analyst", "analyst", "", "analyst-password", path=path)
    monkeypatch.setenv(users.USERS_ENV, str(path))
    return path


def app_as(name: str | None, warehouse, monkeypatch, tmp_path) -> AppTest:
    monkeypatch.setenv("WAREHOUSE_PATH", str(warehouse))
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "uploads"))
    at = AppTest.from_file(str(APP), default_timeout=60)
    if name:
        at.session_state["_auth_user"] = name
    return at


SCOPED_COLUMNS = ("admin_code", "county", "unit_name")


def test_a_county_viewer_sees_only_that_county_on_every_page(synth_warehouse, users_file, county, monkeypatch,
                                                             tmp_path):
    code, name, inside, outside = county
    seen: list[pd.DataFrame] = []
    real_df = data._df

    def recording(key, sql, params=()):
        frame = real_df(key, sql, params)
        seen.append(frame)
        return frame

    monkeypatch.setattr(data, "_df", recording)
    st.cache_data.clear()
    at = app_as("county_viewer", synth_warehouse, monkeypatch, tmp_path)
    at.run()
    no_exception(at)
    for spec in PAGES:
        if not users.can("viewer", spec.permission):
            with pytest.raises(Exception):  # not in the navigation: no page to switch to
                at.switch_page(spec.path).run()
            continue
        at.switch_page(spec.path).run()
        no_exception(at)
        shown = texts(at) + "\n".join(df.value.to_csv() for df in at.dataframe)
        leaked = sorted(u for u in outside if u in shown)
        assert not leaked, f"{spec.title}: {leaked[:5]}"
        assert not at.get("download_button"), f"{spec.title}: a viewer gets no downloads"
    assert seen
    for frame in seen:
        if "admin_code" in frame.columns:
            assert set(frame["admin_code"].dropna()) <= {code}
        if "county" in frame.columns:
            assert set(frame["county"].dropna()) <= {name}
        if "unit_name" in frame.columns:
            assert set(frame["unit_name"].dropna()) <= inside


def test_every_query_and_download_of_the_data_module_is_scoped(synth_warehouse, county, monkeypatch):
    code, name, inside, _ = county
    monkeypatch.setenv("WAREHOUSE_PATH", str(synth_warehouse))
    f = data.Filters()
    with auth.scoped(code):
        assert data.status().ok
        opts = data.filter_options(True)
        assert set(opts.regions["county"].dropna()) == {name}
        for rows in (data.evaluations(f), data.alerts(f), data.budget_rows(f), data.procurement_rows(f),
                     data.three_public_rows(f), data.satisfaction_rows(f), data.dimension_rows(f), data.loss_rows(f),
                     data.flag_rows(f, ["error", "warning", "info"], []), data.trend_series(f), data.source_files()):
            frame = pd.concat(list(data.all_rows(rows)) or [rows.frame])  # what "下载全部" writes
            if "unit_name" in frame.columns:
                assert set(frame["unit_name"].dropna()) <= inside
            if "county" in frame.columns:
                assert set(frame["county"].dropna()) <= {name}
            csv = ui.csv_of_all(rows).decode("utf-8-sig")
            assert all(u in inside for u in frame.get("unit_name", pd.Series(dtype=str)).dropna())
            assert csv
        counts = data.overview_counts(f)
        ids = data.evaluation_choices(f)["evaluation_id"].tolist()
        assert counts["reports"] + counts["other_documents"] == len(ids)
        assert data.coverage(f).empty  # per city and up: nothing for a county user
    with auth.scoped(""):
        national = data.overview_counts(f)["reports"]
        other = int(data._rows(data._version_key(), "SELECT min(evaluation_id) FROM v_evaluation WHERE admin_code <> ?",
                               [code])[0][0])
    assert national > counts["reports"]
    with auth.scoped(code):
        assert data.report_detail(other) is None  # a report outside the scope does not open by its id
        file_id = int(data._rows(data._version_key(), "SELECT min(file_id) FROM v_evaluation")[0][0])
        assert data.source_text(file_id)
    with auth.scoped(""):
        outside_file = int(data._rows(data._version_key(), "SELECT file_id FROM v_evaluation WHERE evaluation_id = ?",
                                      [other])[0][0])
    with auth.scoped(code):
        assert data.source_text(outside_file) == []  # nor its text


def test_the_national_analyst_has_the_console_and_downloads(synth_warehouse, users_file, monkeypatch, tmp_path):
    at = app_as("nation_analyst", synth_warehouse, monkeypatch, tmp_path)
    at.run()
    no_exception(at)
    assert at.get("download_button")
    at.switch_page("dashboard/pages/sql_console.py").run()
    no_exception(at)
    at.text_area(key="sql_text").set_value("SELECT count(DISTINCT admin_code) AS n FROM v_evaluation")
    at.button(key="sql_run").click().run()
    assert not at.error
    assert at.dataframe[0].value["n"].iloc[0] > 1
    with pytest.raises(Exception):
        at.switch_page("dashboard/pages/import_reports.py").run()  # steward and up


def test_the_console_of_a_scoped_user_is_scoped(synth_warehouse, county, monkeypatch):
    code, name, _, _ = county
    monkeypatch.setenv("WAREHOUSE_PATH", str(synth_warehouse))
    with auth.scoped(code):
        out = data.run_user_sql("SELECT DISTINCT county FROM v_evaluation")
        assert out.error is None and out.frame["county"].tolist() == [name]
        out = data.run_user_sql("SELECT count(*) FROM warehouse.main.v_evaluation")
        assert out.error and out.frame is None


def test_with_a_users_file_nothing_shows_before_sign_in(synth_warehouse, users_file, monkeypatch, tmp_path):
    at = app_as(None, synth_warehouse, monkeypatch, tmp_path)
    at.run()
    no_exception(at)
    assert "登录" in texts(at) and not at.metric and not at.dataframe
    at.text_input(key="sign_in_name").set_value("county_viewer")
    at.text_input(key="sign_in_password").set_value("wrong-password")
    at.button[0].click().run()
    assert at.error and "不正确" in at.error[0].value and not at.metric
    at.text_input(key="sign_in_password").set_value("viewer-password")
    at.button[0].click().run()
    no_exception(at)
    assert at.metric  # the overview
    assert "county_viewer" in "\n".join(str(c.value) for c in at.sidebar.caption)


def test_without_configuration_local_mode_is_marked(synth_warehouse, monkeypatch, tmp_path):
    monkeypatch.setenv(users.USERS_ENV, str(tmp_path / "no_users.toml"))
    at = app_as(None, synth_warehouse, monkeypatch, tmp_path)
    at.run()
    no_exception(at)
    assert any(auth.LOCAL_BANNER in w.value for w in at.sidebar.warning)
    at.switch_page("dashboard/pages/sql_console.py").run()  # every role
    no_exception(at)


def test_with_oidc_configured_only_the_sign_in_button_shows(synth_warehouse, users_file, monkeypatch, tmp_path):
    # [auth] in the secrets: Streamlit's st.login signs the user in (Authlib is a dependency);
    # before that, nothing of the warehouse shows. (No identity provider is reachable here, so
    # the provider's side of the sign-in is not exercised.)
    at = app_as(None, synth_warehouse, monkeypatch, tmp_path)
    at.secrets["auth"] = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "dashboard", "client_secret": "secret",
                          "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
    at.run()
    no_exception(at)
    assert [b.label for b in at.button] == ["登录"] and not at.metric and not at.dataframe
