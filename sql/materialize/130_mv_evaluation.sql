-- mv_evaluation: fill 填充 / the current evaluations with their metrics pivoted (what v_evaluation
-- used to compute per query), the previous year's evaluation and the score rate per dimension.
-- Grain 粒度: one row per current evaluation. Reads the base tables only. Stated rates are kept as
-- stated (*_pct_stated); each is also recomputed from its parts (*_pct_recomputed), and the
-- unsuffixed rate, used for bands, ranks and trends, is the recomputed one when its parts are
-- stated and the stated one otherwise. Money in 元, rates in percentage points.
INSERT INTO mv_evaluation BY NAME
WITH metric_wide AS (
    SELECT
        evaluation_id,
        max(value) FILTER (WHERE metric = 'budget_initial_yuan')                   AS budget_initial_yuan,
        max(value) FILTER (WHERE metric = 'budget_adjusted_yuan')                  AS budget_adjusted_yuan,
        max(value) FILTER (WHERE metric = 'expenditure_yuan')                      AS expenditure_yuan,
        max(value) FILTER (WHERE metric = 'budget_exec_pct')                       AS budget_exec_pct_stated,
        max(value) FILTER (WHERE metric = 'revenue_total_yuan')                    AS revenue_total_yuan,
        max(value) FILTER (WHERE metric = 'exp_basic_yuan')                        AS exp_basic_yuan,
        max(value) FILTER (WHERE metric = 'exp_personnel_yuan')                    AS exp_personnel_yuan,
        max(value) FILTER (WHERE metric = 'exp_public_operating_yuan')             AS exp_public_operating_yuan,
        max(value) FILTER (WHERE metric = 'exp_project_yuan')                      AS exp_project_yuan,
        max(value) FILTER (WHERE metric = 'procurement_budget_yuan')               AS procurement_budget_yuan,
        max(value) FILTER (WHERE metric = 'procurement_actual_yuan')               AS procurement_actual_yuan,
        max(value) FILTER (WHERE metric = 'procurement_exec_pct')                  AS procurement_exec_pct_stated,
        max(value) FILTER (WHERE metric = 'three_public_budget_yuan')              AS three_public_budget_yuan,
        max(value) FILTER (WHERE metric = 'three_public_actual_yuan')              AS three_public_actual_yuan,
        max(value) FILTER (WHERE metric = 'three_public_control_pct')              AS three_public_control_pct_stated,
        max(value) FILTER (WHERE metric = 'headcount_authorised')                  AS headcount_authorised,
        max(value) FILTER (WHERE metric = 'headcount_actual')                      AS headcount_actual,
        max(value) FILTER (WHERE metric = 'fixed_assets_yuan')                     AS fixed_assets_yuan,
        max(value) FILTER (WHERE metric = 'satisfaction_pct')                      AS satisfaction_pct_stated,
        max(value) FILTER (WHERE metric = 'official_reception_yuan')               AS official_reception_yuan,
        max(value) FILTER (WHERE metric = 'vehicle_operation_yuan')                AS vehicle_operation_yuan,
        max(value) FILTER (WHERE metric = 'vehicle_purchase_yuan')                 AS vehicle_purchase_yuan,
        max(value) FILTER (WHERE metric = 'overseas_travel_yuan')                  AS overseas_travel_yuan
    FROM metric
    WHERE evaluation_id IN (SELECT evaluation_id FROM evaluation WHERE is_current)
    GROUP BY evaluation_id
),

satisfaction_summary AS (
    -- The weighted mean needs every figure's weight; otherwise the plain mean.
    SELECT
        evaluation_id,
        CASE
            WHEN count(weight) = count(*) AND sum(weight) > 0 THEN sum(pct * weight) / sum(weight)
            ELSE avg(pct)
        END AS satisfaction_mean_pct,
        CASE WHEN count(weight) = count(*) AND sum(weight) > 0 THEN 'weighted_mean' ELSE 'mean' END
            AS satisfaction_basis
    FROM satisfaction
    WHERE pct IS NOT NULL
    GROUP BY evaluation_id
),

dimension_rates AS (
    -- The same rate as v_dimension_scores.score_rate_pct, one column per canonical dimension.
    SELECT
        evaluation_id,
        max(rate) FILTER (WHERE dimension = 'decision')     AS decision_rate_pct,
        max(rate) FILTER (WHERE dimension = 'process')      AS process_rate_pct,
        max(rate) FILTER (WHERE dimension = 'output')       AS output_rate_pct,
        max(rate) FILTER (WHERE dimension = 'outcome')      AS outcome_rate_pct,
        max(rate) FILTER (WHERE dimension = 'satisfaction') AS satisfaction_rate_pct
    FROM (
        SELECT evaluation_id, dimension,
               TRY_CAST(round(100 * score / nullif(weight, 0), 4) AS DECIMAL(18,4)) AS rate
        FROM dimension_score
    )
    GROUP BY evaluation_id
),

current_evaluation AS (
    SELECT * FROM evaluation WHERE is_current
),

previous AS (
    -- evaluation_key (subject, year, mode) is unique among current evaluations, so at most one.
    -- A document is followed only by one of its own kind (a 决算 by the year before's 决算).
    SELECT cur.evaluation_id, max(prev.evaluation_id) AS previous_evaluation_id
    FROM current_evaluation AS cur
    JOIN current_evaluation AS prev
        ON prev.subject_key = cur.subject_key
       AND prev.document_kind = cur.document_kind
       AND coalesce(prev.evaluation_mode, '') = coalesce(cur.evaluation_mode, '')
       AND prev.fiscal_year = cur.fiscal_year - 1
    GROUP BY cur.evaluation_id
),

joined AS (
    SELECT
        e.*,
        u.unit_name, u.province, u.city, u.county, u.admin_code,
        sf.path AS source_path, sf.family,
        m.* EXCLUDE (evaluation_id),
        s.satisfaction_mean_pct, s.satisfaction_basis,
        d.* EXCLUDE (evaluation_id),
        p.previous_evaluation_id,
        coalesce(m.budget_adjusted_yuan, m.budget_initial_yuan) AS budget_base_yuan,
        CASE
            WHEN m.budget_adjusted_yuan IS NOT NULL THEN 'adjusted'
            WHEN m.budget_initial_yuan IS NOT NULL THEN 'initial'
        END AS budget_base
    FROM current_evaluation AS e
    JOIN unit AS u USING (unit_id)
    JOIN source_file AS sf USING (sha256)
    LEFT JOIN metric_wide AS m USING (evaluation_id)
    LEFT JOIN satisfaction_summary AS s USING (evaluation_id)
    LEFT JOIN dimension_rates AS d USING (evaluation_id)
    LEFT JOIN previous AS p USING (evaluation_id)
),

recomputed AS (
    SELECT
        *,
        TRY_CAST(round(100 * expenditure_yuan / nullif(budget_base_yuan, 0), 4) AS DECIMAL(18,4))
            AS budget_exec_pct_recomputed,
        TRY_CAST(round(100 * procurement_actual_yuan / nullif(procurement_budget_yuan, 0), 4) AS DECIMAL(18,4))
            AS procurement_exec_pct_recomputed,
        TRY_CAST(round(100 * three_public_actual_yuan / nullif(three_public_budget_yuan, 0), 4) AS DECIMAL(18,4))
            AS three_public_control_pct_recomputed
    FROM joined
),

final AS (
    SELECT
        evaluation_id,
        fiscal_year,
        province,
        city,
        county,
        admin_code,
        unit_id,
        unit_name,
        document_kind,
        report_kind,
        project_name,
        evaluation_mode,
        is_demo,
        evaluator,
        report_date,
        framework,
        CAST(total_score AS DECIMAL(9,4))                                   AS total_score,
        grade_raw,
        grade,
        CASE
            WHEN document_kind <> 'evaluation' THEN NULL
            WHEN total_score >= 90 THEN '优'
            WHEN total_score >= 80 THEN '良'
            WHEN total_score >= 60 THEN '中'
            WHEN total_score IS NOT NULL THEN '差'
        END                                                                 AS grade_of_total,
        confidence,
        revision,
        subject_key,
        evaluation_key,
        sha256,
        file_id,
        source_path,
        family,
        CAST(budget_initial_yuan AS DECIMAL(18,2))                          AS budget_initial_yuan,
        CAST(budget_adjusted_yuan AS DECIMAL(18,2))                         AS budget_adjusted_yuan,
        CAST(expenditure_yuan AS DECIMAL(18,2))                             AS expenditure_yuan,
        budget_base,
        CAST(budget_exec_pct_stated AS DECIMAL(18,4))                       AS budget_exec_pct_stated,
        budget_exec_pct_recomputed,
        coalesce(budget_exec_pct_recomputed, CAST(budget_exec_pct_stated AS DECIMAL(18,4)))
                                                                            AS budget_exec_pct,
        CAST(revenue_total_yuan AS DECIMAL(18,2))                           AS revenue_total_yuan,
        CAST(exp_basic_yuan AS DECIMAL(18,2))                               AS exp_basic_yuan,
        CAST(exp_personnel_yuan AS DECIMAL(18,2))                           AS exp_personnel_yuan,
        CAST(exp_public_operating_yuan AS DECIMAL(18,2))                    AS exp_public_operating_yuan,
        CAST(exp_project_yuan AS DECIMAL(18,2))                             AS exp_project_yuan,
        CAST(procurement_budget_yuan AS DECIMAL(18,2))                      AS procurement_budget_yuan,
        CAST(procurement_actual_yuan AS DECIMAL(18,2))                      AS procurement_actual_yuan,
        CAST(procurement_exec_pct_stated AS DECIMAL(18,4))                  AS procurement_exec_pct_stated,
        procurement_exec_pct_recomputed,
        coalesce(procurement_exec_pct_recomputed, CAST(procurement_exec_pct_stated AS DECIMAL(18,4)))
                                                                            AS procurement_exec_pct,
        CAST(three_public_budget_yuan AS DECIMAL(18,2))                     AS three_public_budget_yuan,
        CAST(three_public_actual_yuan AS DECIMAL(18,2))                     AS three_public_actual_yuan,
        CAST(three_public_control_pct_stated AS DECIMAL(18,4))              AS three_public_control_pct_stated,
        three_public_control_pct_recomputed,
        coalesce(three_public_control_pct_recomputed, CAST(three_public_control_pct_stated AS DECIMAL(18,4)))
                                                                            AS three_public_control_pct,
        CAST(headcount_authorised AS DECIMAL(18,4))                         AS headcount_authorised,
        CAST(headcount_actual AS DECIMAL(18,4))                             AS headcount_actual,
        CAST(fixed_assets_yuan AS DECIMAL(18,2))                            AS fixed_assets_yuan,
        CAST(satisfaction_pct_stated AS DECIMAL(18,4))                      AS satisfaction_pct_stated,
        CAST(coalesce(satisfaction_pct_stated, round(satisfaction_mean_pct, 4)) AS DECIMAL(18,4))
                                                                            AS satisfaction_pct,
        CASE
            WHEN satisfaction_pct_stated IS NOT NULL THEN 'stated'
            ELSE satisfaction_basis
        END                                                                 AS satisfaction_basis,
        metric_count,
        indicator_count,
        satisfaction_count,
        finding_count,
        flag_count,
        error_flag_count,
        previous_evaluation_id,
        decision_rate_pct,
        process_rate_pct,
        output_rate_pct,
        outcome_rate_pct,
        satisfaction_rate_pct,
        CAST(official_reception_yuan AS DECIMAL(18,2))                      AS official_reception_yuan,
        CAST(vehicle_operation_yuan AS DECIMAL(18,2))                       AS vehicle_operation_yuan,
        CAST(vehicle_purchase_yuan AS DECIMAL(18,2))                        AS vehicle_purchase_yuan,
        CAST(overseas_travel_yuan AS DECIMAL(18,2))                         AS overseas_travel_yuan
    FROM recomputed
)

SELECT * FROM final ORDER BY evaluation_id;
