-- mv_indicator_losses: 失分指标（载入时物化）/ every scored indicator that lost points, computed once per load.
-- Grain 粒度: one row per leaf indicator of a current evaluation whose score is below its own weight
-- (rows sharing a merged weight cell are left out), exactly the rows of v_indicator_losses, which
-- publishes this table. Derived: rebuilt at the end of every load that writes (query in
-- sql/materialize/180_mv_indicator_losses.sql). Stored by is_demo, year and region, so a query for
-- one province and year reads a few blocks instead of the millions of rows of indicator.
CREATE TABLE IF NOT EXISTS mv_indicator_losses (
    evaluation_id   INTEGER NOT NULL,
    fiscal_year     INTEGER,
    province        VARCHAR,
    city            VARCHAR,
    county          VARCHAR,
    admin_code      VARCHAR,
    unit_name       VARCHAR,
    report_kind     VARCHAR,
    project_name    VARCHAR,
    evaluation_mode VARCHAR,
    is_demo         BOOLEAN,
    framework       VARCHAR,
    indicator_no    INTEGER NOT NULL,
    level           INTEGER,
    level1          VARCHAR,
    level2          VARCHAR,
    level3          VARCHAR,
    dimension       VARCHAR,
    weight          DECIMAL(9,4),
    score           DECIMAL(9,4),
    points_lost     DECIMAL(9,4),
    score_rate_pct  DECIMAL(18,4),
    target_raw      VARCHAR,
    actual_raw      VARCHAR,
    met             BOOLEAN,
    reason          VARCHAR,
    rule            VARCHAR,
    line            INTEGER,
    file_id         INTEGER
);
COMMENT ON TABLE mv_indicator_losses IS '失分指标（载入时物化）：每项当前评价中得分低于分值的末级指标一行，按是否演示、年度和地区存放，每次载入结束时重建，v_indicator_losses 发布它。Materialized indicator losses: one row per leaf indicator of a current evaluation that lost points, stored by is_demo, year and region, rebuilt at the end of every load; published by v_indicator_losses.';
