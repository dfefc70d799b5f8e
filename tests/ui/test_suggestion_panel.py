"""The suggestion panel shows the level, the separate outputs and the flags under it, then the
reasons and what is missing; the long parts scroll instead of being cut off."""

from __future__ import annotations

from typing import Any

from tsbplace.content import Content
from tsbplace.engine import Suggestion, assess, facts_from_answers
from tsbplace.local_services import LocalService
from tsbplace.ui.qt import QLabel, QScrollArea
from tsbplace.ui.suggestion_panel import SuggestionPanel


def shown(content: Content, qtbot: Any,
          answers: dict[str, dict[str, Any]]) -> tuple[SuggestionPanel, Suggestion]:
    panel = SuggestionPanel(content)
    qtbot.addWidget(panel)
    panel.resize(340, 700)
    panel.show()
    suggestion = assess(content, facts_from_answers(content, answers))
    panel.show_suggestion(suggestion)
    qtbot.wait(10)  # new labels are shown, and the scroll area laid out, on the next event loop
    return panel, suggestion


def texts(panel: SuggestionPanel) -> list[str]:
    return [label.text() for label in panel.findChildren(QLabel) if label.isVisibleTo(panel)]


def test_outputs_and_flags_appear_under_the_level(content: Content, qtbot: Any) -> None:
    panel, suggestion = shown(content, qtbot, {
        "rus": {"main_substance": "opioids", "rating": 3, "overdoses": 1},
        "psykisk": {"rating": 2, "serious_disorder": "no"},
        "nettverk": {"minor_children": True}})
    assert panel.level_code.text() == suggestion.level == "P1M"
    shown_texts = texts(panel)
    for expected in ("Avrusning", "Ikke behov", "LAR-vurdering", "Vurder oppstart eller videreføring",
                     "ROP-ansvar", "TSB", "Samhandlingsbehov", "Varsler", "⚠ Barn under 18 år",
                     "⚠ Overdosefare"):
        assert expected in shown_texts, expected
    assert any(text.startswith("Involver barneansvarlig personell") for text in shown_texts)
    lar = next(label for label in panel.findChildren(QLabel)
               if label.text() == "Vurder oppstart eller videreføring")
    assert "Opioider er hovedrusmiddelet" in lar.toolTip()
    # output rules are among the reasons, with what they led to
    reason = "• LAR-vurdering: Vurder oppstart eller videreføring – "
    assert any(text.startswith(reason) for text in shown_texts)


def test_an_unset_output_says_so_and_the_panel_is_redrawn(content: Content, qtbot: Any) -> None:
    panel, _ = shown(content, qtbot, {"rus": {"rating": 1}})
    assert "ikke avklart" in texts(panel) and "Varsler" not in texts(panel)
    panel.show_suggestion(assess(content, facts_from_answers(content, {"rus": {"rating": 4}})))
    qtbot.wait(10)  # the old labels are deleted, the new ones shown
    assert panel.level_code.text() == "A4"
    assert texts(panel).count("Avrusning") == 1


def test_a_long_explanation_scrolls_and_every_label_wraps(content: Content, qtbot: Any) -> None:
    panel, suggestion = shown(content, qtbot, {})
    assert len(suggestion.missing) > 20
    scroll = panel.findChild(QScrollArea)
    assert scroll is not None and scroll.verticalScrollBar().maximum() > 0
    body = scroll.widget()
    assert body is not None and body.width() <= scroll.viewport().width()
    long_labels = [label for label in body.findChildren(QLabel) if len(label.text()) > 40]
    assert long_labels and all(label.wordWrap() for label in long_labels)


def test_deadlines_show_dates_with_how_they_were_computed(content: Content, qtbot: Any,
                                                          service: Any) -> None:
    import datetime as dt

    from tests.conftest import PATIENT_ID, PATIENT_NAME

    case = service.create_case(PATIENT_NAME, PATIENT_ID, dt.date(2026, 3, 27))  # Friday before Easter
    answers = {"rus": {"main_substance": "alcohol"}}
    facts = facts_from_answers(content, answers)
    panel = SuggestionPanel(content)
    qtbot.addWidget(panel)
    panel.show_suggestion(assess(content, facts), service.deadlines(case, facts))
    labels = {label.text(): label for label in panel.findChildren(QLabel)}
    # 10 working days from Fri 27.03.2026: Mon 30.03–Wed 01.04 (3), skip Maundy Thursday,
    # Good Friday and Easter Monday, Tue 07.04–Fri 10.04 (7), Mon 13.04 (8) … Wed 15.04 (10).
    deadline = next(text for text in labels if text.startswith("Frist for å vurdere henvisningen"))
    assert deadline.endswith("15.04.2026")
    assert "skjærtorsdag" in labels[deadline].toolTip().lower()
    assert any(text.startswith("Avhengighet, alkohol") and "frist 6 uker" in text for text in labels)
    latest = next(text for text in labels if text.startswith("Seneste oppstart"))
    assert "08.05.2026" in latest  # six weeks after 27.03


# --- the clinic's own services -----------------------------------------------------------------

LOCAL = (LocalService("hamar", "Poliklinikk Hamar", "P1", "Skolegata 32"),
         LocalService("gjovik", "Rusteam Gjøvik", "P1"),
         LocalService("sanderud", "Avrusning Sanderud", "D3M"),
         LocalService("elverum", "Dagtilbud Elverum", "P2", active=False))


def with_services(content: Content, qtbot: Any, services: tuple[LocalService, ...],
                  answers: dict[str, dict[str, Any]]) -> SuggestionPanel:
    panel = SuggestionPanel(content, services)
    qtbot.addWidget(panel)
    panel.resize(340, 700)
    panel.show()
    panel.show_suggestion(assess(content, facts_from_answers(content, answers)))
    return panel


def test_the_local_services_offering_the_level_are_named(content: Content, qtbot: Any) -> None:
    panel = with_services(content, qtbot, LOCAL, {"rus": {"rating": 2}})
    assert panel.level_code.text() == "P1"
    assert panel.local_line.isVisibleTo(panel) and not panel.local_warning.isVisibleTo(panel)
    assert panel.local_line.text() == "Lokalt: Poliklinikk Hamar, Rusteam Gjøvik"
    assert "Skolegata 32" in panel.local_line.toolTip()


def test_a_level_not_offered_locally_warns_and_names_the_nearest_higher(content: Content, qtbot: Any) -> None:
    panel = with_services(content, qtbot, LOCAL, {"rus": {"main_substance": "opioids", "rating": 3}})
    assert panel.level_code.text() == "P1M"  # P1 is offered here, but it is lower
    assert panel.local_warning.isVisibleTo(panel) and not panel.local_line.isVisibleTo(panel)
    assert panel.local_warning.text() == (
        "Ikke tilgjengelig lokalt. Nærmeste lokale tilbud på høyere nivå: D3M – Avrusning Sanderud. "
        "Vurder henvisning til annen behandler (fritt behandlingsvalg).")
    only_low = with_services(content, qtbot, LOCAL[:1], {"rus": {"main_substance": "opioids", "rating": 3}})
    assert only_low.local_warning.text() == (
        "Ikke tilgjengelig lokalt. Vurder henvisning til annen behandler (fritt behandlingsvalg).")


def test_nothing_is_said_when_the_clinic_lists_no_services(content: Content, qtbot: Any) -> None:
    for services, answers in (((), {"rus": {"rating": 2}}),  # none
                              (LOCAL[3:], {"rus": {"rating": 2}}),  # only one not in use
                              (LOCAL, {"rus": {"rating": 0}})):  # K0: follow-up in the municipality
        panel = with_services(content, qtbot, services, answers)
        assert not panel.local_line.isVisibleTo(panel) and not panel.local_warning.isVisibleTo(panel)
        assert not any(text.startswith(("Lokalt", "Ikke tilgjengelig")) for text in texts(panel))
