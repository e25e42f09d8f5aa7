"""Paths and run profiles every part of the bench shares."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"
VAR = ROOT / "var" / "bench"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PROFILES = {
    # iterations per page, seconds of wrk per workload, rows imported
    "tiny": {"iterations": 5, "duration": 3, "import_rows": 50, "connections": 4},
    "small": {"iterations": 30, "duration": 15, "import_rows": 500, "connections": 8},
    "full": {"iterations": 10, "duration": 30, "import_rows": 5_000, "connections": 8},
}
BENCH_DB = "kc_bench"
RUN_SCRIPT = ROOT / "benchmarks" / "run.py"
