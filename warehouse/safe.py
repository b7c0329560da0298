"""Untrusted read-only SQL on the warehouse (the dashboard's SQL console, `python -m warehouse sql`).

Both go through `run_query` (or `SafeConnection.query`, the same thing with the limits kept):
every query runs in a process of its own (warehouse/sqlrun.py) that is thrown away afterwards,
so nothing a query creates (a TEMP VIEW shadowing v_evaluation, a MACRO named round) outlives
it, and the limits are enforced by the kernel rather than by the query's good will.

Layers, each enough on its own for the cases it covers:
1. Only one statement, and only SELECT (with WITH/FROM/DESCRIBE/SHOW/SUMMARIZE forms) or
   EXPLAIN [ANALYZE] of such a SELECT: ATTACH, COPY, INSTALL, LOAD, SET, PRAGMA, CREATE,
   EXPORT, EXPLAIN CREATE… are refused before anything runs.
2. A fresh in-memory database per query, in a fresh process; the warehouse is attached
   READ_ONLY to it.
3. Then external access is switched off (no file, network, extension or secret access:
   read_csv('/etc/passwd') fails), extension autoloading and autoinstalling are off, and the
   configuration is locked, so no statement can switch any of it back on. DuckDB's spill files
   go to a per-query folder under the warehouse's folder, bounded in size, removed afterwards.
4. Limits: wall clock (the parent kills the process at the time limit; the process also has an
   alarm of its own), memory (an address-space limit set in the process once DuckDB is up, with
   DuckDB's memory_limit below it so large sorts spill instead of failing), rows (streamed,
   dropped after the limit) and result bytes.
Messages are in Chinese with the English gist; DuckDB's own text is kept as `detail`.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from warehouse.connect import CATALOG, WarehouseMissing, default_path

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MEMORY_LIMIT = "1GB"  # what a query may allocate beyond the process's starting size
DEFAULT_TEMP_LIMIT = "1GB"  # DuckDB spill files per query
DEFAULT_MAX_RESULT_BYTES = 64 * 2**20  # Arrow bytes handed back; the rest is cut like extra rows
MAX_SQL_CHARS = 100_000
TEMP_DIR_ENV = "SQL_TEMP_DIR"  # where the per-query spill folders go; <warehouse folder>/.sql_tmp by default

_REFUSED_HINTS = {
    "ATTACH": "不能挂载其他数据库 (ATTACH is not allowed)",
    "DETACH": "不能卸载数据库 (DETACH is not allowed)",
    "COPY": "不能读写文件 (COPY is not allowed; use the download buttons or `python -m warehouse export`)",
    "EXPORT": "不能导出到文件 (EXPORT is not allowed)",
    "LOAD": "不能安装或加载扩展 (INSTALL/LOAD is not allowed)",
    "SET": "不能修改设置或切换数据库 (SET/RESET/USE is not allowed)",
    "VARIABLE_SET": "不能修改设置 (SET is not allowed)",
    "PRAGMA": "不能执行 PRAGMA；查看表结构请用 DESCRIBE 表名 或 SELECT * FROM duckdb_columns() "
              "(PRAGMA is not allowed; use DESCRIBE or duckdb_columns())",
    "CREATE": "只读：不能创建对象 (read-only: CREATE is not allowed)",
    "INSERT": "只读：不能修改数据 (read-only: INSERT is not allowed)",
    "UPDATE": "只读：不能修改数据 (read-only: UPDATE is not allowed)",
    "DELETE": "只读：不能修改数据 (read-only: DELETE is not allowed)",
    "DROP": "只读：不能删除对象 (read-only: DROP is not allowed)",
    "ALTER": "只读：不能修改对象 (read-only: ALTER is not allowed)",
    "TRANSACTION": "不需要事务语句 (transactions are not allowed)",
    "CALL": "不能调用过程；表函数请写成 SELECT * FROM 函数名(...) (CALL is not allowed; use SELECT * FROM f(...))",
    "MULTI": "该语句会隐式创建对象（如不带 IN 列表的 PIVOT）；请写明 PIVOT ... IN (...) 或改用 GROUP BY "
             "(this statement creates objects; use PIVOT ... IN (...) or GROUP BY)",
}

# DuckDB's error classes, said in Chinese (the class name and DuckDB's text stay in `detail`).
_ERROR_KINDS = {
    "CatalogException": "找不到表、视图、字段或函数",
    "BinderException": "字段、函数或参数用法有误",
    "ParserException": "SQL 语法错误",
    "ConversionException": "类型转换失败",
    "InvalidInputException": "输入无效",
    "OutOfRangeException": "数值超出范围",
    "InvalidTypeException": "类型不匹配",
    "NotImplementedException": "DuckDB 不支持该写法",
}

_EXPLAIN = re.compile(r"\A\s*EXPLAIN\s+(ANALY[SZ]E\s+)?(?:\(\s*FORMAT\s+(TEXT|JSON|HTML|GRAPHVIZ|YAML)\s*\)\s*)?(?=\S)",
                      re.IGNORECASE)


class QueryRefused(Exception):
    """The query was not run, or was stopped; the message says why in Chinese (with the English
    gist). `detail` keeps DuckDB's own text when there is one; `pid` is the process that ran it."""

    def __init__(self, message: str, detail: str | None = None, pid: int | None = None):
        super().__init__(message)
        self.detail = detail
        self.pid = pid


class QueryTimeout(QueryRefused):
    pass


@dataclass
class SafeResult:
    table: object  # a pyarrow.Table
    truncated: bool  # more rows (or bytes) existed than the limits let through
    seconds: float
    pid: int | None = field(default=None, compare=False)  # the process that ran the query (now gone)

    @property
    def columns(self) -> list[str]:
        return self.table.column_names


def parse_size(value: str | int) -> int:
    """'1GB', '256MB', '512KiB' or a number of bytes -> bytes."""
    if isinstance(value, int):
        return value
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(I?B)?\s*", value.upper())
    if not m:
        raise ValueError(f"not a size: {value!r}")
    return int(float(m.group(1)) * 1024 ** " KMGT".index(m.group(2) or " "))


def check_statement(sql: str, con=None) -> str:
    """The text to run for the single allowed statement, or QueryRefused. `con` is any DuckDB
    connection (only its parser is used); a private one is made when none is given."""
    if not sql or not sql.strip().rstrip(";").strip():
        raise QueryRefused("请输入一条查询语句 (enter a query)")
    if len(sql) > MAX_SQL_CHARS:
        raise QueryRefused(f"查询语句过长（超过 {MAX_SQL_CHARS:,} 个字符）(the query is too long)")
    import duckdb

    own = con is None
    con = duckdb.connect(":memory:") if own else con
    try:
        statements = _statements(con, sql)
        if len(statements) != 1:
            raise QueryRefused(f"一次只能执行一条语句，这里有 {len(statements)} 条 (one statement at a time)")
        st = statements[0]
        if st.type == duckdb.StatementType.EXPLAIN:
            # EXPLAIN [ANALYZE] runs what it explains: allowed only around one plain SELECT, and
            # what runs is rebuilt from the checked SELECT, never the user's text as a whole.
            m = _EXPLAIN.match(st.query)
            try:
                inner = _statements(con, st.query[m.end():]) if m else []
            except QueryRefused:
                inner = []
            if not m or len(inner) != 1 or inner[0].type != duckdb.StatementType.SELECT:
                raise QueryRefused("已拒绝 (refused): EXPLAIN 只能用于一条 SELECT 查询 "
                                   "(EXPLAIN [ANALYZE] is allowed around a single SELECT only)")
            return ("EXPLAIN " + ("ANALYZE " if m.group(1) else "") + (f"(FORMAT {m.group(2).lower()}) " if m.group(2) else "")
                    + inner[0].query.strip().rstrip(";"))
        if st.type != duckdb.StatementType.SELECT:
            name = st.type.name
            hint = _REFUSED_HINTS.get(name, f"只允许 SELECT 查询 (only SELECT queries are allowed; got {name})")
            raise QueryRefused(f"已拒绝 (refused): {hint}")
        return sql.strip().rstrip(";").strip()
    finally:
        if own:
            con.close()


def _statements(con, sql: str) -> list:
    import duckdb

    try:
        return con.extract_statements(sql)
    except duckdb.Error as e:
        raise QueryRefused(f"SQL 语法错误 (syntax error): {_first_line(e)}", detail=str(e)) from None


def _first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


def temp_root(path: str | os.PathLike) -> Path:
    """The folder under which each query gets its spill folder: SQL_TEMP_DIR, else
    `.sql_tmp` beside the warehouse file (the data directory), never the working directory."""
    env = os.environ.get(TEMP_DIR_ENV)
    return Path(env).resolve() if env else Path(path).resolve().parent / ".sql_tmp"


def run_query(
    sql: str,
    path: str | os.PathLike | None = None,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    max_rows: int = DEFAULT_MAX_ROWS,
    memory_limit: str | int = DEFAULT_MEMORY_LIMIT,
    temp_limit: str | int = DEFAULT_TEMP_LIMIT,
    max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES,
    threads: int | None = None,
    scope: str = "",
) -> SafeResult:
    """Run one untrusted read-only statement in a throw-away process; SafeResult, or QueryRefused
    (QueryTimeout) with a clear message. WarehouseMissing when the file does not exist.
    `scope` (a GB/T 2260 prefix, '' = national) limits what the query sees to that region: the
    warehouse's objects are replaced by their rows in scope and the warehouse is detached
    before the query runs (`_install_scope`)."""
    if scope and not SCOPE_RE.fullmatch(scope):
        raise QueryRefused(f"地区范围无效 (bad region scope): {scope!r}")
    p = Path(path or default_path())
    if not p.exists():
        raise WarehouseMissing(f"数据仓库不存在: {p} (warehouse not found)")
    if not sql or not sql.strip().rstrip(";").strip():
        raise QueryRefused("请输入一条查询语句 (enter a query)")
    if len(sql) > MAX_SQL_CHARS:
        raise QueryRefused(f"查询语句过长（超过 {MAX_SQL_CHARS:,} 个字符）(the query is too long)")
    from warehouse import sqlrun

    request = {
        "sql": sql,
        "path": str(p.resolve()),
        "timeout_s": float(timeout_s),
        "max_rows": int(max_rows),
        "memory_bytes": parse_size(memory_limit),
        "temp_bytes": parse_size(temp_limit),
        "max_result_bytes": int(max_result_bytes),
        "threads": threads,
        "scope": scope or "",
    }
    return sqlrun.run(request, temp_root(p))


class SafeConnection:
    """The limits of `run_query` kept for several queries. Holds no connection: every query
    gets a fresh process and database (the name stays for the callers)."""

    def __init__(
        self,
        path: str | os.PathLike | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        max_rows: int = DEFAULT_MAX_ROWS,
        memory_limit: str | int = DEFAULT_MEMORY_LIMIT,
        threads: int | None = None,
        scope: str = "",
    ):
        p = Path(path or default_path())
        if not p.exists():
            raise WarehouseMissing(f"数据仓库不存在: {p} (warehouse not found)")
        self.path = p
        self.timeout_s = timeout_s
        self.max_rows = max_rows
        self.memory_limit = memory_limit
        self.threads = threads
        self.scope = scope

    def query(self, sql: str, max_rows: int | None = None, timeout_s: float | None = None) -> SafeResult:
        return run_query(sql, self.path, timeout_s=self.timeout_s if timeout_s is None else timeout_s,
                         max_rows=self.max_rows if max_rows is None else max_rows,
                         memory_limit=self.memory_limit, threads=self.threads, scope=self.scope)

    def close(self) -> None:
        pass

    def __enter__(self) -> SafeConnection:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# ---------------------------------------------------------------------------------------------
# Inside the query process (called by warehouse.sqlrun in the forked child)


def execute(request: dict, temp_dir: str) -> tuple[dict, bytes]:
    """Run the request in this (throw-away) process: (header, Arrow IPC stream bytes). Errors are
    returned in the header ({"error": kind, "message", "detail"}), never raised."""
    import duckdb

    t0 = time.perf_counter()
    try:
        con = duckdb.connect(":memory:", config=_config(request, temp_dir))
        text = check_statement(request["sql"], con)
        con.execute(f"ATTACH '{request['path'].replace(chr(39), chr(39) * 2)}' AS {CATALOG} (READ_ONLY)")
        con.execute(f"USE {CATALOG}")
        if request.get("scope"):
            _install_scope(con, request["scope"], text)
        # Order matters: the attach above needs file access; after these lines nothing can reach
        # a file, the network or an extension, and no setting can be changed back.
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        _cap_address_space(2 * request["memory_bytes"])
        table, truncated = _fetch(con, text, request["max_rows"], request["max_result_bytes"])
        import pyarrow as pa

        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        payload = sink.getvalue().to_pybytes()
        return {"ok": True, "truncated": truncated, "seconds": time.perf_counter() - t0}, payload
    except QueryRefused as e:
        return {"error": "refused", "message": str(e), "detail": e.detail}, b""
    except (duckdb.OutOfMemoryException, MemoryError) as e:
        return {"error": "memory", "message": _memory_message(request), "detail": str(e)}, b""
    except duckdb.PermissionException as e:
        return {"error": "refused", "detail": str(e),
                "message": f"已拒绝：不能访问文件、网络或扩展 (refused: no file, network or extension access): "
                           f"{_first_line(e)}"}, b""
    except Exception as e:  # noqa: BLE001 - a message, never a traceback
        if "out of memory" in str(e).lower() or "bad_alloc" in str(e).lower():
            return {"error": "memory", "message": _memory_message(request), "detail": str(e)}, b""
        if not isinstance(e, duckdb.Error):  # Arrow or anything else
            return {"error": "error", "detail": f"{type(e).__name__}: {e}",
                    "message": f"查询出错 (query error): {_first_line(e)}"}, b""
        kind = _ERROR_KINDS.get(type(e).__name__, "DuckDB 报错")
        return {"error": "error", "detail": str(e),
                "message": f"查询出错：{kind} (query error): {_first_line(e)}"}, b""


def _memory_message(request: dict) -> str:
    mb = request["memory_bytes"] // 2**20
    return (f"查询所需内存超过上限（{mb:,} MB）已停止，请缩小范围或加 LIMIT "
            f"(stopped: the query needs more memory than the {mb} MB allowed)")


def _config(request: dict, temp_dir: str) -> dict:
    config = {
        "autoload_known_extensions": False,
        "autoinstall_known_extensions": False,
        "allow_community_extensions": False,
        "allow_unsigned_extensions": False,
        # below the address-space cap, so sorts and joins spill to disk before allocation fails
        "memory_limit": f"{max(request['memory_bytes'] * 3 // 5 // 2**20, 64)}MiB",
        "temp_directory": temp_dir,
        "max_temp_directory_size": f"{request['temp_bytes'] // 2**20}MiB",
    }
    if request.get("threads"):
        config["threads"] = int(request["threads"])
    return config


def _cap_address_space(extra: int) -> None:
    """Limit this process's address space to what it maps now plus `extra` bytes: once DuckDB's
    threads and allocator are up, any allocation past that fails (DuckDB reports it as out of
    memory), whatever the parent's watch on resident memory (the limit proper) may miss between
    two looks. Allocators map more than they touch, so `extra` is twice that limit."""
    import resource

    with open("/proc/self/status") as f:
        vm = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
    limit = vm + extra
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _fetch(con, text: str, max_rows: int, max_bytes: int):
    import pyarrow as pa

    reader = con.sql(text).to_arrow_reader(min(max_rows + 1, 10_000) or 1)
    batches, n, size, truncated = [], 0, 0, False
    for batch in reader:
        if n + batch.num_rows > max_rows:
            batch = batch.slice(0, max_rows - n)
            truncated = True
        if size + batch.nbytes > max_bytes:
            lo, hi = 0, batch.num_rows  # the most rows that fit
            while lo < hi:
                mid = (lo + hi + 1) // 2
                lo, hi = (mid, hi) if size + batch.slice(0, mid).nbytes <= max_bytes else (lo, mid - 1)
            batch = batch.slice(0, lo)
            truncated = True
        batches.append(batch)
        n += batch.num_rows
        size += batch.nbytes
        if truncated:
            break
    schema = reader.schema
    reader.close()
    return pa.Table.from_batches(batches, schema=schema), truncated


# ---------------------------------------------------------------------------------------------
# Region scope: what a user limited to one province, city or county may read


SCOPE_RE = re.compile(r"\d{2}|\d{4}|\d{6}")
# Reference data every user may read whole (the list of administrative divisions).
_UNSCOPED = {"region"}
# Aggregates per province or city without an admin_code: read by the region's names.
_BY_NAME = {"v_coverage", "mv_coverage", "v_satisfaction_distribution", "mv_satisfaction_distribution"}


def scope_selects(con, scope: str, catalog: str = CATALOG) -> dict[str, str]:
    """For every table and view of the warehouse attached as `catalog`, the SELECT that returns
    only its rows within `scope` (a GB/T 2260 prefix: '36', '3601' or '360104'), by name:

    - objects with admin_code: `admin_code LIKE 'scope%'` (one more condition on the view);
    - rows of one evaluation (indicator, metric, …): their evaluation's unit is in scope;
    - source files and their lines: files of an evaluation in scope (a file that gave no
      evaluation, e.g. a failed one, is seen by national users only);
    - coverage and satisfaction distributions (per province / city, no admin_code): the rows of
      the scope's province (a province scope) or city (a city scope); none for a county scope;
    - the region reference: whole; anything else (load_run …): no rows.
    Units without an admin_code are outside every scope."""
    if not SCOPE_RE.fullmatch(scope or ""):
        raise ValueError(f"not a region scope: {scope!r}")
    wh = f"{catalog}.main"
    like = f"'{scope}%'"
    units = f"SELECT unit_id FROM {wh}.unit WHERE admin_code LIKE {like}"
    evaluations = f"SELECT evaluation_id FROM {wh}.evaluation WHERE unit_id IN ({units})"
    files = f"SELECT file_id FROM {wh}.evaluation WHERE unit_id IN ({units})"
    columns: dict[str, set[str]] = {}
    for name, column in con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = ? AND schema_name = 'main'",
            [catalog]).fetchall():
        columns.setdefault(name, set()).add(column)
    names = _scope_names(con, scope, wh)
    out: dict[str, str] = {}
    for name, cols in columns.items():
        src = f"{wh}.{name}"
        if name in _UNSCOPED:
            cond = "TRUE"
        elif "admin_code" in cols:
            cond = f"admin_code LIKE {like}"
        elif name in _BY_NAME:
            if names is None or len(scope) == 6:
                cond = "FALSE"
            elif len(scope) == 2:
                cond = f"province = {_lit(names[0])}"
            else:
                cond = f"region_level = 'city' AND province = {_lit(names[0])} AND city = {_lit(names[1])}"
        elif name == "unit":
            cond = f"admin_code LIKE {like}"
        elif "evaluation_id" in cols:
            cond = f"evaluation_id IN ({evaluations})"
        elif name in ("source_file", "source_text", "source_line"):
            cond = f"file_id IN ({files})"
        else:
            cond = "FALSE"
        out[name] = f"SELECT * FROM {src} WHERE {cond}"
    return out


def _lit(s: str | None) -> str:
    return "NULL" if s is None else "'" + s.replace("'", "''") + "'"


def _scope_names(con, scope: str, wh: str) -> tuple[str | None, str | None] | None:
    """(province, city) names of the scope, from the units of the scope (the region reference may
    be absent); None when no unit is in scope."""
    row = con.execute(f"SELECT any_value(province), any_value(city) FROM {wh}.unit "
                      f"WHERE admin_code LIKE '{scope}%' AND province IS NOT NULL").fetchone()
    return None if row is None or row[0] is None else (row[0], row[1])


def _install_scope(con, scope: str, sql: str) -> None:
    """Inside the query process, for a scoped user: copy the rows within the scope of every
    warehouse object the query names into tables of the in-memory database (same names), then
    DETACH the warehouse. Nothing outside the scope is reachable afterwards, however the query
    is written (wh.main.v_evaluation, query_table('…'), duckdb_views() …): the warehouse is not
    attached any more. Objects are chosen by the words of the query, so a name the query does
    not spell out is simply not there (an error, not a leak)."""
    selects = scope_selects(con, scope)
    words = {w.lower() for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", sql)}
    con.execute("USE memory.main")
    for name, select in selects.items():
        if name.lower() in words:
            con.execute(f'CREATE TABLE memory.main."{name}" AS {select}')
    con.execute(f"DETACH {CATALOG}")
