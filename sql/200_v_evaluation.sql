-- v_evaluation: 当前评价一览 / every current evaluation with its unit, region and key metrics.
-- Grain 粒度: one row per current evaluation (evaluation.is_current). Stated rates are kept as
-- stated (*_pct_stated); each is also recomputed from its parts (*_pct_recomputed), and the
-- unsuffixed rate, used for bands, ranks and trends, is the recomputed one when its parts are
-- stated and the stated one otherwise. Money in 元, rates in percentage points.
-- The rows are computed once per load into mv_evaluation (sql/materialize/130_mv_evaluation.sql
-- pivots the metric table there); this view publishes them without the helper columns.
-- Documents that are not evaluations (a 决算 disclosure, a rubric…) are rows too, with their unit,
-- year and money: filter on document_kind = 'evaluation' before comparing scores or grades
-- (grade_of_total is NULL for them; every view that ranks or compares scores does so already).
CREATE OR REPLACE VIEW v_evaluation AS
SELECT
    evaluation_id, fiscal_year, province, city, county, admin_code, unit_id, unit_name, document_kind, report_kind,
    project_name, evaluation_mode, is_demo, evaluator, report_date, framework, total_score,
    grade_raw, grade, grade_of_total, confidence, revision, subject_key, evaluation_key, sha256,
    file_id, source_path, family, budget_initial_yuan, budget_adjusted_yuan, expenditure_yuan,
    budget_base, budget_exec_pct_stated, budget_exec_pct_recomputed, budget_exec_pct,
    revenue_total_yuan, exp_basic_yuan, exp_personnel_yuan, exp_public_operating_yuan,
    exp_project_yuan, procurement_budget_yuan, procurement_actual_yuan, procurement_exec_pct_stated,
    procurement_exec_pct_recomputed, procurement_exec_pct, three_public_budget_yuan,
    three_public_actual_yuan, three_public_control_pct_stated, three_public_control_pct_recomputed,
    three_public_control_pct, headcount_authorised, headcount_actual, fixed_assets_yuan,
    satisfaction_pct_stated, satisfaction_pct, satisfaction_basis, metric_count, indicator_count,
    satisfaction_count, finding_count, flag_count, error_flag_count
FROM mv_evaluation;
COMMENT ON VIEW v_evaluation IS '当前评价一览：每项当前评价一行，含单位、地区、年度、文件类型、报告类型、方式、总分、等次和关键数值（金额为元，比率为百分点；比率同时给出报告值与复算值）；非评价文件（决算公开等）也在其中，比较得分前按 document_kind = ''evaluation'' 筛选。Current evaluations: one row per current document with unit, region, year, document kind, report kind, mode, score, grade and key metrics (yuan, percentage points; stated and recomputed rates); documents that are not evaluations are included: filter document_kind = ''evaluation'' before comparing scores.';
COMMENT ON COLUMN v_evaluation.evaluation_id IS '评价编号。Evaluation id.';
COMMENT ON COLUMN v_evaluation.unit_id IS '单位编号。Unit id.';
COMMENT ON COLUMN v_evaluation.grade_of_total IS '按总分划定的等次（优≥90，良80–90，中60–80，差<60；非评价文件为空）。Grade implied by the total score (优 ≥90, 良 80–90, 中 60–80, 差 <60; NULL for documents that are not evaluations).';
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
