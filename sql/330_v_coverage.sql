-- v_coverage: 覆盖率 / how many units reported, and how complete their reports are.
-- Grain 粒度: one row per is_demo, fiscal year and region (national / province / city) with at
-- least one current evaluation (document_kind = 'evaluation'; other documents are not counted).
-- Coverage is measured against the regions in scope, never against every county in China:
-- counties_in_scope and units_in_scope are the counties and units of the region that report in any
-- year (so a year reads "n of the m that report at all"); counties_expected comes from the region
-- reference (NULL when it is not loaded) and counts, at the national level, only the counties of
-- the provinces that report. Every aggregate can say "n of m". Shares are of the reports in the row.
-- Computed once per load into mv_coverage (sql/materialize/160_mv_coverage.sql).
CREATE OR REPLACE VIEW v_coverage AS
SELECT
    is_demo, fiscal_year, region_level, province, city, units_reporting, counties_reporting,
    counties_expected, counties_reporting_pct, units_in_scope, units_reporting_pct, counties_in_scope,
    counties_in_scope_pct, reports, reports_department_overall, reports_project,
    reports_self, reports_external, with_total_score, with_total_score_pct, with_grade,
    with_grade_pct, with_budget_exec, with_budget_exec_pct, with_procurement_exec,
    with_procurement_exec_pct, with_three_public, with_three_public_pct, with_satisfaction,
    with_satisfaction_pct, with_indicators, with_indicators_pct, with_error_flags
FROM mv_coverage;
COMMENT ON VIEW v_coverage IS '覆盖率：按是否演示、年度和地区（全国/省/市）统计报告单位数与县区数，对照范围内（任一年度报告过）的单位数和县区数、区划参考表的应报县区数（全国层级只计有报告的省份，不是全国所有县区），以及报告数和各关键字段齐全的比例，使每个汇总都能说明“m 个中的 n 个”。Coverage per is_demo, year and region: units and counties reporting against those in scope (reporting in any year) and the reference count of counties (nationally: of the provinces that report), reports and the share with each key field present ("n of m").';
COMMENT ON COLUMN v_coverage.region_level IS '地区层级：national 全国，province 省，city 市。Region level: national, province, city.';
COMMENT ON COLUMN v_coverage.province IS '省级行政区（全国层级为空）。Province (NULL at the national level).';
COMMENT ON COLUMN v_coverage.city IS '地级市（全国、省层级为空）。City (NULL at the national and province levels).';
COMMENT ON COLUMN v_coverage.units_reporting IS '有当前评价的单位数（个）。Units with a current evaluation (count).';
COMMENT ON COLUMN v_coverage.counties_reporting IS '有当前评价的县级区划数（按行政区划代码去重，个）。County-level divisions with a current evaluation (distinct admin codes).';
COMMENT ON COLUMN v_coverage.counties_expected IS '该地区该年度有效的县级区划数（区划参考表，未载入时为空）；全国层级只计任一年度有报告的省份的县区。County-level divisions valid in the region and year (region reference; NULL when absent); nationally, of the provinces that report in any year only.';
COMMENT ON COLUMN v_coverage.counties_reporting_pct IS '县级区划报告率 = 报告县区数 ÷ 应报县区数 × 100（百分点）。Counties reporting / counties expected × 100 (percentage points).';
COMMENT ON COLUMN v_coverage.units_in_scope IS '范围内的单位数：该地区任一年度有当前评价的单位（同为真实或同为演示，个）。Units in scope: units of the region with a current evaluation in any year (same is_demo; count).';
COMMENT ON COLUMN v_coverage.units_reporting_pct IS '单位报告率 = 报告单位数 ÷ 范围内的单位数 × 100（百分点）。Units reporting / units in scope × 100 (percentage points).';
COMMENT ON COLUMN v_coverage.counties_in_scope IS '范围内的县区数：该地区任一年度有当前评价的县级区划（按行政区划代码去重，同为真实或同为演示，个）。Counties in scope: county-level divisions of the region with a current evaluation in any year (distinct admin codes, same is_demo).';
COMMENT ON COLUMN v_coverage.counties_in_scope_pct IS '范围内县区报告率 = 报告县区数 ÷ 范围内的县区数 × 100（百分点）：年度×地区覆盖网格的格值。Counties reporting / counties in scope × 100 (percentage points): the cell of the year × region coverage grid.';
COMMENT ON COLUMN v_coverage.reports IS '当前评价数（个）。Current evaluations (count).';
COMMENT ON COLUMN v_coverage.reports_department_overall IS '部门整体支出评价数（个）。Department-wide evaluations (count).';
COMMENT ON COLUMN v_coverage.reports_project IS '项目支出评价数（个）。Project evaluations (count).';
COMMENT ON COLUMN v_coverage.reports_self IS '单位自评数（个）。Self-evaluations (count).';
COMMENT ON COLUMN v_coverage.reports_external IS '外部评价数（部门、财政、第三方，个）。External evaluations (department, finance, third party; count).';
COMMENT ON COLUMN v_coverage.with_total_score IS '有总分的评价数（个）。Evaluations with a total score (count).';
COMMENT ON COLUMN v_coverage.with_total_score_pct IS '有总分的评价占比（百分点）。Share with a total score (percentage points).';
COMMENT ON COLUMN v_coverage.with_grade IS '有等次的评价数（个）。Evaluations with a grade (count).';
COMMENT ON COLUMN v_coverage.with_grade_pct IS '有等次的评价占比（百分点）。Share with a grade (percentage points).';
COMMENT ON COLUMN v_coverage.with_budget_exec IS '有预算执行率的评价数（个）。Evaluations with budget execution (count).';
COMMENT ON COLUMN v_coverage.with_budget_exec_pct IS '有预算执行率的评价占比（百分点）。Share with budget execution (percentage points).';
COMMENT ON COLUMN v_coverage.with_procurement_exec IS '有政府采购执行率的评价数（个）。Evaluations with procurement execution (count).';
COMMENT ON COLUMN v_coverage.with_procurement_exec_pct IS '有政府采购执行率的评价占比（百分点）。Share with procurement execution (percentage points).';
COMMENT ON COLUMN v_coverage.with_three_public IS '有“三公”控制率的评价数（个）。Evaluations with a three-public control rate (count).';
COMMENT ON COLUMN v_coverage.with_three_public_pct IS '有“三公”控制率的评价占比（百分点）。Share with a three-public control rate (percentage points).';
COMMENT ON COLUMN v_coverage.with_satisfaction IS '有满意度的评价数（个）。Evaluations with satisfaction (count).';
COMMENT ON COLUMN v_coverage.with_satisfaction_pct IS '有满意度的评价占比（百分点）。Share with satisfaction (percentage points).';
COMMENT ON COLUMN v_coverage.with_indicators IS '有指标表的评价数（个）。Evaluations with indicator rows (count).';
COMMENT ON COLUMN v_coverage.with_indicators_pct IS '有指标表的评价占比（百分点）。Share with indicator rows (percentage points).';
COMMENT ON COLUMN v_coverage.with_error_flags IS '有 error 级质量标记的评价数（个）。Evaluations with an error-severity flag (count).';
