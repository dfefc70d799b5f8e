"""The referral page: source, referrer, reason and the completeness checklist; saved with
the case page, what is missing shown live, "Annet" needs its explanation."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tests.ui.keyboard import type_text
from tsbplace.cases import CaseService, InvalidInput
from tsbplace.ui.case_page import REFERRAL, CasePage


@pytest.fixture
def page(qtbot, service: CaseService) -> CasePage:  # type: ignore[no-untyped-def]
    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today())
    shown = CasePage(service, service.get_case(case.id))
    qtbot.addWidget(shown)
    shown.show()
    return shown


def test_the_referral_is_the_first_entry_and_starts_empty(page: CasePage) -> None:
    assert page.nav.entry_id(0) == REFERRAL
    assert page.nav.item(0).text() == "○  Henvisning"
    referral = page.referral_page
    items = page.service.content.codes.referral_items  # type: ignore[union-attr]
    assert len(referral.checks) == len(items)
    assert referral.missing.text().startswith(f"Mangler ({len(items)}):")
    assert referral.source.accessibleName() == "Henvist fra"
    assert referral.slots["source_text"].isHidden()  # only for a source that asks for it


def test_edits_are_saved_with_the_case_and_show_what_is_missing(qtbot, page: CasePage) -> None:  # type: ignore[no-untyped-def]
    referral = page.referral_page
    items = page.service.content.codes.referral_items  # type: ignore[union-attr]
    with qtbot.waitSignal(page.changed):
        referral.source.setCurrentIndex(referral.source.findData("fastlege"))
    assert page.dirty
    type_text(referral.referrer, "Dr. Lege, Lia legekontor")
    referral.reason.setPlainText("Alkoholavhengighet, ønsker hjelp.")
    for item in items[:-1]:
        referral.checks[item.id].setChecked(True)
    assert referral.missing.text() == f"Mangler (1):\n• {items[-1].label()}"
    assert page.nav.mark(REFERRAL) == "◐"

    page.save()
    assert not page.dirty
    stored = page.service.load_referral(page.case.id)
    assert stored.version == 1 == page.referral_version
    assert stored.details.source == "fastlege"
    assert stored.details.referrer == "Dr. Lege, Lia legekontor"
    assert stored.details.reason == "Alkoholavhengighet, ønsker hjelp."
    assert [code.id for code in stored.missing_items] == [items[-1].id]

    referral.checks[items[-1].id].setChecked(True)
    assert referral.missing.text() == "Henvisningen inneholder alt en TSB-henvisning bør ha."
    assert page.nav.mark(REFERRAL) == "✓"
    page.save()
    assert page.service.load_referral(page.case.id).complete
    assert page.referral_version == 2

    again = CasePage(page.service, page.case)
    qtbot.addWidget(again)
    assert again.referral_page.details() == referral.details()
    assert again.nav.mark(REFERRAL) == "✓" and not again.dirty


def test_other_source_needs_its_explanation(qtbot, page: CasePage) -> None:  # type: ignore[no-untyped-def]
    referral = page.referral_page
    referral.source.setCurrentIndex(referral.source.findData("annet"))
    assert not referral.slots["source_text"].isHidden()
    with pytest.raises(InvalidInput) as refused:
        page.save()
    assert [p.field for p in refused.value.problems] == ["referral.source_text"]
    assert page.dirty
    page.show_problems(refused.value.problems)
    assert page.current_id == REFERRAL
    problem = referral.slots["source_text"].problem
    assert not problem.isHidden() and problem.text() == "Skriv hvem som henviste, når kilden er «Annet»."
    assert page.field_label("referral.source_text") == "Henvisning: Forklaring til henvisende instans"
    assert page.service.load_referral(page.case.id).version == 0
    type_text(referral.source_text, "Barnevernet")
    assert problem.isHidden()
    page.save()
    assert page.service.load_referral(page.case.id).details.source_text == "Barnevernet"


def test_tab_goes_down_the_form_and_the_checklist(qtbot, page: CasePage) -> None:  # type: ignore[no-untyped-def]
    from tsbplace.ui.qt import QApplication, Qt

    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    page.show_domain("referral", focus_form=True)
    referral = page.referral_page
    referral.source.setCurrentIndex(referral.source.findData("annet"))
    assert referral.source.hasFocus()
    first_check = next(iter(referral.checks.values()))
    for widget in (referral.source_text, referral.referrer, referral.reason, first_check):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is widget
    qtbot.keyClick(first_check, Qt.Key.Key_Space)
    assert first_check.isChecked()
