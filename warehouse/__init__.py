"""The DuckDB warehouse: tables and views from sql/, loading, safe read-only access, export.

Modules: connect (read-only connections, the staged writer copy), registry (the sql/ files),
load (`python -m loaders load`), safe (untrusted SQL), export (Parquet), __main__ (CLI).
"""
