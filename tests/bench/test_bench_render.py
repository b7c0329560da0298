"""BENCHMARKS.md as the bench writes it: the national row kept with its date when the run did
not redo it, the Dask run beside the local one, the load without the parser (no corpus needed)."""

from __future__ import annotations

from bench.__main__ import kept_national, render

MACHINE = {"cpu": "test cpu", "cores": 2, "memory_gb": 8, "python": "3.11", "duckdb": "2.0", "commit": "abc1234",
           "date": "2026-12-07 12:00 UTC"}
RESULT = {
    "size": "10k",
    "corpus": {"units": 208, "files": 7366, "evaluations": 9962},
    "parse": {"one_core_per_s": 130.0, "all_cores_per_s": 250.0},
    "load": {"seconds": 40.0, "reports_per_s": 249.05, "reload_seconds": 0.5, "size_mb": 38.0, "peak_rss_mb": 500.0,
             "rows": {"source_file": 7366, "source_text": 7366, "evaluation": 9962}, "rows_written": 300000,
             "files_not_ok": 0},
    "dask": {"seconds": 50.0, "reports_per_s": 199.24, "reload_seconds": 0.6, "peak_rss_mb": 900.0, "lake_mb": 20.0,
             "identical": True},
    "noparse": {"seconds": 8.0, "reports_per_s": 1245.25, "writer_cpu_s": 4.0, "workers_cpu_s": 3.0},
}


def test_render_keeps_the_national_row_with_its_date_and_shows_the_dask_run():
    md = render([RESULT], MACHINE, note="Shared machine.")
    kept = kept_national()
    assert kept is not None
    pipeline = md.split("## Pipeline")[1].split("###")[0]
    assert f"| national (run {kept['date'][:10]}, commit {kept['commit']}" in pipeline
    assert "| 10k | 208 | 7,366 | 9,962 | 130.0 | 250.0 | 40.0 | 249.1 ❌ | 0.50 | 1.2% ✅ | 300,000 |" in pipeline
    dask = md.split("### Dask engine beside the local load")[1].split("###")[0]
    assert "| 10k | 40.0 | 249.1 | 50.0 | 199.2 | 0.60 | 900.0 | 20.0 | ✅ |" in dask
    assert "| 10k | 8.0 | 1,245.2 | 4.0 | 3.0 |" in md
    assert "Shared machine." in md.split("## Pipeline")[0]


def test_a_national_run_replaces_the_kept_row():
    md = render([{**RESULT, "size": "national"}], MACHINE)
    assert "| national |" in md and "(run " not in md.split("## Pipeline")[1].split("Rows loaded")[0]
