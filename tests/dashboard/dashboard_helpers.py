"""Shared helpers of the dashboard tests (imported by name, like tests/warehouse/warehouse_fakes.py)."""

from __future__ import annotations

from project_paths import REPORTS_DIR, ROOT
from streamlit.testing.v1 import AppTest

APP = ROOT / "streamlit_app.py"
QINGYUNPU = "南昌市青云谱区总工会"


def texts(at: AppTest) -> str:
    """Every piece of text the page shows (titles, markdown, metrics, captions, alerts,
    expander labels, HTML blocks), one per line, for `in` checks."""
    out: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success",
                 "code"):
        out += [str(e.value) for e in getattr(at, kind)]
    out += [f"{m.label} {m.value}" for m in at.metric]
    out += [e.label for e in at.expander]
    out += [str(h.value) for h in at.get("html")]
    return "\n".join(out)


def no_exception(at: AppTest) -> None:
    assert not at.exception, "\n".join(f"{e.message}\n{''.join(e.stack_trace)}" for e in at.exception)
