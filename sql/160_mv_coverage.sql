-- mv_coverage: 覆盖率（载入时物化）/ units reporting and the completeness of their reports, computed once per load.
-- Grain 粒度: one row per is_demo, fiscal year and region (national / province / city) with at
-- least one current evaluation, exactly the rows of v_coverage, which publishes this table. Derived:
-- rebuilt at the end of every load that writes (query in sql/materialize/160_mv_coverage.sql).
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
COMMENT ON TABLE mv_coverage IS '覆盖率（载入时物化）：按是否演示、年度和地区（全国/省/市）统计的报告单位数、应报县区数和关键字段齐全的比例，每次载入结束时重建，v_coverage 发布它。Materialized coverage per is_demo, year and region, rebuilt at the end of every load; published by v_coverage.';
