-- evaluation: 绩效评价 / one performance evaluation of one unit, year, kind, project and mode.
-- Grain 粒度: one row per evaluation found in a source file (sha256, evaluation_no). A changed
-- report for the same evaluation_key is a new row with revision n+1 and becomes the current one;
-- earlier revisions stay, with is_current = false. Nothing is deleted. The *_count columns are
-- written by the loader from the record, so views need not count 5M indicator rows each time.
-- A document that is not an evaluation (a 决算 or 预算 disclosure, a project page, a rubric, a blank
-- form, a table of contents) is a row too, with its document_kind: what it states (unit, year,
-- money) is kept, but only document_kind = 'evaluation' rows enter score comparisons.
CREATE TABLE IF NOT EXISTS evaluation (
    evaluation_id        INTEGER      NOT NULL PRIMARY KEY,
    sha256               VARCHAR      NOT NULL,
    file_id              INTEGER      NOT NULL,
    evaluation_no        INTEGER      NOT NULL,
    unit_id              INTEGER      NOT NULL,
    unit_name_raw        VARCHAR,
    unit_line            INTEGER,
    fiscal_year          INTEGER      CHECK (fiscal_year BETWEEN 1990 AND 2100),
    document_kind        VARCHAR      NOT NULL DEFAULT 'evaluation'
                                      CHECK (document_kind IN ('evaluation', 'final_accounts', 'budget_disclosure',
                                                               'project_disclosure', 'rubric', 'template', 'toc',
                                                               'notice', 'rectification', 'audit', 'appraisal')),
    report_kind          VARCHAR      CHECK (report_kind IN ('department_overall', 'project')),
    report_kind_declared VARCHAR,
    project_name         VARCHAR,
    evaluation_mode      VARCHAR      CHECK (evaluation_mode IN ('self', 'department', 'finance', 'third_party')),
    evaluator            VARCHAR,
    report_date          VARCHAR,
    framework            VARCHAR,
    total_score          DECIMAL(9,4),
    grade_raw            VARCHAR,
    grade                VARCHAR      CHECK (grade IN ('优', '良', '中', '差')),
    confidence           VARCHAR      NOT NULL CHECK (confidence IN ('high', 'low')),
    is_demo              BOOLEAN      NOT NULL,
    subject_key          VARCHAR      NOT NULL,
    evaluation_key       VARCHAR      NOT NULL,
    revision             INTEGER      NOT NULL CHECK (revision >= 1),
    is_current           BOOLEAN      NOT NULL,
    load_run_id          INTEGER      NOT NULL,
    metric_count         INTEGER      NOT NULL,
    indicator_count      INTEGER      NOT NULL,
    satisfaction_count   INTEGER      NOT NULL,
    finding_count        INTEGER      NOT NULL,
    flag_count           INTEGER      NOT NULL,
    error_flag_count     INTEGER      NOT NULL,
    UNIQUE (sha256, evaluation_no),
    UNIQUE (evaluation_key, revision)
);
COMMENT ON TABLE evaluation IS '绩效评价：源文件中的每项评价一行；同一评价键的新报告为新版本并成为当前版本，旧版本保留。Evaluation: one row per evaluation in a source file; a changed report for the same key is a new current revision, old ones stay.';
COMMENT ON COLUMN evaluation.evaluation_id IS '评价编号。Evaluation id.';
COMMENT ON COLUMN evaluation.sha256 IS '来源文件的 SHA-256，关联 source_file。SHA-256 of the source file, joins source_file.';
COMMENT ON COLUMN evaluation.file_id IS '来源文件序号，关联 source_line。Source file number, joins source_line.';
COMMENT ON COLUMN evaluation.evaluation_no IS '在文件中的序号（从 0 开始）。Position within the file (0-based).';
COMMENT ON COLUMN evaluation.unit_id IS '被评价单位，关联 unit。Evaluated unit, joins unit.';
COMMENT ON COLUMN evaluation.unit_name_raw IS '报告中写的单位名称（原文）。Unit name as written in the report.';
COMMENT ON COLUMN evaluation.unit_line IS '单位名称所在行。Source line of the unit name.';
COMMENT ON COLUMN evaluation.fiscal_year IS '被评价的预算年度（年）。Fiscal year evaluated (year).';
COMMENT ON COLUMN evaluation.document_kind IS '文件类型：evaluation 绩效评价，final_accounts 部门决算公开，budget_disclosure 部门预算公开，project_disclosure 项目公开，rubric 评分标准，template 空白模板，toc 目录，notice 评价结果通报或采购公告，rectification 整改报告，audit 审计报告，appraisal 评价或绩效管理工作的考核；只有 evaluation 参与得分比较。Document kind: evaluation, final_accounts, budget_disclosure, project_disclosure, rubric, template, toc, notice (a results bulletin or procurement notice), rectification, audit, appraisal (of evaluation or performance-management work); only evaluations enter score comparisons.';
COMMENT ON COLUMN evaluation.report_kind IS '报告类型：department_overall 部门整体支出，project 项目支出。Report kind: department_overall or project.';
COMMENT ON COLUMN evaluation.report_kind_declared IS '标题声称的报告类型（可能与内容不符）。Report kind the title declares (may disagree with the content).';
COMMENT ON COLUMN evaluation.project_name IS '项目名称（项目评价）。Project name (project evaluations).';
COMMENT ON COLUMN evaluation.evaluation_mode IS '评价方式：self 单位自评，department 部门评价，finance 财政评价，third_party 第三方。Evaluation mode: self, department, finance, third_party.';
COMMENT ON COLUMN evaluation.evaluator IS '评价机构。Evaluator (organisation that did the work).';
COMMENT ON COLUMN evaluation.report_date IS '报告日期（ISO 前缀，如 2023-06）。Report date (ISO prefix, e.g. 2023-06).';
COMMENT ON COLUMN evaluation.framework IS '评分所依据的指标体系。Indicator framework the scores follow.';
COMMENT ON COLUMN evaluation.total_score IS '总分（分），报告未给出时为空。Total score (points); NULL when the report gives none.';
COMMENT ON COLUMN evaluation.grade_raw IS '报告写的评价等次（原文，如 优秀）。Grade as written (e.g. 优秀).';
COMMENT ON COLUMN evaluation.grade IS '规范化等次：优/良/中/差。Normalized grade: 优/良/中/差.';
COMMENT ON COLUMN evaluation.confidence IS '提取可信度：high 由模板族提取，low 仅按标签提取。Extraction confidence: high (template family) or low (labels only).';
COMMENT ON COLUMN evaluation.is_demo IS '是否为演示数据。Synthetic demo data.';
COMMENT ON COLUMN evaluation.subject_key IS '评价对象键：单位|报告类型|项目名称（不含年度与评价方式）。What is evaluated: unit|kind|project (without year and mode).';
COMMENT ON COLUMN evaluation.evaluation_key IS '评价键：单位|报告类型|项目名称|年度|评价方式；同键的新报告为新版本。Evaluation identity: unit|kind|project|year|mode; a new report with the same key is a new revision.';
COMMENT ON COLUMN evaluation.revision IS '版本号（从 1 开始）。Revision number (1-based).';
COMMENT ON COLUMN evaluation.is_current IS '是否为该评价键的当前（最新）版本。Whether this is the current (latest) revision of its key.';
COMMENT ON COLUMN evaluation.load_run_id IS '载入该行的批次。Load run that added this row.';
COMMENT ON COLUMN evaluation.metric_count IS '关键数值个数（个）。Number of metrics (count).';
COMMENT ON COLUMN evaluation.indicator_count IS '指标行数（条）。Number of indicator rows (count).';
COMMENT ON COLUMN evaluation.satisfaction_count IS '满意度数字个数（个）。Number of satisfaction figures (count).';
COMMENT ON COLUMN evaluation.finding_count IS '问题与建议条数（条）。Number of findings (count).';
COMMENT ON COLUMN evaluation.flag_count IS '质量标记数（条）。Number of quality flags (count).';
COMMENT ON COLUMN evaluation.error_flag_count IS '严重程度为 error 的质量标记数（条）。Number of error-severity quality flags (count).';
