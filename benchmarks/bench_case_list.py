"""How fast the case list is with many cases, against the same SQL in plain ``sqlite3``.

    .venv/bin/python benchmarks/bench_case_list.py [--cases N] [--repeat R] [--json-out FILE]

A throw-away SQLite store made through the real migrations is filled with N demo cases
(default 100,000) by ``tsbplace.demo_data`` (bulk inserts in one transaction: inserts per
second). Then each case-list query, the first page of 50 and the count of all matches
(``CaseService.search_cases``), is timed against exactly the same two SQL statements run
through Python's ``sqlite3`` on the same file (``tsbplace.case_search.case_page_queries``,
compiled with the values inlined) and reported as a ratio; the target is ≤ 3×. Last, the
database size per case (after a WAL checkpoint). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.dialects import sqlite
from timing import per_call, report

from tsbplace.case_search import case_page_queries, latest_received_for_deadline
from tsbplace.cases import PAGE_SIZE, CaseService
from tsbplace.content import installed_content
from tsbplace.demo_data import make_demo_cases
from tsbplace.locations import sqlite_url
from tsbplace.national_id import format_national_id
from tsbplace.security.keyring import Keyring
from tsbplace.storage import Store
from tsbplace.storage.sqlite_files import connect

TARGET = 3.0


def queries(service: CaseService) -> list[tuple[str, dict[str, Any]]]:
    """The searches a clinician types, built from a case in the middle of the store."""
    middle = service.search_cases(offset=service.search_cases().total // 2, limit=1).rows[0]
    first_word, last_word = middle.patient_name.split()[1], middle.patient_name.split()[-1]
    deadline = dt.date.today() - dt.timedelta(days=30)
    return [
        ("first page, no filter", {}),
        ("name: start of the name", {"text": f"DEMO {first_word[:3]}"}),
        ("name: start of a later word", {"text": last_word[:4].lower()}),
        ("ID number (with a space)", {"text": format_national_id(middle.national_id)[:8]}),
        ("case number", {"text": middle.case_number[:-2]}),
        ("status new", {"status": "new"}),
        ("deadline passed", {"due_before": deadline}),
        ("status new + deadline", {"status": "new", "due_before": deadline}),
    ]


def raw_sql(service: CaseService, arguments: dict[str, Any]) -> tuple[str, str]:
    """The two statements ``search_cases`` runs, as plain SQL for ``sqlite3``."""
    due_before = arguments.get("due_before")
    assert service.content.legal is not None
    bound = None if due_before is None else latest_received_for_deadline(
        due_before, service.content.legal.assessment.working_days)
    page, count = case_page_queries(arguments.get("text", ""), arguments.get("status"), bound,
                                    limit=PAGE_SIZE, offset=0)
    dialect = sqlite.dialect()
    return tuple(str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
                 for statement in (page, count))  # type: ignore[return-value]


def measure(count: int, repeat: int, encrypted: bool = False) -> dict[str, Any]:
    """``encrypted``: the store as the program makes it (SQLCipher with a random key),
    against the same SQL through ``sqlcipher3`` with the same key."""
    content = installed_content()
    key = Keyring.new_key() if encrypted else None
    with tempfile.TemporaryDirectory(prefix="tsbplace-bench-") as folder:
        path = Path(folder) / "bench.sqlite3"
        store = Store.open(sqlite_url(path), key=key)
        try:
            made = make_demo_cases(store, content, count)
            result = measure_store(store, path, repeat, key=key)
        finally:
            store.close()
    return {"cases": count, **result,
            "fill_s": made.seconds, "inserts_per_s": count / made.seconds, "assessed": made.assessed,
            "answer_sets": made.pool, "bytes_per_case": result["database_bytes"] / count}


def measure_store(store: Store, path: Path, repeat: int, key: bytes | None = None) -> dict[str, Any]:
    """Every query on a store that holds cases already (``benchmarks/run_all.py`` passes
    its demo store): ``search_cases`` against the same SQL on the file at ``path``."""
    service = CaseService(store, installed_content())
    with store.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    size = path.stat().st_size
    rows = []
    raw = connect(path, key=key)
    try:
        for name, arguments in queries(service):
            page_sql, count_sql = raw_sql(service, arguments)
            page = service.search_cases(**arguments)
            raw_rows = raw.execute(page_sql).fetchall()
            raw_total = raw.execute(count_sql).fetchone()[0]
            assert [row[0] for row in raw_rows] == [row.id for row in page.rows], name
            assert raw_total == page.total, name

            def plain(page_sql: str = page_sql, count_sql: str = count_sql) -> None:
                raw.execute(page_sql).fetchall()
                raw.execute(count_sql).fetchone()

            baseline = per_call(plain, repeat)
            ours = per_call(lambda arguments=arguments: service.search_cases(**arguments), repeat)
            rows.append({"measure": name, "arguments": {k: str(v) for k, v in arguments.items()},
                         "matches": page.total, "sqlite3_ms": baseline * 1e3,
                         "search_cases_ms": ours * 1e3, "ratio": ours / baseline})
    finally:
        raw.close()
    return {"encrypted": key is not None, "target_ratio": TARGET, "page_size": PAGE_SIZE, "rows": rows,
            "database_bytes": size}


def print_table(result: dict[str, Any]) -> None:
    baseline = "sqlcipher3 ms" if result["encrypted"] else "sqlite3 ms"
    print(f"{'query (page of 50 + count)':<30} {'matches':>8} {baseline:>11} {'ours ms':>9} "
          f"{'ratio':>7}  target")
    for row in result["rows"]:
        verdict = "ok" if row["ratio"] <= TARGET else "missed"
        print(f"{row['measure']:<30} {row['matches']:>8} {row['sqlite3_ms']:>11.2f} "
              f"{row['search_cases_ms']:>9.2f} {row['ratio']:>6.2f}×  ≤ {TARGET:g}× {verdict}")
    print(f"demo data: {result['cases']} cases ({result['assessed']} assessed, "
          f"{result['answer_sets']} answer sets) in {result['fill_s']:.1f} s, "
          f"{result['inserts_per_s']:.0f} cases per second")
    print(f"database: {result['database_bytes'] / 1e6:.1f} MB, "
          f"{result['bytes_per_case'] / 1024:.1f} KiB per case")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="demo cases in the store (default 100000)")
    parser.add_argument("--repeat", type=int, default=20, help="calls per round (default 20)")
    parser.add_argument("--json-out", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--encrypted", action="store_true",
                        help="an encrypted store, against sqlcipher3 with the same key")
    args = parser.parse_args(argv)
    if args.cases < 2 or args.repeat < 1:
        parser.error("--cases must be at least 2 and --repeat at least 1")
    return report(measure(args.cases, args.repeat, args.encrypted), print_table, args.json_out)


if __name__ == "__main__":
    sys.exit(main())
