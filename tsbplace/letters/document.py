"""The one letter renderer every TSBplace document is built on (ReportLab Platypus).

A4, the bundled Noto Sans (æøå and the Sámi letters render everywhere), "Side X av Y"
in the footer, PDF title and author metadata, and :func:`para` that escapes every
stored or typed string before it reaches a Paragraph, so a name like ``<b>`` or
``Ås & Co`` prints as written.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

from tsbplace.i18n import tr
from tsbplace.package_data import resource_path

FONT = "NotoSans"
FONT_BOLD = "NotoSans-Bold"
FONT_ITALIC = "NotoSans-Italic"
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
RULE = colors.HexColor("#9aa5b1")
WATERMARK = colors.Color(0.75, 0.1, 0.1, alpha=0.13)
MARGIN = 20 * mm


@cache
def register_fonts() -> None:
    """Register the bundled fonts with ReportLab once per process."""
    for name, file in ((FONT, "NotoSans-Regular.ttf"), (FONT_BOLD, "NotoSans-Bold.ttf"),
                       (FONT_ITALIC, "NotoSans-Italic.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", file))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                  boldItalic=FONT_BOLD)


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    emphasis: ParagraphStyle


@cache
def styles() -> Styles:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14.5, textColor=INK,
                          spaceAfter=4)
    return Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=MUTED),
        title=ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=17, leading=22,
                             spaceAfter=10),
        heading=ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=11.5,
                               leading=15, spaceBefore=10, spaceAfter=4),
        emphasis=ParagraphStyle("emphasis", parent=body, fontName=FONT_BOLD, fontSize=13,
                                leading=17, spaceAfter=2),
    )


def para(text: str, style: ParagraphStyle, markup: str = "{}") -> Paragraph:
    """A Paragraph of plain ``text``, escaped; ``markup`` may wrap it in our own tags."""
    return Paragraph(markup.format(escape(text)), style)


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """``text``, cut short with '…' if it is wider than ``width`` points."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip(" ·,") + "…"


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # ReportLab is untyped
    """Holds every page until the end so the footer can say "page X of Y"."""

    footer_left = ""
    watermark = ""  # "UTKAST" on a draft: drawn large and light across every page

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer(number, total)
            super().showPage()
        super().save()

    def _footer(self, number: int, total: int) -> None:
        width, height = A4
        if self.watermark:
            self.saveState()
            self.setFillColor(WATERMARK)
            self.setFont(FONT_BOLD, 96)
            self.translate(width / 2, height / 2)
            self.rotate(40)
            self.drawCentredString(0, -30, self.watermark)
            self.restoreState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, 14 * mm, width - MARGIN, 14 * mm)
        self.setFont(FONT, 8.5)
        self.setFillColor(MUTED)
        page = tr("letter.page", page=number, pages=total)
        room = width - 2 * MARGIN - pdfmetrics.stringWidth(page, FONT, 8.5) - 6 * mm
        self.drawString(MARGIN, 10 * mm, fit_text(self.footer_left, FONT, 8.5, room))
        self.drawRightString(width - MARGIN, 10 * mm, page)


def render_pdf(story: Sequence[Flowable], *, title: str, author: str, footer: str,
               watermark: str = "") -> bytes:
    """Lay out ``story`` on A4 pages and return the PDF bytes (nothing touches the disk).
    ``watermark`` (e.g. "UTKAST") is drawn diagonally across every page."""
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=22 * mm, title=title, author=author, subject=title,
        creator="TSBplace", lang="nb-NO",
        initialFontName=FONT,  # else every page also references Helvetica
    )
    canvas_class = type("FooterCanvas", (_NumberedCanvas,), {"footer_left": footer, "watermark": watermark})
    document.build(list(story), canvasmaker=canvas_class)
    return buffer.getvalue()
