-- mv_indicator_losses: fill 填充 / the leaf indicators (v_indicator_leaf) of current evaluations that
-- lost points, with points lost and the reason the report gives.
-- Grain 粒度: one row per leaf indicator of a current evaluation whose score is below its own weight.
-- Reads v_indicator_leaf (indicator × mv_evaluation).
INSERT INTO mv_indicator_losses BY NAME
WITH final AS (
    SELECT
        evaluation_id, fiscal_year, province, city, county, admin_code, unit_name,
        report_kind, project_name, evaluation_mode, is_demo, framework,
        indicator_no, level, level1, level2, level3, dimension,
        weight, score, points_lost, score_rate_pct,
        target_raw, actual_raw, met,
        note AS reason,
        rule,
        line,
        file_id
    FROM v_indicator_leaf
    WHERE points_lost > 0
)

SELECT * FROM final ORDER BY is_demo, fiscal_year, province, city, evaluation_id, indicator_no;
