"""The text of each file is stored once (source_text) and split into lines on demand (the
source_line view); a warehouse from before, with one source_line row per line, is moved over at
its next load without losing or changing a line."""

from __future__ import annotations

import duckdb

from warehouse.load import load_paths
from warehouse_fakes import fake_parse, q, record, write_record


def run(paths, db, **kw):
    kw.setdefault("workers", 1)
    kw.setdefault("parser", fake_parse)
    return load_paths([str(p) for p in paths], db, **kw)


def test_one_text_row_per_file_and_lines_on_demand(tmp_path):
    files = [write_record(tmp_path / "in", f"{i}.txt", record(unit=f"县{i}总工会")) for i in range(3)]
    db = tmp_path / "w.duckdb"
    s = run(files, db)
    assert q(db, "SELECT count(*), count(DISTINCT file_id), count(lines) FROM source_text") == [(3, 3, 0)]
    texts = {f.name: f.read_text(encoding="utf-8") for f in files}
    assert dict(q(db, "SELECT f.file_name, t.text FROM source_text t JOIN source_file f USING (file_id)")) == texts
    assert q(db, "SELECT count(*) FROM source_line")[0][0] == s.lines == sum(t.count("\n") + 1 for t in texts.values())
    # a filter on file_id reaches the table before the split (the report page's lookup)
    con = duckdb.connect(str(db), read_only=True)
    plan = "\n".join(r[1] for r in con.execute("EXPLAIN SELECT text FROM source_line WHERE file_id = 2").fetchall())
    con.close()
    assert "source_text" in plan and "file_id=2" in plan.replace(" ", "")


def test_a_warehouse_with_a_source_line_table_is_moved_to_source_text(tmp_path):
    def odd_lines(data, path):
        lines, result = fake_parse(data, path)
        return (["第一行", "含\n换行的一行", "", "末行"] if path.endswith("a.txt") else lines), result

    folder = tmp_path / "in"
    files = [write_record(folder, "a.txt", record()), write_record(folder, "b.txt", record(unit="乙县总工会"))]
    db = tmp_path / "w.duckdb"
    run(files, db, parser=odd_lines)
    before = q(db, "SELECT file_id, line_no, text, is_demo FROM source_line ORDER BY 1, 2")
    con = duckdb.connect(str(db))  # as the loader before source_text left it
    con.execute("CREATE TABLE old_lines AS SELECT * FROM source_line")
    con.execute("DROP VIEW source_line")
    con.execute("DROP TABLE source_text")
    con.execute("ALTER TABLE old_lines RENAME TO source_line")
    con.execute("UPDATE load_run SET schema_sha256 = 'before source_text'")
    con.close()
    write_record(folder, "c.txt", record(unit="丙县总工会"))
    s = run([folder], db, parser=odd_lines)
    assert (s.new, s.unchanged, s.wrote) == (1, 2, True)
    after = q(db, "SELECT file_id, line_no, text, is_demo FROM source_line ORDER BY 1, 2")
    assert after[:len(before)] == before and len(after) > len(before)
    assert q(db, "SELECT table_type FROM information_schema.tables WHERE table_name = 'source_line'") == [("VIEW",)]
    assert q(db, "SELECT file_id, lines IS NOT NULL FROM source_text ORDER BY 1") == [(1, True), (2, False), (3, False)]
