"""Every page run headless (AppTest) against the warehouse built from data/reports/: no exception,
and the real values of the reports appear (青云谱区 2022: 88.78 分, 良; procurement execution 0.07%
= 630 / 921,000; budget execution 105.66%; satisfaction 96 and 100)."""

from __future__ import annotations

import re

import pytest

from dashboard.registry import PAGES
from dashboard_helpers import QINGYUNPU, REPORTS_DIR, no_exception, texts
from warehouse import registry

PAGE = {p.title: p.path for p in PAGES}


def frames(at):
    return [d.value for d in at.dataframe]


def qingyunpu_id(at) -> int:
    """The evaluation id of 青云谱区 2022, read from the overview's evaluation table."""
    for df in frames(at):
        if "评价编号" in df.columns and "单位" in df.columns:
            row = df[df["单位"] == QINGYUNPU]
            if len(row):
                return int(row["评价编号"].iloc[0])
    raise AssertionError("青云谱区 not in the evaluation table")


def test_overview_counts_grades_and_alerts(open_page, real_warehouse):
    at = open_page(PAGE["总览"], real_warehouse)
    no_exception(at)
    # the cockpit: the latest year (2023: 霍邱县, 100 分) against the year before (2022: 青云谱区, 88.78)
    metrics = {m.label: m for m in at.metric}
    assert metrics["总分中位数"].value == "100.00" and metrics["总分中位数"].proto.delta == "+11.22"
    assert "2023年 · 全部地区**：1 个单位、1 份评价报告；与 2022年 比较" in texts(at)
    evaluations = next(df for df in frames(at) if "等次" in df.columns and "评价编号" in df.columns)
    row = evaluations[evaluations["单位"] == QINGYUNPU].iloc[0]
    assert row["总分"] == pytest.approx(88.78) and row["等次"] == "良" and row["年度"] == 2022
    at.toggle(key="alert_all_years").set_value(True).run()  # the alerts of every year, not only 2023
    no_exception(at)
    text = texts(at)
    assert "采购执行率 0.1%" in text  # 630 元 of 921,000 元
    assert "预算执行率 105.7%" in text
    # the 0.07% procurement (92.04 万元 unspent) ranks above the 105.7% overspend (31.13 万元)
    assert text.index("采购执行率 0.1%") < text.index("预算执行率 105.7%")
    alerts = next(df for df in frames(at) if "预警" in df.columns)
    eid = qingyunpu_id(at)
    links = alerts.loc[alerts["单位"] == QINGYUNPU, "报告"]
    assert any(f"evaluation_id={eid}" in link and link.startswith("./report?") for link in links)
    assert set(alerts["预警"]) >= {"预算超支（执行率>100%）", "政府采购执行率低于80%", "数据质量错误"}


def test_report_detail_opens_from_a_link(open_page, real_warehouse):
    overview = open_page(PAGE["总览"], real_warehouse)
    eid = qingyunpu_id(overview)
    at = open_page(PAGE["报告详情"], real_warehouse, {"evaluation_id": str(eid)})
    no_exception(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["总分"] == "88.78" and metrics["等次"] == "良"
    assert at.selectbox(key="report_pick").value == eid
    assert at.query_params["evaluation_id"] == str(eid)
    text = texts(at)
    assert QINGYUNPU in text
    # Every number opens to its source line: the metric expander shows the line and its context.
    budget = next(e for e in at.expander if e.label.startswith("预算执行率：105.7%"))
    line = int(budget.label.split("第 ")[1].split(" 行")[0])
    source = (REPORTS_DIR / "001_ef013dee5caf02af.txt").read_text(encoding="utf-8").splitlines()
    shown = "\n".join(str(h.value) for h in at.get("html"))
    assert source[line - 1].strip()[:20].replace("<", "&lt;") in shown
    # The whole source text is viewable.
    assert any(str(c.value).split("\n") == source for c in at.code)


def test_region_compare_ranks_within_year(open_page, real_warehouse):
    at = open_page(PAGE["地区对比"], real_warehouse)
    no_exception(at)
    at.selectbox(key="rank_year").select(2022).run()
    no_exception(at)
    text = texts(at)
    assert "同类中位数 **88.78**" in text
    table = frames(at)[-1]
    assert table.loc[table["单位"] == QINGYUNPU, "总分"].iloc[0] == pytest.approx(88.78)
    at.selectbox(key="metric").select("procurement_exec_pct").run()
    no_exception(at)
    assert "0.1%" in texts(at)


def test_trends_table_holds_each_unit_year(open_page, real_warehouse):
    at = open_page(PAGE["年度趋势"], real_warehouse)
    no_exception(at)
    # no unit of the real reports has two years in a row: the page opens on the median alone
    assert at.multiselect(key="units").value == [] and "默认显示**全部地区中位数**" in texts(at)
    units = at.multiselect(key="units")
    units.set_value([o for o in units.options if o.startswith(QINGYUNPU)]).run()
    no_exception(at)
    table = frames(at)[0]
    assert table.loc[table["单位"] == QINGYUNPU, "总分"].iloc[0] == pytest.approx(88.78)


def test_execution_shows_stated_and_recomputed_rates(open_page, real_warehouse):
    at = open_page(PAGE["预算与采购执行"], real_warehouse)
    no_exception(at)
    text = texts(at)
    assert "政府采购执行率 0.1%" in text and "区间 <80%" in text
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["执行率中位数"] == "0.1%"
    budget = next(df for df in frames(at) if "执行率·复算值（%）" in df.columns)
    row = budget[budget["单位"] == QINGYUNPU].iloc[0]
    assert row["执行率·复算值（%）"] == pytest.approx(105.66, abs=0.01)
    assert row["执行率·报告值（%）"] == pytest.approx(105.66, abs=0.01)
    procurement = next(df for df in frames(at) if "采购执行率（%）" in df.columns)
    assert procurement["采购执行率（%）"].iloc[0] == pytest.approx(0.0684, abs=0.0001)


def test_satisfaction_figures(open_page, real_warehouse):
    at = open_page(PAGE["满意度"], real_warehouse)
    no_exception(at)
    figures = frames(at)[-1]
    assert sorted(figures.loc[figures["单位"] == QINGYUNPU, "满意度（%）"]) == [96, 100]


def test_scores_dimensions_add_up_to_the_total(open_page, real_warehouse):
    at = open_page(PAGE["指标得分"], real_warehouse)
    no_exception(at)
    dims = next(df for df in frames(at) if "维度" in df.columns and "指标体系" in df.columns)
    assert dims.loc[dims["单位"] == QINGYUNPU, "得分"].sum() == pytest.approx(88.78)
    losses = next(df for df in frames(at) if "扣分原因" in df.columns)
    assert len(losses) > 0


def _link_params(link: str) -> dict[str, str]:
    from urllib.parse import parse_qsl

    assert link.startswith("./report?"), link
    return dict(parse_qsl(link.split("?", 1)[1]))


@pytest.mark.parametrize("title, columns, field, with_line", [
    ("预算与采购执行", {"执行率·复算值（%）"}, "budget_exec_pct", False),
    ("满意度", {"调查对象", "满意度（%）"}, "satisfaction_pct", True),
    ("指标得分", {"扣分原因"}, "indicator", True),
])
def test_detail_tables_link_each_row_to_its_figure(open_page, real_warehouse, title, columns, field, with_line):
    """Issue 14 item 5: a row of a page's detail table opens its report at the row's figure (same tab:
    open_row); the link opens the report page with that figure's sentence in focus."""
    at = open_page(PAGE[title], real_warehouse, {"province": "江西省"})
    no_exception(at)
    table = next(df for df in frames(at) if columns <= set(df.columns))
    row = table[table["单位"] == QINGYUNPU].iloc[0]
    params = _link_params(row["报告"])
    assert params["field"] == field and params["province"] == "江西省"
    if with_line:
        assert params["line"] == str(int(row["原文行"]))
    report = open_page(PAGE["报告详情"], real_warehouse, params)
    no_exception(report)
    assert report.selectbox(key="report_pick").value == int(params["evaluation_id"])
    text = texts(report)  # the focus box: what the figure is, and its sentence highlighted
    assert ":material/my_location:" in text and "第 " in text, text[:500]
    if with_line:
        assert f'id="report-focus-line" data-line="{params["line"]}"' in text


def test_quality_flags_and_coverage(open_page, real_warehouse):
    at = open_page(PAGE["数据质量"], real_warehouse)
    no_exception(at)
    flags = next(df for df in frames(at) if "标记类型" in df.columns)
    assert {"错误", "警告"} <= set(flags["严重程度"])
    assert not any(CODE.search(str(v)) for v in flags["标记类型"])  # the meaning, not the code
    assert "全国 2023年" in texts(at)  # the latest year in words, every year in the grid
    at.multiselect(key="severity").set_value(["error"]).run()
    no_exception(at)
    flags = next(df for df in frames(at) if "标记类型" in df.columns)
    assert set(flags["严重程度"]) == {"错误"}
    files = next(df for df in frames(at) if "模板族" in df.columns)
    assert not any(CODE.search(str(v)) for v in files["模板族"]), set(files["模板族"])


# An internal code (snake_case: yueyang_dept_self, hunan_yueyang_dept_overall, total_sum_mismatch).
CODE = re.compile(r"(?<![A-Za-z0-9_])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9_])")


def shown_text(at) -> str:
    """What the page says in words: markdown, captions, metrics, alerts, expander labels and the
    cells of its tables; not the source text (st.code) and not the page's style sheet (st.html)."""
    out = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        out += [str(e.value) for e in getattr(at, kind)]
    out += [f"{m.label} {m.value} {m.help or ''}" for m in at.metric]
    out += [e.label for e in at.expander]
    for df in frames(at):
        out += [str(c) for c in df.columns] + [str(v) for v in df.astype(str).to_numpy().ravel()]
    return "\n".join(out)


def test_report_page_shows_no_internal_code_and_no_server_path(open_page, real_warehouse):
    overview = open_page(PAGE["总览"], real_warehouse)
    ids = next(df for df in frames(overview) if "评价编号" in df.columns)["评价编号"].tolist()
    assert len(ids) == 4
    for eid in ids:
        at = open_page(PAGE["报告详情"], real_warehouse, {"evaluation_id": str(eid)})
        no_exception(at)
        text = shown_text(at)
        assert not CODE.findall(text), (eid, CODE.findall(text))
        assert str(real_warehouse.parent) not in text and "/data/reports" not in text
    assert "江西省部门整体支出绩效评价指标（赣财绩〔2022〕）" in text or "指标体系" in text


def test_sql_console_refuses_files_and_runs_selects(open_page, real_warehouse):
    at = open_page(PAGE["SQL 查询"], real_warehouse)
    no_exception(at)
    at.text_area(key="sql_text").set_value("SELECT * FROM read_csv('/etc/passwd')")
    at.button(key="sql_run").click().run()
    no_exception(at)
    assert at.error and "拒绝" in at.error[0].value
    assert not any("root:" in str(df.to_string()) for df in frames(at))
    at.text_area(key="sql_text").set_value("SELECT unit_name, total_score FROM v_evaluation ORDER BY unit_name")
    at.button(key="sql_run").click().run()
    no_exception(at)
    result = frames(at)[-1]
    assert len(result) == 4
    assert result.loc[result["unit_name"] == QINGYUNPU, "total_score"].iloc[0] == pytest.approx(88.78)


def test_dictionary_lists_every_view_with_its_comment(open_page, real_warehouse):
    at = open_page(PAGE["数据字典"], real_warehouse)
    no_exception(at)
    labels = "\n".join(e.label for e in at.expander)
    for name in registry.VIEWS + registry.TABLES:
        assert f"**{name}**" in labels
    assert "政府采购执行" in labels  # the Chinese comment of v_procurement_execution


def test_import_previews_then_loads_and_every_page_sees_it(open_page, tmp_path):
    db = tmp_path / "fresh.duckdb"
    at = open_page(PAGE["导入报告"], db)
    no_exception(at)
    report = REPORTS_DIR / "001_ef013dee5caf02af.txt"
    at.file_uploader(key="uploads").upload(report.name, report.read_bytes()).run()
    no_exception(at)
    text = texts(at)
    assert QINGYUNPU in text and "总分 88.78" in text and "等次 良" in text
    assert not db.exists()  # nothing is written before the steward says so
    at.button(key="load_button").click().run()
    no_exception(at)
    assert db.exists() and at.success
    at.switch_page(PAGE["总览"]).run()  # same session, no restart
    no_exception(at)
    assert "1 个单位、1 份评价报告" in texts(at)
    evaluations = next(df for df in frames(at) if "等次" in df.columns and "评价编号" in df.columns)
    assert evaluations["总分"].iloc[0] == pytest.approx(88.78)


@pytest.mark.parametrize("page", [p.path for p in PAGES], ids=[p.url_path for p in PAGES])
@pytest.mark.parametrize("which", ["missing_warehouse", "schema_only_warehouse"])
def test_empty_warehouse_shows_how_to_load(open_page, request, page, which):
    at = open_page(page, request.getfixturevalue(which))
    no_exception(at)
    text = texts(at)
    assert "python -m loaders load" in text or "上传报告" in text


def test_demo_only_warehouse_includes_and_badges_demo(open_page, demo_warehouse):
    at = open_page(PAGE["总览"], demo_warehouse)
    no_exception(at)
    toggle = at.toggle(key="demo")
    assert toggle.value is True and toggle.disabled
    assert "演示数据" in texts(at)
    at = open_page(PAGE["报告详情"], demo_warehouse)
    no_exception(at)
    assert "演示数据" in texts(at)


def test_filters_follow_the_url(open_page, real_warehouse):
    at = open_page(PAGE["总览"], real_warehouse, {"province": "江西省", "year": ["2021", "2022"]})
    no_exception(at)
    assert at.selectbox(key="province").value == "江西省"
    assert "2022年 · 江西省**：1 个单位、1 份评价报告；与 2021年 比较" in texts(at)
    at.selectbox(key="province").select("湖南省").run()  # 岳阳市云溪区 reported for 2020 only
    no_exception(at)
    assert "当前筛选条件下没有报告" in texts(at)


def test_a_slow_query_is_stopped_with_a_clear_message(monkeypatch, real_warehouse):
    from dashboard import data

    monkeypatch.setenv("WAREHOUSE_PATH", str(real_warehouse))
    outcome = data.run_user_sql("SELECT count(*) FROM range(1000000000000) a", timeout_s=0.5)
    assert outcome.frame is None and outcome.timed_out
    assert "秒" in outcome.error and "停止" in outcome.error
    fine = data.run_user_sql("SELECT 42 AS x", timeout_s=0.5)
    assert fine.error is None and fine.frame["x"].tolist() == [42]


def test_console_queries_cannot_poison_each_other(monkeypatch, real_warehouse):
    """Issue 13: a temp view or macro made by one console query must not answer the next one
    (it used to, for every user, through the shared cached connection)."""
    from dashboard import data

    monkeypatch.setenv("WAREHOUSE_PATH", str(real_warehouse))
    real = "SELECT unit_name, round(total_score, 1) AS r FROM v_evaluation ORDER BY unit_name"
    before = data.run_user_sql(real)
    assert before.error is None and len(before.frame) == 4
    for poison in ("EXPLAIN ANALYZE CREATE TEMP VIEW v_evaluation AS SELECT 'FAKE' AS unit_name, 0 AS total_score",
                   "EXPLAIN ANALYZE CREATE OR REPLACE TEMP MACRO round(x, n) AS 0",
                   "CREATE OR REPLACE TEMP MACRO round(x, n) AS 0"):
        refused = data.run_user_sql(poison)
        assert refused.frame is None and "拒绝" in refused.error
        after = data.run_user_sql(real)
        assert after.error is None
        assert after.frame.equals(before.frame) and "FAKE" not in set(after.frame["unit_name"])


def test_console_shows_a_chinese_error_with_duckdb_text_folded(open_page, real_warehouse):
    at = open_page(PAGE["SQL 查询"], real_warehouse)
    at.text_area(key="sql_text").set_value("SELECT * FROM no_such_view")
    at.button(key="sql_run").click().run()
    no_exception(at)
    assert at.error and "找不到表、视图、字段或函数" in at.error[0].value
    assert any("DuckDB" in e.label for e in at.expander)
    assert any("Catalog Error" in c.value for c in at.code)


@pytest.fixture(scope="module")
def final_accounts_warehouse(tmp_path_factory):
    """A 决算 disclosure (not an evaluation) and an evaluation, loaded with the real loader."""
    import subprocess
    import sys

    from dashboard_helpers import ROOT

    docs = ROOT / "tests" / "corpus" / "realdev" / "docs"
    db = tmp_path_factory.mktemp("final_accounts") / "warehouse.duckdb"
    files = [docs / "034_gongxian-tuanxianwei-2023-juesuan-mirror.txt", docs / "003_jiujiang-gongrenwenhuagong-2022-dept-self.txt"]
    done = subprocess.run([sys.executable, "-m", "loaders", "load", *map(str, files), "--db", str(db), "-q"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "决算公开页（非评价）" in done.stdout  # the load report names the kind
    return db


def test_a_final_accounts_document_shows_its_kind_and_stays_out_of_the_scores(open_page, final_accounts_warehouse):
    import duckdb

    con = duckdb.connect(str(final_accounts_warehouse), read_only=True)
    (eid,), = con.execute("SELECT evaluation_id FROM v_evaluation WHERE document_kind = 'final_accounts'").fetchall()
    con.close()
    at = open_page(PAGE["报告详情"], final_accounts_warehouse, {"evaluation_id": str(eid)})
    no_exception(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["文件类型"] == "决算公开页" and "总分" not in metrics
    assert "决算公开页（非评价）" in texts(at)
    overview = open_page(PAGE["总览"], final_accounts_warehouse)
    no_exception(overview)
    assert "1 个单位、1 份评价报告" in texts(overview)
    assert "另有 1 份非评价文件" in texts(overview)
    quality = open_page(PAGE["数据质量"], final_accounts_warehouse)
    no_exception(quality)
    kinds = {m.label: m.value for m in quality.metric}
    assert kinds["决算公开页"] == "1" and kinds["绩效评价"] == "1"
