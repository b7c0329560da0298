-- v_budget_execution: 预算执行 / budget against spending for every current evaluation.
-- Grain 粒度: one row per current evaluation. Shows the stated execution rate, the rate
-- recomputed from spending and budget (adjusted budget, else initial), their difference, the
-- overspend in 元 and the execution band: >100 (超支), 100, 90-100, 80-90, <80.
CREATE OR REPLACE VIEW v_budget_execution AS
WITH base AS (
    SELECT
        evaluation_id, fiscal_year, province, city, county, admin_code, unit_name,
        report_kind, project_name, evaluation_mode, is_demo, document_kind,
        budget_initial_yuan, budget_adjusted_yuan, expenditure_yuan, budget_base,
        budget_exec_pct_stated, budget_exec_pct_recomputed, budget_exec_pct
    FROM v_evaluation
    WHERE budget_exec_pct IS NOT NULL OR expenditure_yuan IS NOT NULL
       OR budget_adjusted_yuan IS NOT NULL OR budget_initial_yuan IS NOT NULL
),

final AS (
    SELECT
        *,
        CAST(budget_exec_pct_stated - budget_exec_pct_recomputed AS DECIMAL(18,4)) AS budget_exec_pct_diff,
        abs(budget_exec_pct_stated - budget_exec_pct_recomputed) <= 0.01            AS rates_agree,
        CAST(expenditure_yuan - coalesce(budget_adjusted_yuan, budget_initial_yuan) AS DECIMAL(18,2))
                                                                                   AS overspend_yuan,
        CASE
            WHEN budget_exec_pct IS NULL THEN NULL
            WHEN round(budget_exec_pct, 2) > 100 THEN '>100'
            WHEN round(budget_exec_pct, 2) = 100 THEN '100'
            WHEN budget_exec_pct >= 90 THEN '90-100'
            WHEN budget_exec_pct >= 80 THEN '80-90'
            ELSE '<80'
        END                                                                        AS exec_band,
        CASE
            WHEN budget_exec_pct IS NULL THEN NULL
            WHEN round(budget_exec_pct, 2) > 100 THEN 1
            WHEN round(budget_exec_pct, 2) = 100 THEN 2
            WHEN budget_exec_pct >= 90 THEN 3
            WHEN budget_exec_pct >= 80 THEN 4
            ELSE 5
        END                                                                        AS exec_band_order,
        round(budget_exec_pct, 2) > 100                                            AS is_overspend,
        budget_exec_pct < 90                                                       AS is_under_90
    FROM base
)

SELECT * FROM final;
COMMENT ON VIEW v_budget_execution IS '预算执行：每项有预算或支出数据的当前评价一行，含报告执行率、复算执行率、差异、超支金额与执行区间（>100、100、90-100、80-90、<80）。Budget execution: one row per current evaluation with budget data: stated and recomputed rate, difference, overspend (yuan) and band.';
COMMENT ON COLUMN v_budget_execution.evaluation_id IS '评价编号。Evaluation id.';
COMMENT ON COLUMN v_budget_execution.budget_exec_pct_diff IS '报告值减复算值（百分点）。Stated minus recomputed rate (percentage points).';
COMMENT ON COLUMN v_budget_execution.rates_agree IS '报告值与复算值相差不超过 0.01 个百分点。Stated and recomputed rates agree within 0.01 percentage points.';
COMMENT ON COLUMN v_budget_execution.overspend_yuan IS '支出超出预算的金额（元，负数表示结余）。Spending above the budget (yuan; negative: under budget).';
COMMENT ON COLUMN v_budget_execution.exec_band IS '执行区间：>100 超支，100 足额，90-100，80-90，<80（百分比）。Execution band: >100 (overspend), 100, 90-100, 80-90, <80 (percent).';
COMMENT ON COLUMN v_budget_execution.exec_band_order IS '执行区间的排序号（1 = >100 … 5 = <80）。Sort order of the band (1 = >100 … 5 = <80).';
COMMENT ON COLUMN v_budget_execution.is_overspend IS '是否超支（执行率四舍五入到两位小数后大于 100%）。Overspent (rate above 100% after rounding to 2 decimals).';
COMMENT ON COLUMN v_budget_execution.is_under_90 IS '执行率是否低于 90%。Execution below 90%.';
