"""Command line for analysts: python -m warehouse {sql,export,schema} …

sql "SELECT …"   run one read-only query on the safe connection; --format table|csv|json
export DIR       Parquet files of every table and view, partitioned by fiscal year and province
schema           every table and view with its columns and comments (the data dictionary)
users add NAME --role ROLE [--region CODE] [--email E]   a dashboard user (password from stdin)
users list | users remove NAME | users passwd NAME        (the users file: DASHBOARD_USERS or data/users.toml)

Loading is `python -m loaders load PATH…`. --db (or WAREHOUSE_PATH) chooses the warehouse file.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from decimal import Decimal

from warehouse.connect import WarehouseMissing, default_path


def _jsonable(v):
    if isinstance(v, Decimal):
        # Exact as a JSON number while a double holds it exactly; beyond that, as a string.
        return float(v) if len(v.as_tuple().digits) <= 15 else str(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def cmd_sql(args: argparse.Namespace) -> int:
    import polars as pl

    from warehouse.safe import QueryRefused, run_query

    # The dashboard's console takes the same path: a throw-away process per query.
    try:
        result = run_query(args.query, args.db, timeout_s=args.timeout, max_rows=args.max_rows,
                           memory_limit=args.memory_limit, scope=args.scope)
    except QueryRefused as e:
        print(str(e), file=sys.stderr)
        if e.detail:
            print(f"  DuckDB: {e.detail}", file=sys.stderr)
        return 1
    if args.format == "json":
        rows = [{k: _jsonable(v) for k, v in r.items()} for r in result.table.to_pylist()]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    elif args.format == "csv":
        sys.stdout.write(pl.from_arrow(result.table).write_csv())
    else:
        frame = pl.from_arrow(result.table)
        with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=60, tbl_width_chars=200,
                       tbl_hide_dataframe_shape=True):
            print(frame)
    if result.truncated:
        print(f"（只显示前 {args.max_rows} 行 / showing the first {args.max_rows} rows）", file=sys.stderr)
    return 0


def _read_password(confirm: bool = True) -> str:
    """The new password: from getpass on a terminal (asked twice), else the first line of stdin.
    Never from the command line, where other users of the machine could read it."""
    import getpass

    if sys.stdin.isatty():
        first = getpass.getpass("密码: ")
        if confirm and getpass.getpass("再输入一次: ") != first:
            raise SystemExit("两次输入的密码不一致")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_users(args: argparse.Namespace) -> int:
    from warehouse import users

    path = users.users_path()
    try:
        if args.action == "list":
            listed = users.load(path)
            if not listed:
                print(f"没有用户（{path} 不存在或为空）：看板以本地单用户模式运行", file=sys.stderr)
            for u in sorted(listed.values(), key=lambda u: u.name):
                print(f"{u.name}\t{u.role}\t{u.region or '全国'}\t{u.email}")
            return 0
        if args.action == "add":
            user = users.add(args.name, args.role, args.region, _read_password(), args.email, path)
            print(f"已添加 {user.name}（{user.role}，{user.region or '全国'}）到 {path}", file=sys.stderr)
        elif args.action == "passwd":
            users.set_password(args.name, _read_password(), path)
            print(f"已修改 {args.name} 的密码", file=sys.stderr)
        elif args.action == "remove":
            users.remove(args.name, path)
            print(f"已删除 {args.name}", file=sys.stderr)
    except users.UsersError as e:
        print(str(e), file=sys.stderr)
        return 1
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from warehouse.export import export_parquet

    try:
        counts = export_parquet(args.dir, args.db, only=args.only or None)
    except ValueError as e:
        print(str(e), file=sys.stderr)
        return 1
    for name, n in counts.items():
        print(f"{name}\t{n}")
    print(f"已导出 {len(counts)} 个表和视图到 {args.dir} (exported {len(counts)} objects)", file=sys.stderr)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from warehouse import registry
    from warehouse.connect import read_only

    con = read_only(args.db)
    try:
        objects = registry.describe(con)
    finally:
        con.close()
    if args.format == "json":
        print(json.dumps(objects, ensure_ascii=False, indent=1))
        return 0
    for o in objects:
        print(f"\n{o['name']}  ({'表 table' if o['kind'] == 'table' else '视图 view'})\n  {o['comment']}")
        for c in o["columns"]:
            print(f"    {c['name']:<34} {c['type']:<16} {c['comment'] or ''}")
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from warehouse.synth import synthesize

    db = args.db or default_path()
    first, _, last = args.years.partition("-")
    res = synthesize(db, args.units, (int(first), int(last or first)), args.seed, quiet=args.quiet)
    print(json.dumps(res, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m warehouse", description="工会绩效评价数据仓库 (DuckDB)")
    ap.add_argument("--db", default=None, help=f"数据仓库文件（默认 WAREHOUSE_PATH 或 {default_path()}）")
    sub = ap.add_subparsers(dest="cmd", required=True)
    q = sub.add_parser("sql", help="只读 SQL 查询（安全连接）")
    q.add_argument("query")
    q.add_argument("--format", choices=("table", "csv", "json"), default="table")
    q.add_argument("--max-rows", type=int, default=10_000)
    q.add_argument("--timeout", type=float, default=30.0, help="秒")
    q.add_argument("--memory-limit", default="1GB", help="查询进程可用的内存上限，如 1GB")
    q.add_argument("--scope", default="", help="只看该地区（GB/T 2260 代码：省 36、市 3601、县区 360104）")
    q.set_defaults(func=cmd_sql)
    e = sub.add_parser("export", help="导出为 Parquet（按年度和省份分区）")
    e.add_argument("dir")
    e.add_argument("--only", nargs="*", help="只导出这些表或视图")
    e.set_defaults(func=cmd_export)
    s = sub.add_parser("schema", help="列出表、视图、字段及其说明")
    s.add_argument("--format", choices=("text", "json"), default="text")
    s.set_defaults(func=cmd_schema)
    y = sub.add_parser("synth", help="生成全国规模的合成演示仓库（开发与性能测试用，覆盖 --db 指定的文件）")
    y.add_argument("--units", type=int, default=2847, help="县级单位数（默认 2847：2017–2024 年间一直有效的全部县区）")
    y.add_argument("--years", default="2017-2024", help="年度范围，如 2017-2024")
    y.add_argument("--seed", type=int, default=7)
    y.add_argument("-q", "--quiet", action="store_true")
    y.set_defaults(func=cmd_synth)
    u = sub.add_parser("users", help="看板用户：add / list / remove / passwd（密码从标准输入读取）")
    usub = u.add_subparsers(dest="action", required=True)
    ua = usub.add_parser("add", help="添加用户")
    ua.add_argument("name")
    ua.add_argument("--role", required=True, choices=("viewer", "analyst", "steward", "admin"))
    ua.add_argument("--region", default="", help="地区代码：省 36、市 3601、县区 360104；不填为全国")
    ua.add_argument("--email", default="", help="OIDC 登录时用于匹配的电子邮箱")
    usub.add_parser("list", help="列出用户")
    for action in ("remove", "passwd"):
        usub.add_parser(action, help={"remove": "删除用户", "passwd": "修改密码"}[action]).add_argument("name")
    u.set_defaults(func=cmd_users)
    # --db is accepted before or after the subcommand
    for p in (q, e, s, y):
        p.add_argument("--db", default=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    try:
        return args.func(args)
    except WarehouseMissing as err:
        print(str(err), file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stdout = open(os.devnull, "w")
        return 0


if __name__ == "__main__":
    sys.exit(main())
