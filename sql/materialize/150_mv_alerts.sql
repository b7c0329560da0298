-- mv_alerts: fill 填充 / the alert rules of the overview page, each read from the view that holds it:
-- overspend and budget execution below 90% (v_budget_execution), procurement execution below 80%
-- (v_procurement_execution), satisfaction figures below 90% (v_satisfaction), a total score more
-- than 5 points below the previous year (v_unit_trend), error-severity flags (v_quality_flags).
-- The satisfaction and score rules read views of evaluations only; the money and flag rules read
-- documents of every kind (document_kind: a 决算 disclosure can show an overspend).
-- Each alert names its figure (field) and that figure's source line: for the money rules the stated
-- rate's metric row when the report states one, else the spending it was recomputed from; the gap
-- from the line and the money involved give the severity:
--   severity = gap / line × (1 + log10(1 + money in 万元)), line = 100, 90, 80, 90 or 100 points.
-- Grain 粒度: one row per alert. Stored in the order the page lists them.
INSERT INTO mv_alerts BY NAME
WITH alerts AS (
    SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
           evaluation_mode, is_demo, document_kind,
           'overspend' AS alert_code, 1 AS alert_order, budget_exec_pct AS value,
           CAST(budget_exec_pct_stated AS DECIMAL(20,4)) AS other_value, CAST(NULL AS VARCHAR) AS note,
           CASE WHEN budget_exec_pct_stated IS NOT NULL THEN 'budget_exec_pct' ELSE 'expenditure_yuan' END AS field,
           CAST(NULL AS INTEGER) AS line,
           budget_exec_pct - 100 AS gap, 100.0 AS line_value, CAST(overspend_yuan AS DECIMAL(18,2)) AS money_yuan
    FROM v_budget_execution WHERE is_overspend
    UNION ALL
    SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
           evaluation_mode, is_demo, document_kind, 'budget_under_90', 2, budget_exec_pct, budget_exec_pct_stated, NULL,
           CASE WHEN budget_exec_pct_stated IS NOT NULL THEN 'budget_exec_pct' ELSE 'expenditure_yuan' END, NULL,
           90 - budget_exec_pct, 90.0, -overspend_yuan
    FROM v_budget_execution WHERE is_under_90
    UNION ALL
    -- other_value: the procurement budget (元); note: the actual procurement (元) as text.
    SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
           evaluation_mode, is_demo, document_kind, 'procurement_under_80', 3, procurement_exec_pct, procurement_budget_yuan,
           CAST(procurement_actual_yuan AS VARCHAR),
           CASE WHEN procurement_exec_pct_stated IS NOT NULL THEN 'procurement_exec_pct' ELSE 'procurement_actual_yuan' END,
           NULL, 80 - procurement_exec_pct, 80.0, procurement_budget_yuan - procurement_actual_yuan
    FROM v_procurement_execution WHERE procurement_exec_pct < 80
    UNION ALL
    SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
           evaluation_mode, is_demo, 'evaluation', 'satisfaction_under_90', 4, pct, NULL, respondent_group,
           'satisfaction_pct', line, 90 - pct, 90.0, NULL
    FROM v_satisfaction WHERE pct < 90  -- evaluations only (v_satisfaction)
    UNION ALL
    SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
           evaluation_mode, is_demo, 'evaluation', 'score_drop', 5, total_score, previous_total_score, NULL,
           'total_score', NULL, previous_total_score - total_score, 100.0, NULL
    FROM v_unit_trend WHERE total_score_change < -5  -- evaluations only (v_unit_trend)
    UNION ALL
    SELECT evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
           evaluation_mode, is_demo, document_kind, 'error_flag', 6, NULL, NULL, message, 'quality_flag', line,
           NULL, NULL, NULL
    FROM v_quality_flags WHERE severity = 'error'
),

final AS (
    SELECT
        a.evaluation_id, e.unit_id, a.fiscal_year, a.province, a.city, a.county, a.admin_code, a.unit_name,
        a.report_kind, a.project_name, a.evaluation_mode, a.is_demo, a.document_kind, a.alert_code,
        a.alert_order, a.value, a.other_value, a.note, a.field,
        coalesce(a.line, m.line)                                                    AS line,
        CAST(a.gap AS DECIMAL(18,4))                                                AS gap,
        CASE WHEN a.money_yuan > 0 THEN a.money_yuan END                            AS money_yuan,
        CAST(round(a.gap / a.line_value
                   * (1 + log10(1 + greatest(coalesce(a.money_yuan, 0), 0) / 10000.0)), 6) AS DECIMAL(18,6))
                                                                                    AS severity
    FROM alerts AS a
    LEFT JOIN v_evaluation AS e USING (evaluation_id)
    LEFT JOIN metric AS m
        ON m.evaluation_id = a.evaluation_id AND m.metric = a.field AND a.line IS NULL
)

SELECT * FROM final
ORDER BY alert_order, fiscal_year DESC, province, city, unit_name, evaluation_id, line;
