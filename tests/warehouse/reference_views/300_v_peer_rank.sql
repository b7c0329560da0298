-- v_peer_rank: 同类排名 / where each evaluation stands among its peers, metric by metric.
-- Grain 粒度: one row per current evaluation and metric it has (total_score, budget_exec_pct,
-- procurement_exec_pct, three_public_control_pct, satisfaction_pct). Peers: same is_demo, fiscal
-- year, report kind and metric, within the city, the province and the nation. Rank 1 = highest
-- value (ties share a rank); percentile = share of the other peers with a lower value (0-100).
-- Whether higher is better depends on the metric (an execution rate above 100 is an overspend).
CREATE OR REPLACE VIEW v_peer_rank AS
WITH metric_values AS (
    UNPIVOT (
        SELECT
            evaluation_id, fiscal_year, province, city, county, admin_code, unit_name,
            report_kind, project_name, evaluation_mode, is_demo,
            CAST(total_score AS DECIMAL(18,4))              AS total_score,
            CAST(budget_exec_pct AS DECIMAL(18,4))          AS budget_exec_pct,
            CAST(procurement_exec_pct AS DECIMAL(18,4))     AS procurement_exec_pct,
            CAST(three_public_control_pct AS DECIMAL(18,4)) AS three_public_control_pct,
            CAST(satisfaction_pct AS DECIMAL(18,4))         AS satisfaction_pct
        FROM v_evaluation
        WHERE document_kind = 'evaluation'
    )
    ON total_score, budget_exec_pct, procurement_exec_pct, three_public_control_pct, satisfaction_pct
    INTO NAME metric VALUE value
),

ranked AS (
    SELECT
        *,
        rank() OVER city_desc                  AS rank_in_city,
        count(*) OVER city_all                 AS peers_in_city,
        percent_rank() OVER city_asc           AS pr_city,
        median(value) OVER city_all            AS median_in_city,
        rank() OVER province_desc              AS rank_in_province,
        count(*) OVER province_all             AS peers_in_province,
        percent_rank() OVER province_asc       AS pr_province,
        median(value) OVER province_all        AS median_in_province,
        rank() OVER nation_desc                AS rank_national,
        count(*) OVER nation_all               AS peers_national,
        percent_rank() OVER nation_asc         AS pr_national,
        median(value) OVER nation_all          AS median_national
    FROM metric_values
    WINDOW
        city_all      AS (PARTITION BY is_demo, fiscal_year, report_kind, metric, province, city),
        city_desc     AS (PARTITION BY is_demo, fiscal_year, report_kind, metric, province, city ORDER BY value DESC),
        city_asc      AS (PARTITION BY is_demo, fiscal_year, report_kind, metric, province, city ORDER BY value ASC),
        province_all  AS (PARTITION BY is_demo, fiscal_year, report_kind, metric, province),
        province_desc AS (PARTITION BY is_demo, fiscal_year, report_kind, metric, province ORDER BY value DESC),
        province_asc  AS (PARTITION BY is_demo, fiscal_year, report_kind, metric, province ORDER BY value ASC),
        nation_all    AS (PARTITION BY is_demo, fiscal_year, report_kind, metric),
        nation_desc   AS (PARTITION BY is_demo, fiscal_year, report_kind, metric ORDER BY value DESC),
        nation_asc    AS (PARTITION BY is_demo, fiscal_year, report_kind, metric ORDER BY value ASC)
),

final AS (
    SELECT
        evaluation_id, fiscal_year, province, city, county, admin_code, unit_name,
        report_kind, project_name, evaluation_mode, is_demo,
        metric,
        CASE WHEN metric = 'total_score' THEN 'points' ELSE 'pct' END          AS unit,
        CAST(value AS DECIMAL(18,4))                                           AS value,
        CAST(rank_in_city AS INTEGER)                                          AS rank_in_city,
        CAST(peers_in_city AS INTEGER)                                         AS peers_in_city,
        CAST(round(100 * pr_city, 2) AS DECIMAL(9,4))                          AS percentile_in_city,
        CAST(median_in_city AS DECIMAL(18,4))                                  AS median_in_city,
        CAST(rank_in_province AS INTEGER)                                      AS rank_in_province,
        CAST(peers_in_province AS INTEGER)                                     AS peers_in_province,
        CAST(round(100 * pr_province, 2) AS DECIMAL(9,4))                      AS percentile_in_province,
        CAST(median_in_province AS DECIMAL(18,4))                              AS median_in_province,
        CAST(rank_national AS INTEGER)                                         AS rank_national,
        CAST(peers_national AS INTEGER)                                        AS peers_national,
        CAST(round(100 * pr_national, 2) AS DECIMAL(9,4))                      AS percentile_national,
        CAST(median_national AS DECIMAL(18,4))                                 AS median_national
    FROM ranked
)

SELECT * FROM final;
COMMENT ON VIEW v_peer_rank IS '同类排名：每项当前评价每个指标一行（总分、预算执行率、采购执行率、“三公”控制率、满意度），给出在同市、同省、全国同年同类报告中的名次、百分位和中位数。Peer rank: one row per current evaluation and metric: rank, percentile and median among peers (same year and kind) within the city, province and nation.';
COMMENT ON COLUMN v_peer_rank.evaluation_id IS '评价编号。Evaluation id.';
COMMENT ON COLUMN v_peer_rank.metric IS '指标：total_score 总分，budget_exec_pct 预算执行率，procurement_exec_pct 采购执行率，three_public_control_pct “三公”控制率，satisfaction_pct 满意度。Metric name.';
COMMENT ON COLUMN v_peer_rank.unit IS '数值单位：points 分，pct 百分点。Unit of value: points or percentage points.';
COMMENT ON COLUMN v_peer_rank.value IS '本评价的数值（比率取用于比较的值）。Value of this evaluation (rates: the value used for comparison).';
COMMENT ON COLUMN v_peer_rank.rank_in_city IS '市内同类名次（1 = 最高）。Rank among peers in the city (1 = highest).';
COMMENT ON COLUMN v_peer_rank.peers_in_city IS '市内同类报告数（个）。Peers in the city (count).';
COMMENT ON COLUMN v_peer_rank.percentile_in_city IS '市内百分位：数值低于本评价的其他同类占比（0-100）。Percentile in the city (0-100).';
COMMENT ON COLUMN v_peer_rank.median_in_city IS '市内同类中位数。Peer median in the city.';
COMMENT ON COLUMN v_peer_rank.rank_in_province IS '省内同类名次（1 = 最高）。Rank among peers in the province (1 = highest).';
COMMENT ON COLUMN v_peer_rank.peers_in_province IS '省内同类报告数（个）。Peers in the province (count).';
COMMENT ON COLUMN v_peer_rank.percentile_in_province IS '省内百分位（0-100）。Percentile in the province (0-100).';
COMMENT ON COLUMN v_peer_rank.median_in_province IS '省内同类中位数。Peer median in the province.';
COMMENT ON COLUMN v_peer_rank.rank_national IS '全国同类名次（1 = 最高）。National rank among peers (1 = highest).';
COMMENT ON COLUMN v_peer_rank.peers_national IS '全国同类报告数（个）。National peers (count).';
COMMENT ON COLUMN v_peer_rank.percentile_national IS '全国百分位（0-100）。National percentile (0-100).';
COMMENT ON COLUMN v_peer_rank.median_national IS '全国同类中位数。National peer median.';
