-- v_unit_trend: 年度趋势 / each unit's year against its previous year.
-- Grain 粒度: one row per current evaluation, i.e. per unit, subject (kind, project), evaluation
-- mode and fiscal year. The previous year is the current evaluation of the same subject and mode
-- for fiscal_year - 1 (NULL when there is none), so self-evaluations are compared with
-- self-evaluations and third-party ones with third-party ones. The match is found once per load
-- (mv_evaluation.previous_evaluation_id), not by a self-join per query. Only evaluations
-- (document_kind = 'evaluation'); a document's previous year is always of its own kind.
CREATE OR REPLACE VIEW v_unit_trend AS
WITH final AS (
    SELECT
        cur.evaluation_id, cur.fiscal_year, cur.province, cur.city, cur.county, cur.admin_code,
        cur.unit_id, cur.unit_name, cur.report_kind, cur.project_name, cur.evaluation_mode, cur.is_demo,
        prev.evaluation_id                                                    AS previous_evaluation_id,
        cur.total_score,
        prev.total_score                                                      AS previous_total_score,
        CAST(cur.total_score - prev.total_score AS DECIMAL(9,4))              AS total_score_change,
        cur.grade,
        prev.grade                                                            AS previous_grade,
        cur.budget_exec_pct,
        prev.budget_exec_pct                                                  AS previous_budget_exec_pct,
        CAST(cur.budget_exec_pct - prev.budget_exec_pct AS DECIMAL(18,4))     AS budget_exec_pct_change,
        cur.procurement_exec_pct,
        prev.procurement_exec_pct                                             AS previous_procurement_exec_pct,
        CAST(cur.procurement_exec_pct - prev.procurement_exec_pct AS DECIMAL(18,4))
                                                                              AS procurement_exec_pct_change,
        cur.satisfaction_pct,
        prev.satisfaction_pct                                                 AS previous_satisfaction_pct,
        CAST(cur.satisfaction_pct - prev.satisfaction_pct AS DECIMAL(18,4))   AS satisfaction_pct_change
    FROM mv_evaluation AS cur
    LEFT JOIN mv_evaluation AS prev
        ON prev.evaluation_id = cur.previous_evaluation_id
    WHERE cur.document_kind = 'evaluation'
)

SELECT * FROM final;
COMMENT ON VIEW v_unit_trend IS '年度趋势：每项当前评价一行（单位×对象×评价方式×年度），含上年同一对象同一方式的评价及总分、预算执行率、采购执行率、满意度的变化。Unit trend: one row per current evaluation with the previous year (same subject and mode) and the change in score, budget execution, procurement execution and satisfaction.';
COMMENT ON COLUMN v_unit_trend.evaluation_id IS '评价编号。Evaluation id.';
COMMENT ON COLUMN v_unit_trend.unit_id IS '单位编号。Unit id.';
COMMENT ON COLUMN v_unit_trend.previous_evaluation_id IS '上年同一对象同一评价方式的当前评价编号（无则为空）。Previous-year evaluation of the same subject and mode (NULL if none).';
COMMENT ON COLUMN v_unit_trend.previous_total_score IS '上年总分（分）。Previous-year total score (points).';
COMMENT ON COLUMN v_unit_trend.total_score_change IS '总分变化 = 本年 − 上年（分）。Change in total score (points).';
COMMENT ON COLUMN v_unit_trend.previous_grade IS '上年等次。Previous-year grade.';
COMMENT ON COLUMN v_unit_trend.budget_exec_pct IS '预算执行率（能复算时取复算值，百分点）。Budget execution (recomputed when possible; percentage points).';
COMMENT ON COLUMN v_unit_trend.previous_budget_exec_pct IS '上年预算执行率（百分点）。Previous-year budget execution (percentage points).';
COMMENT ON COLUMN v_unit_trend.budget_exec_pct_change IS '预算执行率变化（百分点）。Change in budget execution (percentage points).';
COMMENT ON COLUMN v_unit_trend.procurement_exec_pct IS '政府采购执行率（能复算时取复算值，百分点）。Procurement execution (percentage points).';
COMMENT ON COLUMN v_unit_trend.previous_procurement_exec_pct IS '上年政府采购执行率（百分点）。Previous-year procurement execution (percentage points).';
COMMENT ON COLUMN v_unit_trend.procurement_exec_pct_change IS '政府采购执行率变化（百分点）。Change in procurement execution (percentage points).';
COMMENT ON COLUMN v_unit_trend.satisfaction_pct IS '满意度（百分点）。Satisfaction (percentage points).';
COMMENT ON COLUMN v_unit_trend.previous_satisfaction_pct IS '上年满意度（百分点）。Previous-year satisfaction (percentage points).';
COMMENT ON COLUMN v_unit_trend.satisfaction_pct_change IS '满意度变化（百分点）。Change in satisfaction (percentage points).';
