-- mv_alerts: fill 填充 / the alert rules of the overview page, each read from the view that holds it:
-- overspend and budget execution below 90% (v_budget_execution), procurement execution below 80%
-- (v_procurement_execution), satisfaction figures below 90% (v_satisfaction), a total score more
-- than 5 points below the previous year (v_unit_trend), error-severity flags (v_quality_flags).
-- The satisfaction and score rules read views of evaluations only; the money and flag rules read
-- documents of every kind (document_kind: a 决算 disclosure can show an overspend).
-- Grain 粒度: one row per alert. Stored in the order the page lists them.
INSERT INTO mv_alerts BY NAME
WITH alerts AS (
    SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
           evaluation_mode, is_demo, document_kind,
           'overspend' AS alert_code, 1 AS alert_order, budget_exec_pct AS value,
           CAST(budget_exec_pct_stated AS DECIMAL(20,4)) AS other_value, CAST(NULL AS VARCHAR) AS note,
           CAST(NULL AS INTEGER) AS line
    FROM v_budget_execution WHERE is_overspend
    UNION ALL
    SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
           evaluation_mode, is_demo, document_kind, 'budget_under_90', 2, budget_exec_pct, budget_exec_pct_stated, NULL, NULL
    FROM v_budget_execution WHERE is_under_90
    UNION ALL
    -- other_value: the procurement budget (元); note: the actual procurement (元) as text.
    SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
           evaluation_mode, is_demo, document_kind, 'procurement_under_80', 3, procurement_exec_pct, procurement_budget_yuan,
           CAST(procurement_actual_yuan AS VARCHAR), NULL
    FROM v_procurement_execution WHERE procurement_exec_pct < 80
    UNION ALL
    SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
           evaluation_mode, is_demo, 'evaluation', 'satisfaction_under_90', 4, pct, NULL, respondent_group, line
    FROM v_satisfaction WHERE pct < 90  -- evaluations only (v_satisfaction)
    UNION ALL
    SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
           evaluation_mode, is_demo, 'evaluation', 'score_drop', 5, total_score, previous_total_score, NULL, NULL
    FROM v_unit_trend WHERE total_score_change < -5  -- evaluations only (v_unit_trend)
    UNION ALL
    SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
           evaluation_mode, is_demo, document_kind, 'error_flag', 6, NULL, NULL, message, line
    FROM v_quality_flags WHERE severity = 'error'
)

SELECT * FROM alerts
ORDER BY alert_order, fiscal_year DESC, province, city, unit_name, evaluation_id, line;
