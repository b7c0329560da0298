-- v_satisfaction: 满意度 / every satisfaction figure of every current evaluation.
-- Grain 粒度: one row per satisfaction figure (respondent group) of a current evaluation; an
-- evaluation that states only an overall satisfaction metric gives one row with no group. Only
-- evaluations (document_kind = 'evaluation'): a target in a project page is no survey result.
CREATE OR REPLACE VIEW v_satisfaction AS
WITH from_table AS (
    SELECT
        s.evaluation_id,
        s.satisfaction_no,
        'satisfaction' AS source,
        s.respondent_group,
        CAST(s.pct AS DECIMAL(18,4)) AS pct,
        s.weight,
        s.score,
        s.raw,
        s.line
    FROM satisfaction AS s
),

from_metric AS (
    -- satisfaction_count (written by the loader with the rows) spares an anti-join with satisfaction.
    SELECT
        m.evaluation_id,
        0 AS satisfaction_no,
        'metric' AS source,
        NULL AS respondent_group,
        m.value AS pct,
        NULL AS weight,
        NULL AS score,
        m.raw,
        m.line
    FROM metric AS m
    JOIN mv_evaluation AS e USING (evaluation_id)
    WHERE m.metric = 'satisfaction_pct'
      AND e.satisfaction_count = 0
),

final AS (
    SELECT
        e.evaluation_id, e.fiscal_year, e.province, e.city, e.county, e.admin_code, e.unit_name,
        e.report_kind, e.project_name, e.evaluation_mode, e.is_demo,
        f.satisfaction_no,
        f.source,
        CAST(f.respondent_group AS VARCHAR)                             AS respondent_group,
        CAST(f.pct AS DECIMAL(18,4))                                    AS pct,
        CAST(f.weight AS DECIMAL(9,4))                                  AS weight,
        CAST(f.score AS DECIMAL(9,4))                                   AS score,
        TRY_CAST(round(100 * f.score / nullif(f.weight, 0), 4) AS DECIMAL(18,4)) AS score_rate_pct,
        f.pct < 90                                                      AS is_below_90,
        CAST(f.raw AS VARCHAR)                                          AS raw,
        CAST(f.line AS INTEGER)                                         AS line,
        e.file_id
    FROM (SELECT * FROM from_table UNION ALL SELECT * FROM from_metric) AS f
    JOIN v_evaluation AS e USING (evaluation_id)
    WHERE e.document_kind = 'evaluation'
)

SELECT * FROM final;
COMMENT ON VIEW v_satisfaction IS '满意度：每项当前评价的每个满意度数字一行（含调查对象群体）；只有总体满意度的评价给出一行。Satisfaction: one row per satisfaction figure (with respondent group) of a current evaluation; an overall-only evaluation gives one row.';
COMMENT ON COLUMN v_satisfaction.evaluation_id IS '评价编号。Evaluation id.';
COMMENT ON COLUMN v_satisfaction.source IS '来源：satisfaction 满意度表，metric 总体满意度数值。Source: satisfaction table or the overall satisfaction metric.';
COMMENT ON COLUMN v_satisfaction.pct IS '满意度（百分点，96 表示 96%）。Satisfaction (percentage points).';
COMMENT ON COLUMN v_satisfaction.weight IS '该满意度指标的分值（分）。Weight (points).';
COMMENT ON COLUMN v_satisfaction.score IS '该满意度指标的得分（分）。Score (points).';
COMMENT ON COLUMN v_satisfaction.score_rate_pct IS '得分率 = 得分 ÷ 分值 × 100（百分点）。Score rate = score / weight × 100 (percentage points).';
COMMENT ON COLUMN v_satisfaction.is_below_90 IS '满意度是否低于 90%。Satisfaction below 90%.';
COMMENT ON COLUMN v_satisfaction.raw IS '原文。Raw text.';
COMMENT ON COLUMN v_satisfaction.line IS '原文所在行。Source line.';
COMMENT ON COLUMN v_satisfaction.file_id IS '来源文件序号，关联 source_line。Source file number, joins source_line.';
