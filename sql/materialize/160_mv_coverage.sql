-- mv_coverage: fill 填充 / per is_demo, year and region: units and counties reporting, against the
-- units and counties in scope (those of the region reporting in any year) and the counties expected
-- (from the region reference; NULL when it is not loaded; nationally only the counties of the
-- provinces that report, so the nation is never measured against every county in China), reports
-- and the share with each key field.
-- Grain 粒度: one row per is_demo, fiscal year and region (national / province / city) with at least
-- one current evaluation. Reads v_evaluation (mv_evaluation) and region; counts evaluations only
-- (document_kind = 'evaluation'): a 决算 page is no report of the units' performance.
INSERT INTO mv_coverage BY NAME
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

SELECT * FROM final
ORDER BY is_demo, fiscal_year, CASE region_level WHEN 'national' THEN 1 WHEN 'province' THEN 2 ELSE 3 END,
         province, city;
