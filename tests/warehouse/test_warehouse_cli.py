"""The command lines: `python -m loaders load` and `python -m warehouse sql|export|schema`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parents[2]


def cli(*args, cwd=ROOT, env=None):
    e = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, env=e, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    shutil.copytree(ROOT / "data" / "reports", folder / "reports")
    db = folder / "w.duckdb"
    r = cli("loaders", "load", str(folder / "reports"), "--db", str(db), "--workers", "2")
    assert r.returncode == 0, r.stderr
    return folder, db, r


def test_load_prints_a_summary_and_exits_0(loaded):
    _, db, r = loaded
    assert "文件 4 个：新增 4，未变 0，修订 0，失败 0" in r.stdout
    assert "files 4: new 4" in r.stdout and "evaluations" in r.stdout
    assert db.exists()


def test_reload_exits_0_and_says_nothing_changed(loaded):
    folder, db, _ = loaded
    r = cli("loaders", "load", str(folder / "reports"), "--db", str(db), "-q")
    assert r.returncode == 0
    assert "未变 4" in r.stdout and "无需改动" in r.stdout


def test_a_failed_file_makes_the_exit_code_1_and_is_named(loaded, tmp_path):
    _, db, _ = loaded
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0 word 97")
    r = cli("loaders", "load", str(bad), str(old), "--db", str(db), "-q")
    assert r.returncode == 1
    assert f"失败: {bad}: 空文件" in r.stdout
    assert f"失败: {old}: 不支持的格式 .doc" in r.stdout


def test_warehouse_path_environment_variable(loaded):
    _, db, _ = loaded
    r = cli("warehouse", "sql", "SELECT count(*) AS n FROM v_evaluation", "--format", "json",
            env={"WAREHOUSE_PATH": str(db)})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)[0]["n"] >= 4


def test_sql_formats(loaded):
    _, db, _ = loaded
    q = ("SELECT unit_name, total_score FROM v_evaluation WHERE unit_name = '南昌市青云谱区总工会' "
         "AND fiscal_year = 2022")
    as_json = cli("warehouse", "sql", q, "--format", "json", "--db", str(db))
    assert json.loads(as_json.stdout) == [{"unit_name": "南昌市青云谱区总工会", "total_score": 88.78}]
    as_csv = cli("warehouse", "--db", str(db), "sql", q, "--format", "csv")
    assert as_csv.stdout.splitlines() == ["unit_name,total_score", "南昌市青云谱区总工会,88.7800"]
    as_table = cli("warehouse", "sql", q, "--db", str(db))
    assert "南昌市青云谱区总工会" in as_table.stdout and "88.7800" in as_table.stdout


def test_sql_refuses_writes_and_files(loaded):
    _, db, _ = loaded
    r = cli("warehouse", "sql", "COPY evaluation TO '/tmp/x.csv'", "--db", str(db))
    assert r.returncode == 1 and "COPY" in r.stderr and "已拒绝" in r.stderr
    r = cli("warehouse", "sql", "SELECT * FROM read_csv('/etc/passwd')", "--db", str(db))
    assert r.returncode == 1 and "不能访问文件" in r.stderr


def test_sql_row_limit_is_reported(loaded):
    _, db, _ = loaded
    r = cli("warehouse", "sql", "SELECT * FROM range(50)", "--max-rows", "5", "--format", "csv", "--db", str(db))
    assert r.stdout.splitlines()[1:] == ["0", "1", "2", "3", "4"]
    assert "只显示前 5 行" in r.stderr


def test_export_parquet_partitioned_by_fiscal_year_and_province(loaded, tmp_path):
    _, db, _ = loaded
    out = tmp_path / "export"
    r = cli("warehouse", "export", str(out), "--db", str(db))
    assert r.returncode == 0, r.stderr
    counts = dict(line.split("\t") for line in r.stdout.splitlines())
    assert "v_alerts" in counts and not any(name.startswith("mv_") for name in counts)  # views carry the summaries
    years = sorted(p.name for p in (out / "v_evaluation").iterdir())
    assert years == ["fiscal_year=2020", "fiscal_year=2021", "fiscal_year=2022", "fiscal_year=2023"]
    frame = pl.read_parquet(out / "v_evaluation" / "**" / "*.parquet", hive_partitioning=True)
    assert frame.height == int(counts["v_evaluation"])
    assert str(frame.filter(pl.col("fiscal_year") == 2022)["total_score"].to_list()[0]) == "88.7800"
    provinces = {p.name for p in (out / "v_evaluation" / "fiscal_year=2022").iterdir()}
    assert provinces and all(p.startswith("province=") for p in provinces)  # then by province
    lines = pl.read_parquet(out / "source_line" / "**" / "*.parquet", hive_partitioning=True)
    assert lines.height == int(counts["source_line"])  # a file's rows lie under its first evaluation's year
    assert {"fiscal_year", "province"} <= set(pl.read_parquet(out / "indicator" / "**" / "*.parquet",
                                                                hive_partitioning=True).columns)
    assert [p.name for p in (out / "unit").iterdir()] == ["data_0.parquet"]  # no year: not partitioned
    only = cli("warehouse", "export", str(tmp_path / "some"), "--only", "v_coverage", "--db", str(db))
    assert only.returncode == 0 and [p.name for p in (tmp_path / "some").iterdir()] == ["v_coverage"]
    bad = cli("warehouse", "export", str(tmp_path / "x"), "--only", "nope", "--db", str(db))
    assert bad.returncode == 1 and "nope" in bad.stderr


def test_schema_lists_every_object_with_comments(loaded):
    _, db, _ = loaded
    r = cli("warehouse", "schema", "--format", "json", "--db", str(db))
    objects = json.loads(r.stdout)
    from warehouse import registry

    assert [o["name"] for o in objects] == [o.name for o in registry.OBJECTS]
    assert all(o["comment"] and all(c["comment"] for c in o["columns"]) for o in objects)
    text = cli("warehouse", "schema", "--db", str(db)).stdout
    assert "v_procurement_execution  (视图 view)" in text


def test_missing_warehouse_is_explained(tmp_path):
    r = cli("warehouse", "sql", "SELECT 1", "--db", str(tmp_path / "none.duckdb"))
    assert r.returncode == 2 and "数据仓库不存在" in r.stderr
