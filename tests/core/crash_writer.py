"""The writer for tests/core/test_crash.py; not a test itself.

Run as ``python crash_writer.py DATA_DIR COMMITTED_FILE``. It imports TSBplace and loads
the content once, says ``ready``, then for every ``go`` line on stdin forks a child that
opens the store through ``open_case_service`` (integrity check and migrations included),
says ``writing PID`` and creates cases and saves assessments until it is killed. After
each commit the child appends the case id to COMMITTED_FILE with flush and fsync. The
parent reports ``exit STATUS`` when the child is gone; ``quit`` ends it.
"""

from __future__ import annotations

import datetime as dt
import os
import sys

from tsbplace.content import installed_content
from tsbplace.locations import resolve_locations
from tsbplace.national_id import synthetic_national_id
from tsbplace.services import open_case_service

NAME = "Ánde Krašj Ødegård"  # synthetic


def write_until_killed(data_dir: str, committed_file: str, round_number: int) -> None:
    service = open_case_service(resolve_locations(data_dir, environ={}))
    national_id = synthetic_national_id(dt.date(1950, 1, 1) + dt.timedelta(days=round_number))
    fd = os.open(committed_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    print(f"writing {os.getpid()}", flush=True)
    step = 0
    while True:
        case = service.create_case(NAME, national_id, dt.date(2026, 1, 5))
        service.save_assessment(case.id, {"rus": {"rating": step % 4}})
        os.write(fd, f"{case.id}\n".encode())
        os.fsync(fd)
        step += 1


def main() -> None:
    data_dir, committed_file = sys.argv[1], sys.argv[2]
    installed_content()  # loaded once, inherited by every child
    print("ready", flush=True)
    for round_number, line in enumerate(sys.stdin, start=1):
        if line.strip() != "go":
            break
        pid = os.fork()
        if pid == 0:
            try:
                write_until_killed(data_dir, committed_file, round_number)
            except BaseException as error:  # reported to the test, which fails
                print(f"error {type(error).__name__}: {error}", flush=True)
            os._exit(3)
        _, status = os.waitpid(pid, 0)
        print(f"exit {status}", flush=True)


if __name__ == "__main__":
    main()
