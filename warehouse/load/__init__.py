"""Load report files into the warehouse: `python -m loaders load PATH... [--db FILE]
[--engine local|dask [--scheduler ADDRESS]]`.

One module per job:

- files.py: list the files and hash them; a file whose SHA-256 is already loaded is not parsed
  again, and an unchanged reload is answered from <db>.loaded without opening DuckDB.
- pool.py: parse the rest in a bounded process pool (time and memory limits per file, a worker
  that dies fails only its file), in chunks, in input order.
- flatten.py: each record as plain rows checked against the record contract and the column
  types (a bad record fails its own file), with the derived indicator structure.
- keys.py: unit, subject and evaluation keys (what makes a changed report a revision).
- write.py: the single writer: ids, revisions and bulk appends (polars frames through the Arrow
  C stream) to a staged copy of the warehouse; the text of each file is one source_text row.
- regions.py, schema.py: the region reference; the schema as sql/ defines it now.
- run.py: one load start to end, the staged copy put in place in one atomic rename; `main` is
  the CLI's entry point (loaders/__main__.py calls it; nothing here imports the CLI).
- lake.py, cluster.py: the Dask engine: the same parse mapped over files on a cluster, the
  records written as a Parquet dataset (partitioned by fiscal year and province, the layout of
  `python -m warehouse export`), then loaded by the same writer.

A crash anywhere before the rename leaves the previous warehouse exactly as it was. Before the
rename, the summary tables the views read are rebuilt (finish_load), so readers see them in step
with the rows; a warehouse written under older sql/ definitions is brought up to date at the next
load, even when no file changed.
"""

from warehouse.load.files import hash_file, loaded_list_path
from warehouse.load.flatten import (
    CHILD_TABLES,
    ROW_LISTS,
    ContractError,
    flatten,
    indicator_structure,
)
from warehouse.load.keys import evaluation_key, subject_key, unit_key
from warehouse.load.pool import PARSE_SECONDS, Chunk, FileOutcome, parse_chunk, parse_file, read_and_parse
from warehouse.load.regions import region_fingerprint, region_reference, refresh_regions
from warehouse.load.run import load_paths, main, run_load
from warehouse.load.schema import SchemaDrift
from warehouse.load.summary import LoadSummary
from warehouse.load.write import Writer, finish_load

__all__ = [
    "CHILD_TABLES", "PARSE_SECONDS", "ROW_LISTS", "Chunk", "ContractError", "FileOutcome", "LoadSummary",
    "SchemaDrift", "Writer", "evaluation_key", "finish_load", "flatten", "hash_file", "indicator_structure",
    "load_paths", "loaded_list_path", "main", "parse_chunk", "parse_file", "read_and_parse", "refresh_regions",
    "region_fingerprint", "region_reference", "run_load", "subject_key", "unit_key",
]
