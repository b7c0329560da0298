-- mv_satisfaction_distribution: 满意度分布（载入时物化）/ how satisfaction is spread, computed once per load.
-- Grain 粒度: one row per is_demo, fiscal year, region (national / province / city), report kind and
-- evaluation mode ('all' = total), exactly the rows of v_satisfaction_distribution, which publishes
-- this table. Derived: rebuilt at the end of every load that writes (query in
-- sql/materialize/170_mv_satisfaction_distribution.sql).
CREATE TABLE IF NOT EXISTS mv_satisfaction_distribution (
    is_demo            BOOLEAN,
    fiscal_year        INTEGER,
    region_level       VARCHAR,
    province           VARCHAR,
    city               VARCHAR,
    report_kind        VARCHAR,
    evaluation_mode    VARCHAR,
    n                  INTEGER,
    min_pct            DECIMAL(18,4),
    p10_pct            DECIMAL(18,4),
    p25_pct            DECIMAL(18,4),
    median_pct         DECIMAL(18,4),
    p75_pct            DECIMAL(18,4),
    p90_pct            DECIMAL(18,4),
    max_pct            DECIMAL(18,4),
    mean_pct           DECIMAL(18,4),
    n_below_90         INTEGER,
    share_below_90_pct DECIMAL(18,4)
);
COMMENT ON TABLE mv_satisfaction_distribution IS '满意度分布（载入时物化）：按是否演示、年度、地区层级、报告类型和评价方式统计的当前评价满意度分位数，每次载入结束时重建，v_satisfaction_distribution 发布它。Materialized satisfaction distribution, rebuilt at the end of every load; published by v_satisfaction_distribution.';
