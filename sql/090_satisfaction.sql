-- satisfaction: 满意度 / one satisfaction figure of an evaluation, for one respondent group.
-- Grain 粒度: one row per (evaluation_id, satisfaction_no).
CREATE TABLE IF NOT EXISTS satisfaction (
    evaluation_id    INTEGER      NOT NULL,
    satisfaction_no  INTEGER      NOT NULL,
    respondent_group VARCHAR,
    pct              DECIMAL(9,4),
    weight           DECIMAL(9,4),
    score            DECIMAL(9,4),
    raw              VARCHAR,
    line             INTEGER,
    is_demo          BOOLEAN      NOT NULL,
    PRIMARY KEY (evaluation_id, satisfaction_no)
);
COMMENT ON TABLE satisfaction IS '满意度：每项评价中每个调查对象群体的满意度一行。Satisfaction: one row per satisfaction figure (respondent group) of an evaluation.';
COMMENT ON COLUMN satisfaction.evaluation_id IS '评价编号，关联 evaluation。Evaluation id, joins evaluation.';
COMMENT ON COLUMN satisfaction.satisfaction_no IS '在评价中的顺序号（从 0 开始）。Position within the evaluation (0-based).';
COMMENT ON COLUMN satisfaction.respondent_group IS '调查对象群体（如 基层工会职工、部门职工）。Respondent group (e.g. grassroots union members, staff).';
COMMENT ON COLUMN satisfaction.pct IS '满意度（百分点，96 表示 96%）。Satisfaction (percentage points).';
COMMENT ON COLUMN satisfaction.weight IS '该满意度指标的分值（分）。Weight of this satisfaction indicator (points).';
COMMENT ON COLUMN satisfaction.score IS '该满意度指标的得分（分）。Score of this satisfaction indicator (points).';
COMMENT ON COLUMN satisfaction.raw IS '原文。Raw text.';
COMMENT ON COLUMN satisfaction.line IS '原文所在行。Source line.';
COMMENT ON COLUMN satisfaction.is_demo IS '是否为演示数据。Synthetic demo data.';
