"""How fast the quality indicators are with many cases, against one plain ``sqlite3``
aggregation over the same rows.

    .venv/bin/python benchmarks/bench_dashboard.py [--cases N] [--repeat R] [--json-out FILE]

A throw-away SQLite store made through the real migrations is filled with N demo cases
(default 100,000) by ``tsbplace.demo_data``. Demo assessments are drafts, so the benchmark
signs them with one UPDATE (draft → signed is what signing does; the triggers allow it):
signed by one of five users 0–19 days after receipt, one in seven at a lower level. Then
``compute_indicators`` (every figure, levels, months, time to decision) is timed against
one GROUP BY over ``tsb_case`` joined with ``assessment`` in ``sqlite3`` (counts per
suggested and chosen level with a few sums): the floor for reading those rows once. The
ratio says what the rest costs (the first-signed-version join, JSON paths, the calendar).
See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from timing import per_call, report

from tsbplace.content import installed_content
from tsbplace.demo_data import make_demo_cases
from tsbplace.indicators import compute_indicators, dashboard_indicators
from tsbplace.locations import sqlite_url
from tsbplace.storage import Store
from tsbplace.storage.sqlite_files import connect

TARGET_MS = 1000.0  # issue 9: the dashboard over 100,000 cases in under a second of work

SIGN = """
UPDATE assessment SET status = 'signed', signed_by = 'user' || (case_id % 5),
  signed_at = strftime('%Y-%m-%d 09:00:00.000000',
                       (SELECT received_date FROM tsb_case WHERE tsb_case.id = case_id),
                       '+' || (case_id % 20) || ' days'),
  chosen_level = CASE WHEN case_id % 7 = 0 THEN 'K0' ELSE suggested_level END,
  decision_reason = CASE WHEN case_id % 7 = 0 AND suggested_level != 'K0' THEN 'ventetid' END,
  care_right = CASE WHEN case_id % 3 = 0 THEN 'rett' ELSE 'ikke_rett' END
WHERE status = 'draft'
"""

RAW = """
SELECT a.suggested_level, a.chosen_level, count(*),
       sum(CASE WHEN a.care_right = 'rett' THEN 1 ELSE 0 END),
       sum(CASE WHEN a.coordinator != '' THEN 1 ELSE 0 END)
FROM tsb_case c JOIN assessment a ON a.case_id = c.id
WHERE c.side = 'tsb' AND a.status = 'signed'
GROUP BY a.suggested_level, a.chosen_level
"""


def measure(count: int, repeat: int) -> dict[str, Any]:
    content = installed_content()
    with tempfile.TemporaryDirectory(prefix="tsbplace-bench-") as folder:
        path = Path(folder) / "bench.sqlite3"
        store = Store.open(sqlite_url(path))
        try:
            make_demo_cases(store, content, count)
            return {"cases": count, **measure_store(store, path, repeat)}
        finally:
            store.close()


def sign_drafts(path: Path) -> int:
    """Sign every draft of the SQLite store at ``path`` with :data:`SIGN`; how many."""
    raw = connect(path, key=None)
    try:
        signed = raw.execute(SIGN).rowcount
        raw.commit()
    finally:
        raw.close()
    return int(signed)


def measure_store(store: Store, path: Path, repeat: int) -> dict[str, Any]:
    """The figures on a store of demo cases (``benchmarks/run_all.py`` passes its own);
    its drafts are signed first."""
    content = installed_content()
    sign_drafts(path)
    raw = connect(path, key=None)
    try:
        ind = compute_indicators(store, content)
        raw_rows = raw.execute(RAW).fetchall()
        assert sum(row[2] for row in raw_rows) == ind.figures["assessed"].numerator
        baseline = per_call(lambda: raw.execute(RAW).fetchall(), repeat)
        ours = per_call(lambda: compute_indicators(store, content), repeat)
        dashboard = per_call(lambda: dashboard_indicators(store, content), repeat)
    finally:
        raw.close()
    return {"received": ind.figures["received"].numerator,
            "assessed": ind.figures["assessed"].numerator, "sqlite3_ms": baseline * 1e3,
            "compute_indicators_ms": ours * 1e3, "ratio": ours / baseline,
            "dashboard_ms": dashboard * 1e3, "dashboard_ratio": dashboard / baseline}


def print_table(result: dict[str, Any]) -> None:
    print(f"{'measure':<34} {'cases':>8} {'assessed':>9} {'sqlite3 ms':>11} {'ours ms':>9} {'ratio':>7}")
    print(f"{'compute_indicators vs GROUP BY':<34} {result['received']:>8} {result['assessed']:>9} "
          f"{result['sqlite3_ms']:>11.2f} {result['compute_indicators_ms']:>9.2f} {result['ratio']:>6.2f}×")
    print(f"{'dashboard (+ every clinician)':<34} {result['received']:>8} {result['assessed']:>9} "
          f"{result['sqlite3_ms']:>11.2f} {result['dashboard_ms']:>9.2f} {result['dashboard_ratio']:>6.2f}×")
    verdict = "ok" if result["dashboard_ms"] < TARGET_MS else "missed"
    print(f"dashboard work off the GUI thread: {result['dashboard_ms']:.0f} ms, "
          f"target < {TARGET_MS:g} ms: {verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="demo cases in the store (default 100000)")
    parser.add_argument("--repeat", type=int, default=3, help="calls per round (default 3)")
    parser.add_argument("--json-out", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if args.cases < 2 or args.repeat < 1:
        parser.error("--cases must be at least 2 and --repeat at least 1")
    return report(measure(args.cases, args.repeat), print_table, args.json_out)


if __name__ == "__main__":
    sys.exit(main())
