-- v_findings: 问题与建议 / every problem and recommendation of every current evaluation.
-- Grain 粒度: one row per finding of a current evaluation.
CREATE OR REPLACE VIEW v_findings AS
WITH final AS (
    SELECT
        e.evaluation_id, e.fiscal_year, e.province, e.city, e.county, e.admin_code, e.unit_name,
        e.report_kind, e.project_name, e.evaluation_mode, e.is_demo, e.document_kind,
        f.finding_no,
        f.kind,
        f.category,
        f.text,
        f.line,
        e.file_id
    FROM finding AS f
    JOIN v_evaluation AS e USING (evaluation_id)
)

SELECT * FROM final;
COMMENT ON VIEW v_findings IS '问题与建议：每项当前评价的每条问题或建议一行。Findings: one row per problem or recommendation of a current evaluation.';
COMMENT ON COLUMN v_findings.evaluation_id IS '评价编号。Evaluation id.';
COMMENT ON COLUMN v_findings.text IS '问题或建议原文。Text of the problem or recommendation.';
COMMENT ON COLUMN v_findings.line IS '原文所在行。Source line.';
COMMENT ON COLUMN v_findings.file_id IS '来源文件序号，关联 source_line。Source file number, joins source_line.';
