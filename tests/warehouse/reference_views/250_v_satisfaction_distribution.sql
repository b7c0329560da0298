-- v_satisfaction_distribution: 满意度分布 / how satisfaction is spread across evaluations.
-- Grain 粒度: one row per is_demo, fiscal year, region (national / province / city), report kind
-- and evaluation mode, where report_kind = 'all' and evaluation_mode = 'all' are the totals over
-- every kind and mode. One observation per current evaluation (v_evaluation.satisfaction_pct), so
-- a unit with several respondent groups counts once. Demo and real data are never pooled.
CREATE OR REPLACE VIEW v_satisfaction_distribution AS
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

SELECT * FROM final;
COMMENT ON VIEW v_satisfaction_distribution IS '满意度分布：按是否演示、年度、地区层级（全国/省/市）、报告类型和评价方式（all 表示合计）统计当前评价满意度的个数、最小值、P10、P25、中位数、P75、P90、最大值、均值和低于 90% 的占比。Satisfaction distribution per is_demo, year, region level, kind and mode (all = total): count, min, p10, p25, median, p75, p90, max, mean, share below 90%.';
COMMENT ON COLUMN v_satisfaction_distribution.region_level IS '地区层级：national 全国，province 省，city 市。Region level: national, province, city.';
COMMENT ON COLUMN v_satisfaction_distribution.province IS '省级行政区（全国层级为空）。Province (NULL at the national level).';
COMMENT ON COLUMN v_satisfaction_distribution.city IS '地级市（全国、省层级为空）。City (NULL at the national and province levels).';
COMMENT ON COLUMN v_satisfaction_distribution.report_kind IS '报告类型；all 表示全部类型合计。Report kind; all = every kind.';
COMMENT ON COLUMN v_satisfaction_distribution.evaluation_mode IS '评价方式；all 表示全部方式合计。Evaluation mode; all = every mode.';
COMMENT ON COLUMN v_satisfaction_distribution.n IS '有满意度的评价数（个）。Evaluations with a satisfaction figure (count).';
COMMENT ON COLUMN v_satisfaction_distribution.min_pct IS '最小值（百分点）。Minimum (percentage points).';
COMMENT ON COLUMN v_satisfaction_distribution.p10_pct IS '第 10 百分位数（百分点，线性插值）。10th percentile (percentage points, interpolated).';
COMMENT ON COLUMN v_satisfaction_distribution.p25_pct IS '第 25 百分位数（百分点）。25th percentile (percentage points).';
COMMENT ON COLUMN v_satisfaction_distribution.median_pct IS '中位数（百分点）。Median (percentage points).';
COMMENT ON COLUMN v_satisfaction_distribution.p75_pct IS '第 75 百分位数（百分点）。75th percentile (percentage points).';
COMMENT ON COLUMN v_satisfaction_distribution.p90_pct IS '第 90 百分位数（百分点）。90th percentile (percentage points).';
COMMENT ON COLUMN v_satisfaction_distribution.max_pct IS '最大值（百分点）。Maximum (percentage points).';
COMMENT ON COLUMN v_satisfaction_distribution.mean_pct IS '均值（百分点）。Mean (percentage points).';
COMMENT ON COLUMN v_satisfaction_distribution.n_below_90 IS '满意度低于 90% 的评价数（个）。Evaluations below 90% (count).';
COMMENT ON COLUMN v_satisfaction_distribution.share_below_90_pct IS '满意度低于 90% 的评价占比（百分点）。Share of evaluations below 90% (percentage points).';
