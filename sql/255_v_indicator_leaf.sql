-- v_indicator_leaf: 计分指标（末级）/ the scored indicator rows that add up to an evaluation's score.
-- Grain 粒度: one row per leaf indicator (indicator.is_leaf) of a current evaluation: the rows of
-- its scoring table (the score table when it has scored rows, else the summary table) without
-- scored rows below them, so adding them up never counts a point twice, whichever levels a report
-- prints. A weight printed once for several rows (weight_shared) gets no per-row loss. Only
-- evaluations (document_kind = 'evaluation'): a rubric's rows are criteria, not scores.
CREATE OR REPLACE VIEW v_indicator_leaf AS
WITH final AS (
    SELECT
        e.evaluation_id, e.fiscal_year, e.province, e.city, e.county, e.admin_code, e.unit_name,
        e.report_kind, e.project_name, e.evaluation_mode, e.is_demo, e.framework,
        i.indicator_no,
        i.source_table,
        i.level,
        i.level1,
        i.level2,
        i.level3,
        coalesce(i.dimension, 'unclassified')                                  AS dimension,
        i.weight,
        i.score,
        i.weight_shared,
        CASE WHEN NOT i.weight_shared
             THEN CAST(i.weight - i.score AS DECIMAL(9,4)) END                 AS points_lost,
        CASE WHEN NOT i.weight_shared
             THEN TRY_CAST(round(100 * i.score / nullif(i.weight, 0), 4) AS DECIMAL(18,4)) END
                                                                               AS score_rate_pct,
        i.score_rate_stated_pct,
        i.target_raw,
        i.actual_raw,
        i.met,
        i.note,
        i.rule,
        i.line,
        e.file_id
    FROM indicator AS i
    JOIN v_evaluation AS e USING (evaluation_id)
    WHERE i.is_leaf AND e.document_kind = 'evaluation'
)

SELECT * FROM final;
COMMENT ON VIEW v_indicator_leaf IS '计分指标（末级）：每项当前评价所用评分表中的末级指标一行（评分表优先，没有时用得分汇总表），相加不会重复计分。Scored leaf indicators: one row per leaf of the scoring table of a current evaluation; adding them up never counts a point twice.';
COMMENT ON COLUMN v_indicator_leaf.evaluation_id IS '评价编号。Evaluation id.';
COMMENT ON COLUMN v_indicator_leaf.dimension IS '规范维度（decision, process, output, outcome, satisfaction；无法归类为 unclassified）。Canonical dimension (unclassified when unknown).';
COMMENT ON COLUMN v_indicator_leaf.points_lost IS '失分 = 分值 − 得分（分；分值共用时为空）。Points lost = weight − score (points; NULL when the weight is shared).';
COMMENT ON COLUMN v_indicator_leaf.score_rate_pct IS '得分率 = 得分 ÷ 分值 × 100（百分点，复算；分值共用时为空）。Score rate = score / weight × 100 (percentage points; NULL when the weight is shared).';
COMMENT ON COLUMN v_indicator_leaf.line IS '该指标所在的原文行。Source line of the indicator.';
COMMENT ON COLUMN v_indicator_leaf.file_id IS '来源文件序号，关联 source_line。Source file number, joins source_line.';
COMMENT ON COLUMN v_indicator_leaf.level IS '该行所在的指标层级（1、2、3）。Level of the hierarchy this row carries (1, 2, 3).';
COMMENT ON COLUMN v_indicator_leaf.weight IS '分值（满分，分）。Weight (maximum points).';
COMMENT ON COLUMN v_indicator_leaf.score IS '得分（分）。Score (points).';
COMMENT ON COLUMN v_indicator_leaf.note IS '扣分原因、偏差原因分析或评分说明（原文）。Deduction reason, deviation analysis or scoring note.';
