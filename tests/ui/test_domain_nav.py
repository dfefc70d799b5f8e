"""The domain list: every domain in order, with a mark that is a shape, not only a colour."""

from __future__ import annotations

from tsbplace.content import Content
from tsbplace.i18n import pick
from tsbplace.ui.domain_nav import DomainNav, Progress, progress
from tsbplace.ui.qt import Qt

BOLIG_DONE = {"housing_status": "stable", "risk_of_losing_housing": False, "rating": 0}


def test_lists_every_domain_in_order_not_started(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    nav = DomainNav(content.domains)
    qtbot.addWidget(nav)
    assert nav.count() == len(content.domains) == 10
    for row, domain in enumerate(content.domains):
        assert nav.item(row).text() == f"○  {pick(domain.title)}"
        assert nav.item(row).toolTip() == "Ikke påbegynt."


def test_marks_follow_the_required_answers(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    nav = DomainNav(content.domains)
    qtbot.addWidget(nav)
    bolig = content.domain("bolig")
    nav.set_progress("bolig", {"housing_status": "stable"})
    assert nav.mark("bolig") == "◐"
    assert nav.item(nav.row_of("bolig")).toolTip() == "Påbegynt: 2 påkrevde svar mangler."
    accessible = nav.item(nav.row_of("bolig")).data(Qt.ItemDataRole.AccessibleTextRole)
    assert accessible == "Bolig: Påbegynt: 2 påkrevde svar mangler."
    nav.set_progress("bolig", BOLIG_DONE)
    assert nav.mark("bolig") == "✓"
    assert progress(bolig, BOLIG_DONE) == (Progress.DONE, 0)
    nav.set_progress("bolig", {})
    assert nav.mark("bolig") == "○"
