"""How fast the engine is, measured against loading the same cases in the same run.

    .venv/bin/python benchmarks/bench_engine.py [--cases N] [--repeat R] [--json-out FILE]

(a) one case: reading and checking an example case file (``read_case_file``) against
    assessing it (``assess_case``: instruments, facts, rules, legal dates);
(b) N stored cases (default 100,000) in a throw-away SQLite store made through the real
    migrations and filled with bulk inserts: reading them all (``iter_stored_cases``)
    against replaying them all with the installed rules and a freshly loaded copy
    (``Replay``), which reads them too. Engine time = replay − read.

Each engine time is reported as a ratio against its baseline; the target is ≤ 1×. The
cases are synthetic: the shipped examples with their ratings, birth dates and
instrument answers varied by a seeded random generator. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from stdnum.no import fodselsnummer
from timing import peak_memory_mb, per_call, timed

from tsbplace.assessment import CaseInput, assess_case, evaluate_case
from tsbplace.case_file import read_case_file
from tsbplace.cases import score_instruments
from tsbplace.content import Content, installed_content, load_content
from tsbplace.locations import sqlite_url
from tsbplace.package_data import resource
from tsbplace.replay import Replay
from tsbplace.storage import Store
from tsbplace.storage.models import Assessment, Patient, TsbCase, utcnow
from tsbplace.stored_cases import iter_stored_cases

TARGET = 1.0
INSERT_BATCH = 5000
SEED = 20261122


def examples() -> list[Path]:
    return sorted(Path(str(node)) for node in resource("examples").iterdir() if node.name.endswith(".json"))


def one_case(content: Content, repeat: int) -> dict[str, float]:
    """(a): mean over the examples of the seconds to read one file and to assess it."""
    load = engine = 0.0
    paths = examples()
    for path in paths:
        case = read_case_file(path, content)
        load += per_call(lambda path=path: read_case_file(path, content), repeat)
        engine += per_call(lambda case=case: assess_case(content, case), repeat)
    return {"load_s": load / len(paths), "engine_s": engine / len(paths)}


# --- (b) a store with N cases ---------------------------------------------------------------

def national_ids() -> Iterator[tuple[str, dt.date]]:
    """Unique valid fødselsnumre with their birth dates, 1940–1999 (synthetic, never shown)."""
    day = dt.date(1940, 1, 1)
    while True:
        for serial in range(100, 500):
            base = f"{day:%d%m}{day.year % 100:02d}{serial:03d}"
            first = fodselsnummer.calc_check_digit1(base)
            second = fodselsnummer.calc_check_digit2(base + first)
            if len(first) == 1 and len(second) == 1:
                yield base + first + second, day
        day += dt.timedelta(days=1)


def templates(content: Content) -> list[CaseInput]:
    return [read_case_file(path, content) for path in examples()]


def varied(template: CaseInput, rng: random.Random,
           content: Content) -> tuple[dict[str, Any], dict[str, Any]]:
    """The template's answers with every rating drawn again from the domain's anchors, and
    its instrument answers with each item drawn from the permitted values."""
    answers = {
        domain: dict(given) | {"rating": rng.choice([a.value for a in content.domain(domain).anchors])}
        for domain, given in template.answers.items()
    }
    instruments = {}
    for instrument_id, given in template.instruments.items():
        instrument = content.instrument(instrument_id)
        instruments[instrument_id] = {item: rng.choice(instrument.item(item).permitted()) for item in given}
    return answers, instruments


def fill_store(store: Store, content: Content, count: int) -> None:
    """``count`` patients, cases and assessments, in bulk, through the migrated tables."""
    rng = random.Random(SEED)
    bases = templates(content)
    # a stored result of realistic size (the reader does not read it back)
    suggestions = [evaluate_case(content, template).suggestion for template in bases]
    ids = national_ids()
    now = utcnow()
    for start in range(0, count, INSERT_BATCH):
        patients, cases, assessments = [], [], []
        for index in range(start, min(count, start + INSERT_BATCH)):
            number, born = next(ids)
            template, suggestion = bases[index % len(bases)], suggestions[index % len(bases)]
            answers, instruments = varied(template, rng, content)
            sex = "F" if int(number[8]) % 2 == 0 else "M"
            results = score_instruments(content, instruments, sex=sex)
            row_id = index + 1
            patients.append({"id": row_id, "name": f"Syntetisk pasient {row_id}", "national_id": number,
                             "birth_date": born, "created_at": now})
            cases.append({"id": row_id, "case_number": f"{template.received.year}-{row_id:06d}",
                          "patient_id": row_id, "received_date": template.received, "status": "assessed",
                          "created_at": now, "updated_at": now})
            assessments.append({
                "id": row_id, "case_id": row_id, "status": "draft", "answers": answers,
                "suggestion": suggestion.to_dict(), "suggested_level": suggestion.level,
                "instrument_results": {key: result.to_dict() for key, result in results.items()},
                "ruleset_id": suggestion.ruleset_id, "ruleset_version": suggestion.ruleset_version,
                "ruleset_hash": suggestion.ruleset_hash, "created_at": now, "updated_at": now,
            })
        with store.engine.begin() as connection:
            connection.execute(insert(Patient), patients)
            connection.execute(insert(TsbCase), cases)
            connection.execute(insert(Assessment), assessments)


def stored_cases(content: Content, count: int) -> dict[str, float]:
    """(b): seconds to read every stored case, and to replay every one with two rule sets."""
    with tempfile.TemporaryDirectory(prefix="tsbplace-bench-") as folder:
        store = Store.open(sqlite_url(Path(folder) / "bench.sqlite3"))
        try:
            fill = timed(lambda: fill_store(store, content, count))
            result = replay_store(store, content)
            assert result["cases"] == count, result
        finally:
            store.close()
    return {"fill_s": fill, **result}


def replay_store(store: Store, content: Content) -> dict[str, float]:
    """(b) on a store that holds cases already (``benchmarks/run_all.py`` passes its demo
    store): read every case, then replay every one with two rule sets."""
    read = timed(lambda: sum(1 for _ in iter_stored_cases(store)))
    replay = Replay(content, load_content())
    replayed = timed(lambda: sum(1 for _ in replay.changes(iter_stored_cases(store))))
    return {"cases": replay.summary.total, "load_s": read, "replay_s": replayed,
            "engine_s": max(replayed - read, 0.0)}


def report(one: dict[str, float], many: dict[str, float], count: int) -> dict[str, Any]:
    rows = [
        {"measure": "one case (ms per case)", "baseline": "read_case_file",
         "baseline_value": one["load_s"] * 1e3, "engine_value": one["engine_s"] * 1e3,
         "ratio": one["engine_s"] / one["load_s"]},
        {"measure": f"{count} stored cases (s)", "baseline": "iter_stored_cases",
         "baseline_value": many["load_s"], "engine_value": many["engine_s"],
         "ratio": many["engine_s"] / many["load_s"]},
    ]
    return {"cases": count, "target_ratio": TARGET, "rows": rows,
            "per_case_ms": {"read": many["load_s"] / count * 1e3,
                            "replay_two_rule_sets": many["engine_s"] / count * 1e3},
            "fill_store_s": many["fill_s"], "peak_memory_mb": peak_memory_mb()}


def print_table(result: dict[str, Any]) -> None:
    print(f"{'measure':<28} {'baseline':<18} {'baseline':>10} {'engine':>10} {'ratio':>8}  target")
    for row in result["rows"]:
        verdict = "ok" if row["ratio"] <= TARGET else "missed"
        print(f"{row['measure']:<28} {row['baseline']:<18} {row['baseline_value']:>10.3f} "
              f"{row['engine_value']:>10.3f} {row['ratio']:>7.2f}×  ≤ {TARGET:g}× {verdict}")
    per_case = result["per_case_ms"]
    print(f"per stored case: read {per_case['read']:.3f} ms, "
          f"replay with two rule sets {per_case['replay_two_rule_sets']:.3f} ms")
    print(f"filling the store: {result['fill_store_s']:.1f} s")
    memory = result["peak_memory_mb"]
    print(f"peak memory: {'unknown' if memory is None else f'{memory:.0f} MB'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="stored cases for (b) (default 100000)")
    parser.add_argument("--repeat", type=int, default=20, help="calls per round for (a) (default 20)")
    parser.add_argument("--json-out", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if args.cases < 1 or args.repeat < 1:
        parser.error("--cases and --repeat must be at least 1")
    content = installed_content()
    result = report(one_case(content, args.repeat), stored_cases(content, args.cases), args.cases)
    print_table(result)
    if args.json_out is not None:
        args.json_out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
