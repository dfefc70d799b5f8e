"""Printing a PDF through the system's print dialog, behind a small service so tests (and
anything else that must never block on a modal dialog) can put a stub in its place.

Qt prints by painting: each PDF page is rendered by QtPdf at the printer's resolution and
drawn onto the printer's page, so what comes out is exactly the PDF that was previewed.
"""

from __future__ import annotations

from typing import Protocol

from tsbplace.ui.qt import (
    QBuffer,
    QByteArray,
    QIODevice,
    QPainter,
    QPdfDocument,
    QPrintDialog,
    QPrinter,
    QWidget,
)


class PrintService(Protocol):
    def print_pdf(self, parent: QWidget, pdf: bytes, title: str) -> bool:
        """Print ``pdf``; False if the user cancelled or nothing could be printed."""
        ...


def load_pdf(pdf: bytes, parent: QWidget | None = None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument over ``pdf`` in memory (the buffer must live as long as the document)."""
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(parent)
    document.load(buffer)
    return document, buffer


def paint_pages(document: QPdfDocument, printer: QPrinter) -> int:
    """Draw every page of ``document`` onto ``printer``; the number of pages printed."""
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        area = printer.pageRect(QPrinter.Unit.DevicePixel).toRect()
        for index in range(document.pageCount()):
            if index:
                printer.newPage()
            image = document.render(index, area.size())
            painter.drawImage(area.topLeft(), image)
        return document.pageCount()
    finally:
        painter.end()


class SystemPrintService:
    """The real printer: the system print dialog, then QtPdf's pages onto the printer."""

    def print_pdf(self, parent: QWidget, pdf: bytes, title: str) -> bool:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        dialog = QPrintDialog(printer, parent)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return False
        document, _buffer = load_pdf(pdf, parent)
        return paint_pages(document, printer) > 0
