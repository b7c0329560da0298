-- v_evaluation: 当前评价一览 / every current evaluation with its unit, region and key metrics.
-- Grain 粒度: one row per current evaluation (evaluation.is_current). Stated rates are kept as
-- stated (*_pct_stated); each is also recomputed from its parts (*_pct_recomputed), and the
-- unsuffixed rate, used for bands, ranks and trends, is the recomputed one when its parts are
-- stated and the stated one otherwise. Money in 元, rates in percentage points.
CREATE OR REPLACE VIEW v_evaluation AS
WITH metric_wide AS (
    SELECT
        evaluation_id,
        max(value) FILTER (WHERE metric = 'budget_initial_yuan')                   AS budget_initial_yuan,
        max(value) FILTER (WHERE metric = 'budget_adjusted_yuan')                  AS budget_adjusted_yuan,
        max(value) FILTER (WHERE metric = 'expenditure_yuan')                      AS expenditure_yuan,
        max(value) FILTER (WHERE metric = 'budget_exec_pct')                       AS budget_exec_pct_stated,
        max(value) FILTER (WHERE metric = 'revenue_total_yuan')                    AS revenue_total_yuan,
        max(value) FILTER (WHERE metric = 'exp_basic_yuan')                        AS exp_basic_yuan,
        max(value) FILTER (WHERE metric = 'exp_personnel_yuan')                    AS exp_personnel_yuan,
        max(value) FILTER (WHERE metric = 'exp_public_operating_yuan')             AS exp_public_operating_yuan,
        max(value) FILTER (WHERE metric = 'exp_project_yuan')                      AS exp_project_yuan,
        max(value) FILTER (WHERE metric = 'procurement_budget_yuan')               AS procurement_budget_yuan,
        max(value) FILTER (WHERE metric = 'procurement_actual_yuan')               AS procurement_actual_yuan,
        max(value) FILTER (WHERE metric = 'procurement_exec_pct')                  AS procurement_exec_pct_stated,
        max(value) FILTER (WHERE metric = 'three_public_budget_yuan')              AS three_public_budget_yuan,
        max(value) FILTER (WHERE metric = 'three_public_actual_yuan')              AS three_public_actual_yuan,
        max(value) FILTER (WHERE metric = 'three_public_control_pct')              AS three_public_control_pct_stated,
        max(value) FILTER (WHERE metric = 'headcount_authorised')                  AS headcount_authorised,
        max(value) FILTER (WHERE metric = 'headcount_actual')                      AS headcount_actual,
        max(value) FILTER (WHERE metric = 'fixed_assets_yuan')                     AS fixed_assets_yuan,
        max(value) FILTER (WHERE metric = 'satisfaction_pct')                      AS satisfaction_pct_stated
    FROM metric
    GROUP BY evaluation_id
),

satisfaction_summary AS (
    -- The weighted mean needs every figure's weight; otherwise the plain mean.
    SELECT
        evaluation_id,
        CASE
            WHEN count(weight) = count(*) AND sum(weight) > 0 THEN sum(pct * weight) / sum(weight)
            ELSE avg(pct)
        END AS satisfaction_mean_pct,
        CASE WHEN count(weight) = count(*) AND sum(weight) > 0 THEN 'weighted_mean' ELSE 'mean' END
            AS satisfaction_basis
    FROM satisfaction
    WHERE pct IS NOT NULL
    GROUP BY evaluation_id
),

joined AS (
    SELECT
        e.*,
        u.unit_name, u.province, u.city, u.county, u.admin_code,
        sf.path AS source_path, sf.family,
        m.* EXCLUDE (evaluation_id),
        s.satisfaction_mean_pct, s.satisfaction_basis,
        coalesce(m.budget_adjusted_yuan, m.budget_initial_yuan) AS budget_base_yuan,
        CASE
            WHEN m.budget_adjusted_yuan IS NOT NULL THEN 'adjusted'
            WHEN m.budget_initial_yuan IS NOT NULL THEN 'initial'
        END AS budget_base
    FROM evaluation AS e
    JOIN unit AS u USING (unit_id)
    JOIN source_file AS sf USING (sha256)
    LEFT JOIN metric_wide AS m USING (evaluation_id)
    LEFT JOIN satisfaction_summary AS s USING (evaluation_id)
    WHERE e.is_current
),

recomputed AS (
    SELECT
        *,
        TRY_CAST(round(100 * expenditure_yuan / nullif(budget_base_yuan, 0), 4) AS DECIMAL(18,4))
            AS budget_exec_pct_recomputed,
        TRY_CAST(round(100 * procurement_actual_yuan / nullif(procurement_budget_yuan, 0), 4) AS DECIMAL(18,4))
            AS procurement_exec_pct_recomputed,
        TRY_CAST(round(100 * three_public_actual_yuan / nullif(three_public_budget_yuan, 0), 4) AS DECIMAL(18,4))
            AS three_public_control_pct_recomputed
    FROM joined
),

final AS (
    SELECT
        evaluation_id,
        fiscal_year,
        province,
        city,
        county,
        admin_code,
        unit_id,
        unit_name,
        document_kind,
        report_kind,
        project_name,
        evaluation_mode,
        is_demo,
        evaluator,
        report_date,
        framework,
        CAST(total_score AS DECIMAL(9,4))                                   AS total_score,
        grade_raw,
        grade,
        CASE
            WHEN document_kind <> 'evaluation' THEN NULL
            WHEN total_score >= 90 THEN '优'
            WHEN total_score >= 80 THEN '良'
            WHEN total_score >= 60 THEN '中'
            WHEN total_score IS NOT NULL THEN '差'
        END                                                                 AS grade_of_total,
        confidence,
        revision,
        subject_key,
        evaluation_key,
        sha256,
        file_id,
        source_path,
        family,
        CAST(budget_initial_yuan AS DECIMAL(18,2))                          AS budget_initial_yuan,
        CAST(budget_adjusted_yuan AS DECIMAL(18,2))                         AS budget_adjusted_yuan,
        CAST(expenditure_yuan AS DECIMAL(18,2))                             AS expenditure_yuan,
        budget_base,
        CAST(budget_exec_pct_stated AS DECIMAL(18,4))                       AS budget_exec_pct_stated,
        budget_exec_pct_recomputed,
        coalesce(budget_exec_pct_recomputed, CAST(budget_exec_pct_stated AS DECIMAL(18,4)))
                                                                            AS budget_exec_pct,
        CAST(revenue_total_yuan AS DECIMAL(18,2))                           AS revenue_total_yuan,
        CAST(exp_basic_yuan AS DECIMAL(18,2))                               AS exp_basic_yuan,
        CAST(exp_personnel_yuan AS DECIMAL(18,2))                           AS exp_personnel_yuan,
        CAST(exp_public_operating_yuan AS DECIMAL(18,2))                    AS exp_public_operating_yuan,
        CAST(exp_project_yuan AS DECIMAL(18,2))                             AS exp_project_yuan,
        CAST(procurement_budget_yuan AS DECIMAL(18,2))                      AS procurement_budget_yuan,
        CAST(procurement_actual_yuan AS DECIMAL(18,2))                      AS procurement_actual_yuan,
        CAST(procurement_exec_pct_stated AS DECIMAL(18,4))                  AS procurement_exec_pct_stated,
        procurement_exec_pct_recomputed,
        coalesce(procurement_exec_pct_recomputed, CAST(procurement_exec_pct_stated AS DECIMAL(18,4)))
                                                                            AS procurement_exec_pct,
        CAST(three_public_budget_yuan AS DECIMAL(18,2))                     AS three_public_budget_yuan,
        CAST(three_public_actual_yuan AS DECIMAL(18,2))                     AS three_public_actual_yuan,
        CAST(three_public_control_pct_stated AS DECIMAL(18,4))              AS three_public_control_pct_stated,
        three_public_control_pct_recomputed,
        coalesce(three_public_control_pct_recomputed, CAST(three_public_control_pct_stated AS DECIMAL(18,4)))
                                                                            AS three_public_control_pct,
        CAST(headcount_authorised AS DECIMAL(18,4))                         AS headcount_authorised,
        CAST(headcount_actual AS DECIMAL(18,4))                             AS headcount_actual,
        CAST(fixed_assets_yuan AS DECIMAL(18,2))                            AS fixed_assets_yuan,
        CAST(satisfaction_pct_stated AS DECIMAL(18,4))                      AS satisfaction_pct_stated,
        CAST(coalesce(satisfaction_pct_stated, round(satisfaction_mean_pct, 4)) AS DECIMAL(18,4))
                                                                            AS satisfaction_pct,
        CASE
            WHEN satisfaction_pct_stated IS NOT NULL THEN 'stated'
            ELSE satisfaction_basis
        END                                                                 AS satisfaction_basis,
        metric_count,
        indicator_count,
        satisfaction_count,
        finding_count,
        flag_count,
        error_flag_count
    FROM recomputed
)

SELECT * FROM final;
COMMENT ON VIEW v_evaluation IS '当前评价一览：每项当前评价一行，含单位、地区、年度、类型、方式、总分、等次和关键数值（金额为元，比率为百分点；比率同时给出报告值与复算值）。Current evaluations: one row per current evaluation with unit, region, year, kind, mode, score, grade and key metrics (yuan, percentage points; stated and recomputed rates).';
COMMENT ON COLUMN v_evaluation.evaluation_id IS '评价编号。Evaluation id.';
COMMENT ON COLUMN v_evaluation.unit_id IS '单位编号。Unit id.';
COMMENT ON COLUMN v_evaluation.grade_of_total IS '按总分划定的等次（优≥90，良80–90，中60–80，差<60）。Grade implied by the total score (优 ≥90, 良 80–90, 中 60–80, 差 <60).';
COMMENT ON COLUMN v_evaluation.source_path IS '来源文件路径。Source file path.';
COMMENT ON COLUMN v_evaluation.family IS '来源文件的模板族。Template family of the source file.';
COMMENT ON COLUMN v_evaluation.budget_initial_yuan IS '年初预算数（元）。Initially approved budget (yuan).';
COMMENT ON COLUMN v_evaluation.budget_adjusted_yuan IS '调整后全年预算数（元）。Adjusted full-year budget (yuan).';
COMMENT ON COLUMN v_evaluation.expenditure_yuan IS '全年执行数 / 决算支出（元）。Actual spending (yuan).';
COMMENT ON COLUMN v_evaluation.budget_base IS '复算预算执行率所用的分母：adjusted 调整后预算，initial 年初预算。Denominator used to recompute budget execution: adjusted or initial budget.';
COMMENT ON COLUMN v_evaluation.budget_exec_pct_stated IS '报告所述预算执行率（百分点）。Budget execution rate as stated (percentage points).';
COMMENT ON COLUMN v_evaluation.budget_exec_pct_recomputed IS '复算的预算执行率 = 执行数 ÷ 预算数 × 100（百分点，4 位小数）。Recomputed budget execution = spending / budget × 100 (percentage points).';
COMMENT ON COLUMN v_evaluation.budget_exec_pct IS '用于比较的预算执行率：能复算时取复算值，否则取报告值（百分点）。Budget execution used for comparison: recomputed when possible, else stated (percentage points).';
COMMENT ON COLUMN v_evaluation.revenue_total_yuan IS '收入合计（元）。Total revenue (yuan).';
COMMENT ON COLUMN v_evaluation.exp_basic_yuan IS '基本支出（元）。Basic expenditure (yuan).';
COMMENT ON COLUMN v_evaluation.exp_personnel_yuan IS '人员支出（元）。Personnel expenditure (yuan).';
COMMENT ON COLUMN v_evaluation.exp_public_operating_yuan IS '公用支出（元）。Public operating expenditure (yuan).';
COMMENT ON COLUMN v_evaluation.exp_project_yuan IS '项目支出（元）。Project expenditure (yuan).';
COMMENT ON COLUMN v_evaluation.procurement_budget_yuan IS '政府采购预算（元）。Government procurement budget (yuan).';
COMMENT ON COLUMN v_evaluation.procurement_actual_yuan IS '实际政府采购金额（元）。Actual government procurement (yuan).';
COMMENT ON COLUMN v_evaluation.procurement_exec_pct_stated IS '报告所述政府采购执行率（百分点）。Procurement execution rate as stated (percentage points).';
COMMENT ON COLUMN v_evaluation.procurement_exec_pct_recomputed IS '复算的政府采购执行率 = 实际采购 ÷ 采购预算 × 100（百分点）。Recomputed procurement execution = actual / budget × 100 (percentage points).';
COMMENT ON COLUMN v_evaluation.procurement_exec_pct IS '用于比较的政府采购执行率：能复算时取复算值，否则取报告值（百分点）。Procurement execution used for comparison (percentage points).';
COMMENT ON COLUMN v_evaluation.three_public_budget_yuan IS '“三公”经费预算（元）。Three-public expenses budget (yuan).';
COMMENT ON COLUMN v_evaluation.three_public_actual_yuan IS '“三公”经费实际支出（元）。Three-public expenses actual (yuan).';
COMMENT ON COLUMN v_evaluation.three_public_control_pct_stated IS '报告所述“三公”经费控制率（百分点）。Three-public control rate as stated (percentage points).';
COMMENT ON COLUMN v_evaluation.three_public_control_pct_recomputed IS '复算的“三公”经费控制率 = 实际 ÷ 预算 × 100（百分点）。Recomputed three-public control rate = actual / budget × 100 (percentage points).';
COMMENT ON COLUMN v_evaluation.three_public_control_pct IS '用于比较的“三公”经费控制率：能复算时取复算值，否则取报告值（百分点）。Three-public control rate used for comparison (percentage points).';
COMMENT ON COLUMN v_evaluation.headcount_authorised IS '编制数（人）。Authorised establishment (persons).';
COMMENT ON COLUMN v_evaluation.headcount_actual IS '实有人数（人）。Staff in post (persons).';
COMMENT ON COLUMN v_evaluation.fixed_assets_yuan IS '固定资产合计（元）。Fixed assets total (yuan).';
COMMENT ON COLUMN v_evaluation.satisfaction_pct_stated IS '报告所述的总体满意度（百分点）。Overall satisfaction as stated (percentage points).';
COMMENT ON COLUMN v_evaluation.satisfaction_pct IS '用于比较的满意度：报告有总体值取总体值，否则取各群体满意度的加权平均（各项都有分值时）或算术平均（百分点）。Satisfaction used for comparison: stated overall, else the weight-weighted or plain mean of the group figures (percentage points).';
COMMENT ON COLUMN v_evaluation.satisfaction_basis IS '满意度的来源：stated 报告总体值，weighted_mean 按分值加权平均，mean 算术平均。Basis of satisfaction_pct: stated, weighted_mean, mean.';
COMMENT ON COLUMN v_evaluation.sha256 IS '来源文件的 SHA-256，关联 source_file。SHA-256 of the source file, joins source_file.';
COMMENT ON COLUMN v_evaluation.file_id IS '来源文件序号，关联 source_line。Source file number, joins source_line.';
COMMENT ON COLUMN v_evaluation.indicator_count IS '指标行数（条）。Number of indicator rows (count).';
