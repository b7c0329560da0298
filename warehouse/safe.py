"""A read-only connection for untrusted SQL (the dashboard's SQL console, `python -m warehouse sql`).

Layers, each enough on its own for the cases it covers:
1. Only one statement, and only SELECT (with WITH/FROM/DESCRIBE/SHOW/SUMMARIZE forms) or EXPLAIN:
   ATTACH, COPY, INSTALL, LOAD, SET, PRAGMA, CREATE, EXPORT… are refused before anything runs.
2. The warehouse is attached READ_ONLY to a private in-memory database.
3. Then external access is switched off (no file, network, extension or secret access:
   read_csv('/etc/passwd') fails), extension autoloading and autoinstalling are off, and the
   configuration is locked, so no statement can switch any of it back on.
4. A time limit (a timer thread interrupts the query), a row limit (rows are streamed and the
   stream is dropped after the limit) and a memory limit.
Messages are in Chinese and English.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from warehouse.connect import CATALOG, WarehouseMissing, default_path

ALLOWED_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MEMORY_LIMIT = "1GB"

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


class QueryRefused(Exception):
    """The query was not run, or was stopped; the message says why in Chinese and English."""


class QueryTimeout(QueryRefused):
    pass


@dataclass
class SafeResult:
    table: pa.Table
    truncated: bool  # more rows existed than max_rows
    seconds: float

    @property
    def columns(self) -> list[str]:
        return self.table.column_names


def check_statement(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """The single allowed statement's text, or QueryRefused."""
    if not sql or not sql.strip().rstrip(";").strip():
        raise QueryRefused("请输入一条查询语句 (enter a query)")
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as e:
        raise QueryRefused(f"SQL 语法错误 (syntax error): {_first_line(e)}") from None
    if len(statements) != 1:
        raise QueryRefused(f"一次只能执行一条语句，这里有 {len(statements)} 条 (one statement at a time)")
    st = statements[0]
    if st.type not in ALLOWED_STATEMENTS:
        name = st.type.name
        hint = _REFUSED_HINTS.get(name, f"只允许 SELECT 查询 (only SELECT queries are allowed; got {name})")
        raise QueryRefused(f"已拒绝 (refused): {hint}")
    return sql.strip().rstrip(";")


def _first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


class SafeConnection:
    """Run untrusted read-only SQL against the warehouse with a time, row and memory limit."""

    def __init__(
        self,
        path: str | os.PathLike | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        max_rows: int = DEFAULT_MAX_ROWS,
        memory_limit: str = DEFAULT_MEMORY_LIMIT,
        threads: int | None = None,
    ):
        p = os.fspath(path or default_path())
        if not os.path.exists(p):
            raise WarehouseMissing(f"数据仓库不存在: {p} (warehouse not found)")
        self.path = p
        self.timeout_s = timeout_s
        self.max_rows = max_rows
        config = {
            "autoload_known_extensions": False,
            "autoinstall_known_extensions": False,
            "allow_community_extensions": False,
            "allow_unsigned_extensions": False,
            "memory_limit": memory_limit,
        }
        if threads:
            config["threads"] = threads
        self._con = duckdb.connect(":memory:", config=config)
        escaped = p.replace("'", "''")
        self._con.execute(f"ATTACH '{escaped}' AS {CATALOG} (READ_ONLY)")
        self._con.execute(f"USE {CATALOG}")
        # Order matters: the attach above needs file access; after these two lines nothing can
        # reach a file, the network or an extension, and no setting can be changed back.
        self._con.execute("SET enable_external_access = false")
        self._con.execute("SET lock_configuration = true")
        self._lock = threading.Lock()

    def query(self, sql: str, max_rows: int | None = None, timeout_s: float | None = None) -> SafeResult:
        """Run one read-only statement; QueryRefused (or QueryTimeout) with a clear message."""
        limit = self.max_rows if max_rows is None else max_rows
        timeout = self.timeout_s if timeout_s is None else timeout_s
        text = check_statement(self._con, sql)
        with self._lock:
            cur = self._con  # cursors would start in the in-memory catalog, not the warehouse
            timed_out = threading.Event()

            def stop() -> None:
                timed_out.set()
                cur.interrupt()

            timer = threading.Timer(timeout, stop)
            t0 = time.perf_counter()
            timer.start()
            try:
                reader = cur.sql(text).to_arrow_reader(min(limit + 1, 10_000) or 1)
                batches, n = [], 0
                for batch in reader:
                    batches.append(batch)
                    n += batch.num_rows
                    if n > limit:
                        break
                reader.close()
                table = pa.Table.from_batches(batches, schema=reader.schema)
            except duckdb.InterruptException:
                raise QueryTimeout(
                    f"查询超过 {timeout:g} 秒已停止，请加筛选条件或 LIMIT "
                    f"(stopped after {timeout:g} s; add filters or a LIMIT)"
                ) from None
            except duckdb.OutOfMemoryException:
                raise QueryRefused(
                    "查询所需内存超过上限已停止，请缩小范围 (stopped: the query needs more memory than allowed)"
                ) from None
            except duckdb.PermissionException as e:
                raise QueryRefused(
                    f"已拒绝：不能访问文件、网络或扩展 (refused: no file, network or extension access): {_first_line(e)}"
                ) from None
            except duckdb.Error as e:
                if timed_out.is_set():
                    raise QueryTimeout(
                        f"查询超过 {timeout:g} 秒已停止 (stopped after {timeout:g} s)"
                    ) from None
                raise QueryRefused(f"查询出错 (query error): {_first_line(e)}") from None
            finally:
                timer.cancel()
        truncated = table.num_rows > limit
        if truncated:
            table = table.slice(0, limit)
        return SafeResult(table=table, truncated=truncated, seconds=time.perf_counter() - t0)

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> SafeConnection:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
