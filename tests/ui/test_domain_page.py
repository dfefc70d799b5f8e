"""The domain form is built from content and round-trips answers; unanswered stays unknown."""

from __future__ import annotations

from tsbplace.content import Content, Item, ItemType
from tsbplace.ui.date_field import DateField
from tsbplace.ui.domain_page import DomainPage
from tsbplace.ui.qt import QComboBox, QDoubleSpinBox, QLabel, QSpinBox


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


def test_every_domain_builds_and_round_trips_every_item_type(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    """Each item type of every domain: set a legal answer, read back exactly the same."""
    for domain in content.domains:
        page = DomainPage(domain, [content.instrument(i) for i in domain.instruments])
        qtbot.addWidget(page)
        answers = {item.id: sample_answer(item) for item in domain.items} | {"rating": 1}
        page.set_answers(answers)
        assert page.answers() == answers, domain.id
        assert domain.answer_problems(page.answers()) == []
        assert all(field.widget.accessibleName() for field in page.fields.values())
        assert set(page.instruments) == set(domain.instruments)


def sample_answer(item: Item) -> object:
    match item.type:
        case ItemType.CHOICE:
            return item.options[-1].value
        case ItemType.YESNO:
            return True
        case ItemType.NUMBER:
            assert item.maximum is not None
            return 2.5 if item.decimals else int(item.maximum)
        case ItemType.DATE:
            return "2023-02-28"
        case ItemType.TEXT:
            return "Bor i Guovdageaidnu."
        case _:
            return {"alcohol": {"used": True, "units_per_day": 7.5}, "cannabis": {"used": False}}


def test_unanswered_date_and_number_stay_out(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    page = DomainPage(content.domain("psykisk"))
    qtbot.addWidget(page)
    date = page.fields["last_suicide_attempt"]
    assert isinstance(date.widget, DateField)
    date.set_value("2022-11-30")
    assert page.answers() == {"last_suicide_attempt": "2022-11-30"}
    date.set_value(None)
    assert page.answers() == {}


def test_instrument_answers_are_kept_apart_from_items(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    domain = content.domain("psykisk")
    page = DomainPage(domain, [content.instrument(i) for i in domain.instruments])
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.changed):
        page.instruments["gad7"].combos["q1"].setCurrentIndex(2)
    assert page.instrument_answers() == {"gad7": {"q1": 1}}
    assert page.answers() == {}
    page.set_instrument_answers({"phq9": {"q9": 2}})
    assert page.instrument_answers() == {"phq9": {"q9": 2}}


def test_number_fields_are_never_squeezed_below_their_widest_text(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    """In a narrow window "12,5 alkoholenheter per dag" stays whole: every number box, the
    substances' included, is at least as wide as its widest value with its unit."""
    for domain in content.domains:
        page = DomainPage(domain, [content.instrument(i) for i in domain.instruments])
        qtbot.addWidget(page)
        page.resize(200, 400)  # far narrower than any form
        spins = page.findChildren(QSpinBox) + page.findChildren(QDoubleSpinBox)
        assert spins or domain.id not in {"rus"}
        for spin in spins:
            widest = spin.textFromValue(spin.maximum()) + spin.suffix()
            assert spin.minimumWidth() > spin.fontMetrics().horizontalAdvance(widest), (domain.id, widest)
