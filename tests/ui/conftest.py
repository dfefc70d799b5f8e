"""GUI tests run offscreen with the product's own style applied."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def qapp_cls():  # type: ignore[no-untyped-def]
    from tsbplace.ui.qt import QApplication

    return QApplication


@pytest.fixture(scope="session", autouse=True)
def styled_app(qapp):  # type: ignore[no-untyped-def]
    from tsbplace.ui.style import apply_style

    apply_style(qapp)
    return qapp


@pytest.fixture
def cheap_kdf(monkeypatch):  # type: ignore[no-untyped-def]
    """Argon2 at its cheapest: signing in takes milliseconds instead of a second."""
    from tsbplace.security import kdf

    monkeypatch.setattr(kdf, "DEFAULT", kdf.KdfParams(1, 8 * 1024, 1))


@pytest.fixture
def locations(tmp_path, cheap_kdf):  # type: ignore[no-untyped-def]
    """A data folder with no store yet (the first start)."""
    from tsbplace.locations import resolve_locations

    return resolve_locations(tmp_path / "data", environ={})


LEAD_PASSWORD = "riktig hest batteri"


@pytest.fixture
def workspace(locations):  # type: ignore[no-untyped-def]
    """An encrypted store set up by its first user, the professional lead ``kari``."""
    from tsbplace.access import create_store

    opened = create_store(locations, "kari", "Kari Nordmann", LEAD_PASSWORD)
    yield opened
    opened.close()
