# One task runner. `make run` and `make test` work on a fresh machine: they create the virtual
# environment from uv.lock, install what the tests need (Chromium and CJK fonts from Debian) and go.
# Packages are installed with their bytecode: where PYTHONDONTWRITEBYTECODE is set, every process
# (each load, each parse or Dask worker) would otherwise compile polars, DuckDB & co. from source
# (seconds per load on this machine: a 1k load without its parse took 4.5 s, 1.8 s with bytecode).
SHELL := /bin/bash
PY ?= python3
UV := $(PY) -m uv
VENV := .venv
VPY := $(VENV)/bin/python
DB ?= data/warehouse.duckdb
PORT ?= 8501
DEMO_UNITS ?= 200
DEMO_YEARS ?= 2019-2024
DEMO_FORMATS ?= txt,docx,xlsx,pdf

.PHONY: help setup run serve warehouse demo test test-fast system-deps bench bench-quick score clean

help:
	@echo "make run    set up, load the bundled reports (and the demo corpus) and start the dashboard on :$(PORT)"
	@echo "make test   set up and run the whole test suite (installs Chromium for the browser test)"
	@echo "make bench  run the benchmark (BENCHMARKS.md)"
	@echo "make score  extraction accuracy against the gold answers (seeds, realdev, demo), side by side"

$(VENV)/.synced: pyproject.toml uv.lock
	@$(PY) -m uv --version >/dev/null 2>&1 || $(PY) -m pip install --quiet --disable-pip-version-check uv
	$(UV) sync --frozen --all-groups --python $(PY) --compile-bytecode
	@touch $@

setup: $(VENV)/.synced

# The demo corpus: synthetic reports of real counties, marked 演示数据 (cached: same arguments, no work);
# about 70% .txt in every layout, the rest Word and Excel files and ~2% PDF, so the dashboard shows the
# whole pipeline (README "The demo corpus").
demo: setup
	$(VPY) -m loaders.demo --units $(DEMO_UNITS) --years $(DEMO_YEARS) --seed 1 --formats $(DEMO_FORMATS) --out data/demo

# Load is idempotent by content hash: a second run only hashes the files. A file that fails to
# load is recorded in the warehouse (数据质量 page) and does not keep the dashboard from starting.
warehouse: setup demo
	$(VPY) -m loaders load data/reports data/demo --db $(DB) || echo "部分文件未能载入，详见上方列表与看板“数据质量”页"

run: warehouse
	$(VENV)/bin/streamlit run streamlit_app.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

# Debian packages the tests need: Chromium for the end-to-end browser test, CJK fonts so Chinese
# renders in its screenshots (Noto CJK) and so the tests can write Chinese PDFs (WenQuanYi Zen Hei,
# a TrueType-outline font reportlab can embed).
SYSTEM_PACKAGES := chromium fontconfig fonts-noto-cjk fonts-wqy-zenhei
system-deps:
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto.*cjk" && fc-list 2>/dev/null | grep -qi "zenhei"; then \
		echo "chromium and CJK fonts present"; \
	else \
		if [ "$$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	fi

test: setup system-deps
	$(VPY) -m pytest -q

test-fast: setup system-deps
	$(VPY) -m pytest -q -m "not browser"

bench: setup
	$(VPY) -m bench

# Extraction accuracy against gold answers, with the review scorer's rules, in one process:
# the four real reports (seeds), the realdev replicas and the generated demo corpus side by side.
score: setup
	$(VPY) -m loaders.score --corpus all

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts data/demo data/bench $(DB) $(DB).wal
