-- finding: 问题与建议 / one problem or recommendation the report states.
-- Grain 粒度: one row per (evaluation_id, finding_no).
CREATE TABLE IF NOT EXISTS finding (
    evaluation_id INTEGER NOT NULL,
    finding_no    INTEGER NOT NULL,
    kind          VARCHAR NOT NULL CHECK (kind IN ('problem', 'recommendation')),
    category      VARCHAR,
    text          VARCHAR NOT NULL,
    line          INTEGER,
    is_demo       BOOLEAN NOT NULL,
    PRIMARY KEY (evaluation_id, finding_no)
);
COMMENT ON TABLE finding IS '问题与建议：报告所列的每条问题或建议一行。Finding: one row per problem or recommendation stated in the report.';
COMMENT ON COLUMN finding.evaluation_id IS '评价编号，关联 evaluation。Evaluation id, joins evaluation.';
COMMENT ON COLUMN finding.finding_no IS '在评价中的顺序号（从 0 开始）。Position within the evaluation (0-based).';
COMMENT ON COLUMN finding.kind IS '类别：problem 问题，recommendation 建议。Kind: problem or recommendation.';
COMMENT ON COLUMN finding.category IS '报告给出的小标题或分类。Heading or category the report gives.';
COMMENT ON COLUMN finding.text IS '原文。Text as written.';
COMMENT ON COLUMN finding.line IS '原文所在行。Source line.';
COMMENT ON COLUMN finding.is_demo IS '是否为演示数据。Synthetic demo data.';
