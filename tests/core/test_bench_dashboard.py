"""Smoke test of benchmarks/bench_dashboard.py: it runs on a small store and prints its
figures. No timing is asserted; the real run is by hand."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_benchmark_runs_and_reports_its_figures(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_dashboard.py"), "--cases", "60", "--repeat", "1",
         "--json-out", str(out)],
        capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["measure", "cases", "assessed", "sqlite3", "ms", "ours", "ms", "ratio"]
    assert lines[1].startswith("compute_indicators vs GROUP BY")
    assert lines[2].startswith("dashboard (+ every clinician)")
    assert lines[3].startswith("dashboard work off the GUI thread: ")
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["cases"] == 60 and 0 < figures["assessed"] <= figures["received"] <= 60
    assert figures["ratio"] > 0 and figures["sqlite3_ms"] > 0 and figures["dashboard_ratio"] > 0
