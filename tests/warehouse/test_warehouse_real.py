"""Real values through the views, from the warehouse built from data/reports/ with the real
parser (session fixture `built_warehouse`). The figures are the ones the reports state
(DOMAIN.md section 6), so these tests fail if extraction, loading or a view is wrong."""

from __future__ import annotations

from decimal import Decimal

import pytest

from warehouse import connect, registry

QINGYUNPU = "南昌市青云谱区总工会"


@pytest.fixture(scope="module")
def con(built_warehouse):
    c = connect.read_only(built_warehouse)
    yield c
    c.close()


def one(con, sql, *params):
    rows = con.execute(sql, list(params)).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def test_every_report_loaded_and_recognized(con):
    rows = con.execute("SELECT file_name, status, evaluation_count FROM source_file ORDER BY file_name").fetchall()
    assert [r[0][:3] for r in rows] == ["000", "001", "002", "003"]
    assert all(r[1] == "ok" and r[2] >= 1 for r in rows), rows
    assert one(con, "SELECT count(*) FROM v_evaluation")[0] >= 4


def test_qingyunpu_2022_header(con):
    row = one(con, """SELECT province, city, county, admin_code, report_kind, evaluation_mode, total_score, grade,
                             grade_of_total
                      FROM v_evaluation WHERE unit_name = ? AND fiscal_year = 2022""", QINGYUNPU)
    assert row == ("江西省", "南昌市", "青云谱区", "360104", "department_overall", "third_party",
                   Decimal("88.7800"), "良", "良")


def test_qingyunpu_procurement_execution(con):
    row = one(con, """SELECT procurement_budget_yuan, procurement_actual_yuan, procurement_exec_pct_stated,
                             round(procurement_exec_pct_recomputed, 2), exec_band, rates_agree
                      FROM v_procurement_execution WHERE unit_name = ? AND fiscal_year = 2022""", QINGYUNPU)
    assert row == (Decimal("921000.00"), Decimal("630.00"), Decimal("0.0700"), Decimal("0.07"), "<80", True)


def test_qingyunpu_budget_execution_stated_and_recomputed(con):
    row = one(con, """SELECT budget_base, budget_adjusted_yuan, expenditure_yuan, budget_exec_pct_stated,
                             round(budget_exec_pct_recomputed, 2), exec_band, is_overspend, overspend_yuan
                      FROM v_budget_execution WHERE unit_name = ? AND fiscal_year = 2022""", QINGYUNPU)
    # 580.8142 万元 spent against the adjusted 549.6875 万元: 31.1267 万元 over (DOMAIN.md section 6)
    assert row == ("adjusted", Decimal("5496875.00"), Decimal("5808142.00"), Decimal("105.6600"),
                   Decimal("105.66"), ">100", True, Decimal("311267.00"))


def test_qingyunpu_satisfaction_figures(con):
    rows = con.execute("""SELECT pct, weight, score, line FROM v_satisfaction WHERE unit_name = ?
                          ORDER BY pct""", [QINGYUNPU]).fetchall()
    assert [r[0] for r in rows] == [Decimal("96.0000"), Decimal("100.0000")]
    assert [(r[1], r[2]) for r in rows] == [(Decimal("8.0000"), Decimal("8.0000")), (Decimal("2.0000"), Decimal("2.0000"))]


def test_qingyunpu_dimension_scores_sum_to_the_total(con):
    rows = con.execute("""SELECT dimension, weight, score FROM v_dimension_scores WHERE unit_name = ?
                          ORDER BY dimension_order""", [QINGYUNPU]).fetchall()
    assert sum(r[2] for r in rows) == Decimal("88.78")
    assert sum(r[1] for r in rows) == Decimal("100")
    assert {r[0] for r in rows} >= {"decision", "process", "output", "outcome", "satisfaction"}


def test_qingyunpu_lost_points_include_procurement_with_its_reason(con):
    rows = con.execute("""SELECT points_lost, reason FROM v_indicator_losses WHERE unit_name = ?""",
                       [QINGYUNPU]).fetchall()
    assert sum(r[0] for r in rows) == Decimal("100") - Decimal("88.78")
    assert any(r[0] == Decimal("3") and "0.07%" in (r[1] or "") for r in rows), rows


def test_every_metric_line_points_at_its_raw_text(con):
    rows = con.execute("""SELECT m.metric, m.raw, l.text FROM metric m JOIN evaluation e USING (evaluation_id)
                          LEFT JOIN source_line l ON l.file_id = e.file_id AND l.line_no = m.line""").fetchall()
    assert rows
    missing = [(metric, raw) for metric, raw, text in rows if text is None]
    assert not missing, f"metric lines outside the stored text: {missing}"
    procurement = [text for metric, _, text in rows if metric == "procurement_exec_pct"]
    assert procurement and all("0.07%" in t for t in procurement)


def test_source_text_is_stored_whole(con, built_warehouse):
    folder = built_warehouse.parent / "reports"
    for path in sorted(folder.glob("*.txt")):
        stored = con.execute("""SELECT l.text FROM source_line l JOIN source_file f USING (file_id)
                                WHERE f.file_name = ? ORDER BY l.line_no""", [path.name]).fetchall()
        expected = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
        if expected and expected[-1] == "":
            expected.pop()
        assert [r[0] for r in stored] == expected, path.name


def test_every_view_answers_on_real_data(con):
    for view in registry.VIEWS:
        n = one(con, f"SELECT count(*) FROM {view}")[0]
        assert n >= 0
    assert one(con, "SELECT count(*) FROM v_coverage WHERE region_level = 'national'")[0] == \
        one(con, "SELECT count(DISTINCT fiscal_year) FROM v_evaluation")[0]


def test_reload_of_the_real_reports_changes_nothing(built_warehouse):
    from warehouse.load import load_paths

    before = connect.version(built_warehouse)
    s = load_paths([str(built_warehouse.parent / "reports")], built_warehouse, workers=1)
    assert (s.unchanged, s.new, s.wrote) == (4, 0, False)
    assert connect.version(built_warehouse) == before
