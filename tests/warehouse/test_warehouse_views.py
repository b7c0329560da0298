"""SQL tests written as data: given rows in the tables, the view returns exactly these rows.

Each case names the view it tests; a view without a case fails `test_every_view_has_a_case`.
Columns a case does not care about are filled by warehouse_tables.insert_rows. Expected DECIMAL values
are written as numbers (fetch() turns DECIMAL into float the same way).
"""

from __future__ import annotations

import math

import pytest

from warehouse_tables import fetch
from warehouse import registry

JX, NC, GZ = "江西省", "南昌市", "赣州市"


def unit(uid, name, province=JX, city=NC, county=None, code=None, demo=False):
    return {"unit_id": uid, "unit_name": name, "province": province, "city": city, "county": county,
            "admin_code": code, "is_demo": demo, "unit_key": f"{int(demo)}|{code}|{name}"}


def ev(eid, uid=1, year=2022, kind="department_overall", mode="self", total=None, grade=None, **kw):
    return {"evaluation_id": eid, "unit_id": uid, "fiscal_year": year, "report_kind": kind,
            "evaluation_mode": mode, "total_score": total, "grade": grade, **kw}


def m(eid, name, value, line=1):
    return {"evaluation_id": eid, "metric": name, "value": value, "line": line}


def ind(eid, level, l1, l2=None, l3=None, weight=None, score=None, dim=None, table="score", note=None):
    return {"evaluation_id": eid, "level": level, "level1": l1, "level2": l2, "level3": l3, "weight": weight,
            "score": score, "dimension": dim, "source_table": table, "note": note}


CASES = [
    {
        "id": "evaluation: current only, metrics pivoted, rates recomputed, satisfaction summarised",
        "view": "v_evaluation",
        "given": {
            "unit": [unit(1, "甲区总工会", county="甲区", code="360101")],
            "evaluation": [
                ev(1, total=88.78, grade="良", mode="third_party"),
                ev(2, total=70, grade="中", mode="third_party", revision=1, is_current=False,
                   evaluation_key="old", sha256="b" * 64, file_id=20),
                ev(3, year=2021, total=59.5, grade="差"),
                ev(4, year=2020),
            ],
            "metric": [
                m(1, "budget_adjusted_yuan", 5496875), m(1, "expenditure_yuan", 5808142),
                m(1, "budget_exec_pct", 105.66), m(1, "procurement_budget_yuan", 921000),
                m(1, "procurement_actual_yuan", 630), m(1, "procurement_exec_pct", 0.07),
                m(2, "budget_exec_pct", 50),
                m(3, "budget_initial_yuan", 1000000), m(3, "expenditure_yuan", 900000),
                m(3, "satisfaction_pct", 88),
                m(4, "budget_exec_pct", 99),
            ],
            "satisfaction": [
                {"evaluation_id": 1, "pct": 96, "weight": 8, "score": 8},
                {"evaluation_id": 1, "pct": 100, "weight": 2, "score": 2},
                {"evaluation_id": 3, "pct": 70},
                {"evaluation_id": 4, "pct": 90},
                {"evaluation_id": 4, "pct": 80, "weight": 5},
            ],
            "indicator": [ind(1, 1, "决策", weight=15, score=11.7), ind(1, 1, "管理", weight=25, score=18.88)],
            "quality_flag": [{"evaluation_id": 1, "severity": "error"}, {"evaluation_id": 1, "severity": "info"}],
            "finding": [{"evaluation_id": 1}],
        },
        "query": """SELECT evaluation_id, unit_name, county, admin_code, total_score, grade_of_total, budget_base,
                           budget_exec_pct_stated, budget_exec_pct_recomputed, budget_exec_pct,
                           procurement_exec_pct_stated, procurement_exec_pct_recomputed, procurement_exec_pct,
                           satisfaction_pct, satisfaction_basis, indicator_count, flag_count, error_flag_count,
                           finding_count
                    FROM v_evaluation ORDER BY evaluation_id""",
        "expected": [
            {"evaluation_id": 1, "unit_name": "甲区总工会", "county": "甲区", "admin_code": "360101",
             "total_score": 88.78, "grade_of_total": "良", "budget_base": "adjusted",
             "budget_exec_pct_stated": 105.66, "budget_exec_pct_recomputed": 105.6626, "budget_exec_pct": 105.6626,
             "procurement_exec_pct_stated": 0.07, "procurement_exec_pct_recomputed": 0.0684,
             "procurement_exec_pct": 0.0684, "satisfaction_pct": 96.8, "satisfaction_basis": "weighted_mean",
             "indicator_count": 2, "flag_count": 2, "error_flag_count": 1, "finding_count": 1},
            {"evaluation_id": 3, "unit_name": "甲区总工会", "county": "甲区", "admin_code": "360101",
             "total_score": 59.5, "grade_of_total": "差", "budget_base": "initial",
             "budget_exec_pct_stated": None, "budget_exec_pct_recomputed": 90.0, "budget_exec_pct": 90.0,
             "procurement_exec_pct_stated": None, "procurement_exec_pct_recomputed": None,
             "procurement_exec_pct": None, "satisfaction_pct": 88.0, "satisfaction_basis": "stated",
             "indicator_count": 0, "flag_count": 0, "error_flag_count": 0, "finding_count": 0},
            {"evaluation_id": 4, "unit_name": "甲区总工会", "county": "甲区", "admin_code": "360101",
             "total_score": None, "grade_of_total": None, "budget_base": None,
             "budget_exec_pct_stated": 99.0, "budget_exec_pct_recomputed": None, "budget_exec_pct": 99.0,
             "procurement_exec_pct_stated": None, "procurement_exec_pct_recomputed": None,
             "procurement_exec_pct": None, "satisfaction_pct": 85.0, "satisfaction_basis": "mean",
             "indicator_count": 0, "flag_count": 0, "error_flag_count": 0, "finding_count": 0},
        ],
    },
    {
        "id": "budget execution: bands, difference, overspend",
        "view": "v_budget_execution",
        "given": {
            "evaluation": [ev(i) for i in range(1, 8)],
            "metric": [
                m(1, "budget_adjusted_yuan", 5496875), m(1, "expenditure_yuan", 5808142), m(1, "budget_exec_pct", 105.66),
                m(2, "budget_adjusted_yuan", 100), m(2, "expenditure_yuan", 100),
                m(3, "budget_adjusted_yuan", 100), m(3, "expenditure_yuan", 95),
                m(4, "budget_initial_yuan", 200), m(4, "expenditure_yuan", 170),
                m(5, "budget_exec_pct", 50),
                m(6, "budget_adjusted_yuan", 1000), m(6, "expenditure_yuan", 980), m(6, "budget_exec_pct", 98.5),
                m(7, "revenue_total_yuan", 1),
            ],
        },
        "query": """SELECT evaluation_id, budget_exec_pct_recomputed, budget_exec_pct_diff, rates_agree, overspend_yuan,
                           exec_band, exec_band_order, is_overspend, is_under_90
                    FROM v_budget_execution ORDER BY evaluation_id""",
        "expected": [
            {"evaluation_id": 1, "budget_exec_pct_recomputed": 105.6626, "budget_exec_pct_diff": -0.0026,
             "rates_agree": True, "overspend_yuan": 311267.0, "exec_band": ">100", "exec_band_order": 1,
             "is_overspend": True, "is_under_90": False},
            {"evaluation_id": 2, "budget_exec_pct_recomputed": 100.0, "budget_exec_pct_diff": None,
             "rates_agree": None, "overspend_yuan": 0.0, "exec_band": "100", "exec_band_order": 2,
             "is_overspend": False, "is_under_90": False},
            {"evaluation_id": 3, "budget_exec_pct_recomputed": 95.0, "budget_exec_pct_diff": None,
             "rates_agree": None, "overspend_yuan": -5.0, "exec_band": "90-100", "exec_band_order": 3,
             "is_overspend": False, "is_under_90": False},
            {"evaluation_id": 4, "budget_exec_pct_recomputed": 85.0, "budget_exec_pct_diff": None,
             "rates_agree": None, "overspend_yuan": -30.0, "exec_band": "80-90", "exec_band_order": 4,
             "is_overspend": False, "is_under_90": True},
            {"evaluation_id": 5, "budget_exec_pct_recomputed": None, "budget_exec_pct_diff": None,
             "rates_agree": None, "overspend_yuan": None, "exec_band": "<80", "exec_band_order": 5,
             "is_overspend": False, "is_under_90": True},
            {"evaluation_id": 6, "budget_exec_pct_recomputed": 98.0, "budget_exec_pct_diff": 0.5,
             "rates_agree": False, "overspend_yuan": -20.0, "exec_band": "90-100", "exec_band_order": 3,
             "is_overspend": False, "is_under_90": False},
        ],
    },
    {
        "id": "procurement execution: bands, rank and percentile in province-year and nationally",
        "view": "v_procurement_execution",
        "given": {
            "unit": [unit(1, "甲"), unit(2, "乙"), unit(3, "丙"), unit(4, "丁", province="湖南省", city="岳阳市"),
                     unit(5, "戊", demo=True)],
            "evaluation": [
                ev(1, uid=1), ev(2, uid=2), ev(3, uid=3), ev(4, uid=4), ev(5, uid=1, kind="project"),
                ev(6, uid=5, is_demo=True), ev(7, uid=2, year=2021),
            ],
            "metric": [
                m(1, "procurement_budget_yuan", 921000), m(1, "procurement_actual_yuan", 630),
                m(1, "procurement_exec_pct", 0.07),
                m(2, "procurement_exec_pct", 95),
                m(3, "procurement_budget_yuan", 1000), m(3, "procurement_actual_yuan", 1000),
                m(4, "procurement_budget_yuan", 1000), m(4, "procurement_actual_yuan", 850),
                m(5, "procurement_exec_pct", 50),
                m(6, "procurement_exec_pct", 120),
                m(7, "procurement_budget_yuan", 5000),
            ],
        },
        "query": """SELECT evaluation_id, procurement_exec_pct, exec_band, rank_in_province, peers_in_province,
                           percentile_in_province, rank_national, peers_national, percentile_national
                    FROM v_procurement_execution ORDER BY evaluation_id""",
        "expected": [
            {"evaluation_id": 1, "procurement_exec_pct": 0.0684, "exec_band": "<80", "rank_in_province": 3,
             "peers_in_province": 3, "percentile_in_province": 0.0, "rank_national": 4, "peers_national": 4,
             "percentile_national": 0.0},
            {"evaluation_id": 2, "procurement_exec_pct": 95.0, "exec_band": "90-100", "rank_in_province": 2,
             "peers_in_province": 3, "percentile_in_province": 50.0, "rank_national": 2, "peers_national": 4,
             "percentile_national": 66.67},
            {"evaluation_id": 3, "procurement_exec_pct": 100.0, "exec_band": ">=100", "rank_in_province": 1,
             "peers_in_province": 3, "percentile_in_province": 100.0, "rank_national": 1, "peers_national": 4,
             "percentile_national": 100.0},
            {"evaluation_id": 4, "procurement_exec_pct": 85.0, "exec_band": "80-90", "rank_in_province": 1,
             "peers_in_province": 1, "percentile_in_province": 0.0, "rank_national": 3, "peers_national": 4,
             "percentile_national": 33.33},
            {"evaluation_id": 5, "procurement_exec_pct": 50.0, "exec_band": "<80", "rank_in_province": 1,
             "peers_in_province": 1, "percentile_in_province": 0.0, "rank_national": 1, "peers_national": 1,
             "percentile_national": 0.0},
            {"evaluation_id": 6, "procurement_exec_pct": 120.0, "exec_band": ">=100", "rank_in_province": 1,
             "peers_in_province": 1, "percentile_in_province": 0.0, "rank_national": 1, "peers_national": 1,
             "percentile_national": 0.0},
            {"evaluation_id": 7, "procurement_exec_pct": None, "exec_band": None, "rank_in_province": None,
             "peers_in_province": None, "percentile_in_province": None, "rank_national": None,
             "peers_national": None, "percentile_national": None},
        ],
    },
    {
        "id": "three public: control rate stated and recomputed, change from the previous year of the same mode",
        "view": "v_three_public",
        "given": {
            "evaluation": [ev(1, year=2021), ev(2, year=2022), ev(3, year=2021, mode="third_party")],
            "metric": [
                m(1, "three_public_budget_yuan", 5000), m(1, "three_public_actual_yuan", 2000),
                m(2, "three_public_budget_yuan", 4900), m(2, "three_public_actual_yuan", 1696),
                m(2, "three_public_control_pct", 34.61),
                m(3, "three_public_budget_yuan", 1000), m(3, "three_public_actual_yuan", 1000),
            ],
        },
        "query": """SELECT evaluation_id, three_public_control_pct_recomputed, three_public_control_pct_diff, rates_agree,
                           is_over_budget, previous_evaluation_id, previous_actual_yuan, actual_change_yuan,
                           actual_change_pct, previous_control_pct, control_pct_change
                    FROM v_three_public ORDER BY evaluation_id""",
        "expected": [
            {"evaluation_id": 1, "three_public_control_pct_recomputed": 40.0, "three_public_control_pct_diff": None,
             "rates_agree": None, "is_over_budget": False, "previous_evaluation_id": None,
             "previous_actual_yuan": None, "actual_change_yuan": None, "actual_change_pct": None,
             "previous_control_pct": None, "control_pct_change": None},
            {"evaluation_id": 2, "three_public_control_pct_recomputed": 34.6122, "three_public_control_pct_diff": -0.0022,
             "rates_agree": True, "is_over_budget": False, "previous_evaluation_id": 1,
             "previous_actual_yuan": 2000.0, "actual_change_yuan": -304.0, "actual_change_pct": -15.2,
             "previous_control_pct": 40.0, "control_pct_change": -5.3878},
            {"evaluation_id": 3, "three_public_control_pct_recomputed": 100.0, "three_public_control_pct_diff": None,
             "rates_agree": None, "is_over_budget": False, "previous_evaluation_id": None,
             "previous_actual_yuan": None, "actual_change_yuan": None, "actual_change_pct": None,
             "previous_control_pct": None, "control_pct_change": None},
        ],
    },
    {
        "id": "satisfaction: one row per figure; the overall metric only when there are no figures",
        "view": "v_satisfaction",
        "given": {
            "evaluation": [ev(1), ev(2), ev(3), ev(4, is_current=False, revision=1, evaluation_key="old")],
            "satisfaction": [
                {"evaluation_id": 1, "respondent_group": "基层工会职工", "pct": 96, "weight": 8, "score": 8, "line": 613},
                {"evaluation_id": 1, "respondent_group": "部门职工", "pct": 100, "weight": 2, "score": 2, "line": 617},
                {"evaluation_id": 3, "respondent_group": "服务对象", "pct": 90, "weight": 5, "score": 3},
                {"evaluation_id": 4, "respondent_group": "旧", "pct": 10},
            ],
            "metric": [m(2, "satisfaction_pct", 88, line=40), m(3, "satisfaction_pct", 90)],
        },
        "query": """SELECT evaluation_id, source, respondent_group, pct, weight, score, score_rate_pct, is_below_90, line
                    FROM v_satisfaction ORDER BY evaluation_id, satisfaction_no""",
        "expected": [
            {"evaluation_id": 1, "source": "satisfaction", "respondent_group": "基层工会职工", "pct": 96.0,
             "weight": 8.0, "score": 8.0, "score_rate_pct": 100.0, "is_below_90": False, "line": 613},
            {"evaluation_id": 1, "source": "satisfaction", "respondent_group": "部门职工", "pct": 100.0,
             "weight": 2.0, "score": 2.0, "score_rate_pct": 100.0, "is_below_90": False, "line": 617},
            {"evaluation_id": 2, "source": "metric", "respondent_group": None, "pct": 88.0, "weight": None,
             "score": None, "score_rate_pct": None, "is_below_90": True, "line": 40},
            {"evaluation_id": 3, "source": "satisfaction", "respondent_group": "服务对象", "pct": 90.0,
             "weight": 5.0, "score": 3.0, "score_rate_pct": 60.0, "is_below_90": False, "line": None},
        ],
    },
    {
        "id": "satisfaction distribution: quantiles per region level, kind and mode, demo apart",
        "view": "v_satisfaction_distribution",
        "given": {
            "unit": [unit(1, "甲"), unit(2, "乙", city=GZ), unit(3, "丙", province="湖南省", city="岳阳市"),
                     unit(4, "丁", demo=True)],
            "evaluation": [
                ev(1, uid=1), ev(2, uid=1, mode="third_party"), ev(3, uid=2, kind="project"), ev(4, uid=3),
                ev(5, uid=4, is_demo=True),
            ],
            "metric": [m(1, "satisfaction_pct", 80), m(2, "satisfaction_pct", 90), m(3, "satisfaction_pct", 100),
                       m(4, "satisfaction_pct", 95), m(5, "satisfaction_pct", 50)],
        },
        "query": """SELECT is_demo, region_level, province, city, report_kind, evaluation_mode, n, min_pct, p10_pct,
                           p25_pct, median_pct, p75_pct, p90_pct, max_pct, mean_pct, n_below_90, share_below_90_pct
                    FROM v_satisfaction_distribution
                    WHERE (region_level = 'national' AND report_kind = 'all' AND evaluation_mode = 'all')
                       OR (region_level = 'province' AND province = '江西省' AND report_kind = 'all'
                           AND evaluation_mode = 'all' AND NOT is_demo)
                       OR (region_level = 'city' AND city = '南昌市' AND report_kind = 'department_overall'
                           AND evaluation_mode = 'all' AND NOT is_demo)
                       OR (region_level = 'national' AND report_kind = 'department_overall'
                           AND evaluation_mode = 'self' AND NOT is_demo)
                    ORDER BY is_demo, region_level, evaluation_mode""",
        "expected": [
            {"is_demo": False, "region_level": "city", "province": JX, "city": NC, "report_kind": "department_overall",
             "evaluation_mode": "all", "n": 2, "min_pct": 80.0, "p10_pct": 81.0, "p25_pct": 82.5, "median_pct": 85.0,
             "p75_pct": 87.5, "p90_pct": 89.0, "max_pct": 90.0, "mean_pct": 85.0, "n_below_90": 1,
             "share_below_90_pct": 50.0},
            {"is_demo": False, "region_level": "national", "province": None, "city": None, "report_kind": "all",
             "evaluation_mode": "all", "n": 4, "min_pct": 80.0, "p10_pct": 83.0, "p25_pct": 87.5, "median_pct": 92.5,
             "p75_pct": 96.25, "p90_pct": 98.5, "max_pct": 100.0, "mean_pct": 91.25, "n_below_90": 1,
             "share_below_90_pct": 25.0},
            {"is_demo": False, "region_level": "national", "province": None, "city": None,
             "report_kind": "department_overall", "evaluation_mode": "self", "n": 2, "min_pct": 80.0,
             "p10_pct": 81.5, "p25_pct": 83.75, "median_pct": 87.5, "p75_pct": 91.25, "p90_pct": 93.5,
             "max_pct": 95.0, "mean_pct": 87.5, "n_below_90": 1, "share_below_90_pct": 50.0},
            {"is_demo": False, "region_level": "province", "province": JX, "city": None, "report_kind": "all",
             "evaluation_mode": "all", "n": 3, "min_pct": 80.0, "p10_pct": 82.0, "p25_pct": 85.0, "median_pct": 90.0,
             "p75_pct": 95.0, "p90_pct": 98.0, "max_pct": 100.0, "mean_pct": 90.0, "n_below_90": 1,
             "share_below_90_pct": 33.3333},
            {"is_demo": True, "region_level": "national", "province": None, "city": None, "report_kind": "all",
             "evaluation_mode": "all", "n": 1, "min_pct": 50.0, "p10_pct": 50.0, "p25_pct": 50.0, "median_pct": 50.0,
             "p75_pct": 50.0, "p90_pct": 50.0, "max_pct": 50.0, "mean_pct": 50.0, "n_below_90": 1,
             "share_below_90_pct": 100.0},
        ],
    },
    {
        "id": "indicator leaves: the score table's rows without scored children; merged weights marked",
        "view": "v_indicator_leaf",
        "given": {
            "evaluation": [ev(1), ev(2), ev(3)],
            "indicator": [
                ind(1, 1, "决策", weight=15, score=11.7, dim="decision"),
                ind(1, 2, "决策", "绩效目标", weight=5, score=1.7, dim="decision"),
                ind(1, 3, "决策", "绩效目标", "目标合理性", weight=3, score=1, dim="decision"),
                ind(1, 3, "决策", "绩效目标", "目标明确性", weight=2, score=0.7, dim="decision"),
                ind(1, 2, "决策", "资金配置", weight=10, score=10, dim="decision"),
                ind(1, 1, "满意度", weight=10, score=10, dim="satisfaction"),
                ind(1, 2, "决策", "绩效目标", weight=5, score=1.7, dim="decision", table="summary"),
                ind(1, 3, "产出", "数量", "活动场次", dim="output", table="goals"),
                ind(2, 1, "产出", weight=30, score=28.2, dim="output", table="summary"),
                ind(2, 1, "效益", weight=20, score=20, dim="outcome", table="summary"),
                ind(3, 3, "效果", "履职效益", "经济效益", weight=15, score=5, dim="outcome"),
                ind(3, 3, "效果", "履职效益", "社会效益", score=5, dim="outcome"),
                ind(3, 3, "效果", "履职效益", "生态效益", score=5, dim="outcome"),
                ind(3, 3, "效果", "履职效益", "满意度", weight=5, score=3),
            ],
        },
        "query": """SELECT evaluation_id, indicator_no, source_table, dimension, weight, score, weight_shared,
                           points_lost, score_rate_pct
                    FROM v_indicator_leaf ORDER BY evaluation_id, indicator_no""",
        "expected": [
            {"evaluation_id": 1, "indicator_no": 2, "source_table": "score", "dimension": "decision", "weight": 3.0,
             "score": 1.0, "weight_shared": False, "points_lost": 2.0, "score_rate_pct": 33.3333},
            {"evaluation_id": 1, "indicator_no": 3, "source_table": "score", "dimension": "decision", "weight": 2.0,
             "score": 0.7, "weight_shared": False, "points_lost": 1.3, "score_rate_pct": 35.0},
            {"evaluation_id": 1, "indicator_no": 4, "source_table": "score", "dimension": "decision", "weight": 10.0,
             "score": 10.0, "weight_shared": False, "points_lost": 0.0, "score_rate_pct": 100.0},
            {"evaluation_id": 1, "indicator_no": 5, "source_table": "score", "dimension": "satisfaction",
             "weight": 10.0, "score": 10.0, "weight_shared": False, "points_lost": 0.0, "score_rate_pct": 100.0},
            {"evaluation_id": 2, "indicator_no": 0, "source_table": "summary", "dimension": "output", "weight": 30.0,
             "score": 28.2, "weight_shared": False, "points_lost": 1.8, "score_rate_pct": 94.0},
            {"evaluation_id": 2, "indicator_no": 1, "source_table": "summary", "dimension": "outcome", "weight": 20.0,
             "score": 20.0, "weight_shared": False, "points_lost": 0.0, "score_rate_pct": 100.0},
            {"evaluation_id": 3, "indicator_no": 0, "source_table": "score", "dimension": "outcome", "weight": 15.0,
             "score": 5.0, "weight_shared": True, "points_lost": None, "score_rate_pct": None},
            {"evaluation_id": 3, "indicator_no": 1, "source_table": "score", "dimension": "outcome", "weight": None,
             "score": 5.0, "weight_shared": True, "points_lost": None, "score_rate_pct": None},
            {"evaluation_id": 3, "indicator_no": 2, "source_table": "score", "dimension": "outcome", "weight": None,
             "score": 5.0, "weight_shared": True, "points_lost": None, "score_rate_pct": None},
            {"evaluation_id": 3, "indicator_no": 3, "source_table": "score", "dimension": "unclassified",
             "weight": 5.0, "score": 3.0, "weight_shared": False, "points_lost": 2.0, "score_rate_pct": 60.0},
        ],
    },
    {
        "id": "dimension scores: leaves summed per canonical dimension",
        "view": "v_dimension_scores",
        "given": {
            "evaluation": [ev(1, total=21.7), ev(3, total=18)],
            "indicator": [
                ind(1, 1, "决策", weight=15, score=11.7, dim="decision"),
                ind(1, 2, "决策", "绩效目标", weight=5, score=1.7, dim="decision"),
                ind(1, 3, "决策", "绩效目标", "目标合理性", weight=3, score=1, dim="decision"),
                ind(1, 3, "决策", "绩效目标", "目标明确性", weight=2, score=0.7, dim="decision"),
                ind(1, 2, "决策", "资金配置", weight=10, score=10, dim="decision"),
                ind(1, 1, "满意度", weight=10, score=10, dim="satisfaction"),
                ind(3, 3, "效果", "履职效益", "经济效益", weight=15, score=5, dim="outcome"),
                ind(3, 3, "效果", "履职效益", "社会效益", score=5, dim="outcome"),
                ind(3, 3, "效果", "履职效益", "生态效益", score=5, dim="outcome"),
                ind(3, 3, "效果", "履职效益", "满意度", weight=5, score=3, dim="satisfaction"),
            ],
        },
        "query": """SELECT evaluation_id, total_score, dimension, dimension_order, indicator_count, weight, score,
                           points_lost, score_rate_pct
                    FROM v_dimension_scores ORDER BY evaluation_id, dimension_order""",
        "expected": [
            {"evaluation_id": 1, "total_score": 21.7, "dimension": "decision", "dimension_order": 1,
             "indicator_count": 3, "weight": 15.0, "score": 11.7, "points_lost": 3.3, "score_rate_pct": 78.0},
            {"evaluation_id": 1, "total_score": 21.7, "dimension": "satisfaction", "dimension_order": 5,
             "indicator_count": 1, "weight": 10.0, "score": 10.0, "points_lost": 0.0, "score_rate_pct": 100.0},
            {"evaluation_id": 3, "total_score": 18.0, "dimension": "outcome", "dimension_order": 4,
             "indicator_count": 3, "weight": 15.0, "score": 15.0, "points_lost": 0.0, "score_rate_pct": 100.0},
            {"evaluation_id": 3, "total_score": 18.0, "dimension": "satisfaction", "dimension_order": 5,
             "indicator_count": 1, "weight": 5.0, "score": 3.0, "points_lost": 2.0, "score_rate_pct": 60.0},
        ],
    },
    {
        "id": "indicator losses: leaves below their own weight, with the reason",
        "view": "v_indicator_losses",
        "given": {
            "evaluation": [ev(1), ev(3)],
            "indicator": [
                ind(1, 2, "决策", "绩效目标", weight=5, score=1.7, dim="decision"),
                ind(1, 3, "决策", "绩效目标", "目标合理性", weight=3, score=1, dim="decision", note="依据不足"),
                ind(1, 3, "决策", "绩效目标", "目标明确性", weight=2, score=2, dim="decision"),
                ind(1, 3, "产出", "数量", "活动场次", weight=1, dim="output"),
                ind(3, 3, "效果", "履职效益", "经济效益", weight=15, score=5, dim="outcome"),
                ind(3, 3, "效果", "履职效益", "社会效益", score=5, dim="outcome"),
                ind(3, 3, "效果", "履职效益", "满意度", weight=5, score=3, dim="satisfaction", note="满意度90%"),
            ],
        },
        "query": """SELECT evaluation_id, indicator_no, level3, weight, score, points_lost, score_rate_pct, reason
                    FROM v_indicator_losses ORDER BY evaluation_id, indicator_no""",
        "expected": [
            {"evaluation_id": 1, "indicator_no": 1, "level3": "目标合理性", "weight": 3.0, "score": 1.0,
             "points_lost": 2.0, "score_rate_pct": 33.3333, "reason": "依据不足"},
            {"evaluation_id": 3, "indicator_no": 2, "level3": "满意度", "weight": 5.0, "score": 3.0,
             "points_lost": 2.0, "score_rate_pct": 60.0, "reason": "满意度90%"},
        ],
    },
    {
        "id": "unit trend: previous year of the same subject and mode",
        "view": "v_unit_trend",
        "given": {
            "evaluation": [
                ev(1, year=2021, total=90), ev(2, year=2022, total=85), ev(3, year=2022, mode="third_party", total=80),
                ev(4, year=2024, total=70),
            ],
            "metric": [
                m(1, "budget_adjusted_yuan", 100), m(1, "expenditure_yuan", 100), m(1, "procurement_exec_pct", 50),
                m(1, "satisfaction_pct", 95),
                m(2, "budget_exec_pct", 95), m(2, "procurement_budget_yuan", 50), m(2, "procurement_actual_yuan", 40),
                m(2, "satisfaction_pct", 96),
            ],
        },
        "query": """SELECT evaluation_id, fiscal_year, evaluation_mode, previous_evaluation_id, total_score_change,
                           budget_exec_pct_change, procurement_exec_pct_change, satisfaction_pct_change
                    FROM v_unit_trend ORDER BY evaluation_id""",
        "expected": [
            {"evaluation_id": 1, "fiscal_year": 2021, "evaluation_mode": "self", "previous_evaluation_id": None,
             "total_score_change": None, "budget_exec_pct_change": None, "procurement_exec_pct_change": None,
             "satisfaction_pct_change": None},
            {"evaluation_id": 2, "fiscal_year": 2022, "evaluation_mode": "self", "previous_evaluation_id": 1,
             "total_score_change": -5.0, "budget_exec_pct_change": -5.0, "procurement_exec_pct_change": 30.0,
             "satisfaction_pct_change": 1.0},
            {"evaluation_id": 3, "fiscal_year": 2022, "evaluation_mode": "third_party", "previous_evaluation_id": None,
             "total_score_change": None, "budget_exec_pct_change": None, "procurement_exec_pct_change": None,
             "satisfaction_pct_change": None},
            {"evaluation_id": 4, "fiscal_year": 2024, "evaluation_mode": "self", "previous_evaluation_id": None,
             "total_score_change": None, "budget_exec_pct_change": None, "procurement_exec_pct_change": None,
             "satisfaction_pct_change": None},
        ],
    },
    {
        "id": "self vs external: one row per pair of the same subject and year",
        "view": "v_self_vs_external",
        "given": {
            "unit": [unit(1, "甲"), unit(2, "乙")],
            "evaluation": [
                ev(1, total=95, grade="优"), ev(2, mode="third_party", total=85, grade="良"),
                ev(3, mode="finance", total=95, grade="优"), ev(4, uid=2, total=90),
                ev(5, year=2021, mode="third_party", total=70),
            ],
            "indicator": [
                ind(1, 3, "决策", "目标", "合理性", weight=10, score=9, dim="decision"),
                ind(2, 3, "决策", "目标", "合理性", weight=10, score=7, dim="decision"),
            ],
        },
        "query": """SELECT self_evaluation_id, external_evaluation_id, external_mode, total_score_gap, self_grade,
                           external_grade, grade_differs, self_decision_rate_pct, external_decision_rate_pct,
                           decision_rate_gap, output_rate_gap
                    FROM v_self_vs_external ORDER BY external_evaluation_id""",
        "expected": [
            {"self_evaluation_id": 1, "external_evaluation_id": 2, "external_mode": "third_party",
             "total_score_gap": 10.0, "self_grade": "优", "external_grade": "良", "grade_differs": True,
             "self_decision_rate_pct": 90.0, "external_decision_rate_pct": 70.0, "decision_rate_gap": 20.0,
             "output_rate_gap": None},
            {"self_evaluation_id": 1, "external_evaluation_id": 3, "external_mode": "finance",
             "total_score_gap": 0.0, "self_grade": "优", "external_grade": "优", "grade_differs": False,
             "self_decision_rate_pct": 90.0, "external_decision_rate_pct": None, "decision_rate_gap": None,
             "output_rate_gap": None},
        ],
    },
    {
        "id": "peer rank: rank, percentile and median within city, province and nation",
        "view": "v_peer_rank",
        "given": {
            "unit": [unit(1, "甲"), unit(2, "乙"), unit(3, "丙"), unit(4, "丁", city=GZ),
                     unit(5, "戊", province="湖南省", city="岳阳市")],
            "evaluation": [ev(1, uid=1, total=90), ev(2, uid=2, total=80), ev(3, uid=3, total=80),
                           ev(4, uid=4, total=70), ev(5, uid=5, total=100), ev(6, uid=1, kind="project", total=10)],
            "metric": [m(1, "satisfaction_pct", 99)],
        },
        "query": """SELECT evaluation_id, metric, unit, value, rank_in_city, peers_in_city, percentile_in_city,
                           median_in_city, rank_in_province, peers_in_province, percentile_in_province,
                           median_in_province, rank_national, peers_national, percentile_national, median_national
                    FROM v_peer_rank ORDER BY metric, evaluation_id""",
        "expected": [
            {"evaluation_id": 1, "metric": "satisfaction_pct", "unit": "pct", "value": 99.0, "rank_in_city": 1,
             "peers_in_city": 1, "percentile_in_city": 0.0, "median_in_city": 99.0, "rank_in_province": 1,
             "peers_in_province": 1, "percentile_in_province": 0.0, "median_in_province": 99.0, "rank_national": 1,
             "peers_national": 1, "percentile_national": 0.0, "median_national": 99.0},
            {"evaluation_id": 1, "metric": "total_score", "unit": "points", "value": 90.0, "rank_in_city": 1,
             "peers_in_city": 3, "percentile_in_city": 100.0, "median_in_city": 80.0, "rank_in_province": 1,
             "peers_in_province": 4, "percentile_in_province": 100.0, "median_in_province": 80.0,
             "rank_national": 2, "peers_national": 5, "percentile_national": 75.0, "median_national": 80.0},
            {"evaluation_id": 2, "metric": "total_score", "unit": "points", "value": 80.0, "rank_in_city": 2,
             "peers_in_city": 3, "percentile_in_city": 0.0, "median_in_city": 80.0, "rank_in_province": 2,
             "peers_in_province": 4, "percentile_in_province": 33.33, "median_in_province": 80.0,
             "rank_national": 3, "peers_national": 5, "percentile_national": 25.0, "median_national": 80.0},
            {"evaluation_id": 3, "metric": "total_score", "unit": "points", "value": 80.0, "rank_in_city": 2,
             "peers_in_city": 3, "percentile_in_city": 0.0, "median_in_city": 80.0, "rank_in_province": 2,
             "peers_in_province": 4, "percentile_in_province": 33.33, "median_in_province": 80.0,
             "rank_national": 3, "peers_national": 5, "percentile_national": 25.0, "median_national": 80.0},
            {"evaluation_id": 4, "metric": "total_score", "unit": "points", "value": 70.0, "rank_in_city": 1,
             "peers_in_city": 1, "percentile_in_city": 0.0, "median_in_city": 70.0, "rank_in_province": 4,
             "peers_in_province": 4, "percentile_in_province": 0.0, "median_in_province": 80.0,
             "rank_national": 5, "peers_national": 5, "percentile_national": 0.0, "median_national": 80.0},
            {"evaluation_id": 5, "metric": "total_score", "unit": "points", "value": 100.0, "rank_in_city": 1,
             "peers_in_city": 1, "percentile_in_city": 0.0, "median_in_city": 100.0, "rank_in_province": 1,
             "peers_in_province": 1, "percentile_in_province": 0.0, "median_in_province": 100.0,
             "rank_national": 1, "peers_national": 5, "percentile_national": 100.0, "median_national": 80.0},
            {"evaluation_id": 6, "metric": "total_score", "unit": "points", "value": 10.0, "rank_in_city": 1,
             "peers_in_city": 1, "percentile_in_city": 0.0, "median_in_city": 10.0, "rank_in_province": 1,
             "peers_in_province": 1, "percentile_in_province": 0.0, "median_in_province": 10.0,
             "rank_national": 1, "peers_national": 1, "percentile_national": 0.0, "median_national": 10.0},
        ],
    },
    {
        "id": "findings: current evaluations only",
        "view": "v_findings",
        "given": {
            "unit": [unit(1, "甲", county="甲区", code="360101")],
            "evaluation": [ev(1), ev(2, is_current=False, revision=1, evaluation_key="old")],
            "finding": [
                {"evaluation_id": 1, "kind": "problem", "category": "预算管理", "text": "超支", "line": 427},
                {"evaluation_id": 1, "kind": "recommendation", "text": "加强预算", "line": 640},
                {"evaluation_id": 2, "text": "旧"},
            ],
        },
        "query": """SELECT evaluation_id, unit_name, admin_code, finding_no, kind, category, text, line
                    FROM v_findings ORDER BY finding_no""",
        "expected": [
            {"evaluation_id": 1, "unit_name": "甲", "admin_code": "360101", "finding_no": 0, "kind": "problem",
             "category": "预算管理", "text": "超支", "line": 427},
            {"evaluation_id": 1, "unit_name": "甲", "admin_code": "360101", "finding_no": 1,
             "kind": "recommendation", "category": None, "text": "加强预算", "line": 640},
        ],
    },
    {
        "id": "quality flags: current evaluations only, severity order",
        "view": "v_quality_flags",
        "given": {
            "evaluation": [ev(1, is_demo=True), ev(2, is_current=False, revision=1, evaluation_key="old")],
            "quality_flag": [
                {"evaluation_id": 1, "code": "typo", "severity": "info", "message": "错字", "line": 3},
                {"evaluation_id": 1, "code": "total_sum_mismatch", "severity": "error", "message": "总分不符"},
                {"evaluation_id": 2, "code": "typo", "severity": "info"},
            ],
        },
        "query": """SELECT evaluation_id, is_demo, code, severity, severity_order, message, line
                    FROM v_quality_flags ORDER BY severity_order""",
        "expected": [
            {"evaluation_id": 1, "is_demo": True, "code": "total_sum_mismatch", "severity": "error",
             "severity_order": 1, "message": "总分不符", "line": None},
            {"evaluation_id": 1, "is_demo": True, "code": "typo", "severity": "info", "severity_order": 3,
             "message": "错字", "line": 3},
        ],
    },
    {
        "id": "coverage: n of m counties per region and year, share of key fields",
        "view": "v_coverage",
        "given": {
            "unit": [unit(1, "甲", code="360102"), unit(2, "乙", code="360103"), unit(3, "丙", city=GZ, code="360702")],
            "evaluation": [
                ev(1, uid=1, total=90), ev(2, uid=1, kind="project"), ev(3, uid=2, total=80, mode="third_party"),
                ev(4, uid=3),
            ],
            "metric": [m(1, "satisfaction_pct", 95)],
            "region": [
                {"admin_code": "360000", "name": JX, "province": JX},
                {"admin_code": "360100", "name": NC, "province": JX, "city": NC},
                {"admin_code": "360102", "name": "东湖区", "province": JX, "city": NC},
                {"admin_code": "360103", "name": "西湖区", "province": JX, "city": NC},
                {"admin_code": "360104", "name": "青云谱区", "province": JX, "city": NC},
                {"admin_code": "360105", "name": "湾里区", "province": JX, "city": NC, "valid_to": 2020},
                {"admin_code": "360700", "name": GZ, "province": JX, "city": GZ},
                {"admin_code": "360702", "name": "章贡区", "province": JX, "city": GZ},
                {"admin_code": "360703", "name": "南康区", "province": JX, "city": GZ, "valid_from": 2013},
            ],
        },
        "query": """SELECT region_level, province, city, units_reporting, counties_reporting, counties_expected,
                           counties_reporting_pct, reports, reports_department_overall, reports_project, reports_self,
                           reports_external, with_total_score, with_total_score_pct, with_satisfaction_pct
                    FROM v_coverage ORDER BY region_level, city""",
        "expected": [
            {"region_level": "city", "province": JX, "city": NC, "units_reporting": 2, "counties_reporting": 2,
             "counties_expected": 3, "counties_reporting_pct": 66.6667, "reports": 3, "reports_department_overall": 2,
             "reports_project": 1, "reports_self": 2, "reports_external": 1, "with_total_score": 2,
             "with_total_score_pct": 66.6667, "with_satisfaction_pct": 33.3333},
            {"region_level": "city", "province": JX, "city": GZ, "units_reporting": 1, "counties_reporting": 1,
             "counties_expected": 2, "counties_reporting_pct": 50.0, "reports": 1, "reports_department_overall": 1,
             "reports_project": 0, "reports_self": 1, "reports_external": 0, "with_total_score": 0,
             "with_total_score_pct": 0.0, "with_satisfaction_pct": 0.0},
            {"region_level": "national", "province": None, "city": None, "units_reporting": 3,
             "counties_reporting": 3, "counties_expected": 5, "counties_reporting_pct": 60.0, "reports": 4,
             "reports_department_overall": 3, "reports_project": 1, "reports_self": 3, "reports_external": 1,
             "with_total_score": 2, "with_total_score_pct": 50.0, "with_satisfaction_pct": 25.0},
            {"region_level": "province", "province": JX, "city": None, "units_reporting": 3,
             "counties_reporting": 3, "counties_expected": 5, "counties_reporting_pct": 60.0, "reports": 4,
             "reports_department_overall": 3, "reports_project": 1, "reports_self": 3, "reports_external": 1,
             "with_total_score": 2, "with_total_score_pct": 50.0, "with_satisfaction_pct": 25.0},
        ],
    },
]

SEVERITY_PROCUREMENT = round(79.9316 / 80 * (1 + math.log10(1 + 920370 / 10_000)), 6)

CASES.append({
    "id": "alerts: one row per rule tripped (per figure for satisfaction and flags), none for others",
    "view": "v_alerts",
    "given": {
        "unit": [unit(1, "甲区总工会", county="甲区", code="360101"), unit(2, "乙县总工会", county="乙县", code="360121")],
        "evaluation": [
            ev(1, year=2021, total=92), ev(2, year=2022, total=85),  # unit 1: score down 7 points
            ev(3, uid=2, year=2022, total=95), ev(4, uid=2, year=2022, kind="project", project_name="帮扶", total=99),
            ev(5, uid=2, year=2022, total=40, revision=1, is_current=False, evaluation_key="old", sha256="c" * 64,
               file_id=50),  # superseded: no alerts, whatever it says
        ],
        "metric": [  # the line of each figure: an alert names the line of the figure it rests on
            m(2, "budget_adjusted_yuan", 1000, 20), m(2, "expenditure_yuan", 1100, 21), m(2, "budget_exec_pct", 110, 22),
            m(2, "procurement_budget_yuan", 921000, 40), m(2, "procurement_actual_yuan", 630, 41),
            m(3, "budget_exec_pct", 85.5, 8), m(3, "procurement_exec_pct", 80, 9), m(3, "satisfaction_pct", 89, 10),
            m(4, "budget_exec_pct", 100), m(4, "procurement_exec_pct", 79.99, 5),
            m(5, "budget_exec_pct", 50),
        ],
        "satisfaction": [
            {"evaluation_id": 2, "respondent_group": "职工", "pct": 96, "line": 30},
            {"evaluation_id": 2, "respondent_group": "服务对象", "pct": 88.5, "line": 31},
            {"evaluation_id": 4, "respondent_group": "受助职工", "pct": 90, "line": 7},
        ],
        "quality_flag": [
            {"evaluation_id": 3, "severity": "error", "message": "得分高于分值", "line": 12},
            {"evaluation_id": 3, "severity": "warning", "message": "不报"},
            {"evaluation_id": 5, "severity": "error", "message": "旧版本"},
        ],
    },
    "query": """SELECT evaluation_id, unit_id, unit_name, admin_code, alert_code, alert_order, value, other_value, note,
                       field, line, gap, money_yuan, severity
                FROM v_alerts ORDER BY alert_order, evaluation_id, line""",
    # severity = gap / line × (1 + log10(1 + money in 万元)): 0.07% procurement of a 92.1 万元 budget
    # (2.97) ranks far above an overspend of 100 元 at 110% (0.10) and a satisfaction of 88.5% (0.02).
    "expected": [
        {"evaluation_id": 2, "unit_id": 1, "unit_name": "甲区总工会", "admin_code": "360101", "alert_code": "overspend",
         "alert_order": 1, "value": 110.0, "other_value": 110.0, "note": None, "field": "budget_exec_pct", "line": 22,
         "gap": 10.0, "money_yuan": 100.0, "severity": 0.100432},
        {"evaluation_id": 3, "unit_id": 2, "unit_name": "乙县总工会", "admin_code": "360121",
         "alert_code": "budget_under_90", "alert_order": 2, "value": 85.5, "other_value": 85.5, "note": None,
         "field": "budget_exec_pct", "line": 8, "gap": 4.5, "money_yuan": None, "severity": 0.05},
        {"evaluation_id": 2, "unit_id": 1, "unit_name": "甲区总工会", "admin_code": "360101",
         "alert_code": "procurement_under_80", "alert_order": 3, "value": 0.0684, "other_value": 921000.0,
         "note": "630.00", "field": "procurement_actual_yuan", "line": 41, "gap": 79.9316, "money_yuan": 920370.0,
         "severity": SEVERITY_PROCUREMENT},
        {"evaluation_id": 4, "unit_id": 2, "unit_name": "乙县总工会", "admin_code": "360121",
         "alert_code": "procurement_under_80", "alert_order": 3, "value": 79.99, "other_value": None, "note": None,
         "field": "procurement_exec_pct", "line": 5, "gap": 0.01, "money_yuan": None, "severity": 0.000125},
        {"evaluation_id": 2, "unit_id": 1, "unit_name": "甲区总工会", "admin_code": "360101",
         "alert_code": "satisfaction_under_90", "alert_order": 4, "value": 88.5, "other_value": None, "note": "服务对象",
         "field": "satisfaction_pct", "line": 31, "gap": 1.5, "money_yuan": None, "severity": 0.016667},
        {"evaluation_id": 3, "unit_id": 2, "unit_name": "乙县总工会", "admin_code": "360121",
         "alert_code": "satisfaction_under_90", "alert_order": 4, "value": 89.0, "other_value": None, "note": None,
         "field": "satisfaction_pct", "line": 10, "gap": 1.0, "money_yuan": None, "severity": 0.011111},
        {"evaluation_id": 2, "unit_id": 1, "unit_name": "甲区总工会", "admin_code": "360101", "alert_code": "score_drop",
         "alert_order": 5, "value": 85.0, "other_value": 92.0, "note": None, "field": "total_score", "line": None,
         "gap": 7.0, "money_yuan": None, "severity": 0.07},
        {"evaluation_id": 3, "unit_id": 2, "unit_name": "乙县总工会", "admin_code": "360121", "alert_code": "error_flag",
         "alert_order": 6, "value": None, "other_value": None, "note": "得分高于分值", "field": "quality_flag",
         "line": 12, "gap": None, "money_yuan": None, "severity": None},
    ],
})


CASES.append({
    "id": "final accounts: documents that are not evaluations, with money, and the same kind a year before",
    "view": "v_final_accounts",
    "given": {
        "unit": [unit(1, "甲区总工会", county="甲区", code="360101")],
        "evaluation": [
            ev(1, total=90, grade="优"),  # an evaluation: never a row here, whatever money it states
            ev(2, mode=None, document_kind="final_accounts", subject_key="1|department_overall||final_accounts"),
            ev(3, year=2021, mode=None, document_kind="final_accounts",
               subject_key="1|department_overall||final_accounts"),
            ev(4, year=2020, mode=None, document_kind="rubric"),  # no money: no row
        ],
        "metric": [
            m(1, "expenditure_yuan", 999),
            m(2, "revenue_total_yuan", 1200000), m(2, "expenditure_yuan", 1100000),
            m(2, "three_public_budget_yuan", 20000), m(2, "three_public_actual_yuan", 15000),
            m(2, "official_reception_yuan", 5000),
            m(3, "expenditure_yuan", 1000000),
        ],
    },
    "query": """SELECT evaluation_id, fiscal_year, unit_name, document_kind, revenue_total_yuan, expenditure_yuan,
                       three_public_budget_yuan, three_public_actual_yuan, three_public_control_pct,
                       official_reception_yuan, previous_evaluation_id, previous_expenditure_yuan,
                       expenditure_change_pct
                FROM v_final_accounts ORDER BY evaluation_id""",
    "expected": [
        {"evaluation_id": 2, "fiscal_year": 2022, "unit_name": "甲区总工会", "document_kind": "final_accounts",
         "revenue_total_yuan": 1200000.0, "expenditure_yuan": 1100000.0, "three_public_budget_yuan": 20000.0,
         "three_public_actual_yuan": 15000.0, "three_public_control_pct": 75.0, "official_reception_yuan": 5000.0,
         "previous_evaluation_id": 3, "previous_expenditure_yuan": 1000000.0, "expenditure_change_pct": 10.0},
        {"evaluation_id": 3, "fiscal_year": 2021, "unit_name": "甲区总工会", "document_kind": "final_accounts",
         "revenue_total_yuan": None, "expenditure_yuan": 1000000.0, "three_public_budget_yuan": None,
         "three_public_actual_yuan": None, "three_public_control_pct": None, "official_reception_yuan": None,
         "previous_evaluation_id": None, "previous_expenditure_yuan": None, "expenditure_change_pct": None},
    ],
})


CASES.append({
    "id": "source_line: each file's text split into lines; listed lines kept as listed (a line may hold a break)",
    "view": "source_line",
    "given": {
        "source_text": [
            {"file_id": 1, "text": "第一行\n\n第三行", "lines": None, "is_demo": False},
            {"file_id": 2, "text": "甲\n含\n换行\n末", "lines": ["甲", "含\n换行", "末"], "is_demo": True},
            {"file_id": 3, "text": "", "lines": None, "is_demo": False},
        ],
    },
    "query": "SELECT file_id, line_no, text, is_demo FROM source_line ORDER BY file_id, line_no",
    "expected": [
        {"file_id": 1, "line_no": 1, "text": "第一行", "is_demo": False},
        {"file_id": 1, "line_no": 2, "text": "", "is_demo": False},
        {"file_id": 1, "line_no": 3, "text": "第三行", "is_demo": False},
        {"file_id": 2, "line_no": 1, "text": "甲", "is_demo": True},
        {"file_id": 2, "line_no": 2, "text": "含\n换行", "is_demo": True},
        {"file_id": 2, "line_no": 3, "text": "末", "is_demo": True},
        {"file_id": 3, "line_no": 1, "text": "", "is_demo": False},
    ],
})


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_view(case, given):
    con = given(case["given"])
    assert f"FROM {case['view']}" in " ".join(case["query"].split()), "the query reads the view the case names"
    assert fetch(con, case["query"]) == case["expected"]


def test_every_view_has_a_case():
    tested = {c["view"] for c in CASES}
    assert set(registry.VIEWS) <= tested, f"views without a data test: {sorted(set(registry.VIEWS) - tested)}"


def test_views_are_empty_on_an_empty_warehouse(given):
    con = given()
    for view in registry.VIEWS:
        assert fetch(con, f"SELECT count(*) AS n FROM {view}") == [{"n": 0}], view


def test_coverage_without_region_reference_has_no_denominator(given):
    con = given({"evaluation": [ev(1)]})
    rows = fetch(con, "SELECT region_level, counties_expected, counties_reporting_pct FROM v_coverage ORDER BY 1")
    assert rows == [
        {"region_level": "city", "counties_expected": None, "counties_reporting_pct": None},
        {"region_level": "national", "counties_expected": None, "counties_reporting_pct": None},
        {"region_level": "province", "counties_expected": None, "counties_reporting_pct": None},
    ]


def test_coverage_is_measured_against_the_regions_in_scope(given):
    """Issue 14: a year reads "n of the m that report at all" (units and counties of the region with
    a report in any year), and the nation's county count is that of the provinces that report, not
    of every county in China."""
    con = given({
        "unit": [unit(1, "甲", code="360102"), unit(2, "乙", code="360103")],
        "evaluation": [ev(1, uid=1, year=2021), ev(2, uid=2, year=2021), ev(3, uid=1, year=2022)],
        "region": [
            {"admin_code": "360000", "name": JX, "province": JX},
            {"admin_code": "360100", "name": NC, "province": JX, "city": NC},
            {"admin_code": "360102", "name": "东湖区", "province": JX, "city": NC},
            {"admin_code": "360103", "name": "西湖区", "province": JX, "city": NC},
            {"admin_code": "360104", "name": "青云谱区", "province": JX, "city": NC},
            {"admin_code": "430000", "name": "湖南省", "province": "湖南省"},  # no report: not in scope
            {"admin_code": "430100", "name": "长沙市", "province": "湖南省", "city": "长沙市"},
            {"admin_code": "430102", "name": "芙蓉区", "province": "湖南省", "city": "长沙市"},
        ],
    })
    rows = fetch(con, """SELECT fiscal_year, units_reporting, units_in_scope, units_reporting_pct, counties_reporting,
                                counties_in_scope, counties_in_scope_pct, counties_expected
                         FROM v_coverage WHERE region_level = 'national' ORDER BY fiscal_year""")
    assert rows == [
        {"fiscal_year": 2021, "units_reporting": 2, "units_in_scope": 2, "units_reporting_pct": 100.0,
         "counties_reporting": 2, "counties_in_scope": 2, "counties_in_scope_pct": 100.0, "counties_expected": 3},
        {"fiscal_year": 2022, "units_reporting": 1, "units_in_scope": 2, "units_reporting_pct": 50.0,
         "counties_reporting": 1, "counties_in_scope": 2, "counties_in_scope_pct": 50.0, "counties_expected": 3},
    ]
