-- The alert list as dashboard/data.py assembled it before v_alerts (without its filters and limit),
-- with the document kind (satisfaction and score rules read views of evaluations only), and, since
-- the cockpit (issue 14), each alert's unit, figure (field) and its source line, the gap from the
-- line, the money involved and the severity computed here row by row at query time.
CREATE OR REPLACE VIEW v_alerts AS
WITH rules AS (
    SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
           evaluation_mode, is_demo, document_kind, 'overspend' AS alert_code, 1 AS alert_order, budget_exec_pct AS value,
           CAST(budget_exec_pct_stated AS DECIMAL(20,4)) AS other_value, CAST(NULL AS VARCHAR) AS note,
           if(budget_exec_pct_stated IS NULL, 'expenditure_yuan', 'budget_exec_pct') AS field,
           CAST(NULL AS INTEGER) AS line, budget_exec_pct - 100 AS gap, 100.0 AS line_value,
           CAST(expenditure_yuan - coalesce(budget_adjusted_yuan, budget_initial_yuan) AS DECIMAL(18,2)) AS money
    FROM v_budget_execution WHERE is_overspend
    UNION ALL
    SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
           evaluation_mode, is_demo, document_kind, 'budget_under_90', 2, budget_exec_pct, budget_exec_pct_stated, NULL,
           if(budget_exec_pct_stated IS NULL, 'expenditure_yuan', 'budget_exec_pct'), NULL, 90 - budget_exec_pct, 90.0,
           coalesce(budget_adjusted_yuan, budget_initial_yuan) - expenditure_yuan
    FROM v_budget_execution WHERE is_under_90
    UNION ALL
    SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
           evaluation_mode, is_demo, document_kind, 'procurement_under_80', 3, procurement_exec_pct, procurement_budget_yuan,
           CAST(procurement_actual_yuan AS VARCHAR),
           if(procurement_exec_pct_stated IS NULL, 'procurement_actual_yuan', 'procurement_exec_pct'), NULL,
           80 - procurement_exec_pct, 80.0, procurement_budget_yuan - procurement_actual_yuan
    FROM v_procurement_execution WHERE procurement_exec_pct < 80
    UNION ALL
    SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
           evaluation_mode, is_demo, 'evaluation', 'satisfaction_under_90', 4, pct, NULL, respondent_group,
           'satisfaction_pct', line, 90 - pct, 90.0, NULL
    FROM v_satisfaction WHERE pct < 90
    UNION ALL
    SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
           evaluation_mode, is_demo, 'evaluation', 'score_drop', 5, total_score, previous_total_score, NULL,
           'total_score', NULL, previous_total_score - total_score, 100.0, NULL
    FROM v_unit_trend WHERE total_score_change < -5
    UNION ALL
    SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
           evaluation_mode, is_demo, document_kind, 'error_flag', 6, NULL, NULL, message, 'quality_flag', line,
           NULL, NULL, NULL
    FROM v_quality_flags WHERE severity = 'error'
)

SELECT r.evaluation_id, (SELECT e.unit_id FROM evaluation AS e WHERE e.evaluation_id = r.evaluation_id) AS unit_id,
       r.fiscal_year, r.province, r.city, r.county, r.admin_code, r.unit_name, r.report_kind, r.project_name,
       r.evaluation_mode, r.is_demo, r.document_kind, r.alert_code, r.alert_order, r.value, r.other_value, r.note,
       r.field,
       coalesce(r.line, (SELECT m.line FROM metric AS m WHERE m.evaluation_id = r.evaluation_id
                                                          AND m.metric = r.field)) AS line,
       CAST(r.gap AS DECIMAL(18,4)) AS gap,
       CAST(if(r.money > 0, r.money, NULL) AS DECIMAL(18,2)) AS money_yuan,
       CAST(round(r.gap / r.line_value * (1 + log10(1 + greatest(coalesce(r.money, 0), 0) / 10000.0)), 6)
            AS DECIMAL(18,6)) AS severity
FROM rules AS r;
