-- source_line: 原文行 / one line of a source file's text, as the reader produced it.
-- Grain 粒度: one row per (file_id, line_no). Every number in the warehouse carries its line_no,
-- so it can be shown in context. A view: the text is stored once per file (source_text, sql/030)
-- and split into lines here, on demand; a filter on file_id is applied before the split, so one
-- report's lines cost one source_text row.
CREATE OR REPLACE VIEW source_line AS
SELECT
    file_id,
    CAST(generate_subscripts(l, 1) AS INTEGER) AS line_no,
    unnest(l) AS text,
    is_demo
FROM (SELECT file_id, is_demo, coalesce(lines, string_split(text, chr(10))) AS l FROM source_text);
COMMENT ON VIEW source_line IS '原文行：每个源文件的全文，每行一条（由 source_text 按行拆分；失败的文件没有）。Source line: the full text of every readable source file, one row per line (source_text split into lines; none for failed files).';
COMMENT ON COLUMN source_line.file_id IS '源文件序号，关联 source_file.file_id。Source file number, joins source_file.file_id.';
COMMENT ON COLUMN source_line.line_no IS '行号（从 1 开始），与各表中的 line 对应。Line number (1-based), what line columns elsewhere point to.';
COMMENT ON COLUMN source_line.text IS '该行原文（未规范化）。The line as read (not normalized).';
COMMENT ON COLUMN source_line.is_demo IS '是否为演示数据。Synthetic demo data.';
