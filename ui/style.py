"""The quiet look of TSBplace: Fusion everywhere, one muted accent, generous spacing.

Combo boxes, spin boxes and date fields keep Fusion's own drawing (coloured by the
palette): styling their borders in CSS would make Qt drop their native arrows.

The same style on Windows, macOS and Linux means the screenshots in the manual match
every clinic's screen. Sizes are relative to the system font so large-text settings work.
"""

from __future__ import annotations

from tsbplace.ui.qt import QApplication, QColor, QPalette

ACCENT = "#2f5d7c"       # muted blue: selection, primary buttons, the suggested level
INK = "#1f2933"
MUTED = "#52606d"
SURFACE = "#f5f7fa"
PANEL = "#ffffff"
BORDER = "#cbd2d9"
WARNING = "#8a4b08"      # dark amber: readable on white, not alarming
PROBLEM = "#9b1c1c"
GOOD = "#1f6f43"

STYLESHEET = f"""
QMainWindow, QDialog {{ background: {SURFACE}; }}
QToolBar {{ background: {PANEL}; border: none; border-bottom: 1px solid {BORDER}; spacing: 6px;
            padding: 4px 8px; }}
QToolBar QToolButton {{ padding: 5px 10px; border-radius: 4px; color: {INK}; }}
QToolBar QToolButton:hover {{ background: #e4e7eb; }}
QToolBar QToolButton:disabled {{ color: #9aa5b1; }}
QTableView {{ background: {PANEL}; border: 1px solid {BORDER}; border-radius: 4px;
              gridline-color: transparent; selection-background-color: {ACCENT};
              selection-color: white; }}
QHeaderView::section {{ background: {SURFACE}; color: {MUTED}; border: none;
                        border-bottom: 1px solid {BORDER}; padding: 4px 6px; }}
QFrame#card {{ background: {PANEL}; border: 1px solid {BORDER}; border-radius: 6px; }}
QFrame#versionNote {{ background: #eef2f6; border: 1px solid {BORDER}; border-radius: 4px; }}
QFrame#banner {{ background: #e4ecf2; border: none; border-bottom: 1px solid {BORDER}; }}
QLabel#pageTitle {{ font-size: 15pt; font-weight: 600; color: {INK}; }}
QLabel#sectionTitle {{ font-size: 11pt; font-weight: 600; color: {INK}; }}
QLabel#muted {{ color: {MUTED}; }}
QLabel#levelCode {{ font-size: 20pt; font-weight: 600; color: {ACCENT}; }}
QLabel#figureValue {{ font-size: 18pt; font-weight: 600; color: {ACCENT}; }}
QFrame#card:focus {{ border: 1px solid {ACCENT}; }}
QLabel#levelName {{ font-size: 11pt; font-weight: 600; color: {INK}; }}
QLabel#problem {{ color: {PROBLEM}; }}
QLabel#good {{ color: {GOOD}; }}
QLabel#warning {{ color: {WARNING}; }}
QLabel#small {{ color: {MUTED}; font-size: 8.5pt; }}
QLabel#columnTitle {{ color: {MUTED}; font-weight: 600; }}
QLabel#substanceName {{ font-weight: 600; color: {INK}; }}
QFrame#substanceDetails {{ border: none; border-left: 3px solid {BORDER}; margin-left: 4px; }}
QFrame#instrumentSection {{ border: none; border-top: 1px solid {BORDER}; }}
QToolButton#disclosure {{ font-weight: 600; color: {INK}; padding: 4px 6px; border-radius: 4px; }}
QToolButton#disclosure:focus {{ background: #e4ecf2; }}
QLabel#instrumentTitle {{ color: {INK}; padding-top: 4px; }}
QLabel#resultLine {{ color: {INK}; padding-left: 26px; }}
QLabel#flag {{ color: {WARNING}; background: #fdf3e1; border: 1px solid #e8c27a;
               border-radius: 4px; padding: 6px 8px; margin-left: 26px; font-weight: 600; }}
QLabel#sideTag {{ color: {ACCENT}; background: #e4ecf2; border: 1px solid #b6c8d6; border-radius: 4px;
                  padding: 2px 8px; margin-left: 10px; font-weight: 600; }}
QListWidget {{ background: {PANEL}; border: 1px solid {BORDER}; border-radius: 4px;
               outline: none; }}
QListWidget::item {{ padding: 6px 8px; color: {INK}; }}
QListWidget::item:selected {{ background: {ACCENT}; color: white; }}
QPushButton {{ padding: 6px 14px; border: 1px solid {BORDER}; border-radius: 4px;
               background: {PANEL}; color: {INK}; }}
QPushButton:hover {{ background: #eef2f6; }}
QPushButton:default, QPushButton#primary {{ background: {ACCENT}; color: white;
                                            border-color: {ACCENT}; }}
QPushButton:disabled {{ background: #e4e7eb; color: #9aa5b1; border-color: #e4e7eb; }}
QLineEdit, QPlainTextEdit {{
    padding: 4px 6px; border: 1px solid {BORDER}; border-radius: 4px; background: {PANEL}; }}
QLineEdit:focus, QPlainTextEdit:focus {{ border: 1px solid {ACCENT}; }}
QComboBox, QSpinBox, QDoubleSpinBox, QDateEdit {{ min-height: 1.6em; }}
QRadioButton {{ spacing: 8px; }}
QStatusBar {{ color: {MUTED}; }}
"""


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(SURFACE))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(INK))
    palette.setColor(QPalette.ColorRole.Base, QColor(PANEL))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor(SURFACE))
    palette.setColor(QPalette.ColorRole.Text, QColor(INK))
    palette.setColor(QPalette.ColorRole.Button, QColor(PANEL))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor(INK))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("white"))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#7b8794"))
    # A signed version is shown disabled (read-only) and must stay easy to read: muted ink,
    # not Fusion's faint grey.
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(MUTED))
    app.setPalette(palette)
    app.setStyleSheet(STYLESHEET)
