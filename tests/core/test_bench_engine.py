"""Smoke test of benchmarks/bench_engine.py: it runs on a small store and prints every
figure. No timing is asserted (timed tests are flaky); the real run is by hand."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_benchmark_runs_and_reports_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_engine.py"), "--cases", "50", "--repeat", "1",
         "--json-out", str(out)],
        capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["measure", "baseline", "baseline", "engine", "ratio", "target"]
    assert lines[1].startswith("one case (ms per case)") and "read_case_file" in lines[1]
    assert lines[2].startswith("50 stored cases (s)") and "iter_stored_cases" in lines[2]
    assert all("×  ≤ 1×" in line for line in lines[1:3])
    assert lines[3].startswith("per stored case: read ")
    assert lines[4].startswith("filling the store: ") and lines[5].startswith("peak memory: ")
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["cases"] == 50 and figures["target_ratio"] == 1.0
    assert [row["measure"] for row in figures["rows"]] == ["one case (ms per case)", "50 stored cases (s)"]
    assert all(row["ratio"] >= 0 and row["baseline_value"] > 0 for row in figures["rows"])
    assert set(figures["per_case_ms"]) == {"read", "replay_two_rule_sets"}
