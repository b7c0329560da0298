-- mv_peer_rank: fill 填充 / rank, percentile and median of every current evaluation's metrics among
-- its peers: same is_demo, fiscal year, report kind and metric, within the city, the province and
-- the nation. Rank 1 = highest value (ties share a rank); percentile = share of the other peers with
-- a lower value (0-100). Whether higher is better depends on the metric.
-- Only evaluations are ranked (document_kind = 'evaluation'): a 决算 page or a rubric is no peer.
-- Grain 粒度: one row per current evaluation and metric it has. Reads v_evaluation (mv_evaluation).
INSERT INTO mv_peer_rank BY NAME
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

SELECT * FROM final ORDER BY metric, fiscal_year, is_demo, province, city, value DESC, evaluation_id;
