"""The demo generator shares no code with the parser: a generator using the parser's rules (its
records, normalizers, checks, layout code or region resolver) could not find the parser's
mistakes. loaders/demo may import from loaders.demo and from third-party libraries, nothing
else of loaders."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

from project_paths import ROOT

DEMO = ROOT / "loaders" / "demo"


def _loaders_imports(path) -> list[str]:
    """Every loaders module a file imports, lazily or not (read from the source with ast)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "loaders":
                out += [f"loaders.{a.name}" for a in node.names]
            elif node.module.startswith("loaders."):
                out.append(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level:
            # a relative import from inside loaders/demo stays in the package only at level 1
            if node.level > 1:
                out.append("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            out += [a.name for a in node.names if a.name == "loaders" or a.name.startswith("loaders.")]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) in ("import_module", "__import__"):
            out += [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    return out


def _outside(module: str) -> bool:
    return not (module == "loaders.demo" or module.startswith("loaders.demo."))


def test_no_module_of_loaders_demo_imports_loaders_outside_it():
    files = sorted(DEMO.rglob("*.py"))
    assert len(files) >= 10
    bad = {str(p.relative_to(ROOT)): [m for m in _loaders_imports(p) if _outside(m)] for p in files}
    assert {k: v for k, v in bad.items() if v} == {}


def test_the_scan_sees_every_way_of_importing():
    import tempfile
    from pathlib import Path

    src = (
        "import loaders.records\nfrom loaders import regions\nfrom loaders.normalize import clean\n"
        "from ..parse import x\nimport importlib\nimportlib.import_module('loaders.checks')\n"
        "def f():\n    from loaders.layout import _row_cells\n"
        "from loaders.demo.world import Place\n"
    )
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "m.py"
        p.write_text(src, encoding="utf-8")
        found = [m for m in _loaders_imports(p) if _outside(m)]
    assert sorted(found) == sorted(["loaders.records", "loaders.regions", "loaders.normalize", "..parse", "loaders.checks",
                                    "loaders.layout"])


def test_generating_every_format_loads_no_parser_module(tmp_path):
    code = (
        "import json, sys\n"
        "from loaders.demo import generate\n"
        f"generate({str(tmp_path / 'c')!r}, 3, (2022, 2023), seed=2, formats=('txt', 'docx', 'xlsx', 'pdf'))\n"
        "from loaders.demo.__main__ import main\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('loaders'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert "loaders.demo" in loaded
    assert [m for m in loaded if m != "loaders" and _outside(m)] == []
