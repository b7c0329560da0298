"""The Dask engine: `python -m loaders load DIR --engine dask [--scheduler ADDRESS] [--lake DIR]`.

The same parse function as the local pool is mapped over the files on a Dask cluster (the one at
ADDRESS, or a LocalCluster with one single-threaded worker process per core when none is given).
Each task writes its records as Parquet, partitioned by fiscal year and province, into a staging
folder of the lake (lake.write_records); the warehouse is then built from that dataset by the same
writer as a local load, with the same ids, revisions and idempotence (files already loaded are
left out before anything is sent to the cluster, as in a local load), and the rows of the load
run are added to the lake in the layout of `python -m warehouse export` (lake.publish).

The workers of a remote cluster must run this project's code and see the report files and the
lake folder at the same paths as the machine that starts the load (a shared file system). On a
cluster a file has no time or memory limit of its own (tasks run in worker threads, where the
local pool's alarm does not reach): the cluster's worker memory limits and restarts apply, and a
task whose worker keeps dying fails the load, leaving the warehouse as it was.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from warehouse.load import lake as lake_files
from warehouse.load.pool import PARSE_SECONDS
from warehouse.load.run import Job, run_load
from warehouse.load.summary import LoadSummary
from warehouse.load.write import Writer

TASK_FILES = 250  # files per cluster task (at most): each task writes one Parquet file per table and partition


def default_lake(db: str | os.PathLike) -> Path:
    """The lake beside the warehouse: data/warehouse.duckdb -> data/warehouse.lake/."""
    return Path(db).with_suffix(".lake")


class DaskFeed:
    """Parsed files reach the writer through the Parquet dataset the cluster tasks write."""

    def __init__(self, db: Path, lake: Path, scheduler: str | None, workers: int, parse_seconds: float):
        self.db, self.lake, self.scheduler, self.parse_seconds = db, lake, scheduler, parse_seconds
        self.workers = workers
        self.client = self.cluster = self.staging = None

    def _connect(self) -> Any:
        from distributed import Client, LocalCluster

        if self.scheduler:
            self.client = Client(self.scheduler)
            self.workers = len(self.client.scheduler_info().get("workers", {})) or self.workers
        else:
            self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        return self.client

    def run(self, jobs: list[Job], writer: Writer, summary: LoadSummary, file_done: Callable[[], None]) -> None:
        if not jobs:
            return
        from distributed import as_completed

        client = self._connect()
        self.staging = lake_files.new_staging(self.lake)
        size = max(1, min(TASK_FILES, -(-len(jobs) // (self.workers * 4))))
        tasks = [jobs[k:k + size] for k in range(0, len(jobs), size)]
        futures = client.map(lake_files.write_records, tasks, range(len(tasks)), staging=str(self.staging),
                             seconds=self.parse_seconds, pure=False)
        for future in as_completed(futures):
            future.result()  # a task that failed (its workers kept dying) fails the load
        self._disconnect()  # the local cluster's processes end before the build needs the memory
        lake_files.stage(self.staging, writer, summary, file_done)

    def _disconnect(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    def close(self, ok: bool, load_run_id: int | None) -> None:
        try:
            if ok and load_run_id is not None:
                lake_files.publish(self.db, self.lake, load_run_id)
        finally:
            if self.staging is not None:
                lake_files.remove(self.staging)
                self.staging = None
            self._disconnect()


def load_paths_dask(paths: list[str], db: str | os.PathLike, scheduler: str | None = None,
                    workers: int | None = None, quiet: bool = True, lake: str | os.PathLike | None = None,
                    progress: Callable[[int, int], None] | None = None,
                    parse_seconds: float = PARSE_SECONDS) -> LoadSummary:
    """Load files and folders into the warehouse at `db`, parsing on a Dask cluster (see the
    module docstring); `lake`: the Parquet lake (default: beside the warehouse, <db>.lake/)."""
    db = Path(db)
    feed = DaskFeed(db, Path(lake) if lake else default_lake(db), scheduler,
                    max(1, workers or os.cpu_count() or 1), parse_seconds)
    return run_load(paths, db, feed, quiet, progress)
