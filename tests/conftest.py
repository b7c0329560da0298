from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
for p in (TESTS.parent, TESTS):  # the project (loaders, warehouse, dashboard) and tests/project_paths.py
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))
