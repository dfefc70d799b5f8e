"""Timing helpers shared by the benchmark scripts (run as ``python benchmarks/bench_*.py``,
so this folder is on the import path)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def per_call(action: Callable[[], object], repeat: int) -> float:
    """Seconds per call, the best of three rounds of ``repeat`` calls."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(repeat):
            action()
        best = min(best, (time.perf_counter() - started) / repeat)
    return best


def timed(action: Callable[[], object]) -> float:
    """Seconds for one call."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def peak_memory_mb() -> float | None:
    """Peak resident memory of this process so far (None where the OS does not say)."""
    try:
        import resource as posix_resource
    except ImportError:  # Windows
        return None
    peak = posix_resource.getrusage(posix_resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def report(result: dict[str, Any], print_table: Callable[[dict[str, Any]], None],
           json_out: Path | None) -> int:
    """Print the figures, and write them as JSON when asked; the script's exit code."""
    print_table(result)
    if json_out is not None:
        json_out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0
