-- The alert list as dashboard/data.py assembled it before v_alerts (without its filters and limit),
-- with the document kind (satisfaction and score rules read views of evaluations only).
CREATE OR REPLACE VIEW v_alerts AS
SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
       evaluation_mode, is_demo, document_kind, 'overspend' AS alert_code, 1 AS alert_order, budget_exec_pct AS value,
       budget_exec_pct_stated AS other_value, CAST(NULL AS VARCHAR) AS note, CAST(NULL AS INTEGER) AS line
FROM v_budget_execution WHERE is_overspend
UNION ALL
SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
       evaluation_mode, is_demo, document_kind, 'budget_under_90', 2, budget_exec_pct, budget_exec_pct_stated, NULL, NULL
FROM v_budget_execution WHERE is_under_90
UNION ALL
SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
       evaluation_mode, is_demo, document_kind, 'procurement_under_80', 3, procurement_exec_pct, procurement_budget_yuan,
       CAST(procurement_actual_yuan AS VARCHAR), NULL
FROM v_procurement_execution WHERE procurement_exec_pct < 80
UNION ALL
SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
       evaluation_mode, is_demo, 'evaluation', 'satisfaction_under_90', 4, pct, NULL, respondent_group, line
FROM v_satisfaction WHERE pct < 90
UNION ALL
SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
       evaluation_mode, is_demo, 'evaluation', 'score_drop', 5, total_score, previous_total_score, NULL, NULL
FROM v_unit_trend WHERE total_score_change < -5
UNION ALL
SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
       evaluation_mode, is_demo, document_kind, 'error_flag', 6, NULL, NULL, message, line
FROM v_quality_flags WHERE severity = 'error';
