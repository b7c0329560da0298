-- mv_coverage: 覆盖率（载入时物化）/ units reporting and the completeness of their reports, computed once per load.
-- Grain 粒度: one row per is_demo, fiscal year and region (national / province / city) with at
-- least one current evaluation, exactly the rows of v_coverage, which publishes this table. Coverage
-- is measured against the regions in scope: the counties and units of the region that report in
-- any year (counties_in_scope, units_in_scope), and the reference's county count of the region
-- (nationally: of the provinces that report, not of every county in China). Derived: rebuilt at
-- the end of every load that writes (query in sql/materialize/160_mv_coverage.sql).
CREATE TABLE IF NOT EXISTS mv_coverage (
    is_demo                    BOOLEAN,
    fiscal_year                INTEGER,
    region_level               VARCHAR,
    province                   VARCHAR,
    city                       VARCHAR,
    units_reporting            INTEGER,
    counties_reporting         INTEGER,
    counties_expected          INTEGER,
    counties_reporting_pct     DECIMAL(18,4),
    units_in_scope             INTEGER,
    units_reporting_pct        DECIMAL(18,4),
    counties_in_scope          INTEGER,
    counties_in_scope_pct      DECIMAL(18,4),
    reports                    INTEGER,
    reports_department_overall INTEGER,
    reports_project            INTEGER,
    reports_self               INTEGER,
    reports_external           INTEGER,
    with_total_score           INTEGER,
    with_total_score_pct       DECIMAL(18,4),
    with_grade                 INTEGER,
    with_grade_pct             DECIMAL(18,4),
    with_budget_exec           INTEGER,
    with_budget_exec_pct       DECIMAL(18,4),
    with_procurement_exec      INTEGER,
    with_procurement_exec_pct  DECIMAL(18,4),
    with_three_public          INTEGER,
    with_three_public_pct      DECIMAL(18,4),
    with_satisfaction          INTEGER,
    with_satisfaction_pct      DECIMAL(18,4),
    with_indicators            INTEGER,
    with_indicators_pct        DECIMAL(18,4),
    with_error_flags           INTEGER
);
COMMENT ON TABLE mv_coverage IS '覆盖率（载入时物化）：按是否演示、年度和地区（全国/省/市）统计的报告单位数与县区数，对照范围内的单位和县区（任一年度报告过的）与区划参考表的县区数（全国层级只计有报告的省份），以及关键字段齐全的比例；每次载入结束时重建，v_coverage 发布它。Materialized coverage per is_demo, year and region against the units and counties in scope (reporting in any year) and the reference count of counties (nationally: of the provinces that report); rebuilt at the end of every load; published by v_coverage.';
