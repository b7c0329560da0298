-- source_text: 原文 / the text of one source file, as the reader produced it, kept once.
-- Grain 粒度: one row per source file that was read and holds at least one line (none for failed
-- files). The lines are joined by a line break in `text`; source_line (sql/190) splits them on
-- demand, so every number's line_no still points into it. Rows are appended in file_id order,
-- so a lookup by file_id reads only the blocks of that file (zone maps), without an index.
-- One row per file instead of one per line: a tenth of the rows to write and a fifth of the
-- space (DuckDB compresses long strings), for ~5 ms more per report page lookup.
CREATE TABLE IF NOT EXISTS source_text (
    file_id INTEGER   NOT NULL,
    text    VARCHAR   NOT NULL,
    lines   VARCHAR[],
    is_demo BOOLEAN   NOT NULL
);
COMMENT ON TABLE source_text IS '原文：每个可读源文件的全文，每个文件一行（失败的文件没有；按行拆分见 source_line）。Source text: the full text of every readable source file, one row per file (none for failed files; source_line splits it into lines).';
COMMENT ON COLUMN source_text.file_id IS '源文件序号，关联 source_file.file_id。Source file number, joins source_file.file_id.';
COMMENT ON COLUMN source_text.text IS '全文（未规范化），各行以换行符连接。The text as read (not normalized), its lines joined by line breaks.';
COMMENT ON COLUMN source_text.lines IS '仅当某一行本身含换行符时：逐行列出的原文（此时按此拆分，而不是按 text 的换行符）；否则为空。Only when a line itself holds a line break: the lines listed (source_line splits by this instead of by the breaks in text); NULL otherwise.';
COMMENT ON COLUMN source_text.is_demo IS '是否为演示数据。Synthetic demo data.';
