"""The domain form is built from content and round-trips answers; unanswered stays unknown."""

from __future__ import annotations

from tsbplace.content import Content
from tsbplace.ui.domain_page import DomainPage
from tsbplace.ui.qt import QComboBox, QLabel, QSpinBox


def test_every_item_and_anchor_is_on_the_page(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    domain = content.domain("rus")
    page = DomainPage(domain)
    qtbot.addWidget(page)
    assert set(page.fields) == {item.id for item in domain.items}
    label_texts = {label.text() for label in page.findChildren(QLabel)}
    for anchor in domain.anchors:
        assert anchor.text["nb"] in label_texts
    assert all(field.widget.accessibleName() for field in page.fields.values())


def test_nothing_answered_gives_no_answers(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    page = DomainPage(content.domain("rus"))
    qtbot.addWidget(page)
    assert page.answers() == {}


def test_answers_round_trip(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    page = DomainPage(content.domain("rus"))
    qtbot.addWidget(page)
    answers = {"main_substance": "ghb", "injecting": False, "withdrawal_complications": True,
               "days_used_last_30": 0, "note": "Bor hos søster.", "rating": 4}
    page.set_answers(answers)
    assert page.answers() == answers
    page.set_answers({"rating": 2})
    assert page.answers() == {"rating": 2}


def test_edits_emit_changed(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    page = DomainPage(content.domain("rus"))
    qtbot.addWidget(page)
    combo = page.fields["main_substance"].widget
    assert isinstance(combo, QComboBox)
    with qtbot.waitSignal(page.changed):
        combo.setCurrentIndex(2)
    spin = page.fields["days_used_last_30"].widget
    assert isinstance(spin, QSpinBox)
    with qtbot.waitSignal(page.changed):
        spin.setValue(12)
    with qtbot.waitSignal(page.changed):
        page.rating_group.button(3).click()
    assert page.answers() == {"main_substance": "opioids", "days_used_last_30": 12, "rating": 3}
