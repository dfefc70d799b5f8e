"""``tsbplace demo-data``: synthetic cases, clearly marked, assessed by the real engine,
and never mixed into a store with real cases unless forced."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import func, select

from tsbplace.cases import CaseService, answer_problems, fact_context
from tsbplace.demo_data import DemoDataRefused, make_demo_cases
from tsbplace.national_id import check_national_id, synthetic_national_id
from tsbplace.storage.models import TsbCase

TODAY = dt.date.today()


@pytest.fixture
def database_url(any_database_url: str) -> str:
    return any_database_url


def case_count(service: CaseService) -> int:
    with service.store.session() as session:
        return int(session.exec(select(func.count()).select_from(TsbCase)).one())


def test_demo_cases_are_marked_valid_and_assessed_by_the_engine(service: CaseService) -> None:
    result = make_demo_cases(service.store, service.content, 120, today=TODAY)
    assert (result.cases, result.pool) == (120, 120)
    page = service.search_cases(limit=1000)
    assert page.total == 120
    assert all(row.case_number.startswith(f"DEMO-{row.received_date.year}-") for row in page.rows)
    assert all(row.patient_name.startswith("DEMO ") for row in page.rows)
    assert len({row.national_id for row in page.rows}) == 120
    assert all(check_national_id(row.national_id).birth_date == row.birth_date for row in page.rows)
    assert all(TODAY - dt.timedelta(days=365) < row.received_date <= TODAY for row in page.rows)
    assessed = [row for row in page.rows if row.status == "assessed"]
    assert len(assessed) == result.assessed and 0 < result.assessed < 120
    assert all((row.suggested_level is None) == (row.status == "new") for row in page.rows)
    for row in assessed[:20]:
        record = service.load_assessment(row.id)
        assert record is not None and record.version == 1
        assert answer_problems(service.content, record.answers) == []
        given = {key: result["answers"] for key, result in record.instruments.items()}
        again = service.evaluate(record.answers, fact_context(row, TODAY), given)
        assert again.suggestion.to_dict() == record.suggestion  # the real engine's result
        assert {key: r.to_dict() for key, r in again.instruments.items()} == record.instruments
    assert service.search_cases("demo").total == 120
    referring = [row for row in page.rows if row.side == "referrer"]
    assert 0 < len(referring) < 20  # about one in twenty, so lists show the referring side
    assert all(row.status in ("new", "assessed") for row in referring)  # none sent yet
    assert service.search_cases("DEMO-").total == 120


def test_more_demo_cases_continue_the_numbers(service: CaseService) -> None:
    make_demo_cases(service.store, service.content, 5, today=TODAY)
    make_demo_cases(service.store, service.content, 5, today=TODAY)
    rows = service.search_cases(limit=1000).rows
    assert sorted(row.case_number[-6:] for row in rows) == [f"{n:06d}" for n in range(1, 11)]
    assert len({row.national_id for row in rows}) == 10


def test_a_store_with_real_cases_is_refused_unless_forced(service: CaseService) -> None:
    service.create_case("Inga Ánte Bråthen", synthetic_national_id(dt.date(1988, 8, 8)), TODAY)
    with pytest.raises(DemoDataRefused) as refused:
        make_demo_cases(service.store, service.content, 10)
    assert refused.value.real_cases == 1
    assert case_count(service) == 1
    make_demo_cases(service.store, service.content, 10, force=True)
    assert case_count(service) == 11
    assert service.search_cases("demo").total == 10
    found = [row.case_number for row in service.search_cases("2026-00001").rows]
    assert "2026-00001" in found  # and DEMO-2026-00001x, if received in 2026
    assert all(number == "2026-00001" or number.startswith("DEMO-2026-00001") for number in found)


def tsbplace(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TSBPLACE_")}
    env["TSBPLACE_LANGUAGE"] = "en"
    return subprocess.run([sys.executable, "-m", "tsbplace", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=env, timeout=120, check=False)


def test_the_command(tmp_path: Path) -> None:
    data = tmp_path / "data"
    made = tsbplace(data, "demo-data", "--cases", "30")
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("Made 30 demo cases (") and made.stdout.rstrip().endswith(" s.")
    assert tsbplace(data, "demo-data", "--cases", "0").returncode == 2
    assert tsbplace(data, "--language", "nb", "demo-data", "--help").stdout.count("demosaker") >= 1


def test_the_command_refuses_a_store_with_real_cases(tmp_path: Path, service: CaseService) -> None:
    data = tmp_path / "data"  # the service fixture's SQLite store lives here
    if not (data / "tsbplace.sqlite3").exists():
        pytest.skip("the store is not the SQLite file in the data folder")
    service.create_case("Inga Ánte Bråthen", synthetic_national_id(dt.date(1988, 8, 8)), TODAY)
    refused = tsbplace(data, "demo-data", "--cases", "5")
    assert refused.returncode == 1
    assert "1 cases that are not demo cases" in refused.stderr and "nothing was changed" in refused.stderr
    assert case_count(service) == 1
    forced = tsbplace(data, "demo-data", "--cases", "5", "--force")
    assert forced.returncode == 0, forced.stderr
    assert case_count(service) == 6
