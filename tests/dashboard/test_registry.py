"""The page registry and dashboard/pages/ agree, and the router only routes."""

from __future__ import annotations

import ast

from dashboard.registry import PAGES
from dashboard_helpers import APP, ROOT

TITLES = ("总览", "地图", "地区对比", "年度趋势", "预算与采购执行", "满意度", "指标得分", "报告详情", "数据质量", "SQL 查询",
          "导入报告", "数据字典")


def test_every_page_module_is_registered_and_every_entry_exists():
    modules = {f"dashboard/pages/{p.name}" for p in (ROOT / "dashboard" / "pages").glob("*.py")
               if p.name != "__init__.py"}
    assert {p.path for p in PAGES} == modules
    for p in PAGES:
        assert (ROOT / p.path).is_file()


def test_the_pages_are_the_ones_the_spec_names_in_order():
    assert tuple(p.title for p in PAGES) == TITLES
    assert len({p.url_path for p in PAGES}) == len(PAGES)
    assert all(p.icon.startswith(":material/") and p.help for p in PAGES)


def test_each_page_module_says_what_it_is():
    for p in PAGES:
        doc = ast.get_docstring(ast.parse((ROOT / p.path).read_text(encoding="utf-8")))
        assert doc and doc.startswith(p.title), p.path


def test_only_the_data_module_queries_duckdb():
    for path in (ROOT / "dashboard").rglob("*.py"):
        if path.name == "data.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        # warehouse.users reads the users file (dashboard/auth.py); it has no query in it
        assert not any(m == "duckdb" or (m.startswith("warehouse") and m != "warehouse.users") for m in imported), path


def test_the_entry_point_is_only_a_router():
    tree = ast.parse(APP.read_text(encoding="utf-8"))
    calls = {n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
    assert {"set_page_config", "navigation", "Page", "run"} <= calls
    assert not calls & {"title", "markdown", "dataframe", "plotly_chart", "selectbox", "sidebar"}
