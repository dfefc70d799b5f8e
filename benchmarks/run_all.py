"""Every benchmark in one run: one table, each figure a ratio against a baseline measured
in the same run, and the figures as JSON with the machine they ran on.

    ./scripts/run-benchmarks [--cases N] [--quick] [--json-out FILE]
    .venv/bin/python benchmarks/run_all.py [--cases N] [--repeat R] [--starts S] [--quick] [--json-out FILE]

One throw-away data folder (under ``$TMPDIR``) is filled by the real command,
``tsbplace --data-dir DIR demo-data --cases N`` (a plain SQLite store; no user is
needed), and its drafts are then signed with one UPDATE (``bench_dashboard.SIGN``: the
letters and the dashboard need signed decisions). Every measure uses that folder:

1. start-up: process start → ``MainWindow`` shown, first page of the case list on screen,
   event loop idle (``window_start.py``, a fresh process each time; median of S starts),
   against a process that shows a bare ``QMainWindow``. Target ≤ 1.5×.
2. decision letter: ``render_letter(…, "pasient", …)`` for a signed demo case (warm),
   against ReportLab's ``SimpleDocTemplate`` rendering the letter's own text (extracted
   with pypdf: the same number of characters) in plain paragraphs. Target ≤ 2×.
3. engine: assessing one case against reading and checking its case file, and replaying
   every stored case (two rule sets) against reading them all (``bench_engine.py``).
   Target ≤ 1×.
4. case list: eight searches against the same SQL in plain ``sqlite3``
   (``bench_case_list.py``); the worst ratio, each one listed below the table. Target ≤ 3×.
5. dashboard: ``dashboard_indicators`` against one plain GROUP BY (``bench_dashboard.py``).
   Target: under one second of work.
6. peak memory: the start-up process after scrolling the case list three pages further
   (``ru_maxrss``), against the bare ``QMainWindow`` process. No target; reported.

``--quick`` (2,000 cases, one repeat, one start) is for the smoke test. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import bench_case_list
import bench_dashboard
import bench_engine
from timing import per_call

from tsbplace.cases import CaseService, CaseSummary
from tsbplace.clinic import ClinicDetails
from tsbplace.content import installed_content
from tsbplace.locations import sqlite_url
from tsbplace.storage import Store

HERE = Path(__file__).resolve().parent
DATABASE = "tsbplace.sqlite3"
SCROLL_PAGES = 3
CLINIC = ClinicDetails(name="Avdeling for rusbehandling, Benchmark HF", unit="Poliklinikk Test",
                       address_lines=("Testveien 1", "0001 Oslo"), organisation_number="999999999",
                       phone="12 34 56 78", complaint_authority="Statsforvalteren i Oslo og Viken")


def machine() -> dict[str, Any]:
    from PySide6 import QtCore

    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    with contextlib.suppress(ValueError, OSError, AttributeError):
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {"platform": platform.platform(), "cpu": cpu, "cpu_count": os.cpu_count(),
            "memory_bytes": memory, "python": platform.python_version(), "qt": QtCore.qVersion(),
            "pyside6": QtCore.__version__ if hasattr(QtCore, "__version__") else None,
            "sqlite": sqlite3.sqlite_version,
            "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
            "date": dt.datetime.now().astimezone().isoformat(timespec="seconds")}


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TSBPLACE_")}
    env["TSBPLACE_LANGUAGE"] = "en"
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def make_data(data_dir: Path, count: int) -> dict[str, Any]:
    """``tsbplace demo-data`` into a fresh data folder, then its drafts signed."""
    started = time.perf_counter()
    made = subprocess.run([sys.executable, "-m", "tsbplace", "--data-dir", str(data_dir), "demo-data",
                           "--cases", str(count)],
                          capture_output=True, text=True, env=child_env(), check=False)
    seconds = time.perf_counter() - started
    if made.returncode != 0:
        raise SystemExit(f"tsbplace demo-data failed:\n{made.stderr}")
    signed = bench_dashboard.sign_drafts(data_dir / DATABASE)
    return {"command_s": seconds, "output": made.stdout.strip(), "signed": signed}


# --- 1 and 6: start-up and memory, in fresh processes ---------------------------------------

def one_start(arguments: list[str]) -> dict[str, Any]:
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(HERE / "window_start.py"), *arguments],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env())
    assert process.stdout is not None
    line = process.stdout.readline()
    ready_s = time.perf_counter() - started
    rest = process.stdout.read()  # through the same buffer as the line (communicate() would not)
    assert process.stderr is not None
    errors = process.stderr.read()  # a few lines of Qt warnings at most
    process.wait(timeout=600)
    if process.returncode != 0 or line.strip() != "ready":
        raise SystemExit(f"window_start.py {' '.join(arguments)} failed:\n{line}{rest}{errors}")
    return {"ready_s": ready_s, **json.loads(rest.strip().splitlines()[-1])}


def start_up(data_dir: Path, starts: int) -> dict[str, Any]:
    one_start(["--bare"])  # warm the file cache for both, untimed
    one_start(["--data-dir", str(data_dir)])
    bare, ours = [], []
    for _ in range(starts):  # alternating, so a busy moment hits both alike
        bare.append(one_start(["--bare"]))
        ours.append(one_start(["--data-dir", str(data_dir), "--scroll-pages", str(SCROLL_PAGES)]))
    phases = {name: statistics.median(run["phases_s"][name] for run in ours) for name in ours[0]["phases_s"]}
    return {
        "starts": starts,
        "bare_s": statistics.median(run["ready_s"] for run in bare),
        "ours_s": statistics.median(run["ready_s"] for run in ours),
        "bare_runs_s": [run["ready_s"] for run in bare], "ours_runs_s": [run["ready_s"] for run in ours],
        "ours_phases_s": phases,
        "bare_peak_rss_kib": statistics.median(run["peak_rss_kib"] for run in bare),
        "ours_peak_rss_kib": statistics.median(run["peak_rss_kib"] for run in ours),
        "rows_after_scrolling": ours[-1]["rows"],
    }


# --- 2: the decision letter -------------------------------------------------------------------

def letter_case(service: CaseService) -> CaseSummary:
    """The first signed demo case whose patient letter can be written."""
    from tsbplace.letter_commands import render_letter
    from tsbplace.letters import LetterNotReady

    for case in service.search_cases(status="assessed", limit=200).rows:
        if case.side != "tsb":
            continue
        try:
            render_letter(service, CLINIC, case, "pasient", author="Benchmark Behandler")
        except LetterNotReady:
            continue
        return case
    raise SystemExit("no demo case has a complete decision for a patient letter")


def pdf_text(pdf: bytes) -> tuple[str, int]:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages), len(reader.pages)


def plain_pdf(lines: list[str]) -> bytes:
    """The baseline: ReportLab's SimpleDocTemplate, one Normal paragraph per line of text."""
    import io
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    style = getSampleStyleSheet()["Normal"]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build([Paragraph(escape(line), style) for line in lines])
    return out.getvalue()


def letter(store: Store, repeat: int) -> dict[str, Any]:
    from tsbplace.letter_commands import render_letter

    service = CaseService(store, installed_content())
    case = letter_case(service)
    when = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)

    def ours() -> bytes:
        return render_letter(service, CLINIC, case, "pasient", author="Benchmark Behandler", created=when)

    text, pages = pdf_text(ours())
    lines = [line for line in text.splitlines() if line.strip()]
    baseline_pdf = plain_pdf(lines)  # warm: one render each before timing
    _, baseline_pages = pdf_text(baseline_pdf)
    return {"case_number": case.case_number, "characters": len(text), "lines": len(lines),
            "pages": pages, "baseline_pages": baseline_pages,
            "baseline_s": per_call(lambda: plain_pdf(lines), repeat), "ours_s": per_call(ours, repeat)}


# --- the table ---------------------------------------------------------------------------------

def rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    start, letter_, engine, listing, dashboard = (result["details"][name] for name in (
        "start_up", "letter", "engine", "case_list", "dashboard"))
    worst = max(listing["rows"], key=lambda row: row["ratio"])
    n = result["cases"]
    table = [
        ("start-up to an interactive window", start["ours_s"], start["bare_s"], "s", "bare QMainWindow",
         1.5, None),
        ("decision letter (patient), warm", letter_["ours_s"] * 1e3, letter_["baseline_s"] * 1e3, "ms",
         "ReportLab, same text", 2.0, None),
        ("assess one case", engine["one_case"]["engine_s"] * 1e3, engine["one_case"]["load_s"] * 1e3, "ms",
         "read_case_file", 1.0, None),
        (f"replay {engine['stored']['cases']:,} stored cases", engine["stored"]["engine_s"],
         engine["stored"]["load_s"], "s", "iter_stored_cases", 1.0, None),
        (f"case-list search, worst of {len(listing['rows'])}", worst["search_cases_ms"], worst["sqlite3_ms"],
         "ms", f"sqlite3 ({worst['measure']})", 3.0, None),
        (f"dashboard over {n:,} cases", dashboard["dashboard_ms"], dashboard["sqlite3_ms"], "ms",
         "sqlite3 GROUP BY", None, dashboard["dashboard_ms"] < bench_dashboard.TARGET_MS),
        ("peak memory, case list open", start["ours_peak_rss_kib"] / 1024, start["bare_peak_rss_kib"] / 1024,
         "MiB", "bare QMainWindow", None, None),
    ]
    out = []
    for measure, ours, baseline, unit, against, target, ok in table:
        ratio = ours / baseline
        if target is not None:
            ok = ratio <= target
        target_text = (f"≤ {target:g}×" if target is not None
                       else "< 1 s of work" if measure.startswith("dashboard") else "–")
        out.append({"measure": measure, "ours": ours, "baseline": baseline, "unit": unit,
                    "baseline_is": against, "ratio": ratio, "target": target_text,
                    "ok": ok})
    return out


def print_table(result: dict[str, Any]) -> None:
    m = result["machine"]
    print(f"TSBplace benchmarks: {result['cases']:,} demo cases; {m['cpu']} × {m['cpu_count']}, "
          f"Python {m['python']}, Qt {m['qt']}, SQLite {m['sqlite']}, {m['date']}")
    print(f"{'measure':<36} {'ours':>10} {'baseline':>10} {'unit':<4} {'ratio':>7}  {'target':<14} "
          f"{'result':<6}  baseline")
    for row in result["measures"]:
        verdict = "–" if row["ok"] is None else "ok" if row["ok"] else "missed"
        print(f"{row['measure']:<36} {row['ours']:>10.2f} {row['baseline']:>10.2f} {row['unit']:<4} "
              f"{row['ratio']:>6.2f}×  {row['target']:<14} {verdict:<6}  {row['baseline_is']}")
    print()
    print("case list, each search (page of 50 + count):")
    for row in result["details"]["case_list"]["rows"]:
        verdict = "ok" if row["ratio"] <= bench_case_list.TARGET else "missed"
        print(f"  {row['measure']:<30} {row['matches']:>8} matches {row['sqlite3_ms']:>8.2f} ms sqlite3 "
              f"{row['search_cases_ms']:>8.2f} ms ours {row['ratio']:>6.2f}×  {verdict}")
    start = result["details"]["start_up"]
    phases = ", ".join(f"{name} {seconds * 1e3:.0f}" for name, seconds in start["ours_phases_s"].items())
    print(f"start-up, median of {start['starts']} (ms, inside the process): {phases}")
    letter_ = result["details"]["letter"]
    print(f"letter: {letter_['characters']} characters, {letter_['pages']} page(s); "
          f"baseline {letter_['baseline_pages']} page(s)")
    stored = result["details"]["engine"]["stored"]
    print(f"replay: read {stored['load_s']:.1f} s, replay with two rule sets {stored['replay_s']:.1f} s")
    made = result["details"]["demo_data"]
    print(f"demo data: {made['output']} (the command took {made['command_s']:.1f} s; "
          f"{made['signed']} drafts signed for the letters and the dashboard)")
    print(f"total: {result['total_s']:.0f} s")


def run(count: int, repeat: int, starts: int, keep: bool) -> dict[str, Any]:
    began = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="tsbplace-bench-all-"))
    try:
        data_dir = folder / "data"
        details: dict[str, Any] = {"demo_data": make_data(data_dir, count)}
        details["start_up"] = start_up(data_dir, starts)
        path = data_dir / DATABASE
        content = installed_content()
        store = Store.open(sqlite_url(path))
        try:
            details["letter"] = letter(store, max(repeat, 3))
            details["case_list"] = bench_case_list.measure_store(store, path, repeat * 10)
            details["dashboard"] = bench_dashboard.measure_store(store, path, repeat)
            details["engine"] = {"one_case": bench_engine.one_case(content, repeat * 10),
                                 "stored": bench_engine.replay_store(store, content)}
        finally:
            store.close()
    finally:
        if keep:
            print(f"data folder kept: {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    result: dict[str, Any] = {"cases": count, "repeat": repeat, "machine": machine(), "details": details}
    result["measures"] = rows(result)
    result["total_s"] = time.perf_counter() - began
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--cases", type=int, help="demo cases in the store (default 100000; --quick: 2000)")
    parser.add_argument("--repeat", type=int, help="rounds of calls (default 3; --quick: 1)")
    parser.add_argument("--starts", type=int, help="window starts of each kind (default 7; --quick: 1)")
    parser.add_argument("--quick", action="store_true", help="a small, quick run (the smoke test)")
    parser.add_argument("--keep", action="store_true", help="keep the data folder (to profile)")
    parser.add_argument("--json-out", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    count = args.cases or (2000 if args.quick else 100_000)
    repeat = args.repeat or (1 if args.quick else 3)
    starts = args.starts or (1 if args.quick else 7)
    if count < 2 or repeat < 1 or starts < 1:
        parser.error("--cases must be at least 2, --repeat and --starts at least 1")
    result = run(count, repeat, starts, args.keep)
    print_table(result)
    if args.json_out is not None:
        args.json_out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
