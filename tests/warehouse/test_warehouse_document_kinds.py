"""Documents that are not evaluations (document_kind: a 决算 disclosure, a rubric …): loaded with
what they state, shown in v_evaluation and v_final_accounts, never in a score comparison."""

from __future__ import annotations

import duckdb

from warehouse.load import load_paths
from warehouse_fakes import fake_parse, record, write_record
from warehouse_tables import fetch

SCORE_VIEWS = ("v_peer_rank", "v_dimension_scores", "v_indicator_leaf", "v_indicator_losses", "v_unit_trend",
               "v_satisfaction")


def ev(eid, uid=1, year=2022, kind="department_overall", mode="self", total=None, **kw):
    return {"evaluation_id": eid, "unit_id": uid, "fiscal_year": year, "report_kind": kind,
            "evaluation_mode": mode, "total_score": total, **kw}


def test_a_non_evaluation_enters_no_score_comparison_but_keeps_its_money(given):
    fa = {"document_kind": "final_accounts", "subject_key": "1|department_overall||final_accounts"}
    con = given({
        "unit": [{"unit_id": 1, "unit_name": "甲区总工会", "province": "江西省", "city": "南昌市", "unit_key": "u1"}],
        "evaluation": [
            ev(1, year=2021, total=92, grade="优"), ev(2, total=80, grade="良"),
            # what a parser would never give a 决算 page, to show that no view compares it anyway
            ev(3, mode=None, total=99, grade="优", **fa), ev(4, year=2021, mode=None, total=60, **fa),
            ev(5, mode="third_party", total=70, document_kind="rubric"),
        ],
        "metric": [
            {"evaluation_id": 3, "metric": "budget_adjusted_yuan", "value": 1000},
            {"evaluation_id": 3, "metric": "expenditure_yuan", "value": 1200},
            {"evaluation_id": 3, "metric": "satisfaction_pct", "value": 50},
            {"evaluation_id": 3, "metric": "procurement_exec_pct", "value": 10},
        ],
        "indicator": [
            {"evaluation_id": 3, "level": 3, "level1": "决策", "level2": "a", "level3": "x", "dimension": "decision",
             "weight": 10, "score": 5},
            {"evaluation_id": 5, "level": 3, "level1": "决策", "level2": "a", "level3": "x", "dimension": "decision",
             "weight": 10, "score": 5},
        ],
    })
    kinds = fetch(con, "SELECT evaluation_id, document_kind, grade_of_total FROM v_evaluation ORDER BY 1")
    assert kinds == [
        {"evaluation_id": 1, "document_kind": "evaluation", "grade_of_total": "优"},
        {"evaluation_id": 2, "document_kind": "evaluation", "grade_of_total": "良"},
        {"evaluation_id": 3, "document_kind": "final_accounts", "grade_of_total": None},
        {"evaluation_id": 4, "document_kind": "final_accounts", "grade_of_total": None},
        {"evaluation_id": 5, "document_kind": "rubric", "grade_of_total": None},
    ]
    for view in SCORE_VIEWS:
        ids = {r["evaluation_id"] for r in fetch(con, f"SELECT evaluation_id FROM {view}")}
        assert ids <= {1, 2}, f"{view} holds a document that is not an evaluation: {ids}"
    assert fetch(con, "SELECT count(*) AS n FROM v_self_vs_external") == [{"n": 0}]
    assert fetch(con, "SELECT peers_national FROM v_peer_rank WHERE metric = 'total_score' AND fiscal_year = 2022"
                 ) == [{"peers_national": 1}]
    assert fetch(con, "SELECT reports FROM v_coverage WHERE region_level = 'national' AND fiscal_year = 2022"
                 ) == [{"reports": 1}]
    assert fetch(con, "SELECT n FROM v_satisfaction_distribution") == []
    # the score drop 92 → 80 is an alert; the 决算 pages' 60 → 99 is no score at all; its money rules apply
    assert fetch(con, "SELECT evaluation_id, document_kind, alert_code FROM v_alerts ORDER BY alert_order") == [
        {"evaluation_id": 3, "document_kind": "final_accounts", "alert_code": "overspend"},
        {"evaluation_id": 3, "document_kind": "final_accounts", "alert_code": "procurement_under_80"},
        {"evaluation_id": 2, "document_kind": "evaluation", "alert_code": "score_drop"},
    ]
    # money views keep the document and say what it is; it has no procurement rank
    assert fetch(con, "SELECT evaluation_id, document_kind, budget_exec_pct FROM v_budget_execution") == [
        {"evaluation_id": 3, "document_kind": "final_accounts", "budget_exec_pct": 120.0}]
    assert fetch(con, "SELECT document_kind, rank_national FROM v_procurement_execution") == [
        {"document_kind": "final_accounts", "rank_national": None}]
    assert fetch(con, "SELECT evaluation_id, expenditure_yuan FROM v_final_accounts") == [
        {"evaluation_id": 3, "expenditure_yuan": 1200.0}]


def test_a_final_accounts_record_loads_and_is_no_revision_of_an_evaluation(tmp_path):
    reports = tmp_path / "reports"
    db = tmp_path / "w.duckdb"
    # same unit, year and report kind, and no evaluation mode on either: only the kind tells them apart
    write_record(reports, "a_eval.txt", record(unit="甲区总工会", year=2022, mode=None, total="88", grade="良"))
    write_record(reports, "b_juesuan.txt", record(
        unit="甲区总工会", year=2022, mode=None, total=None, grade=None,
        metrics={"revenue_total_yuan": "1200000", "expenditure_yuan": "1100000",
                 "three_public_actual_yuan": "15000"},
        extra={"document_kind": "final_accounts", "confidence": "low"}))
    summary = load_paths([str(reports)], db, workers=1, parser=fake_parse)
    assert summary.ok and summary.new == 2 and summary.revised == 0
    assert summary.kinds == {"evaluation": 1, "final_accounts": 1}
    text = summary.report()
    assert "其中非评价文件 1 份" in text and "决算公开页 1" in text
    assert f"决算公开页（非评价）: {reports / 'b_juesuan.txt'}" in text
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("""SELECT document_kind, is_current, revision FROM evaluation
                              ORDER BY evaluation_id""").fetchall()
        assert rows == [("evaluation", True, 1), ("final_accounts", True, 1)]
        fa = con.execute("""SELECT unit_name, fiscal_year, document_kind, revenue_total_yuan, expenditure_yuan,
                                   three_public_actual_yuan FROM v_final_accounts""").fetchall()
        assert fa == [("甲区总工会", 2022, "final_accounts", 1200000, 1100000, 15000)]
        ranked = con.execute("SELECT DISTINCT evaluation_id FROM v_peer_rank").fetchall()
        assert ranked == [(1,)]
        assert con.execute("SELECT count(*) FROM v_unit_trend").fetchone() == (1,)
    finally:
        con.close()
