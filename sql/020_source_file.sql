-- source_file: 源文件 / one report file as received, identified by the SHA-256 of its bytes.
-- Grain 粒度: one row per distinct file content (sha256). The same bytes under another path are
-- the same source file. A file that failed is kept here with its reason and never blocks others.
CREATE TABLE IF NOT EXISTS source_file (
    sha256            VARCHAR   NOT NULL PRIMARY KEY CHECK (length(sha256) = 64),
    file_id           INTEGER   NOT NULL UNIQUE,
    path              VARCHAR   NOT NULL,
    file_name         VARCHAR   NOT NULL,
    format            VARCHAR,
    family            VARCHAR,
    encoding          VARCHAR,
    size_bytes        BIGINT    NOT NULL,
    line_count        INTEGER,
    is_demo           BOOLEAN   NOT NULL,
    status            VARCHAR   NOT NULL CHECK (status IN ('ok', 'unrecognized', 'failed')),
    error             VARCHAR,
    messages          VARCHAR[],
    evaluation_count  INTEGER   NOT NULL,
    first_load_run_id INTEGER   NOT NULL,
    last_load_run_id  INTEGER   NOT NULL
);
COMMENT ON TABLE source_file IS '源文件：每个不同内容（SHA-256）的报告文件一行，含读取结果与失败原因。Source file: one row per distinct report file content (SHA-256), with how it was read and why it failed.';
COMMENT ON COLUMN source_file.sha256 IS '文件字节的 SHA-256（十六进制），主键。SHA-256 of the file bytes (hex), primary key.';
COMMENT ON COLUMN source_file.file_id IS '文件序号（按载入顺序递增），用于关联原文行。File number (increasing in load order), joins source_line.';
COMMENT ON COLUMN source_file.path IS '首次载入时的文件路径。File path at first load.';
COMMENT ON COLUMN source_file.file_name IS '文件名。File name.';
COMMENT ON COLUMN source_file.format IS '文件格式：txt/docx/xlsx/pdf。File format: txt/docx/xlsx/pdf.';
COMMENT ON COLUMN source_file.family IS '识别出的模板族（general 表示无已知模板，由通用策略读取）。Template family recognised (general: no known template; read by the general strategies).';
COMMENT ON COLUMN source_file.encoding IS '文本编码（文本文件）。Text encoding (text files).';
COMMENT ON COLUMN source_file.size_bytes IS '文件大小（字节）。File size (bytes).';
COMMENT ON COLUMN source_file.line_count IS '读取后的文本行数（行）。Number of text lines read (lines).';
COMMENT ON COLUMN source_file.is_demo IS '是否为演示数据。Synthetic demo data.';
COMMENT ON COLUMN source_file.status IS '读取结果：ok 已识别，unrecognized 可读但未识别，failed 失败。Outcome: ok, unrecognized (readable, no evaluation), failed.';
COMMENT ON COLUMN source_file.error IS '失败或未识别的原因。Reason for failure or non-recognition.';
COMMENT ON COLUMN source_file.messages IS '读取器的提示（如格式转换的说明）。Reader notes (e.g. about format conversion).';
COMMENT ON COLUMN source_file.evaluation_count IS '文件中识别出的评价数（条）。Evaluations found in the file (count).';
COMMENT ON COLUMN source_file.first_load_run_id IS '首次记录该文件的载入批次。Load run that first recorded this file.';
COMMENT ON COLUMN source_file.last_load_run_id IS '最后改变该行的载入批次（如重试后识别成功）。Load run that last changed this row (e.g. a retry that succeeded).';
