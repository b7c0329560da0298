-- mv_peer_rank: 同类排名（载入时物化）/ where each evaluation stands among its peers, computed once per load.
-- Grain 粒度: one row per current evaluation (document_kind = 'evaluation' only) and metric it has (total_score, budget_exec_pct,
-- procurement_exec_pct, three_public_control_pct, satisfaction_pct). Derived: rebuilt at the end of
-- every load that writes (query in sql/materialize/140_mv_peer_rank.sql). Ranks are taken among
-- all peers before any filter, so a page that shows one province still shows national ranks; rows
-- are stored by metric and year, so reading one metric and year skips the rest of the table.
CREATE TABLE IF NOT EXISTS mv_peer_rank (
    evaluation_id          INTEGER NOT NULL,
    fiscal_year            INTEGER,
    province               VARCHAR,
    city                   VARCHAR,
    county                 VARCHAR,
    admin_code             VARCHAR,
    unit_name              VARCHAR,
    report_kind            VARCHAR,
    project_name           VARCHAR,
    evaluation_mode        VARCHAR,
    is_demo                BOOLEAN,
    metric                 VARCHAR NOT NULL,
    unit                   VARCHAR,
    value                  DECIMAL(18,4),
    rank_in_city           INTEGER,
    peers_in_city          INTEGER,
    percentile_in_city     DECIMAL(9,4),
    median_in_city         DECIMAL(18,4),
    rank_in_province       INTEGER,
    peers_in_province      INTEGER,
    percentile_in_province DECIMAL(9,4),
    median_in_province     DECIMAL(18,4),
    rank_national          INTEGER,
    peers_national         INTEGER,
    percentile_national    DECIMAL(9,4),
    median_national        DECIMAL(18,4)
);
COMMENT ON TABLE mv_peer_rank IS '同类排名（载入时物化）：每项当前评价每个指标一行，名次、百分位和中位数在全部同类中先算好（每次载入结束时重建），v_peer_rank 发布它。Materialized peer ranks: one row per current evaluation and metric, ranked among all peers once per load; published by v_peer_rank.';
