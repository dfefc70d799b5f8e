"""Screenshots of every TSBplace screen, for people to look at (run under Xvfb).

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots.py --out shots

Uses a throw-away store with synthetic patients; writes PNGs of each screen in each
language, and the assessment note as PDF and (with pdftoppm) PNG.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path

from tsbplace.i18n import LANGUAGES, set_language
from tsbplace.locations import resolve_locations, sqlite_url
from tsbplace.national_id import synthetic_national_id
from tsbplace.services import open_case_service
from tsbplace.ui.app import create_application
from tsbplace.ui.main_window import MainWindow
from tsbplace.ui.qt import QApplication, QWidget

DEMO = [
    ("Áile Ŋuolja Sárá", dt.date(1984, 5, 17), {"main_substance": "alcohol", "injecting": False,
                                               "withdrawal_complications": True, "rating": 3}),
    ("Ola Nordmann", dt.date(1999, 2, 3), {"main_substance": "opioids", "injecting": True,
                                           "withdrawal_complications": False, "rating": 2}),
    ("Kari Østby", dt.date(1971, 9, 30), {"main_substance": "cannabis", "rating": 1}),
]


def settle(app: QApplication, rounds: int = 20) -> None:
    for _ in range(rounds):
        app.processEvents()


def shoot(app: QApplication, widget: QWidget, path: Path) -> None:
    """The whole screen for a main window; a dialog on its own, because Xvfb has no
    window manager to draw its frame and it would seem to float over the window."""
    settle(app)
    whole_screen = app.platformName() == "xcb" and widget.isWindow() and not widget.parent()
    image = app.primaryScreen().grabWindow(0) if whole_screen else widget.grab()
    image.save(str(path))
    print(path)


def run(out: Path, language: str) -> None:
    set_language(language)
    app = create_application()
    folder = Path(tempfile.mkdtemp(prefix="tsbplace-shots-"))
    locations = resolve_locations(folder, sqlite_url(folder / "demo.sqlite3"))
    service = open_case_service(locations)
    for index, (name, birth, answers) in enumerate(DEMO):
        case = service.create_case(name, synthetic_national_id(birth),
                                   dt.date(2026, 11, 10 + index))
        service.save_assessment(case.id, {"rus": answers})
    pdf_path = out / f"note-{language}.pdf"
    window = MainWindow(service, user_name="Kari Nordmann",
                        ask_save_path=lambda _parent, _name: pdf_path)
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
    window.save_note_pdf()
    window.close()
    service.store.close()
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
