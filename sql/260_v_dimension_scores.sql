-- v_dimension_scores: 维度得分 / points per canonical dimension, so frameworks can be compared.
-- Grain 粒度: one row per current evaluation and canonical dimension (decision, process, output,
-- outcome, satisfaction, unclassified), from dimension_score (the leaf indicators summed at load).
-- Compare score_rate_pct across frameworks, not raw points: weights differ between frameworks.
-- Only evaluations (document_kind = 'evaluation').
CREATE OR REPLACE VIEW v_dimension_scores AS
WITH final AS (
    SELECT
        e.evaluation_id, e.fiscal_year, e.province, e.city, e.county, e.admin_code, e.unit_name,
        e.report_kind, e.project_name, e.evaluation_mode, e.is_demo, e.framework,
        e.total_score,
        d.dimension,
        CASE d.dimension
            WHEN 'decision' THEN 1 WHEN 'process' THEN 2 WHEN 'output' THEN 3
            WHEN 'outcome' THEN 4 WHEN 'satisfaction' THEN 5 ELSE 9
        END                                                           AS dimension_order,
        d.indicator_count,
        d.weight,
        d.score,
        CAST(d.weight - d.score AS DECIMAL(9,4))                      AS points_lost,
        TRY_CAST(round(100 * d.score / nullif(d.weight, 0), 4) AS DECIMAL(18,4))
                                                                      AS score_rate_pct
    FROM dimension_score AS d
    JOIN v_evaluation AS e USING (evaluation_id)
    WHERE e.document_kind = 'evaluation'
)

SELECT * FROM final;
COMMENT ON VIEW v_dimension_scores IS '维度得分：每项当前评价每个规范维度一行（决策、过程、产出、效益、满意度），含分值、得分和得分率，不同指标体系可按得分率比较。Dimension scores: one row per current evaluation and canonical dimension: weight, score, score rate, comparable across frameworks.';
COMMENT ON COLUMN v_dimension_scores.evaluation_id IS '评价编号。Evaluation id.';
COMMENT ON COLUMN v_dimension_scores.dimension_order IS '维度排序号（1 决策 … 5 满意度，9 未归类）。Sort order of the dimension.';
COMMENT ON COLUMN v_dimension_scores.points_lost IS '该维度的失分 = 分值合计 − 得分合计（分）。Points lost in the dimension = total weight − total score (points).';
COMMENT ON COLUMN v_dimension_scores.score_rate_pct IS '得分率 = 得分合计 ÷ 分值合计 × 100（百分点；合并单元格的共用分值也计入）。Score rate = total score / total weight × 100 (percentage points; shared merged-cell weights count).';
COMMENT ON COLUMN v_dimension_scores.indicator_count IS '该维度的末级指标数（个）。Leaf indicators in the dimension (count).';
COMMENT ON COLUMN v_dimension_scores.weight IS '该维度的分值合计（分）。Total weight of the dimension (points).';
COMMENT ON COLUMN v_dimension_scores.score IS '该维度的得分合计（分）。Total score of the dimension (points).';
