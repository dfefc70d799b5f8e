"""Smoke test of benchmarks/bench_case_list.py: it runs on a small store and prints every
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
        [sys.executable, str(ROOT / "benchmarks" / "bench_case_list.py"), "--cases", "60", "--repeat", "1",
         "--json-out", str(out)],
        capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[-7:] == ["matches", "sqlite3", "ms", "ours", "ms", "ratio", "target"]
    assert [line.split("  ")[0].strip() for line in lines[1:9]] == [
        "first page, no filter", "name: start of the name", "name: start of a later word",
        "ID number (with a space)", "case number", "status new", "deadline passed", "status new + deadline"]
    assert all("≤ 3×" in line for line in lines[1:9])
    assert lines[9].startswith("demo data: 60 cases (") and "cases per second" in lines[9]
    assert lines[10].startswith("database: ") and lines[10].endswith("KiB per case")
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["cases"] == 60 and figures["target_ratio"] == 3.0 and figures["page_size"] == 50
    assert len(figures["rows"]) == 8
    assert figures["rows"][0]["matches"] == 60
    assert all(row["ratio"] > 0 and row["sqlite3_ms"] > 0 for row in figures["rows"])
    assert figures["inserts_per_s"] > 0 and figures["bytes_per_case"] > 0


def test_the_benchmark_runs_on_an_encrypted_store_too(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_case_list.py"), "--cases", "40", "--repeat", "1",
         "--encrypted", "--json-out", str(out)],
        capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "sqlcipher3 ms" in result.stdout.splitlines()[0]
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["encrypted"] is True and figures["cases"] == 40 and len(figures["rows"]) == 8
