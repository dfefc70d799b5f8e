"""Crash safety: a process writing cases is killed with SIGKILL at random moments, many
times, on one SQLite store. Afterwards the store passes the integrity check and holds
every case the writer reported as committed, with its assessment."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tsbplace.locations import DATABASE_FILE, resolve_locations
from tsbplace.services import open_case_service
from tsbplace.storage.integrity import check_file

WRITER = Path(__file__).with_name("crash_writer.py")
ROUNDS = 60
KILL_AFTER_MS = (20, 300)


def committed_ids(path: Path) -> list[int]:
    """The ids on complete lines; a line cut short by the kill was never reported."""
    text = path.read_text(encoding="ascii") if path.exists() else ""
    return [int(line) for line in text.split("\n")[:-1]]


def test_store_survives_sigkill_while_writing(tmp_path: Path) -> None:
    data_dir, committed = tmp_path / "data", tmp_path / "committed.txt"
    seed = random.randrange(1 << 30)
    chooser = random.Random(seed)
    writer = subprocess.Popen([sys.executable, str(WRITER), str(data_dir), str(committed)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    assert writer.stdin is not None and writer.stdout is not None
    try:
        assert writer.stdout.readline().strip() == "ready"
        for round_number in range(1, ROUNDS + 1):
            writer.stdin.write("go\n")
            writer.stdin.flush()
            started = writer.stdout.readline().split()
            assert started[:1] == ["writing"], f"round {round_number} (seed {seed}): {started}"
            time.sleep(chooser.uniform(*KILL_AFTER_MS) / 1000)
            os.kill(int(started[1]), signal.SIGKILL)
            ended = writer.stdout.readline().split()
            assert ended[0] == "exit", f"round {round_number} (seed {seed}): {ended}"
            status = int(ended[1])
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (round_number, seed)
        writer.stdin.write("quit\n")
        writer.stdin.flush()
        assert writer.wait(timeout=30) == 0
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()

    assert check_file(data_dir / DATABASE_FILE, live=True).ok
    ids = committed_ids(committed)
    assert len(ids) >= ROUNDS, f"too few commits to mean anything ({len(ids)}, seed {seed})"
    assert len(set(ids)) == len(ids)
    service = open_case_service(resolve_locations(data_dir, environ={}))
    try:
        stored = {case.id for case in service.list_cases()}
        assert set(ids) <= stored, f"committed but lost: {sorted(set(ids) - stored)[:10]} (seed {seed})"
        missing = [case_id for case_id in ids if service.load_assessment(case_id) is None]
        assert missing == [], f"assessments lost for {missing[:10]} (seed {seed})"
    finally:
        service.store.close()
    assert check_file(data_dir / DATABASE_FILE, live=True).ok
