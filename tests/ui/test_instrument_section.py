"""An instrument inside a domain page: folded by default, opened from the keyboard, every
permitted value offered, and the core's result shown as it is (never computed here)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from tsbplace.cases import CaseService
from tsbplace.content import Content
from tsbplace.i18n import set_language
from tsbplace.instruments import score
from tsbplace.national_id import synthetic_national_id
from tsbplace.ui.instrument_section import InstrumentSection, describe, format_score, result_text
from tsbplace.ui.qt import Qt

PHQ9 = {"q1": 2, "q2": 2, "q3": 3, "q4": 2, "q5": 1, "q6": 2, "q7": 1, "q8": 0, "q9": 1}  # 14


def make_section(qtbot, content: Content, instrument_id: str = "phq9") -> InstrumentSection:  # type: ignore[no-untyped-def]
    section = InstrumentSection(content.instrument(instrument_id))
    qtbot.addWidget(section)
    section.show()
    return section


def test_folded_by_default_and_opened_from_the_keyboard(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    section = make_section(qtbot, content)
    assert not section.is_expanded() and not section.body.isVisible()
    assert section.summary.text() == "Ikke fylt ut."
    for key, expanded in ((Qt.Key.Key_Space, True), (Qt.Key.Key_Space, False),
                          (Qt.Key.Key_Return, True), (Qt.Key.Key_Left, False),
                          (Qt.Key.Key_Right, True)):
        qtbot.keyClick(section.header, key)
        assert section.is_expanded() is expanded
        assert section.body.isVisible() is expanded


def test_every_permitted_value_is_offered(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    cows = content.instrument("cows")
    section = make_section(qtbot, content, "cows")
    for item in cows.items:
        combo = section.combos[item.id]
        assert combo.itemData(0) is None  # "— Velg —": unanswered
        assert [combo.itemData(i) for i in range(1, combo.count())] == list(item.permitted())
        assert combo.itemText(1).startswith(f"{item.values[0].value} – ")
        assert combo.accessibleName().startswith("COWS ledd ")


def test_answers_round_trip_and_leave_out_unanswered(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    section = make_section(qtbot, content)
    assert section.answers() == {}
    with qtbot.waitSignal(section.changed):
        section.set_answers({"q1": 2, "q9": 1})
    assert section.answers() == {"q1": 2, "q9": 1}
    section.set_answers(PHQ9)
    assert section.answers() == PHQ9


def test_result_line_shows_total_band_set_and_flag(qtbot, content: Content) -> None:  # type: ignore[no-untyped-def]
    phq9 = content.instrument("phq9")
    section = make_section(qtbot, content)
    section.show_result(score(phq9, PHQ9))
    assert section.summary.text() == "Skår 14 (mulig 0–27) · moderat · terskelsett kroenke-2001"
    assert "Kroenke K, Spitzer RL" in section.summary.toolTip()
    assert not section.flags.isHidden()
    assert section.flags.text().startswith("⚠ OBS: Tanker om død eller selvskading.")
    assert "vurder selvmordsrisiko nå" in section.flags.text()
    section.show_result(score(phq9, {"q1": 1, "q9": 0}))
    assert section.summary.text().startswith("Ufullstendig: 7 ubesvart, ingen totalskår")
    assert section.flags.isHidden()


def test_sex_rule_and_mean_scores_are_shown(content: Content) -> None:
    audit_c = content.instrument("audit_c")
    text = result_text(audit_c, score(audit_c, {"q1": 1, "q2": 1, "q3": 1}, sex="F"))
    assert text.summary == ("Skår 3 (mulig 0–12) · positiv screening · grenseverdi for kvinner"
                            " · terskelsett bradley-2007")
    needs_sex = result_text(audit_c, score(audit_c, {"q1": 1, "q2": 1, "q3": 1}))
    assert "nivå krever registrert kjønn" in needs_sex.summary
    assert format_score(Fraction(19, 10)) == "1,9"
    set_language("en")
    assert format_score(Fraction(19, 10)) == "1.9"
    assert describe(content.instrument("phq9")) == "depressive symptoms"


def test_case_page_scores_through_the_service(qtbot, service: CaseService) -> None:  # type: ignore[no-untyped-def]
    from tsbplace.ui.case_page import CasePage

    woman = synthetic_national_id(dt.date(1990, 3, 3), first_serial=100)
    while int(woman[8]) % 2:  # ninth digit even = registered female
        woman = synthetic_national_id(dt.date(1990, 3, 3), first_serial=int(woman[6:9]) + 1)
    case = service.create_case("Siri Sámi", woman, dt.date.today())
    page = CasePage(service, case)
    qtbot.addWidget(page)
    section = page.pages["rus"].instruments["audit_c"]
    section.set_answers({"q1": 1, "q2": 1, "q3": 1})
    assert "grenseverdi for kvinner" in section.summary.text()  # sex from the ID number
    assert page.instrument_answers() == {"audit_c": {"q1": 1, "q2": 1, "q3": 1}}
