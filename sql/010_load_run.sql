-- load_run: 一次载入 / one run of `python -m loaders load`.
-- Grain 粒度: one row per load that changed the warehouse or met a failure.
-- Purpose: the audit trail of what was loaded when, with counts and every error, so a steward
-- can see what was read, what failed and why. A reload of unchanged files writes nothing.
CREATE TABLE IF NOT EXISTS load_run (
    load_run_id        INTEGER   NOT NULL PRIMARY KEY,
    started_at         TIMESTAMP NOT NULL,
    finished_at        TIMESTAMP NOT NULL,
    paths              VARCHAR[] NOT NULL,
    workers            INTEGER   NOT NULL,
    files_seen         INTEGER   NOT NULL,
    files_new          INTEGER   NOT NULL,
    files_revised      INTEGER   NOT NULL,
    files_unchanged    INTEGER   NOT NULL,
    files_failed       INTEGER   NOT NULL,
    files_unrecognized INTEGER   NOT NULL,
    evaluations        INTEGER   NOT NULL,
    indicators         INTEGER   NOT NULL,
    quality_flags      INTEGER   NOT NULL,
    source_lines       BIGINT    NOT NULL,
    errors             JSON      NOT NULL,
    schema_sha256      VARCHAR   NOT NULL,
    region_sha256      VARCHAR
);
COMMENT ON TABLE load_run IS '载入批次：每次改变了仓库或遇到失败的载入一行，含计数与全部错误。Load run: one row per load that changed the warehouse or met a failure, with counts and every error.';
COMMENT ON COLUMN load_run.load_run_id IS '载入批次编号（递增）。Load run id (increasing).';
COMMENT ON COLUMN load_run.started_at IS '开始时间（本地时间）。Start time (local time).';
COMMENT ON COLUMN load_run.finished_at IS '结束时间（本地时间）。Finish time (local time).';
COMMENT ON COLUMN load_run.paths IS '命令行给出的文件或文件夹。Files or folders named on the command line.';
COMMENT ON COLUMN load_run.workers IS '并行解析进程数。Number of parallel parser processes.';
COMMENT ON COLUMN load_run.files_seen IS '找到的报告文件数（个）。Report files found (count).';
COMMENT ON COLUMN load_run.files_new IS '新载入的文件数（个）：内容首次出现，且其评价都是新的。New files (count): content seen for the first time, every evaluation new.';
COMMENT ON COLUMN load_run.files_revised IS '修订文件数（个）：至少一项评价是已有评价的新版本。Revised files (count): at least one evaluation is a new revision of an existing one.';
COMMENT ON COLUMN load_run.files_unchanged IS '未变文件数（个）：内容哈希已在仓库中，未重新解析。Unchanged files (count): content hash already loaded, not parsed again.';
COMMENT ON COLUMN load_run.files_failed IS '失败文件数（个）：无法读取或解析出错。Failed files (count): unreadable or the parser raised an error.';
COMMENT ON COLUMN load_run.files_unrecognized IS '未识别文件数（个）：可读取但未找到任何评价。Unrecognized files (count): readable but no evaluation found.';
COMMENT ON COLUMN load_run.evaluations IS '本批载入的评价数（条）。Evaluations loaded by this run (count).';
COMMENT ON COLUMN load_run.indicators IS '本批载入的指标行数（条）。Indicator rows loaded by this run (count).';
COMMENT ON COLUMN load_run.quality_flags IS '本批载入的质量标记数（条）。Quality flags loaded by this run (count).';
COMMENT ON COLUMN load_run.source_lines IS '本批存入的原文行数（行）。Source text lines stored by this run (count).';
COMMENT ON COLUMN load_run.errors IS '失败与未识别文件的清单（JSON 数组：path, sha256, status, error）。Failed and unrecognized files (JSON array of path, sha256, status, error).';
COMMENT ON COLUMN load_run.schema_sha256 IS '本次载入所用 sql/ 定义的指纹（SHA-256）。Fingerprint (SHA-256) of the sql/ definitions this load applied.';
COMMENT ON COLUMN load_run.region_sha256 IS '载入后区划参考表内容的指纹（SHA-256；未提供参考表时为空）；相同则不重新写入。Fingerprint of the region reference after the load (NULL when absent); unchanged means not rewritten.';
