"""Screenshots of every TSBplace screen, for people to look at (run under Xvfb).

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots.py --out shots

Uses a throw-away encrypted store with synthetic patients, signed in as its professional
lead; writes PNGs of each screen in each language (the case list, Ny sak, a new and an
assessed case, the substances editor, the psykisk page with PHQ-9 open and its item-9
flag, the domain list after Ctrl+PgDown, a signed case and its correction, the first-start
dialog, signing in after a wrong password, the users dialog, the clinic's services in
Innstillinger, a case on the referring side and its referral letter, Eksporter sak and a
slow task's progress, the access log and the locked window), and the assessment note as
PDF and (with pdftoppm) PNG.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from tsbplace.access import StoreKind, create_store
from tsbplace.accounts import Role
from tsbplace.case_sides import REFERRAL_LETTER, REFERRER
from tsbplace.cases import CaseService, Decision
from tsbplace.clinic import ClinicDetails
from tsbplace.i18n import LANGUAGES, set_language, tr
from tsbplace.local_services import new_service
from tsbplace.locations import Locations, resolve_locations, sqlite_url
from tsbplace.national_id import synthetic_national_id
from tsbplace.package_data import rules_root
from tsbplace.progress import Progress
from tsbplace.ui.app import create_application
from tsbplace.ui.background_task import TaskRunner
from tsbplace.ui.case_page import SEND
from tsbplace.ui.dashboard import DashboardDialog
from tsbplace.ui.domain_page import DomainPage
from tsbplace.ui.exchange_actions import ExportDialog
from tsbplace.ui.main_window import MainWindow
from tsbplace.ui.qt import QApplication, QScrollArea, QTabWidget, QWidget
from tsbplace.ui.setup_dialog import SetupDialog
from tsbplace.ui.sign_in_dialog import SignInDialog

PASSWORD = "riktig hest batteri stift"  # the demo lead's; the store is thrown away

SUBSTANCES = {
    "alcohol": {"used": True, "units_per_day": 12.5, "days_last_30": 20, "years_used": 15,
                "last_use": "2026-11-08"},
    "opioids": {"used": True, "grams_per_day": 0.25, "days_last_30": 12,
                "route": ["smoking", "injecting"], "injection_sites": ["groin"]},
    "cannabis": {"used": False},
    "benzodiazepines": {"used": True, "days_last_30": 4, "route": ["oral"]},
}
PSYKISK = {"symptoms_now": "moderate", "serious_disorder": "no", "acute_psychosis": False,
           "suicidal_thoughts": True, "suicidal_plans": False, "suicide_risk_level": "moderate",
           "rating": 2}
PHQ9 = {"q1": 2, "q2": 2, "q3": 3, "q4": 2, "q5": 1, "q6": 2, "q7": 1, "q8": 0, "q9": 1}
DEMO = [
    ("Áile Ŋuolja Sárá", dt.date(1984, 5, 17), {
        "rus": {"main_substance": "alcohol", "injecting": True, "withdrawal_complications": True,
                "substances": SUBSTANCES, "overdoses": 2, "last_overdose": "2026-09-14",
                "rating": 3},
        "psykisk": PSYKISK,
        "bolig": {"housing_status": "unstable", "risk_of_losing_housing": True, "rating": 2},
    }, {"phq9": PHQ9}),
    ("Ola Nordmann", dt.date(1999, 2, 3), {"rus": {
        "main_substance": "opioids", "injecting": True, "withdrawal_complications": False,
        "rating": 2}}, {}),
    ("Kari Østby", dt.date(1971, 9, 30), {"rus": {"main_substance": "cannabis", "rating": 1}}, {}),
]


def settle(app: QApplication, rounds: int = 20) -> None:
    for _ in range(rounds):
        app.processEvents()
    for widget in app.topLevelWidgets():  # the case list loads off the GUI thread
        model = getattr(widget, "case_model", None)
        deadline = time.monotonic() + 5
        while model is not None and model.busy and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)


def shoot(app: QApplication, widget: QWidget, path: Path) -> None:
    """The whole screen for a main window; a dialog on its own, because Xvfb has no
    window manager to draw its frame and it would seem to float over the window."""
    settle(app)
    whole_screen = app.platformName() == "xcb" and widget.isWindow() and not widget.parent()
    image = app.primaryScreen().grabWindow(0) if whole_screen else widget.grab()
    image.save(str(path))
    print(path)


def scroll_to(page: DomainPage, widget: QWidget, above: int = 12) -> None:
    """Scroll the page so ``widget`` starts near the top of the view, ``above`` pixels down."""
    area = page.parentWidget().parentWidget().parentWidget()
    assert isinstance(area, QScrollArea)
    top = widget.mapTo(area.widget(), widget.rect().topLeft()).y()
    area.verticalScrollBar().setValue(top - above)


def shoot_domains(app: QApplication, window: MainWindow, out: Path, language: str) -> None:
    """The substances editor, PHQ-9 open and filled in (flag showing), and the domain list
    after moving with Ctrl+PgDown."""
    page = window.case_page
    assert page is not None
    rus = page.pages["rus"]
    settle(app)
    scroll_to(rus, rus.fields["substances"].widget, above=90)
    shoot(app, window, out / f"07-substances-{language}.png")

    page.show_domain("psykisk")
    psykisk = page.pages["psykisk"]
    phq9 = psykisk.instruments["phq9"]
    phq9.set_expanded(True)
    settle(app)
    scroll_to(psykisk, phq9, above=50)
    shoot(app, window, out / f"08-psykisk-phq9-{language}.png")

    page.show_domain("rus")
    page.focus_first_field()
    for _ in range(3):
        window.next_domain_action.trigger()
    shoot(app, window, out / f"09-navigation-{language}.png")


def shoot_workspace_pages(app: QApplication, window: MainWindow, out: Path, language: str) -> None:
    """The referral and decision pages of a draft case, and the lead's settings."""
    window.case_table.selectRow(0)
    page = window.case_page
    assert page is not None
    page.show_domain("referral")
    shoot(app, window, out / f"18-referral-{language}.png")
    page.show_domain("decision")
    shoot(app, window, out / f"19-decision-{language}.png")
    dialog = window.open_settings()
    if dialog is not None:
        shoot(app, dialog, out / f"20-settings-{language}.png")
        dialog.close()


def shoot_versions(app: QApplication, window: MainWindow, service: CaseService, out: Path,
                   language: str) -> None:
    """A signed case (read-only, who signed it) and then its correction's new draft."""
    case = service.search_cases()
    signed = case.rows[-1]
    record = service.save_assessment(signed.id, DEMO[0][2], DEMO[0][3])
    service.save_decision(signed.id, Decision(
        chosen_level=record.suggested_level, care_right="rett", frist_weeks=6,
        latest_start_date=signed.received_date + dt.timedelta(weeks=6), patient_agreement="enig"))
    service.sign_assessment(signed.id)
    window.reload_cases()
    window.case_table.selectRow(window.case_model.row_of(case.rows[0].id) or 0)  # leave it first
    window.case_table.selectRow(window.case_model.row_of(signed.id) or 0)
    shoot(app, window, out / f"10-case-signed-{language}.png")
    preview = window.open_letter("pasient")
    assert preview is not None
    shoot(app, preview, out / f"17-letter-preview-{language}.png")
    preview.close()
    reason = "Feil frist registrert" if language == "nb" else "Wrong frist recorded"
    window.ask_reason = lambda _parent: reason
    window.start_correction()
    shoot(app, window, out / f"11-case-correction-{language}.png")
    shoot_workspace_pages(app, window, out, language)


def shoot_setup(app: QApplication, out: Path, folder: Path, language: str) -> None:
    """The first-start dialog, filled in, on an empty data folder (nothing is created)."""
    empty = folder / "first-start"
    locations = resolve_locations(empty, sqlite_url(empty / "tsbplace.sqlite3"))
    dialog = SetupDialog(locations, StoreKind.NEW)
    dialog.user_name_edit.setText("kari.nordmann")
    dialog.display_name_edit.setText("Kari Nordmann")
    dialog.password_edit.setText(PASSWORD)
    dialog.repeat_edit.setText(PASSWORD[:-3])
    dialog.show()
    shoot(app, dialog, out / f"12-setup-{language}.png")
    dialog.close()


def shoot_sign_in(app: QApplication, out: Path, locations: Locations, language: str) -> None:
    """Signing in, after one wrong password (the store's keyring notes the failure)."""
    dialog = SignInDialog(locations, user_name="kari")
    dialog.password_edit.setText("feil passord")
    dialog.show()
    dialog.sign_in_button.click()
    shoot(app, dialog, out / f"13-sign-in-failed-{language}.png")
    dialog.close()


def shoot_security(app: QApplication, window: MainWindow, out: Path, language: str) -> None:
    """The lead's users dialog and access log, then the locked window."""
    assert window.accounts is not None and window.users_action is not None
    window.accounts.add_user("ola", "Ola Nordmann", Role.CLINICIAN, PASSWORD)
    window.users_action.trigger()
    assert window.users_dialog is not None
    window.users_dialog.select_user("ola")
    shoot(app, window.users_dialog, out / f"14-users-{language}.png")
    window.users_dialog.close()
    assert window.audit_action is not None
    window.audit_action.trigger()
    assert window.audit_view is not None
    window.audit_view.case_filter.setChecked(False)
    shoot(app, window.audit_view, out / f"15-audit-{language}.png")
    window.audit_view.close()
    window.lock()
    assert window.lock_screen is not None
    window.lock_screen.password_edit.setText("feil")
    window.lock_screen.try_unlock()
    shoot(app, window, out / f"16-locked-{language}.png")


def shoot_services(app: QApplication, window: MainWindow, out: Path, language: str) -> None:
    """Innstillinger with the clinic's own services, one selected for editing."""
    dialog = window.open_settings()
    assert dialog is not None
    tabs = dialog.findChild(QTabWidget)
    tabs.setCurrentWidget(dialog.services_tab)
    dialog.services_tab.table.selectRow(3)
    shoot(app, dialog, out / f"21-settings-services-{language}.png")
    dialog.close()


def shoot_dashboard(app: QApplication, window: MainWindow, service: CaseService, out: Path,
                    language: str) -> None:
    """Kvalitet: two more signed cases (one at another level than suggested), the overview
    and the clinicians side by side."""
    codes = service.content.codes
    reason = codes.decision_reasons[0].id if codes is not None and codes.decision_reasons else None
    levels = [level.code for level in service.content.levels]
    for index, (name, birth, answers, instruments) in enumerate(DEMO[1:3]):
        case = service.create_case(f"{name} {index + 2}", synthetic_national_id(birth, 200),
                                   dt.date(2026, 10, 20 + index))
        record = service.save_assessment(case.id, answers, instruments)
        chosen = record.suggested_level
        if index == 1 and chosen in levels and levels.index(chosen) > 0:
            chosen = levels[levels.index(chosen) - 1]  # one step lower, with a reason
        service.save_decision(case.id, Decision(
            chosen_level=chosen, care_right="rett", frist_weeks=6, patient_agreement="enig",
            reason=reason if chosen != record.suggested_level else None,
            latest_start_date=case.received_date + dt.timedelta(weeks=6)))
        service.sign_assessment(case.id)
    dialog = window.open_dashboard()
    assert dialog is not None
    dialog.set_period("all")
    deadline = time.monotonic() + 10
    while dialog.data is None or dialog.runner.busy or dialog._debounce.isActive():
        settle(app, 2)
        time.sleep(0.01)
        if time.monotonic() > deadline:
            break
    settle(app)
    shoot(app, dialog, out / f"26-dashboard-{language}.png")
    dialog.tabs.setCurrentIndex(2)
    shoot(app, dialog, out / f"27-dashboard-clinicians-{language}.png")
    dialog.tabs.setCurrentIndex(1)
    shoot(app, dialog, out / f"28-dashboard-levels-{language}.png")
    shoot_what_if(app, dialog, out, language)
    dialog.close()


def shoot_what_if(app: QApplication, dashboard: DashboardDialog, out: Path, language: str) -> None:
    """Hva om: the installed rules with one rule's threshold lowered, tried on every case."""
    folder = Path(tempfile.mkdtemp(prefix="tsbplace-candidate-")) / "rules"
    shutil.copytree(Path(str(rules_root())), folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    ruleset = folder / "ruleset.toml"
    text = ruleset.read_text(encoding="utf-8")
    at = text.index("value = 3", text.index('id = "RUS-RATING-SEVERE"'))
    ruleset.write_text(text[:at] + "value = 2" + text[at + len("value = 3"):], encoding="utf-8")
    what_if = dashboard.open_what_if()
    assert what_if is not None
    what_if.run(folder)
    deadline = time.monotonic() + 10
    while what_if.result is None and time.monotonic() < deadline:
        settle(app, 2)
        time.sleep(0.01)
    shoot(app, what_if, out / f"29-what-if-{language}.png")
    what_if.close()
    shutil.rmtree(folder.parent)


def shoot_referring(app: QApplication, window: MainWindow, service: CaseService, out: Path,
                    language: str) -> None:
    """A case prepared on the referring side: its last page, and the referral letter."""
    _name, _birth, answers, instruments = DEMO[1]
    case = service.create_case("Siri Bakken", synthetic_national_id(dt.date(1991, 8, 9)),
                               dt.date(2026, 11, 20), side=REFERRER)
    service.save_assessment(case.id, answers, instruments)
    window.reload_cases(select_id=case.id)
    settle(app)
    page = window.case_page
    assert page is not None and page.case.id == case.id
    page.show_domain(SEND)
    shoot(app, window, out / f"22-referring-send-{language}.png")
    preview = window.open_letter(REFERRAL_LETTER)
    assert preview is not None
    shoot(app, preview, out / f"23-referral-letter-{language}.png")
    preview.close()


def shoot_exchange(app: QApplication, window: MainWindow, out: Path, language: str) -> None:
    """Eksporter sak (sealed, the passphrase typed twice), and a slow task's progress."""
    dialog = ExportDialog("2026-00001", window)
    dialog.show()
    dialog.seal_box.setChecked(True)
    shoot(app, dialog, out / f"24-export-{language}.png")
    dialog.close()
    runner = TaskRunner(window, show_after_ms=0)
    release = threading.Event()

    def work(progress: Progress) -> None:
        progress.report(1234, 10000)
        release.wait(10)

    runner.start(tr("gui.exchange.export_quality"), tr("gui.exchange.exporting_quality"), work,
                 lambda _result: None)
    settle(app)
    if runner.dialog is not None:
        shoot(app, runner.dialog, out / f"25-progress-{language}.png")
    release.set()
    settle(app)


def run(out: Path, language: str) -> None:
    set_language(language)
    app = create_application()
    folder = Path(tempfile.mkdtemp(prefix="tsbplace-shots-"))
    shoot_setup(app, out, folder, language)
    locations = resolve_locations(folder, sqlite_url(folder / "demo.sqlite3"))
    workspace = create_store(locations, "kari", "Kari Nordmann", PASSWORD)
    shoot_sign_in(app, out, locations, language)
    service = workspace.cases
    for index, (name, birth, answers, instruments) in enumerate(DEMO):
        case = service.create_case(name, synthetic_national_id(birth),
                                   dt.date(2026, 11, 10 + index))
        service.save_assessment(case.id, answers, instruments)
    pdf_path = out / f"note-{language}.pdf"
    workspace.clinic.save(ClinicDetails(
        name="Avdeling for rusbehandling, Sykehuset Innlandet", unit="Poliklinikk Hamar",
        address_lines=("Postboks 4453", "2326 Hamar"), organisation_number="983 971 709",
        phone="62 00 00 00", complaint_authority="Statsforvalteren i Innlandet"))
    # The clinic's own services: the suggestion names them, or says a level is not offered here
    service.local_services = workspace.clinic.save_services(service.content, [
        new_service("Poliklinikk Hamar", "P1", "Skolegata 32, 2318 Hamar"),
        new_service("Rusteam Gjøvik", "P1"),
        new_service("LAR-poliklinikk Hamar", "P1M"),
        new_service("Avrusning Sanderud", "D3M", "Døgnåpent, ring før innleggelse")])
    window = MainWindow(service, user_name=workspace.me.display_name,
                        ask_save_path=lambda _parent, _name: pdf_path, accounts=workspace.accounts,
                        clinic=workspace.clinic)
    window.resize(1360, 860)
    window.move(20, 20)
    window.show()
    shoot(app, window, out / f"01-main-empty-{language}.png")

    window.open_new_case()
    dialog = window.new_case_dialog
    assert dialog is not None
    dialog.name_edit.setText("Ánde Čoavji")
    dialog.id_edit.setText("15108695077")
    shoot(app, dialog, out / f"02-new-case-checksum-{language}.png")
    dialog.id_edit.setText(synthetic_national_id(dt.date(1990, 1, 1)))
    shoot(app, dialog, out / f"03-new-case-valid-{language}.png")
    dialog.create_button.click()
    settle(app)
    shoot(app, window, out / f"04-case-new-{language}.png")

    window.case_table.selectRow(window.case_model.row_of(1) or 0)
    shoot(app, window, out / f"05-case-assessed-{language}.png")
    shoot_domains(app, window, out, language)
    window.save_note_pdf()
    shoot_versions(app, window, service, out, language)
    shoot_services(app, window, out, language)  # before the window is locked
    shoot_dashboard(app, window, service, out, language)
    shoot_referring(app, window, service, out, language)
    shoot_exchange(app, window, out, language)
    shoot_security(app, window, out, language)
    window.close()
    workspace.close()
    shutil.rmtree(folder)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf_path),
                        str(out / f"06-note-{language}")], check=True)
        print(out / f"06-note-{language}-1.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--language", choices=LANGUAGES, action="append")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for language in args.language or LANGUAGES:
        run(args.out, language)


if __name__ == "__main__":
    main()
