# One task runner. `make run` and `make test` work on a fresh machine: they create the virtual
# environment from uv.lock, install what the tests need (Chromium and CJK fonts from Debian) and go.
SHELL := /bin/bash
PY ?= python3
UV := $(PY) -m uv
VENV := .venv
VPY := $(VENV)/bin/python
DB ?= data/warehouse.duckdb
PORT ?= 8501
DEMO_UNITS ?= 300
DEMO_YEARS ?= 2019-2024

.PHONY: help setup run serve warehouse demo test test-fast browser-deps bench bench-quick clean

help:
	@echo "make run    set up, load the bundled reports (and the demo corpus) and start the dashboard on :$(PORT)"
	@echo "make test   set up and run the whole test suite (installs Chromium for the browser test)"
	@echo "make bench  run the benchmark (BENCHMARKS.md)"

$(VENV)/.synced: pyproject.toml uv.lock
	@$(PY) -m uv --version >/dev/null 2>&1 || $(PY) -m pip install --quiet --disable-pip-version-check uv
	$(UV) sync --frozen --all-groups --python $(PY)
	@touch $@

setup: $(VENV)/.synced

warehouse: setup
	$(VPY) -m loaders load data/reports --db $(DB)

run: warehouse
	$(VENV)/bin/streamlit run streamlit_app.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

# Chromium, its driver and CJK fonts for the end-to-end browser test (Debian packages).
browser-deps:
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
		echo "chromium and CJK fonts present"; \
	else \
		if [ "$$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

test: setup browser-deps
	$(VPY) -m pytest -q

test-fast: setup
	$(VPY) -m pytest -q -m "not browser"

bench: setup
	$(VPY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts data/demo data/bench $(DB) $(DB).wal
