"""The decision page: the chosen level beside the suggested one, a reason when they differ,
the right with its frist and latest start prefilled, signing with the core's messages
beside the fields, saving with the case page, and read-only once signed."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import PATIENT_ID, PATIENT_NAME
from tests.ui.keyboard import type_text
from tsbplace.cases import CaseService, Decision
from tsbplace.local_services import LocalService
from tsbplace.ui.case_page import DECISION, CasePage
from tsbplace.ui.qt import QApplication, Qt

D3M_ANSWERS = {"rus": {"main_substance": "alcohol", "withdrawal_complications": True, "rating": 2}}
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def page(qtbot, service: CaseService) -> CasePage:  # type: ignore[no-untyped-def]
    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today())
    service.save_assessment(case.id, D3M_ANSWERS, expected_version=0)
    shown = CasePage(service, service.get_case(case.id))
    qtbot.addWidget(shown)
    shown.show()
    shown.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is shown)  # shortcuts need it
    shown.show_domain(DECISION, focus_form=True)
    return shown


def test_the_chosen_level_is_the_suggested_one_by_default(page: CasePage) -> None:
    decision = page.decision_page
    assert page.nav.entry_id(page.nav.count() - 1) == DECISION
    assert page.nav.mark(DECISION) == "○"
    assert decision.suggested == "D3M"
    assert decision.suggested_label.text().startswith("D3M")
    assert decision.chosen.currentData() == "D3M"
    assert decision.decision().chosen_level is None  # follows the suggestion until chosen
    assert decision.decision(for_signing=True).chosen_level == "D3M"
    assert decision.chosen.hasFocus()
    assert not page.dirty
    for widget in (decision.chosen, decision.reason, decision.reason_text, decision.frist,
                   decision.goals, decision.preferred, decision.agreement, decision.ip,
                   decision.coordinator, decision.care_group, decision.sign_button,
                   *decision.right_buttons.values()):
        assert widget.accessibleName()


def test_another_level_needs_a_reason_and_signing_says_what_is_missing(  # type: ignore[no-untyped-def]
        qtbot, page: CasePage, service: CaseService) -> None:
    decision = page.decision_page
    label = decision.level_form.labelForField(decision.reason_slot)
    assert not label.text().endswith("*")
    decision.chosen.setCurrentIndex(decision.chosen.findData("D3"))
    assert label.text().endswith("*")  # shown as required now
    assert page.dirty and page.decision_dirty
    decision.sign_button.click()
    record = service.load_assessment(page.case.id)
    assert record is not None and not record.signed
    assert record.decision.chosen_level == "D3"  # saved before signing was tried
    reason_problem = decision.reason_slot.problem
    assert not reason_problem.isHidden()
    assert reason_problem.text() == "Velg en begrunnelse når valgt nivå avviker fra det foreslåtte."
    assert decision.agreement_slot.problem.text() == "Angi om pasienten er enig."
    assert "Angi om pasienten har rett til nødvendig helsehjelp." in decision.problems.text()
    assert "Beslutning: Om pasienten er enig" in decision.problems.text()
    assert decision.reason.hasFocus()  # the first problem in the form's order
    assert page.current_id == DECISION

    decision.reason.setCurrentIndex(decision.reason.findData("annet"))  # needs its text too
    text_label = decision.level_form.labelForField(decision.reason_text_slot)
    assert text_label.text().endswith("*")
    assert reason_problem.isHidden()  # an edit clears the old messages
    decision.sign_button.click()
    assert decision.reason_text_slot.problem.text() == "Skriv en begrunnelse for «Annet»."


def test_a_right_prefills_frist_and_latest_start_which_stay_editable(qtbot, page: CasePage) -> None:  # type: ignore[no-untyped-def]
    decision = page.decision_page
    legal = decision.legal
    assert legal is not None and legal.priority.frist_weeks is not None and legal.latest_start is not None
    assert decision.frist_slot.isHidden()  # only with a right
    decision.right_buttons["rett"].click()
    assert not decision.frist_slot.isHidden()
    assert decision.frist.value() == legal.priority.frist_weeks
    assert decision.start.value() == legal.latest_start.date.isoformat()
    assert decision.decision().frist_weeks == legal.priority.frist_weeks

    decision.frist.setValue(2)  # the clinician's own frist; the date follows while not typed
    expected = page.case.received_date + dt.timedelta(weeks=2)
    assert decision.decision().latest_start_date is not None
    assert abs((decision.decision().latest_start_date - expected).days) <= 3  # type: ignore[operator]
    decision.start.edit.clear()
    type_text(decision.start.edit, "01.02.2030")
    decision.frist.setValue(3)
    assert decision.decision().latest_start_date == dt.date(2030, 2, 1)  # typed: kept
    assert decision.decision().frist_weeks == 3

    decision.right_buttons["ikke_rett"].click()
    assert decision.frist_slot.isHidden()
    assert decision.decision().frist_weeks is None and decision.decision().latest_start_date is None


def test_signing_stores_it_and_says_so(qtbot, page: CasePage, service: CaseService) -> None:  # type: ignore[no-untyped-def]
    decision = page.decision_page
    decision.right_buttons["rett"].click()
    decision.agreement.setCurrentIndex(decision.agreement.findData("enig"))
    assert page.nav.mark(DECISION) == "✓"  # signable
    with qtbot.waitSignal(page.assessment_signed):
        qtbot.keyClick(decision.agreement, Qt.Key.Key_Return, CTRL)
    record = service.load_assessment(page.case.id)
    assert record is not None and record.signed
    assert record.decision.chosen_level == "D3M" and record.decision.care_right == "rett"
    assert record.decision.frist_weeks == decision.legal.priority.frist_weeks  # type: ignore[union-attr]
    assert not page.dirty
    assert page.signed and not decision.isEnabled() and decision.sign_button.isHidden()

    reopened = CasePage(service, service.get_case(page.case.id))  # what the main window shows next
    qtbot.addWidget(reopened)
    assert reopened.signed
    for widget in (reopened.referral_page, reopened.decision_page, *reopened.pages.values()):
        assert not widget.isEnabled()
    assert reopened.decision_page.sign_button.isHidden()
    assert reopened.decision_page.chosen.currentData() == "D3M"
    assert reopened.nav.mark(DECISION) == "✓"


def test_edits_emit_changed_and_save_stores_referral_and_decision(  # type: ignore[no-untyped-def]
        qtbot, page: CasePage, service: CaseService) -> None:
    decision = page.decision_page
    with qtbot.waitSignal(page.changed):
        type_text(decision.goals, "Slutte å drikke")
    with qtbot.waitSignal(page.changed):
        decision.ip.setCurrentIndex(decision.ip.findData("tilbys"))
    with qtbot.waitSignal(page.changed):
        page.referral_page.checks["housing"].setChecked(True)
    assert page.nav.mark(DECISION) == "◐"
    before = page.version
    page.save()
    assert not page.dirty and not page.decision_dirty and not page.referral_dirty
    record = service.load_assessment(page.case.id)
    assert record is not None and record.version == page.version > before
    assert record.decision.patient_goals == "Slutte å drikke"
    assert record.decision.ip_status == "tilbys"
    assert record.decision.chosen_level is None  # still the suggestion's
    assert service.load_referral(page.case.id).details.present_items == ("housing",)

    reopened = CasePage(service, service.get_case(page.case.id))
    qtbot.addWidget(reopened)
    assert reopened.decision_page.goals.toPlainText() == "Slutte å drikke"
    assert reopened.decision_page.chosen.currentData() == "D3M"
    assert not reopened.dirty


def test_a_typed_start_that_is_no_date_is_refused_on_saving(qtbot, page: CasePage) -> None:  # type: ignore[no-untyped-def]
    from tsbplace.cases import InvalidInput

    decision = page.decision_page
    decision.right_buttons["rett"].click()
    decision.start.edit.clear()
    type_text(decision.start.edit, "31.02.2030")
    with pytest.raises(InvalidInput) as refused:
        page.save()
    assert page.show_problems(refused.value.problems)
    assert page.current_id == DECISION
    assert not decision.start_slot.problem.isHidden()
    assert page.dirty


def test_tab_goes_down_the_form_to_signer(qtbot, page: CasePage) -> None:  # type: ignore[no-untyped-def]
    decision = page.decision_page
    decision.right_buttons["rett"].click()
    decision.chosen.setFocus()
    expected = [decision.reason, decision.reason_text, decision.right_buttons["rett"], decision.frist,
                decision.start.edit, decision.goals, decision.preferred, decision.agreement,
                decision.ip, decision.coordinator, decision.care_group, decision.sign_button]
    for widget in expected:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is widget


# --- the clinic's own service ----------------------------------------------------------------

LOCAL = (LocalService("sanderud", "Avrusning Sanderud", "D3M"),
         LocalService("hamar", "Poliklinikk Hamar", "P1"),
         LocalService("gjovik", "Rusteam Gjøvik", "P1"),
         LocalService("old", "Gamle Avrusning", "D3M", active=False))


@pytest.fixture
def local_page(qtbot, service: CaseService) -> CasePage:  # type: ignore[no-untyped-def]
    service.local_services = LOCAL
    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date.today())
    service.save_assessment(case.id, D3M_ANSWERS, expected_version=0)
    shown = CasePage(service, service.get_case(case.id))
    qtbot.addWidget(shown)
    shown.show()
    shown.show_domain(DECISION)
    return shown


def service_names(page: CasePage) -> list[str]:
    box = page.decision_page.service_box
    return [box.itemText(index) for index in range(box.count())]


def test_no_service_row_when_the_clinic_lists_none(page: CasePage) -> None:
    assert not page.decision_page.service_slot.isVisibleTo(page.decision_page)
    assert page.decision_page.decision().chosen_service == ""


def test_the_services_at_the_chosen_level_are_offered_and_follow_the_level(  # type: ignore[no-untyped-def]
        qtbot, local_page: CasePage, service: CaseService) -> None:
    decision = local_page.decision_page
    assert decision.service_slot.isVisibleTo(decision) and decision.service_box.accessibleName()
    assert service_names(local_page) == ["Ikke valgt", "Avrusning Sanderud"]  # D3M, active only
    assert not decision.service_note.isVisibleTo(decision)
    with qtbot.waitSignal(local_page.changed):
        decision.service_box.setCurrentIndex(1)
    assert decision.decision().chosen_service == "Avrusning Sanderud"
    decision.chosen.setCurrentIndex(decision.chosen.findData("P1"))
    assert service_names(local_page) == ["Ikke valgt", "Poliklinikk Hamar", "Rusteam Gjøvik"]
    assert decision.decision().chosen_service == ""  # Sanderud does not offer P1
    decision.service_box.setCurrentIndex(2)
    decision.chosen.setCurrentIndex(decision.chosen.findData("P2"))  # no local service at P2
    assert service_names(local_page) == ["Ikke valgt"] and decision.service_note.isVisibleTo(decision)
    assert "fritt behandlingsvalg" in decision.service_note.text()
    decision.chosen.setCurrentIndex(decision.chosen.findData("K0"))  # municipal: nothing missing here
    assert service_names(local_page) == ["Ikke valgt"] and not decision.service_note.isVisibleTo(decision)
    decision.chosen.setCurrentIndex(decision.chosen.findData("P1"))
    decision.service_box.setCurrentIndex(2)
    local_page.save()
    record = service.load_assessment(local_page.case.id)
    assert record is not None and record.decision.chosen_service == "Rusteam Gjøvik"


def test_a_stored_service_no_longer_listed_is_shown_as_it_was_and_kept_when_signed(  # type: ignore[no-untyped-def]
        qtbot, local_page: CasePage, service: CaseService) -> None:
    case_id = local_page.case.id
    service.save_decision(case_id, Decision(chosen_level="D3M", care_right="ikke_rett",
                                            patient_agreement="enig",
                                            chosen_service="Avrusning Sanderud (nedlagt)"))
    reopened = CasePage(service, service.get_case(case_id))
    qtbot.addWidget(reopened)
    assert service_names(reopened) == ["Ikke valgt", "Avrusning Sanderud", "Avrusning Sanderud (nedlagt)"]
    assert reopened.decision_page.decision().chosen_service == "Avrusning Sanderud (nedlagt)"
    assert not reopened.dirty
    service.sign_assessment(case_id)
    service.local_services = ()  # the clinic stops listing services: what was decided still shows
    signed = CasePage(service, service.get_case(case_id))
    qtbot.addWidget(signed)
    decision = signed.decision_page
    assert decision.service_slot.isVisibleTo(decision)
    assert decision.service_box.currentText() == "Avrusning Sanderud (nedlagt)"
    assert not decision.isEnabled()  # read-only like every field of a signed version


def test_tab_reaches_the_service_after_the_chosen_level(qtbot, local_page: CasePage) -> None:  # type: ignore[no-untyped-def]
    local_page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is local_page)
    decision = local_page.decision_page
    decision.chosen.setFocus()
    qtbot.keyClick(decision.chosen, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is decision.service_box
    qtbot.keyClick(decision.service_box, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is decision.reason
