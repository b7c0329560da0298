-- mv_satisfaction_distribution: fill 填充 / count, min, p10, p25, median, p75, p90, max, mean and the
-- share below 90% of satisfaction, one observation per current evaluation (v_evaluation.satisfaction_pct),
-- so a unit with several respondent groups counts once; evaluations only (document_kind).
-- Demo and real data are never pooled.
-- Grain 粒度: one row per is_demo, fiscal year, region, report kind and evaluation mode ('all' = total).
INSERT INTO mv_satisfaction_distribution BY NAME
WITH observations AS (
    SELECT is_demo, fiscal_year, province, city, report_kind, evaluation_mode, satisfaction_pct AS pct
    FROM v_evaluation
    WHERE satisfaction_pct IS NOT NULL AND document_kind = 'evaluation'
),

grouped AS (
    SELECT
        is_demo,
        fiscal_year,
        CASE
            WHEN grouping(city) = 0 THEN 'city'
            WHEN grouping(province) = 0 THEN 'province'
            ELSE 'national'
        END                                                         AS region_level,
        province,
        city,
        CASE WHEN grouping(report_kind) = 0 THEN report_kind ELSE 'all' END         AS report_kind,
        CASE WHEN grouping(evaluation_mode) = 0 THEN evaluation_mode ELSE 'all' END AS evaluation_mode,
        count(*)                                                    AS n,
        min(pct)                                                    AS min_pct,
        quantile_cont(pct, 0.10)                                    AS p10_pct,
        quantile_cont(pct, 0.25)                                    AS p25_pct,
        quantile_cont(pct, 0.50)                                    AS median_pct,
        quantile_cont(pct, 0.75)                                    AS p75_pct,
        quantile_cont(pct, 0.90)                                    AS p90_pct,
        max(pct)                                                    AS max_pct,
        avg(pct)                                                    AS mean_pct,
        count(*) FILTER (WHERE pct < 90)                            AS n_below_90
    FROM observations
    GROUP BY is_demo, fiscal_year, ROLLUP (province, city), CUBE (report_kind, evaluation_mode)
),

final AS (
    SELECT
        is_demo,
        fiscal_year,
        region_level,
        province,
        city,
        report_kind,
        evaluation_mode,
        CAST(n AS INTEGER)                                          AS n,
        CAST(min_pct AS DECIMAL(18,4))                              AS min_pct,
        CAST(round(p10_pct, 4) AS DECIMAL(18,4))                    AS p10_pct,
        CAST(round(p25_pct, 4) AS DECIMAL(18,4))                    AS p25_pct,
        CAST(round(median_pct, 4) AS DECIMAL(18,4))                 AS median_pct,
        CAST(round(p75_pct, 4) AS DECIMAL(18,4))                    AS p75_pct,
        CAST(round(p90_pct, 4) AS DECIMAL(18,4))                    AS p90_pct,
        CAST(max_pct AS DECIMAL(18,4))                              AS max_pct,
        CAST(round(mean_pct, 4) AS DECIMAL(18,4))                   AS mean_pct,
        CAST(n_below_90 AS INTEGER)                                 AS n_below_90,
        CAST(round(100.0 * n_below_90 / n, 4) AS DECIMAL(18,4))     AS share_below_90_pct
    FROM grouped
)

SELECT * FROM final
ORDER BY is_demo, fiscal_year, CASE region_level WHEN 'national' THEN 1 WHEN 'province' THEN 2 ELSE 3 END,
         province, city, report_kind, evaluation_mode;
