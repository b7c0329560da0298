-- v_quality_flags: 数据质量标记 / every quality flag of every current evaluation.
-- Grain 粒度: one row per quality flag of a current evaluation (or other document: document_kind);
-- severity_order sorts error first.
CREATE OR REPLACE VIEW v_quality_flags AS
WITH final AS (
    SELECT
        e.evaluation_id, e.fiscal_year, e.province, e.city, e.county, e.admin_code, e.unit_name,
        e.report_kind, e.project_name, e.evaluation_mode, e.is_demo, e.document_kind,
        q.flag_no,
        q.code,
        q.severity,
        CASE q.severity WHEN 'error' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END AS severity_order,
        q.message,
        q.line,
        e.file_id,
        e.source_path,
        e.family
    FROM quality_flag AS q
    JOIN v_evaluation AS e USING (evaluation_id)
)

SELECT * FROM final;
COMMENT ON VIEW v_quality_flags IS '数据质量标记：每项当前评价的每个质量标记一行。Quality flags: one row per flag of a current evaluation.';
COMMENT ON COLUMN v_quality_flags.evaluation_id IS '评价编号。Evaluation id.';
COMMENT ON COLUMN v_quality_flags.severity_order IS '严重程度排序号（1 error，2 warning，3 info）。Sort order of the severity.';
COMMENT ON COLUMN v_quality_flags.line IS '相关原文行。Source line concerned.';
COMMENT ON COLUMN v_quality_flags.file_id IS '来源文件序号，关联 source_line。Source file number, joins source_line.';
COMMENT ON COLUMN v_quality_flags.source_path IS '来源文件路径。Source file path.';
COMMENT ON COLUMN v_quality_flags.family IS '来源文件的模板族。Template family of the source file.';
