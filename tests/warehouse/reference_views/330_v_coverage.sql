-- v_coverage: 覆盖率 / how many units reported, and how complete their reports are.
-- Grain 粒度: one row per is_demo, fiscal year and region (national / province / city) with at
-- least one current evaluation. counties_expected comes from the region reference (NULL when it
-- is not loaded), so every aggregate can say "n of m". Shares are of the reports in the row.
-- Since the cockpit (issue 14): units and counties in scope (reporting in any year) and their
-- shares; the nation's counties_expected counts the provinces that report only.
CREATE OR REPLACE VIEW v_coverage AS
WITH reported AS (
    SELECT
        is_demo,
        fiscal_year,
        CASE
            WHEN grouping(city) = 0 THEN 'city'
            WHEN grouping(province) = 0 THEN 'province'
            ELSE 'national'
        END                                                              AS region_level,
        province,
        city,
        count(DISTINCT unit_id)                                          AS units_reporting,
        count(DISTINCT admin_code)                                       AS counties_reporting,
        count(*)                                                         AS reports,
        count(*) FILTER (WHERE report_kind = 'department_overall')       AS reports_department_overall,
        count(*) FILTER (WHERE report_kind = 'project')                  AS reports_project,
        count(*) FILTER (WHERE evaluation_mode = 'self')                 AS reports_self,
        count(*) FILTER (WHERE evaluation_mode IN ('department', 'finance', 'third_party'))
                                                                         AS reports_external,
        count(total_score)                                               AS with_total_score,
        count(grade)                                                     AS with_grade,
        count(budget_exec_pct)                                           AS with_budget_exec,
        count(procurement_exec_pct)                                      AS with_procurement_exec,
        count(three_public_control_pct)                                  AS with_three_public,
        count(satisfaction_pct)                                          AS with_satisfaction,
        count(*) FILTER (WHERE indicator_count > 0)                      AS with_indicators,
        count(*) FILTER (WHERE error_flag_count > 0)                     AS with_error_flags
    FROM v_evaluation
    WHERE document_kind = 'evaluation'
    GROUP BY is_demo, fiscal_year, ROLLUP (province, city)
),

in_scope AS (  -- the units and counties of each region that report in any year
    SELECT
        is_demo,
        CASE
            WHEN grouping(city) = 0 THEN 'city'
            WHEN grouping(province) = 0 THEN 'province'
            ELSE 'national'
        END                                                              AS region_level,
        province,
        city,
        count(DISTINCT unit_id)                                          AS units_in_scope,
        count(DISTINCT admin_code)                                       AS counties_in_scope
    FROM v_evaluation
    WHERE document_kind = 'evaluation'
    GROUP BY is_demo, ROLLUP (province, city)
),

provinces_reporting AS (  -- the nation's denominator counts the counties of these provinces only
    SELECT DISTINCT is_demo, province FROM v_evaluation WHERE document_kind = 'evaluation' AND province IS NOT NULL
),

years AS (
    SELECT DISTINCT fiscal_year FROM v_evaluation WHERE fiscal_year IS NOT NULL AND document_kind = 'evaluation'
),

expected AS (
    SELECT
        y.fiscal_year,
        CASE
            WHEN grouping(r.city) = 0 THEN 'city'
            WHEN grouping(r.province) = 0 THEN 'province'
            ELSE 'national'
        END                                                              AS region_level,
        r.province,
        r.city,
        count(*)                                                         AS counties_expected
    FROM years AS y
    JOIN region AS r
        ON r.level = 'county'
       AND (r.valid_from IS NULL OR r.valid_from <= y.fiscal_year)
       AND (r.valid_to IS NULL OR y.fiscal_year <= r.valid_to)
    GROUP BY y.fiscal_year, ROLLUP (r.province, r.city)
),

final AS (
    SELECT
        c.is_demo,
        c.fiscal_year,
        c.region_level,
        c.province,
        c.city,
        CAST(c.units_reporting AS INTEGER)                               AS units_reporting,
        CAST(c.counties_reporting AS INTEGER)                            AS counties_reporting,
        CAST(x.counties_expected AS INTEGER)                             AS counties_expected,
        CAST(round(100.0 * c.counties_reporting / nullif(x.counties_expected, 0), 4) AS DECIMAL(18,4))
                                                                         AS counties_reporting_pct,
        CAST(s.units_in_scope AS INTEGER)                                AS units_in_scope,
        CAST(round(100.0 * c.units_reporting / nullif(s.units_in_scope, 0), 4) AS DECIMAL(18,4))
                                                                         AS units_reporting_pct,
        CAST(s.counties_in_scope AS INTEGER)                             AS counties_in_scope,
        CAST(round(100.0 * c.counties_reporting / nullif(s.counties_in_scope, 0), 4) AS DECIMAL(18,4))
                                                                         AS counties_in_scope_pct,
        CAST(c.reports AS INTEGER)                                       AS reports,
        CAST(c.reports_department_overall AS INTEGER)                    AS reports_department_overall,
        CAST(c.reports_project AS INTEGER)                               AS reports_project,
        CAST(c.reports_self AS INTEGER)                                  AS reports_self,
        CAST(c.reports_external AS INTEGER)                              AS reports_external,
        CAST(c.with_total_score AS INTEGER)                              AS with_total_score,
        CAST(round(100.0 * c.with_total_score / c.reports, 4) AS DECIMAL(18,4))      AS with_total_score_pct,
        CAST(c.with_grade AS INTEGER)                                    AS with_grade,
        CAST(round(100.0 * c.with_grade / c.reports, 4) AS DECIMAL(18,4))            AS with_grade_pct,
        CAST(c.with_budget_exec AS INTEGER)                              AS with_budget_exec,
        CAST(round(100.0 * c.with_budget_exec / c.reports, 4) AS DECIMAL(18,4))      AS with_budget_exec_pct,
        CAST(c.with_procurement_exec AS INTEGER)                         AS with_procurement_exec,
        CAST(round(100.0 * c.with_procurement_exec / c.reports, 4) AS DECIMAL(18,4)) AS with_procurement_exec_pct,
        CAST(c.with_three_public AS INTEGER)                             AS with_three_public,
        CAST(round(100.0 * c.with_three_public / c.reports, 4) AS DECIMAL(18,4))     AS with_three_public_pct,
        CAST(c.with_satisfaction AS INTEGER)                             AS with_satisfaction,
        CAST(round(100.0 * c.with_satisfaction / c.reports, 4) AS DECIMAL(18,4))     AS with_satisfaction_pct,
        CAST(c.with_indicators AS INTEGER)                               AS with_indicators,
        CAST(round(100.0 * c.with_indicators / c.reports, 4) AS DECIMAL(18,4))       AS with_indicators_pct,
        CAST(c.with_error_flags AS INTEGER)                              AS with_error_flags
    FROM reported AS c
    LEFT JOIN (
        SELECT CAST(NULL AS BOOLEAN) AS is_demo, fiscal_year, region_level, province, city, counties_expected
        FROM expected WHERE region_level <> 'national'
        UNION ALL  -- the nation: the counties of the provinces that report (of this is_demo)
        SELECT p.is_demo, x.fiscal_year, 'national', NULL, NULL, CAST(sum(x.counties_expected) AS BIGINT)
        FROM expected AS x JOIN provinces_reporting AS p USING (province)
        WHERE x.region_level = 'province'
        GROUP BY p.is_demo, x.fiscal_year
    ) AS x
        ON x.fiscal_year = c.fiscal_year
       AND x.region_level = c.region_level
       AND x.province IS NOT DISTINCT FROM c.province
       AND x.city IS NOT DISTINCT FROM c.city
       AND (x.is_demo IS NULL OR x.is_demo = c.is_demo)
    LEFT JOIN in_scope AS s
        ON s.is_demo = c.is_demo
       AND s.region_level = c.region_level
       AND s.province IS NOT DISTINCT FROM c.province
       AND s.city IS NOT DISTINCT FROM c.city
)

SELECT * FROM final;
COMMENT ON VIEW v_coverage IS '覆盖率：按是否演示、年度和地区（全国/省/市）统计报告单位数、应报县区数（来自区划参考表）、报告数及各关键字段齐全的比例，使每个汇总都能说明“m 个中的 n 个”。Coverage per is_demo, year and region: units reporting, counties expected (from the region reference), reports and the share with each key field present ("n of m").';
COMMENT ON COLUMN v_coverage.region_level IS '地区层级：national 全国，province 省，city 市。Region level: national, province, city.';
COMMENT ON COLUMN v_coverage.province IS '省级行政区（全国层级为空）。Province (NULL at the national level).';
COMMENT ON COLUMN v_coverage.city IS '地级市（全国、省层级为空）。City (NULL at the national and province levels).';
COMMENT ON COLUMN v_coverage.units_reporting IS '有当前评价的单位数（个）。Units with a current evaluation (count).';
COMMENT ON COLUMN v_coverage.counties_reporting IS '有当前评价的县级区划数（按行政区划代码去重，个）。County-level divisions with a current evaluation (distinct admin codes).';
COMMENT ON COLUMN v_coverage.counties_expected IS '该地区该年度有效的县级区划数（区划参考表，未载入时为空）。County-level divisions valid in the region and year (region reference; NULL when absent).';
COMMENT ON COLUMN v_coverage.counties_reporting_pct IS '县级区划报告率 = 报告县区数 ÷ 应报县区数 × 100（百分点）。Counties reporting / counties expected × 100 (percentage points).';
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
