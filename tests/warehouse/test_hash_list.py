"""Unchanged files are skipped by their stat key before being read: the last load's hashes are
kept by path and stat key (<db>.hashes), so an unchanged reload reads no report file, and a file
written since, even at the same size with its modification time set back, is read again."""

from __future__ import annotations

import os

from warehouse.load import files as load_files
from warehouse.load import load_paths
from warehouse_fakes import fake_parse, q, record, write_record


def run(paths, db, **kw):
    kw.setdefault("workers", 1)
    kw.setdefault("parser", fake_parse)
    return load_paths([str(p) for p in paths], db, **kw)


def test_an_unchanged_reload_reads_no_file_and_a_rewritten_one_is_read(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    files = [write_record(folder, f"{i}.txt", record(unit=f"县{i}总工会", total="80")) for i in range(3)]
    db = tmp_path / "w.duckdb"
    assert run([folder], db).new == 3
    assert len(load_files.read_hash_list(db)) == 3  # from the first load's parse: no file read twice
    reads: list[str] = []
    real = load_files.read_file
    monkeypatch.setattr(load_files, "read_file", lambda p: reads.append(p) or real(p))
    s = run([folder], db)
    assert (s.unchanged, s.wrote, reads) == (3, False, [])
    # rewritten with the same size and its modification time set back: its change time still moved
    st = os.stat(files[1])
    files[1].write_text(files[1].read_text(encoding="utf-8").replace('"80"', '"90"'), encoding="utf-8")
    os.utime(files[1], ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.stat(files[1]).st_size == st.st_size and os.stat(files[1]).st_mtime_ns == st.st_mtime_ns
    s = run([folder], db)
    assert (s.revised, s.unchanged) == (1, 2)
    assert str(files[1]) in reads and str(files[0]) not in reads
    assert q(db, "SELECT total_score FROM v_evaluation WHERE unit_name = '县1总工会'")[0][0] == 90
    # a damaged list is only a missed shortcut
    load_files.hash_list_path(db).write_text("garbage", encoding="utf-8")
    reads.clear()
    assert run([folder], db).unchanged == 3 and len(reads) == 3
    assert len(load_files.read_hash_list(db)) == 3
