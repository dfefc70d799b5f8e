"""The substances block: one line per substance, details only when used, injection sites
only when injecting, and an answer in exactly the shape the core takes."""

from __future__ import annotations

from typing import Any

from tests.ui.keyboard import type_text
from tsbplace.content import Content
from tsbplace.ui.choices_field import ChoicesField
from tsbplace.ui.inputs import ComboBox, DecimalSpinBox
from tsbplace.ui.qt import QCheckBox
from tsbplace.ui.substances_editor import SubstancesEditor

ANSWER: dict[str, dict[str, Any]] = {
    "alcohol": {"used": True, "units_per_day": 12.5, "days_last_30": 20, "years_used": 15.5,
                "last_use": "2024-03-01"},
    "opioids": {"used": True, "route": ["smoking", "injecting"], "injection_sites": ["groin"],
                "grams_per_day": 0.25},
    "cannabis": {"used": False},
    "benzodiazepines": {"used": True},
}


def make_editor(qtbot, content: Content) -> SubstancesEditor:  # type: ignore[no-untyped-def]
    block = content.domain("rus").item("substances").block
    assert block is not None
    editor = SubstancesEditor(block)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def test_every_substance_has_a_line_and_nothing_is_answered(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    editor = make_editor(qtbot, content)
    block = content.domain("rus").item("substances").block
    assert block is not None
    assert list(editor.entries) == [s.id for s in block.substances]
    assert editor.value() is None
    for entry in editor.entries.values():
        assert entry.used.widget.accessibleName().endswith("Brukt siste 12 måneder")
        assert not entry.details.isVisible()


def test_answer_round_trips_exactly(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    editor = make_editor(qtbot, content)
    editor.set_value(ANSWER)
    assert editor.value() == ANSWER
    again = make_editor(qtbot, content)
    again.set_value(editor.value())
    assert again.value() == ANSWER
    assert content.domain("rus").item("substances").value_problems(editor.value()) == []


def test_details_follow_used(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    editor = make_editor(qtbot, content)
    alcohol = editor.entries["alcohol"]
    combo = alcohol.used.widget
    assert isinstance(combo, ComboBox)
    with qtbot.waitSignal(editor.changed):
        combo.setCurrentIndex(combo.findData(True))
    assert alcohol.details.isVisible()
    assert editor.value() == {"alcohol": {"used": True}}  # no defaults for the details
    alcohol.fields["days_last_30"].set_value(9)
    assert editor.value() == {"alcohol": {"used": True, "days_last_30": 9}}
    combo.setCurrentIndex(combo.findData(False))
    assert not alcohol.details.isVisible()
    assert editor.value() == {"alcohol": {"used": False}}  # details of a substance not used: out


def test_injection_sites_only_when_injecting(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    editor = make_editor(qtbot, content)
    opioids = editor.entries["opioids"]
    opioids.used.set_value(True)
    route, sites = opioids.fields["route"].widget, opioids.fields["injection_sites"].widget
    assert isinstance(route, ChoicesField) and isinstance(sites, ChoicesField)
    assert not sites.isVisible()
    route.boxes["smoking"].click()
    assert not sites.isVisible()
    route.boxes["injecting"].click()
    assert sites.isVisible()
    sites.boxes["neck"].click()
    assert editor.value() == {"opioids": {"used": True, "route": ["smoking", "injecting"],
                                          "injection_sites": ["neck"]}}
    route.boxes["injecting"].click()
    assert not sites.isVisible()
    assert editor.value() == {"opioids": {"used": True, "route": ["smoking"]}}
    assert all(box.accessibleName().startswith("Opioider: Injeksjonssted: ")
               for box in sites.findChildren(QCheckBox))


def test_alcohol_has_no_route(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    editor = make_editor(qtbot, content)
    assert "route" not in editor.entries["alcohol"].fields
    assert "units_per_day" in editor.entries["alcohol"].fields


def test_decimals_are_typed_with_a_comma_in_bokmal(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    editor = make_editor(qtbot, content)
    benzodiazepines = editor.entries["benzodiazepines"]
    benzodiazepines.used.set_value(True)
    spin = benzodiazepines.fields["diazepam_mg_per_day"].widget
    assert isinstance(spin, DecimalSpinBox)
    spin.setFocus()
    spin.selectAll()
    type_text(spin, "1000")
    assert spin.text() == "1000 mg per dag"
    spin.selectAll()
    type_text(spin, "12,5")
    assert editor.value() == {"benzodiazepines": {"used": True, "diazepam_mg_per_day": 12.5}}
    assert spin.text() == "12,5 mg per dag"
