"""Smoke test of benchmarks/bench_case_list_gui.py: it runs offscreen on a small store and
reports every phase. No timing is asserted (timed tests are flaky); the real run is by hand."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_gui_benchmark_runs_and_reports_every_phase(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_case_list_gui.py"), "--cases", "450",
         "--json-out", str(out)],
        capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[0] == "phase" and lines[0].endswith("target")
    assert [line[:35].strip() for line in lines[1:7]] == [
        "open and show the first page", "search: name: start of the name",
        "search: name: start of a later word", "search: ID number prefix", "search: case number",
        "scroll: 3 more pages"]
    assert all("≤ 100 ms" in line for line in lines[1:7])
    assert lines[7].startswith("demo data: 450 cases in ")
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["cases"] == 450 and figures["target_ms"] == 100.0
    phases = figures["phases"]
    assert len(phases) == 6
    assert (phases[0]["rows"], phases[0]["matches"]) == (100, 450)
    assert phases[4]["matches"] == 1  # the case number finds its one case
    assert phases[5]["rows"] == 400  # three more pages of 100
    assert all(phase["longest_block_ms"] > 0 for phase in phases)
