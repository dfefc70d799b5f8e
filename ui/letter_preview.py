"""A letter on screen before it leaves: the PDF as it will print (QtPdf), with Print,
Save as PDF and Close. What is printed or saved is exactly the previewed bytes; the
caller records each issue (when, who, the SHA-256) through ``on_issued``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tsbplace.files import WriteFailed, write_atomically
from tsbplace.i18n import tr
from tsbplace.ui.dialog_parts import dialog_layout
from tsbplace.ui.print_service import PrintService, load_pdf
from tsbplace.ui.qt import QDialog, QDialogButtonBox, QLabel, QPdfView, QPushButton, QWidget

SavePathAsker = Callable[[QWidget, str], Path | None]
IssuedCallback = Callable[[str, str], None]  # (how: "print" or "save", file name)


class LetterPreview(QDialog):
    def __init__(self, pdf: bytes, title: str, file_name: str, *, print_service: PrintService,
                 ask_save_path: SavePathAsker, on_issued: IssuedCallback,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pdf = pdf
        self.title = title
        self.file_name = file_name
        self.print_service = print_service
        self.ask_save_path = ask_save_path
        self.on_issued = on_issued
        self.setWindowTitle(title)
        self.resize(760, 900)
        self.document, self._buffer = load_pdf(pdf, self)
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.view.setAccessibleName(title)
        self.status = QLabel()
        self.status.setObjectName("small")

        buttons = QDialogButtonBox()
        self.print_button = QPushButton(tr("gui.letters.print"))
        self.save_button = QPushButton(tr("gui.letters.save"))
        close = buttons.addButton(tr("gui.letters.close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_letter)
        self.save_button.clicked.connect(self.save_letter)
        close.clicked.connect(self.reject)

        layout = dialog_layout(self, tr("gui.letters.pages", pages=self.document.pageCount()), title)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def print_letter(self) -> bool:
        if not self.print_service.print_pdf(self, self.pdf, self.title):
            return False
        self.on_issued("print", self.file_name)
        self.status.setText(tr("gui.letters.printed"))
        return True

    def save_letter(self) -> Path | None:
        path = self.ask_save_path(self, self.file_name)
        if path is None:
            return None
        try:
            write_atomically(path, self.pdf)
        except WriteFailed as error:
            self.status.setObjectName("problem")
            self.status.setText(tr("gui.save_pdf.failed", reason=error.reason))
            return None
        self.on_issued("save", path.name)
        self.status.setText(tr("gui.letters.saved", file=path.name))
        return path
