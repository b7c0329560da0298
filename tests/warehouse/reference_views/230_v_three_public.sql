-- v_three_public: “三公”经费 / three-public expenses (receptions, vehicles, overseas travel).
-- Grain 粒度: one row per current evaluation that states three-public figures. Control rate =
-- actual / budget, stated and recomputed; the previous year is the current evaluation of the same
-- subject (unit, kind, project) and mode for fiscal_year - 1.
CREATE OR REPLACE VIEW v_three_public AS
WITH base AS (
    SELECT
        evaluation_id, fiscal_year, province, city, county, admin_code, unit_name,
        report_kind, project_name, evaluation_mode, is_demo, document_kind, subject_key,
        three_public_budget_yuan, three_public_actual_yuan,
        three_public_control_pct_stated, three_public_control_pct_recomputed, three_public_control_pct
    FROM v_evaluation
    WHERE three_public_control_pct IS NOT NULL OR three_public_budget_yuan IS NOT NULL
       OR three_public_actual_yuan IS NOT NULL
),

final AS (
    SELECT
        cur.evaluation_id, cur.fiscal_year, cur.province, cur.city, cur.county, cur.admin_code,
        cur.unit_name, cur.report_kind, cur.project_name, cur.evaluation_mode, cur.is_demo, cur.document_kind,
        cur.three_public_budget_yuan,
        cur.three_public_actual_yuan,
        cur.three_public_control_pct_stated,
        cur.three_public_control_pct_recomputed,
        cur.three_public_control_pct,
        CAST(cur.three_public_control_pct_stated - cur.three_public_control_pct_recomputed AS DECIMAL(18,4))
                                                                        AS three_public_control_pct_diff,
        abs(cur.three_public_control_pct_stated - cur.three_public_control_pct_recomputed) <= 0.01
                                                                        AS rates_agree,
        cur.three_public_control_pct > 100                              AS is_over_budget,
        prev.evaluation_id                                              AS previous_evaluation_id,
        prev.three_public_actual_yuan                                   AS previous_actual_yuan,
        CAST(cur.three_public_actual_yuan - prev.three_public_actual_yuan AS DECIMAL(18,2))
                                                                        AS actual_change_yuan,
        TRY_CAST(round(100 * (cur.three_public_actual_yuan - prev.three_public_actual_yuan)
                       / nullif(prev.three_public_actual_yuan, 0), 4) AS DECIMAL(18,4))
                                                                        AS actual_change_pct,
        prev.three_public_control_pct                                   AS previous_control_pct,
        CAST(cur.three_public_control_pct - prev.three_public_control_pct AS DECIMAL(18,4))
                                                                        AS control_pct_change
    FROM base AS cur
    LEFT JOIN base AS prev
        ON prev.subject_key = cur.subject_key
       AND coalesce(prev.evaluation_mode, '') = coalesce(cur.evaluation_mode, '')
       AND prev.fiscal_year = cur.fiscal_year - 1
       AND prev.document_kind = cur.document_kind
)

SELECT * FROM final;
COMMENT ON VIEW v_three_public IS '“三公”经费：每项有“三公”数据的当前评价一行，含预算、实际、控制率（报告值与复算值）及与上年的变化。Three-public expenses: one row per current evaluation with such figures: budget, actual, control rate (stated and recomputed) and change from the previous year.';
COMMENT ON COLUMN v_three_public.evaluation_id IS '评价编号。Evaluation id.';
COMMENT ON COLUMN v_three_public.three_public_control_pct_diff IS '报告值减复算值（百分点）。Stated minus recomputed control rate (percentage points).';
COMMENT ON COLUMN v_three_public.rates_agree IS '报告值与复算值相差不超过 0.01 个百分点。Stated and recomputed rates agree within 0.01 percentage points.';
COMMENT ON COLUMN v_three_public.is_over_budget IS '实际支出是否超过“三公”预算（控制率 > 100%）。Actual above the three-public budget (control rate > 100%).';
COMMENT ON COLUMN v_three_public.previous_evaluation_id IS '上年同一对象同一评价方式的当前评价编号。Current evaluation of the same subject and mode for the previous year.';
COMMENT ON COLUMN v_three_public.previous_actual_yuan IS '上年“三公”经费实际支出（元）。Previous year three-public actual (yuan).';
COMMENT ON COLUMN v_three_public.actual_change_yuan IS '实际支出比上年的变化（元）。Change in actual from the previous year (yuan).';
COMMENT ON COLUMN v_three_public.actual_change_pct IS '实际支出比上年的变动率 =（本年 − 上年）÷ 上年 × 100（百分点）。Change rate of actual from the previous year (percentage points).';
COMMENT ON COLUMN v_three_public.previous_control_pct IS '上年的控制率（百分点）。Previous year control rate (percentage points).';
COMMENT ON COLUMN v_three_public.control_pct_change IS '控制率比上年的变化（百分点）。Change in control rate from the previous year (percentage points).';
