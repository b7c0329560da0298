-- v_final_accounts: 决算等公开文件的金额 / what the documents that are not evaluations state in money.
-- Grain 粒度: one row per current document with document_kind <> 'evaluation' (a 部门决算 disclosure,
-- a 预算 disclosure, a project page …) that states at least one of: total revenue, expenditure,
-- budget, three-public figures. These documents never enter score comparisons, but their unit, year
-- and money are kept and compared here: the previous year is the same unit's document of the same
-- kind for fiscal_year - 1 (mv_evaluation.previous_evaluation_id, found once per load). Money in 元.
CREATE OR REPLACE VIEW v_final_accounts AS
WITH documents AS (
    SELECT *
    FROM mv_evaluation
    WHERE document_kind <> 'evaluation'
      AND (revenue_total_yuan IS NOT NULL OR expenditure_yuan IS NOT NULL
           OR budget_initial_yuan IS NOT NULL OR budget_adjusted_yuan IS NOT NULL
           OR three_public_budget_yuan IS NOT NULL OR three_public_actual_yuan IS NOT NULL
           OR official_reception_yuan IS NOT NULL OR vehicle_operation_yuan IS NOT NULL
           OR vehicle_purchase_yuan IS NOT NULL OR overseas_travel_yuan IS NOT NULL)
),

final AS (
    SELECT
        cur.evaluation_id, cur.fiscal_year, cur.province, cur.city, cur.county, cur.admin_code,
        cur.unit_id, cur.unit_name, cur.report_kind, cur.project_name, cur.evaluation_mode, cur.is_demo,
        cur.document_kind,
        cur.revenue_total_yuan,
        cur.expenditure_yuan,
        cur.exp_basic_yuan,
        cur.exp_project_yuan,
        cur.budget_initial_yuan,
        cur.budget_adjusted_yuan,
        cur.three_public_budget_yuan,
        cur.three_public_actual_yuan,
        cur.three_public_control_pct,
        cur.official_reception_yuan,
        cur.vehicle_operation_yuan,
        cur.vehicle_purchase_yuan,
        cur.overseas_travel_yuan,
        prev.evaluation_id                                                    AS previous_evaluation_id,
        prev.revenue_total_yuan                                               AS previous_revenue_total_yuan,
        prev.expenditure_yuan                                                 AS previous_expenditure_yuan,
        TRY_CAST(round(100 * (cur.expenditure_yuan - prev.expenditure_yuan)
                       / nullif(prev.expenditure_yuan, 0), 4) AS DECIMAL(18,4)) AS expenditure_change_pct,
        cur.file_id,
        cur.source_path
    FROM documents AS cur
    LEFT JOIN documents AS prev
        ON prev.evaluation_id = cur.previous_evaluation_id
)

SELECT * FROM final;
COMMENT ON VIEW v_final_accounts IS '决算等公开文件的金额：每份当前的非评价文件（部门决算公开、预算公开、项目公开等）中陈述了收入、支出、预算或“三公”经费的一行，含单位、地区、年度、文件类型、金额和与上年同类文件的支出变化；这些文件不参与得分比较。Money in documents that are not evaluations: one row per current document (final accounts, budget or project disclosure …) stating revenue, expenditure, budget or three-public figures, with unit, region, year, kind and the change in expenditure from the same kind of document a year before; never in score comparisons.';
COMMENT ON COLUMN v_final_accounts.evaluation_id IS '文件记录编号（evaluation 表中的编号）。Document record id (evaluation_id of the evaluation table).';
COMMENT ON COLUMN v_final_accounts.unit_id IS '单位编号。Unit id.';
COMMENT ON COLUMN v_final_accounts.revenue_total_yuan IS '收入合计（元）。Total revenue (yuan).';
COMMENT ON COLUMN v_final_accounts.expenditure_yuan IS '支出合计 / 决算支出（元）。Total expenditure (yuan).';
COMMENT ON COLUMN v_final_accounts.exp_basic_yuan IS '基本支出（元）。Basic expenditure (yuan).';
COMMENT ON COLUMN v_final_accounts.exp_project_yuan IS '项目支出（元）。Project expenditure (yuan).';
COMMENT ON COLUMN v_final_accounts.budget_initial_yuan IS '年初预算数（元）。Initially approved budget (yuan).';
COMMENT ON COLUMN v_final_accounts.budget_adjusted_yuan IS '调整后全年预算数（元）。Adjusted full-year budget (yuan).';
COMMENT ON COLUMN v_final_accounts.three_public_budget_yuan IS '“三公”经费预算（元）。Three-public expenses budget (yuan).';
COMMENT ON COLUMN v_final_accounts.three_public_actual_yuan IS '“三公”经费支出（元）。Three-public expenses actual (yuan).';
COMMENT ON COLUMN v_final_accounts.three_public_control_pct IS '“三公”经费控制率：能复算时取复算值，否则取报告值（百分点）。Three-public control rate, recomputed when possible, else stated (percentage points).';
COMMENT ON COLUMN v_final_accounts.official_reception_yuan IS '公务接待费（元）。Official reception expenses (yuan).';
COMMENT ON COLUMN v_final_accounts.vehicle_operation_yuan IS '公务用车运行维护费（元）。Official vehicle operation and maintenance (yuan).';
COMMENT ON COLUMN v_final_accounts.vehicle_purchase_yuan IS '公务用车购置费（元）。Official vehicle purchase (yuan).';
COMMENT ON COLUMN v_final_accounts.overseas_travel_yuan IS '因公出国（境）费（元）。Official overseas travel (yuan).';
COMMENT ON COLUMN v_final_accounts.previous_evaluation_id IS '上年同一单位同类文件的记录编号（没有时为空）。Record id of the same unit''s document of the same kind a year before (NULL when none).';
COMMENT ON COLUMN v_final_accounts.previous_revenue_total_yuan IS '上年收入合计（元）。Total revenue a year before (yuan).';
COMMENT ON COLUMN v_final_accounts.previous_expenditure_yuan IS '上年支出合计（元）。Total expenditure a year before (yuan).';
COMMENT ON COLUMN v_final_accounts.expenditure_change_pct IS '支出比上年的变化 =（本年 − 上年）÷ 上年 × 100（百分点）。Change in expenditure from the year before (percentage points).';
COMMENT ON COLUMN v_final_accounts.file_id IS '来源文件序号，关联 source_line。Source file number, joins source_line.';
COMMENT ON COLUMN v_final_accounts.source_path IS '来源文件路径。Source file path.';
