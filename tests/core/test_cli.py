"""The tsbplace command as a user runs it: real subprocesses, real exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tsbplace import __version__


def run(*args: str, env: dict[str, str] | None = None, module: str = "tsbplace.ui",
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=120, check=False)


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    env.update({"TSBPLACE_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path)}, **extra)
    return env


def test_version(tmp_path: Path) -> None:
    result = run("--version", env=clean_env(tmp_path))
    assert result.returncode == 0
    assert result.stdout.strip() == f"TSBplace {__version__}"


def test_self_test_checks_everything_and_passes(tmp_path: Path) -> None:
    result = run("self-test", env=clean_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    # The tsbplace command adds the Qt layer's check (offscreen, whatever the display).
    assert [line.split(":")[0].split()[-1] for line in lines[:5]] == [
        "content", "store", "assessment", "letter", "qt"]
    assert all(line.startswith("ok") for line in lines[:5])
    assert lines[-1] == "Alle kontroller bestått."
    assert not (tmp_path / "data").exists(), "self-test must not touch the real store"


def test_self_test_in_english(tmp_path: Path) -> None:
    result = run("--language", "en", "self-test", env=clean_env(tmp_path))
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1] == "All checks passed."


def test_self_test_names_the_failing_check(tmp_path: Path) -> None:
    # A database URL is irrelevant to the self-test, but a broken data folder is not:
    # point HOME somewhere unwritable is platform-specific, so break the content instead.
    script = (
        "import sys, tsbplace.selftest as s\n"
        "def broken(): raise RuntimeError('rules/levels.toml: level[1].name: missing en')\n"
        "s.load_content = broken\n"
        "sys.exit(s.run_self_test(sys.stdout))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=clean_env(tmp_path), timeout=60, check=False)
    assert result.returncode == 1
    assert result.stdout.startswith("FEILET  content: RuntimeError: rules/levels.toml")


def test_gui_without_display_says_one_clear_sentence(tmp_path: Path) -> None:
    result = run(env=clean_env(tmp_path))
    assert result.returncode == 3
    message = result.stderr.strip()
    assert message.count("\n") == 0
    assert "ingen skjerm" in message and "self-test" in message
    assert "Traceback" not in message and "qt.qpa" not in message


def test_core_module_cannot_open_the_window_and_says_how(tmp_path: Path) -> None:
    result = run(env=clean_env(tmp_path), module="tsbplace")
    assert result.returncode == 2
    assert "tsbplace" in result.stderr


def test_unknown_option_is_a_usage_error(tmp_path: Path) -> None:
    result = run("--no-such-option", env=clean_env(tmp_path))
    assert result.returncode == 2
    assert "usage" in result.stderr.lower() or "bruk" in result.stderr.lower()


def test_gui_with_an_unreachable_display_says_one_clear_sentence(tmp_path: Path) -> None:
    result = run(env=clean_env(tmp_path, DISPLAY=":87"))
    assert result.returncode == 3
    message = result.stderr.strip()
    assert message.count("\n") == 0
    assert ":87" in message
    assert "Traceback" not in message and "qt.qpa" not in message
