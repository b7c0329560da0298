"""Loading: idempotent by content hash, revisions, failures recorded without stopping the
batch, all-or-nothing batches, and readers that keep working while a load swaps the file."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from warehouse import connect, load
from warehouse.load import regions, run as load_run, write
from warehouse.load import load_paths
from warehouse_fakes import fake_parse, q, record, write_record

ROOT = Path(__file__).resolve().parents[2]


def run(paths, db, **kw):
    kw.setdefault("workers", 1)
    kw.setdefault("parser", fake_parse)
    return load_paths([str(p) for p in paths], db, **kw)


def test_load_writes_every_table(tmp_path):
    rec = record(
        unit="南昌市青云谱区总工会", county="青云谱区", admin_code="360104", city="南昌市", mode="third_party",
        total="88.78", grade="良",
        metrics={"budget_adjusted_yuan": "5496875", "expenditure_yuan": "5808142", "budget_exec_pct": "105.66"},
        indicators=[{"level": 3, "level1": "决策", "level2": "目标", "level3": "合理性", "dimension": "decision",
                     "weight": "3", "score": "1", "target_raw": "≥24次", "line": 5,
                     "target": {"raw": "≥24次", "comparator": ">=", "value": "24", "unit_raw": "次", "unit": "event"},
                     "note": "依据不足"}],
        satisfaction=[{"group": "基层工会职工", "pct": "96", "weight": "8", "score": "8", "line": 6}],
        findings=[{"kind": "problem", "category": "预算", "text": "超支", "line": 7}],
        flags=[{"code": "rate_base_mismatch", "severity": "warning", "message": "分母不符", "line": 8}],
    )
    f = write_record(tmp_path / "in", "a.txt", rec)
    db = tmp_path / "w.duckdb"
    s = run([f], db)
    assert (s.new, s.unchanged, s.revised, s.failed, s.evaluations, s.indicators, s.flags) == (1, 0, 0, 0, 1, 1, 1)
    assert s.wrote and s.ok
    counts = {t: q(db, f"SELECT count(*) FROM {t}")[0][0] for t in
              ("source_file", "unit", "evaluation", "metric", "indicator", "satisfaction", "finding", "quality_flag",
               "load_run")}
    assert counts == {"source_file": 1, "unit": 1, "evaluation": 1, "metric": 3, "indicator": 1, "satisfaction": 1,
                      "finding": 1, "quality_flag": 1, "load_run": 1}
    # the full text, line by line, and exact decimals
    text = f.read_text(encoding="utf-8").split("\n")
    assert [r[0] for r in q(db, "SELECT text FROM source_line ORDER BY line_no")] == text
    assert q(db, "SELECT value FROM metric WHERE metric = 'budget_adjusted_yuan'") == [(Decimal("5496875.0000"),)]
    assert q(db, "SELECT target_comparator, target_value, target_unit, note FROM indicator") == [
        (">=", Decimal("24.0000"), "event", "依据不足")]
    assert q(db, "SELECT budget_exec_pct_stated, budget_exec_pct_recomputed FROM v_evaluation") == [
        (Decimal("105.6600"), Decimal("105.6626"))]
    status = q(db, "SELECT status, family, line_count, first_load_run_id FROM source_file")
    assert status == [("ok", "fake", len(text), 1)]


def test_unchanged_reload_changes_nothing(tmp_path):
    files = [write_record(tmp_path / "in", f"{i}.txt", record(unit=f"县{i}总工会")) for i in range(3)]
    db = tmp_path / "w.duckdb"
    first = run([tmp_path / "in"], db)
    assert first.new == 3
    before = (db.read_bytes(), connect.version(db))
    again = run([tmp_path / "in"], db)
    assert (again.new, again.unchanged, again.revised, again.failed, again.wrote) == (0, 3, 0, 0, False)
    assert (db.read_bytes(), connect.version(db)) == before
    # the same bytes under another name are the same source file
    dup = tmp_path / "copy" / "dup.txt"
    dup.parent.mkdir()
    dup.write_bytes(files[0].read_bytes())
    third = run([dup], db)
    assert (third.unchanged, third.wrote) == (1, False)


def test_changed_report_becomes_revision_2_and_the_old_stays(tmp_path):
    db = tmp_path / "w.duckdb"
    f = write_record(tmp_path / "in", "a.txt", record(total="80", grade="良"))
    run([f], db)
    write_record(tmp_path / "in", "a.txt", record(total="92", grade="优"))
    s = run([f], db)
    assert (s.revised, s.new, s.unchanged) == (1, 0, 0)
    rows = q(db, "SELECT revision, is_current, total_score, load_run_id FROM evaluation ORDER BY revision")
    assert rows == [(1, False, Decimal("80.0000"), 1), (2, True, Decimal("92.0000"), 2)]
    assert q(db, "SELECT count(*), max(total_score) FROM v_evaluation") == [(1, Decimal("92.0000"))]
    assert q(db, "SELECT count(DISTINCT evaluation_key), count(DISTINCT unit_id) FROM evaluation") == [(1, 1)]
    assert q(db, "SELECT count(*) FROM source_file") == [(2,)]
    # a third version in a batch together with another new report
    write_record(tmp_path / "in", "a.txt", record(total="95", grade="优"))
    other = write_record(tmp_path / "in", "b.txt", record(unit="另一县总工会"))
    s = run([f, other], db)
    assert (s.revised, s.new) == (1, 1)
    assert q(db, "SELECT revision, is_current FROM evaluation WHERE unit_id = 1 ORDER BY revision") == [
        (1, False), (2, False), (3, True)]


def test_another_year_mode_or_project_is_not_a_revision(tmp_path):
    recs = [record(), record(year=2023), record(mode="third_party"), record(kind="project", project="送温暖"),
            record(kind="project", project="送 温暖"), record(is_demo=True)]
    files = [write_record(tmp_path / "in", f"{i}.txt", r) for i, r in enumerate(recs)]
    db = tmp_path / "w.duckdb"
    s = run(files, db)
    # "送 温暖" is the same project as "送温暖" (whitespace is not part of a name)
    assert (s.new, s.revised) == (5, 1)
    assert q(db, "SELECT count(*) FROM v_evaluation") == [(5,)]
    # demo and real never share a unit, even with the same name
    assert q(db, "SELECT count(*), count(*) FILTER (WHERE is_demo) FROM unit") == [(2, 1)]
    assert q(db, "SELECT count(*) FROM evaluation WHERE is_demo AND NOT is_current") == [(0,)]
    for table in ("evaluation", "metric", "source_line", "source_file"):
        demo = q(db, f"SELECT bool_or(is_demo) FROM {table}")[0][0]
        assert demo in (True, None), table
    assert q(db, "SELECT count(*) FROM v_evaluation WHERE is_demo") == [(1,)]


def test_failed_files_are_recorded_and_the_batch_continues(tmp_path):
    folder = tmp_path / "in"
    good = write_record(folder, "1_good.txt", record())
    binary = folder / "2_binary.txt"
    binary.write_bytes(b"\xff\xfe\x00\x81" * 100)
    broken = folder / "3_raises.txt"
    broken.write_text(json.dumps({"raise": "模板出错"}), encoding="utf-8")
    unrecognized = folder / "4_unknown.txt"
    unrecognized.write_text(json.dumps({"evaluations": [], "error": "不是评价报告"}), encoding="utf-8")
    bad_record = write_record(folder, "5_contract.txt", record(kind="weird"))
    missing = folder / "6_missing.txt"
    good2 = write_record(folder, "7_good.txt", record(unit="乙县总工会"))
    db = tmp_path / "w.duckdb"
    s = run([good, binary, broken, unrecognized, bad_record, missing, good2], db)
    assert (s.new, s.failed, s.unrecognized, s.evaluations) == (2, 4, 1, 2)
    assert not s.ok
    rows = dict(q(db, "SELECT file_name, status || ': ' || error FROM source_file WHERE status <> 'ok'"))
    assert rows["2_binary.txt"] == "failed: 不是 UTF-8 文本"
    assert rows["3_raises.txt"] == "failed: 解析出错 (RuntimeError: 模板出错)"
    assert rows["4_unknown.txt"] == "unrecognized: 不是评价报告"
    assert rows["5_contract.txt"].startswith("failed: 记录不符合约定") and "report_kind" in rows["5_contract.txt"]
    assert len(rows) == 4  # the missing file has no content, so no source_file row …
    errors = json.loads(q(db, "SELECT errors FROM load_run")[0][0])
    assert {e["path"] for e in errors} == {str(p) for p in (binary, broken, unrecognized, bad_record, missing)}
    assert [e["error"] for e in errors if e["path"] == str(missing)] == ["文件不存在 (file not found)"]  # … but it is logged
    # lines are kept for what could be read, never for what failed
    assert q(db, """SELECT f.status, count(l.line_no) > 0 FROM source_file f LEFT JOIN source_line l USING (file_id)
                    GROUP BY 1 ORDER BY 1""") == [("failed", False), ("ok", True), ("unrecognized", True)]
    assert q(db, "SELECT files_failed, files_unrecognized, files_new FROM load_run") == [(4, 1, 2)]


def test_progress_follows_one_atomic_load(tmp_path):
    folder = tmp_path / "in"
    files = [write_record(folder, f"{i}.txt", record(unit=f"{i}县总工会")) for i in range(3)]
    db = tmp_path / "w.duckdb"
    calls: list[tuple[int, int]] = []
    seen_at_end: list[int] = []

    def progress(done, total):
        calls.append((done, total))
        if done == total and db.exists():
            seen_at_end.append(q(db, "SELECT count(*) FROM v_evaluation")[0][0])

    s = run(files, db, progress=progress)
    assert s.wrote and s.new == 3
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3), (3, 3)]
    assert seen_at_end[-1] == 3  # the last call comes once the new warehouse is in place
    calls.clear()
    write_record(folder, "3.txt", record(unit="丁县总工会"))
    s = run([folder], db, progress=progress)
    assert s.new == 1 and s.unchanged == 3
    assert calls == [(3, 4), (4, 4), (4, 4)]  # unchanged files count as done at once
    calls.clear()
    run([folder], db, progress=progress)
    assert calls == [(4, 4), (4, 4)]


@pytest.mark.parametrize("workers, good", [(1, 2), (2, 20)], ids=["in-process", "worker-pool"])
def test_a_hung_file_fails_with_parse_timeout_and_the_rest_loads(tmp_path, workers, good):
    folder = tmp_path / "in"
    files = [write_record(folder, f"{i:02d}_good.txt", record(unit=f"{i}县总工会")) for i in range(good)]
    hung = folder / "10_hung.txt"
    hung.write_text(json.dumps({"hang": True}), encoding="utf-8")
    db = tmp_path / "w.duckdb"
    s = run([folder], db, workers=workers, parse_seconds=0.5)
    assert (s.new, s.failed, s.evaluations) == (good, 1, good)
    assert s.wrote and not s.ok
    (error,) = [e["error"] for e in s.errors]
    assert error.startswith("解析超时 (超过 0.5 秒)")
    assert q(db, "SELECT status, error FROM source_file WHERE file_name = '10_hung.txt'") == [("failed", error)]
    assert q(db, "SELECT count(*) FROM v_evaluation") == [(good,)]
    assert len(files) == good


def test_a_warehouse_from_older_sql_is_brought_up_to_date_without_new_files(tmp_path):
    folder = tmp_path / "in"
    write_record(folder, "a.txt", record(total="80"))
    db = tmp_path / "w.duckdb"
    run([folder], db)
    import duckdb

    con = duckdb.connect(str(db))  # as an older version left it: other summaries, an old fingerprint
    con.execute("DROP TABLE mv_alerts")
    con.execute("CREATE TABLE mv_alerts (evaluation_id INTEGER, something_else VARCHAR)")
    con.execute("DROP VIEW v_alerts")
    con.execute("UPDATE load_run SET schema_sha256 = 'old'")
    con.close()
    s = run([folder], db)
    assert (s.unchanged, s.new, s.wrote) == (1, 0, True)
    assert q(db, "SELECT count(*) FROM v_alerts") == [(0,)]
    assert q(db, "SELECT count(*) FROM mv_evaluation") == [(1,)]
    assert q(db, "SELECT files_unchanged, files_new FROM load_run ORDER BY load_run_id DESC LIMIT 1") == [(1, 0)]
    before = connect.version(db)
    assert not run([folder], db).wrote  # and then an unchanged reload writes nothing again
    assert connect.version(db) == before


def test_a_warehouse_built_before_a_document_kind_existed_takes_it_and_keeps_its_rows(tmp_path):
    folder = tmp_path / "in"
    write_record(folder, "a.txt", record(unit="甲县总工会", total="80"))
    db = tmp_path / "w.duckdb"
    run([folder], db)
    import duckdb

    # as a version that knew fewer document kinds left it: the same columns, a shorter CHECK list
    # (DuckDB cannot alter a constraint, so an older file keeps its own)
    from warehouse import registry

    sql = next(o.sql for o in registry.OBJECTS if o.name == "evaluation")
    old_sql = sql.replace(",\n" + " " * 63 + "'notice', 'rectification', 'audit', 'appraisal'", "")
    assert old_sql != sql and "'notice'" not in old_sql.split("COMMENT")[0]
    con = duckdb.connect(str(db))
    con.execute("DROP VIEW IF EXISTS v_evaluation")
    con.execute("ALTER TABLE evaluation RENAME TO evaluation_kept")
    con.execute(old_sql)
    con.execute("INSERT INTO evaluation SELECT * FROM evaluation_kept")
    con.execute("DROP TABLE evaluation_kept")
    con.execute("UPDATE load_run SET schema_sha256 = 'old'")
    with pytest.raises(duckdb.ConstraintException):  # the old file refuses the new kind
        con.execute("UPDATE evaluation SET document_kind = 'notice'")
    con.close()
    assert registry.check_drift(duckdb.connect(str(db), read_only=True)) == ["evaluation"]

    notice = record(unit="乙县财政局", total=None, grade=None, extra={"document_kind": "notice"})
    write_record(folder, "b.txt", notice)
    s = run([folder], db)
    assert (s.unchanged, s.new, s.failed) == (1, 1, 0)
    assert q(db, "SELECT unit_name, document_kind, total_score FROM v_evaluation ORDER BY unit_name") == [
        ("乙县财政局", "notice", None), ("甲县总工会", "evaluation", Decimal("80.0000"))]
    assert registry.check_drift(duckdb.connect(str(db), read_only=True)) == []


def test_the_same_failure_again_changes_nothing_but_a_fixed_file_loads(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    flaky = folder / "flaky.txt"
    folder.mkdir()
    flaky.write_text(json.dumps({"raise": "暂时失败", **record()}), encoding="utf-8")
    db = tmp_path / "w.duckdb"
    first = run([flaky], db)
    assert (first.failed, first.wrote) == (1, True)
    again = run([flaky], db)
    assert (again.failed, again.wrote) == (1, False)  # reported again, not recorded twice
    # the parser is fixed: the same bytes now parse, and the row is completed in place

    def fixed(data, path):
        doc = json.loads(data)
        doc.pop("raise")
        return fake_parse(json.dumps(doc).encode(), path)

    fixed_run = run([flaky], db, parser=fixed)
    assert (fixed_run.new, fixed_run.failed, fixed_run.wrote) == (1, 0, True)
    assert q(db, "SELECT status, error, evaluation_count, file_id, first_load_run_id, last_load_run_id FROM source_file") \
        == [("ok", None, 1, 1, 1, 2)]
    assert q(db, "SELECT count(*) FROM v_evaluation") == [(1,)]
    assert q(db, "SELECT count(*) > 0 FROM source_line") == [(True,)]


def test_a_crash_midway_leaves_the_previous_warehouse_intact(tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    run([write_record(tmp_path / "v1", "a.txt", record())], db)
    before = (db.read_bytes(), connect.version(db), load.loaded_list_path(db).read_bytes())
    files = [write_record(tmp_path / "v2", f"{i}.txt", record(unit=f"县{i}总工会")) for i in range(6)]
    monkeypatch.setattr(write, "FLUSH_FILES", 2)
    calls = {"n": 0}
    real_flush = load.Writer.flush

    def failing_flush(self):
        calls["n"] += 1
        if calls["n"] == 2:  # after one chunk has been appended to the copy
            raise OSError("磁盘已满 (simulated)")
        return real_flush(self)

    monkeypatch.setattr(load.Writer, "flush", failing_flush)
    with pytest.raises(OSError, match="simulated"):
        run(files, db)
    assert calls["n"] == 2
    assert (db.read_bytes(), connect.version(db), load.loaded_list_path(db).read_bytes()) == before
    assert q(db, "SELECT count(*) FROM evaluation") == [(1,)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v1", "v2", "w.duckdb", "w.duckdb.hashes", "w.duckdb.loaded",
                                                         "w.duckdb.lock"]
    # and the next load works
    monkeypatch.setattr(load.Writer, "flush", real_flush)
    assert run(files, db).new == 6


def test_main_reports_an_interrupted_load_and_exits_2(tmp_path, monkeypatch, capsys):
    import argparse

    db = tmp_path / "w.duckdb"
    f = write_record(tmp_path / "in", "a.txt", record())

    def boom(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(load_run, "load_paths", boom)
    args = argparse.Namespace(paths=[str(f)], db=str(db), workers=1, quiet=True)
    assert load.main(args) == 2
    assert "数据仓库保持原状" in capsys.readouterr().err
    assert not db.exists()


def test_a_reader_keeps_working_during_a_load_and_the_next_open_sees_new_data(tmp_path):
    db = tmp_path / "w.duckdb"
    run([write_record(tmp_path / "v1", "a.txt", record())], db)
    # a reader in another process (like the dashboard) holds the file open read-only
    reader = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            sys.path.insert(0, {str(ROOT)!r})
            from warehouse.connect import read_only
            con = read_only({str(db)!r})
            for line in sys.stdin:
                print(con.execute("SELECT count(*) FROM v_evaluation").fetchone()[0], flush=True)
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        reader.stdin.write("?\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "1"
        in_process = connect.read_only(db)
        old_version = connect.version(db)
        s = run([write_record(tmp_path / "v2", f"{i}.txt", record(unit=f"县{i}总工会")) for i in range(3)], db)
        assert s.new == 3
        assert connect.version(db) != old_version
        # both old readers still answer, from the state they opened
        reader.stdin.write("?\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "1"
        assert in_process.execute("SELECT count(*) FROM v_evaluation").fetchone()[0] == 1
        # a new connection sees the new state, even while the old one in this process is open
        assert q(db, "SELECT count(*) FROM v_evaluation") == [(4,)]
        in_process.close()
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)
    assert reader.returncode == 0


def test_parallel_workers_load_in_input_order(tmp_path):
    recs = [record(unit=f"县{i:02d}总工会", total=str(60 + i)) for i in range(40)]
    files = [write_record(tmp_path / "in", f"{i:02d}.txt", r) for i, r in enumerate(recs)]
    db = tmp_path / "w.duckdb"
    s = run([tmp_path / "in"], db, workers=2)
    assert (s.new, s.failed) == (40, 0)
    rows = q(db, "SELECT e.evaluation_id, f.file_id, f.file_name, e.total_score FROM evaluation e "
                 "JOIN source_file f USING (sha256) ORDER BY evaluation_id")
    assert [r[2] for r in rows] == [f"{i:02d}.txt" for i in range(40)]
    assert [r[0] for r in rows] == [r[1] for r in rows] == list(range(1, 41))
    assert [int(r[3]) for r in rows] == [60 + i for i in range(40)]


def test_several_evaluations_in_one_file(tmp_path):
    f = write_record(tmp_path / "in", "two.txt", record(kind="project", project="甲"), record(kind="project", project="乙"))
    db = tmp_path / "w.duckdb"
    s = run([f], db)
    assert (s.new, s.evaluations) == (1, 2)
    assert q(db, "SELECT evaluation_no, project_name FROM evaluation ORDER BY 1") == [(0, "甲"), (1, "乙")]
    assert q(db, "SELECT evaluation_count FROM source_file") == [(2,)]


def test_region_reference_is_loaded_when_present_and_rewritten_only_when_changed(tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    run([write_record(tmp_path / "in", "a.txt", record())], db)
    rows = load.region_reference()
    if rows is None:
        assert q(db, "SELECT count(*) FROM region") == [(0,)]
        return
    assert q(db, "SELECT count(*) FROM region") == [(len({(r['admin_code'], r['valid_from']) for r in rows}),)]
    assert q(db, "SELECT name, level, province, city FROM region WHERE admin_code = '360104'") == [
        ("青云谱区", "county", "江西省", "南昌市")]
    calls = []
    real = load.region_reference
    monkeypatch.setattr(regions, "region_reference", lambda raw=None: calls.append(1) or real(raw))
    run([write_record(tmp_path / "in", "b.txt", record(unit="乙县总工会"))], db)
    assert calls == []  # unchanged reference: not rebuilt
    fingerprints = q(db, "SELECT DISTINCT region_sha256 FROM load_run")
    assert len(fingerprints) == 1 and fingerprints[0][0]
    short = regions._region_rows()[:10]
    monkeypatch.setattr(regions, "_region_rows", lambda: short)
    run([write_record(tmp_path / "in", "c.txt", record(unit="丙县总工会"))], db)
    assert calls == [1]
    assert q(db, "SELECT count(*) FROM region") == [(10,)]


def test_a_stale_temp_file_from_a_killed_load_is_removed(tmp_path):
    db = tmp_path / "w.duckdb"
    run([write_record(tmp_path / "in", "a.txt", record())], db)
    stale = tmp_path / "w.duckdb.tmp-999999"
    stale.write_bytes(b"half-written")
    run([write_record(tmp_path / "in", "b.txt", record(unit="乙县总工会"))], db)
    assert not stale.exists()
    assert q(db, "SELECT count(*) FROM evaluation") == [(2,)]


def test_values_outside_the_column_types_fail_the_file(tmp_path):
    rec = record(indicators=[{"level": 3, "level1": "产出", "weight": "123456789", "score": "1"}])
    db = tmp_path / "w.duckdb"
    s = run([write_record(tmp_path / "in", "a.txt", rec), write_record(tmp_path / "in", "b.txt", record(unit="乙"))], db)
    assert (s.failed, s.new) == (1, 1)
    err = q(db, "SELECT error FROM source_file WHERE status = 'failed'")[0][0]
    assert "indicators[0].weight" in err and "DECIMAL(9,4)" in err


def test_default_path_version_and_missing_warehouse(tmp_path, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_PATH", str(tmp_path / "env.duckdb"))
    assert connect.default_path() == tmp_path / "env.duckdb"
    monkeypatch.delenv("WAREHOUSE_PATH")
    assert connect.default_path() == Path("data/warehouse.duckdb")
    assert connect.version(tmp_path / "nope.duckdb") is None
    with pytest.raises(connect.WarehouseMissing, match="python -m loaders load"):
        connect.read_only(tmp_path / "nope.duckdb")


def test_an_unchanged_reload_reads_the_loaded_list_and_not_the_warehouse(tmp_path, monkeypatch):
    files = [write_record(tmp_path / "in", f"{i}.txt", record(unit=f"县{i}总工会")) for i in range(3)]
    db = tmp_path / "w.duckdb"
    run([tmp_path / "in"], db)
    listed = load.loaded_list_path(db).read_text(encoding="ascii").split("\n")
    assert sorted(listed[1:-1]) == sorted(r[0] for r in q(db, "SELECT sha256 FROM source_file"))

    def no_warehouse(db):
        raise AssertionError("the warehouse was opened")

    with monkeypatch.context() as m:
        m.setattr(load_run, "known_files", no_warehouse)
        s = run([tmp_path / "in"], db)
    assert (s.unchanged, s.wrote) == (3, False)
    # a file not in the list goes to the warehouse and is loaded
    backup = tmp_path / "backup.duckdb"
    backup.write_bytes(db.read_bytes())
    write_record(tmp_path / "in", "3.txt", record(unit="县3总工会"))
    assert run([tmp_path / "in"], db).new == 1
    # a list that belongs to another version of the file is not trusted: here the warehouse is
    # put back as it was before 3.txt, and 3.txt is loaded again
    backup.replace(db)
    s = run([tmp_path / "in"], db)
    assert (s.unchanged, s.new) == (3, 1) and len(files) == 3
    # a damaged list is not trusted either, and is written again
    load.loaded_list_path(db).write_text("garbage", encoding="ascii")
    s = run([tmp_path / "in"], db)
    assert (s.unchanged, s.wrote) == (4, False)
    with monkeypatch.context() as m:
        m.setattr(load_run, "known_files", no_warehouse)
        assert run([tmp_path / "in"], db).unchanged == 4


def test_lines_holding_a_line_break_and_empty_texts_are_stored_as_read(tmp_path):
    def odd_lines(data, path):
        lines, result = fake_parse(data, path)
        if path.endswith("a.txt"):
            return ["第一行", "含\n换行的一行", "", "末行"], result
        return [], result

    db = tmp_path / "w.duckdb"
    f = write_record(tmp_path / "in", "a.txt", record())
    g = write_record(tmp_path / "in", "b.txt", record(unit="乙县总工会"))
    h = write_record(tmp_path / "in", "c.txt", record(unit="丙县总工会"))
    run([f, g, h], db, parser=odd_lines)
    assert q(db, "SELECT file_name, line_no, text FROM source_line JOIN source_file USING (file_id) ORDER BY 1, 2") == [
        ("a.txt", 1, "第一行"), ("a.txt", 2, "含\n换行的一行"), ("a.txt", 3, ""), ("a.txt", 4, "末行")]
    assert q(db, "SELECT file_name, line_count FROM source_file ORDER BY 1") == [("a.txt", 4), ("b.txt", 0), ("c.txt", 0)]


def test_the_same_bytes_twice_in_one_load_are_one_source_file(tmp_path):
    folder = tmp_path / "in"
    rec = record(indicators=[{"level": 3, "level1": "产出", "weight": "5", "score": "4", "line": 3}],
                 flags=[{"code": "rate_base_mismatch", "severity": "warning", "message": "分母不符", "line": 2}])
    for i in range(40):  # enough for the worker pool, the copies in different chunks
        write_record(folder, f"{i:02d}.txt", record(unit=f"县{i:02d}总工会"))
    write_record(folder, "05_copy.txt", rec)
    write_record(folder, "30_copy.txt", rec)
    db = tmp_path / "w.duckdb"
    s = run([folder], db, workers=2)
    assert (s.new, s.unchanged, s.evaluations, s.indicators, s.flags) == (41, 1, 41, 1, 1)
    assert q(db, "SELECT count(*), count(DISTINCT sha256) FROM source_file") == [(41, 41)]
    assert q(db, "SELECT count(*) FROM indicator") == [(1,)]
    assert q(db, "SELECT count(*) FROM quality_flag") == [(1,)]
    assert q(db, "SELECT count(*) FROM source_line GROUP BY file_id HAVING count(*) <> max(line_no)") == []
    assert q(db, "SELECT f.file_name FROM indicator JOIN evaluation USING (evaluation_id) "
                 "JOIN source_file f USING (file_id)") == [("05_copy.txt",)]


def test_report_files_are_listed_in_path_order(tmp_path):
    from loaders.files import iter_report_files

    names = ["b/a.txt", "a-b/c.txt", "a/b.txt", "a/B.TXT", "a/.hidden.txt", "a/x.expected.json", "a/notes.md",
             "a/z.docx", "c.pdf", ".txt", "a b/d.xlsx"]
    for n in names:
        (tmp_path / n).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / n).write_text("x", encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "a", target_is_directory=True)
    found = iter_report_files([str(tmp_path)])
    wanted = {".txt", ".docx", ".xlsx", ".pdf"}
    expected = [p for p in sorted(tmp_path.rglob("*"))
                if p.is_file() and p.suffix.lower() in wanted and not p.name.endswith(".expected.json")]
    assert found == expected
    assert [p.relative_to(tmp_path).as_posix() for p in found][:3] == ["a/.hidden.txt", "a/B.TXT", "a/b.txt"]


def test_a_load_that_records_nothing_does_not_copy_the_warehouse(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    write_record(folder, "good.txt", record())
    folder.joinpath("bad.txt").write_text(json.dumps({"raise": "模板出错"}), encoding="utf-8")
    db = tmp_path / "w.duckdb"
    assert run([folder], db).wrote
    before = (db.read_bytes(), connect.version(db))

    def no_copy(db):
        raise AssertionError("the warehouse was copied")

    monkeypatch.setattr(load_run, "staged_copy", no_copy)
    again = run([folder], db, workers=2)  # the failing file is parsed again and fails as before
    assert (again.unchanged, again.failed, again.wrote) == (1, 1, False)
    assert (db.read_bytes(), connect.version(db)) == before


def test_a_load_committed_in_several_transactions_is_complete(tmp_path, monkeypatch):
    monkeypatch.setattr(write, "FLUSH_FILES", 2)
    monkeypatch.setattr(write, "CHECKPOINT_FILES", 3)  # commit and checkpoint after every second flush
    ind = [{"level": 3, "level1": "产出", "weight": "5", "score": "4", "line": 3}]
    files = [write_record(tmp_path / "in", f"{i}.txt", record(unit=f"县{i}总工会", indicators=ind)) for i in range(9)]
    db = tmp_path / "w.duckdb"
    s = run(files, db)
    assert (s.new, s.evaluations, s.indicators) == (9, 9, 9)
    assert q(db, "SELECT count(*), min(evaluation_id), max(evaluation_id) FROM evaluation") == [(9, 1, 9)]
    assert q(db, "SELECT count(*), count(DISTINCT evaluation_id) FROM indicator") == [(9, 9)]
    assert q(db, "SELECT count(DISTINCT file_id) FROM source_line") == [(9,)]
    assert q(db, "SELECT count(*) FROM mv_evaluation") == [(9,)]
