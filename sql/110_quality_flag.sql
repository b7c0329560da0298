-- quality_flag: 数据质量标记 / one inconsistency or doubt found in a report (DOMAIN.md section 6).
-- Grain 粒度: one row per (evaluation_id, flag_no). Flags describe stated numbers; they never
-- change them. Codes are registered in loaders/checks.py FLAG_CODES.
CREATE TABLE IF NOT EXISTS quality_flag (
    evaluation_id INTEGER NOT NULL,
    flag_no       INTEGER NOT NULL,
    code          VARCHAR NOT NULL,
    severity      VARCHAR NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
    message       VARCHAR NOT NULL,
    line          INTEGER,
    is_demo       BOOLEAN NOT NULL,
    PRIMARY KEY (evaluation_id, flag_no)
);
COMMENT ON TABLE quality_flag IS '数据质量标记：报告中发现的每处不一致或疑点一行（只描述，不改数）。Quality flag: one row per inconsistency or doubt found in a report (describes, never changes a number).';
COMMENT ON COLUMN quality_flag.evaluation_id IS '评价编号，关联 evaluation。Evaluation id, joins evaluation.';
COMMENT ON COLUMN quality_flag.flag_no IS '在评价中的顺序号（从 0 开始）。Position within the evaluation (0-based).';
COMMENT ON COLUMN quality_flag.code IS '标记代码（见 loaders/checks.py FLAG_CODES）。Flag code (see FLAG_CODES).';
COMMENT ON COLUMN quality_flag.severity IS '严重程度：info 提示，warning 警告，error 错误。Severity: info, warning, error.';
COMMENT ON COLUMN quality_flag.message IS '说明（中文）。Message (Chinese).';
COMMENT ON COLUMN quality_flag.line IS '相关原文行。Source line concerned.';
COMMENT ON COLUMN quality_flag.is_demo IS '是否为演示数据。Synthetic demo data.';
