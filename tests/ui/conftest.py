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
