"""Smoke test of benchmarks/run_all.py: ``--quick`` runs every measure on a small demo store
and reports each one with a positive ratio. No timing is asserted (timed tests are flaky);
the real run is by hand (``./scripts/run-benchmarks``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEASURES = ["start-up to an interactive window", "decision letter (patient), warm", "assess one case",
            "replay 2,000 stored cases", "case-list search, worst of 8", "dashboard over 2,000 cases",
            "peak memory, case list open"]


def test_every_benchmark_runs_and_is_reported(tmp_path: Path) -> None:
    out = tmp_path / "all.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run_all.py"), "--quick", "--json-out", str(out)],
        capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("TSBplace benchmarks: 2,000 demo cases;")
    assert lines[1].split()[:5] == ["measure", "ours", "baseline", "unit", "ratio"]
    assert [line[:36].strip() for line in lines[2:9]] == MEASURES
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["cases"] == 2000
    assert [row["measure"] for row in figures["measures"]] == MEASURES
    assert all(row["ratio"] > 0 and row["ours"] > 0 and row["baseline"] > 0 for row in figures["measures"])
    assert len(figures["details"]["case_list"]["rows"]) == 8
    assert figures["details"]["start_up"]["rows_after_scrolling"] == 400  # 100 + three more pages
    assert figures["details"]["letter"]["characters"] > 500
    assert {"platform", "cpu_count", "python", "qt", "sqlite", "date"} <= set(figures["machine"])
    assert not list(tmp_path.glob("tsbplace-bench-all-*"))  # the throw-away data folder is gone
