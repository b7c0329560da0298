"""The Dask engine: a LocalCluster with 2 workers loads the real reports and a few dozen demo files
and gives the same warehouse as a local load (every table and view: row count and checksum), with
the same revisions and idempotence; the records and the run's rows land in a Parquet lake in the
layout of `python -m warehouse export`."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from warehouse.export import fingerprint
from warehouse.load import load_paths
from warehouse.load.cluster import load_paths_dask

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    from loaders.demo import generate

    folder = tmp_path_factory.mktemp("dask")
    shutil.copytree(ROOT / "data" / "reports", folder / "reports")
    generate(folder / "demo", 2, (2022, 2023), seed=3, formats=("txt", "docx", "xlsx"))
    return folder


@pytest.fixture(scope="module")
def scheduler():
    """One LocalCluster of 2 single-threaded worker processes for the module's loads (given by
    address, as --scheduler does; the CLI test lets the load start its own)."""
    import logging

    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address


def _hive(lake: Path, table: str) -> str:
    return f"read_parquet('{lake / table}/**/*.parquet', hive_partitioning = true)"


@pytest.mark.timeout(300)
def test_a_dask_load_gives_the_warehouse_a_local_load_gives(corpus, scheduler, tmp_path):
    local, dask, lake = tmp_path / "local.duckdb", tmp_path / "dask.duckdb", tmp_path / "lake"
    paths = [str(corpus / "reports"), str(corpus / "demo")]
    a = load_paths(paths, local, workers=2)
    b = load_paths_dask(paths, dask, scheduler=scheduler, lake=lake)
    assert a.wrote and b.wrote and a.files_seen == b.files_seen >= 20
    assert (a.new, a.failed, a.evaluations, a.indicators, a.lines) == (b.new, b.failed, b.evaluations, b.indicators,
                                                                        b.lines)
    assert fingerprint(dask) == fingerprint(local)
    # the lake: this run's rows, partitioned by year and province, as the warehouse holds them
    con = duckdb.connect(str(dask), read_only=True)
    try:
        assert con.execute(f"SELECT count(*) FROM {_hive(lake, 'indicator')}").fetchone()[0] == a.indicators
        years = con.execute(f"SELECT DISTINCT fiscal_year FROM {_hive(lake, 'evaluation')} ORDER BY 1").fetchall()
        assert years == con.execute("SELECT DISTINCT fiscal_year FROM evaluation ORDER BY 1").fetchall()
        assert con.execute(f"""SELECT count(*) FROM {_hive(lake, 'evaluation')} AS l
                               JOIN evaluation AS e USING (evaluation_id)
                               WHERE l.sha256 <> e.sha256 OR l.total_score IS DISTINCT FROM e.total_score""").fetchone() == (0,)
    finally:
        con.close()
    assert all(p.name.startswith("province=") for p in (lake / "metric").glob("fiscal_year=*/*"))
    assert not (lake / "_staging").exists()
    # unchanged: nothing to do for either engine
    again = load_paths_dask(paths, dask, scheduler=scheduler, lake=lake)
    assert (again.unchanged, again.wrote) == (a.files_seen, False)
    # a changed report is revision 2 in both, and only its run's rows are added to the lake
    report = next((corpus / "reports").glob("*.txt"))
    report.write_text(report.read_text(encoding="utf-8").replace("评价", "评价 ", 1), encoding="utf-8")
    a2 = load_paths(paths, local, workers=2)
    b2 = load_paths_dask(paths, dask, scheduler=scheduler, lake=lake)
    assert (a2.revised, a2.unchanged) == (b2.revised, b2.unchanged) == (1, a.files_seen - 1)
    assert fingerprint(dask) == fingerprint(local)
    assert sorted(p.name.split("-")[0] for p in (lake / "evaluation").rglob("*.parquet")).count("run2") == 1


@pytest.mark.timeout(120)
def test_the_cli_loads_on_a_local_cluster_of_its_own(tmp_path):
    import subprocess
    import sys

    db = tmp_path / "w.duckdb"
    r = subprocess.run([sys.executable, "-m", "loaders", "load", str(ROOT / "data" / "reports"), "--db", str(db),
                        "--engine", "dask", "--workers", "2", "-q"], cwd=ROOT, capture_output=True, text=True,
                       timeout=110)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "新增 4" in r.stdout
    assert sorted(p.name for p in (tmp_path / "w.lake").iterdir()) == [
        "_runs", "dimension_score", "evaluation", "finding", "indicator", "load_run", "metric", "quality_flag",
        "satisfaction", "source_file", "source_text", "unit"]
    bad = subprocess.run([sys.executable, "-m", "loaders", "load", "x", "--scheduler", "tcp://127.0.0.1:1"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "--engine dask" in bad.stderr
