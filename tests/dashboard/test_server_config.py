"""Issue 13: the server settings `streamlit run` picks up from .streamlit/config.toml."""

from __future__ import annotations

import re
import tomllib

from dashboard_helpers import ROOT


def test_server_settings():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server, client = config["server"], config["client"]
    assert server["address"] == "127.0.0.1"  # loopback unless a deployment says otherwise
    assert server["enableXsrfProtection"] is True
    assert client["showErrorDetails"] == "none"  # no tracebacks in the browser; the log keeps them
    assert client["toolbarMode"] == "viewer"
    # the upload limit is the loader's own file limit
    base = (ROOT / "loaders" / "read" / "base.py").read_text(encoding="utf-8")
    mb = int(re.search(r"^MAX_BYTES = (\d+) \* 1024 \* 1024", base, re.M).group(1))
    assert server["maxUploadSize"] == mb == 50


def test_make_run_does_not_override_the_address():
    """`make run` starts from the repository root (where the config is read) and CI's health
    check curls 127.0.0.1, so the Makefile must not bind elsewhere."""
    run = re.search(r"^run:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M).group(1)
    assert "streamlit run streamlit_app.py" in run and "server.address" not in run and "cd " not in run
    assert "127.0.0.1:$PORT/_stcore/health" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
