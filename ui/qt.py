"""The one place the Qt layer imports PySide6 from, so a binding quirk is fixed once."""

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QCloseEvent, QColor, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

__all__ = [
    "QAbstractItemView", "QAbstractTableModel", "QAction", "QApplication", "QButtonGroup",
    "QCloseEvent",
    "QColor", "QComboBox", "QDate", "QDateEdit", "QDialog", "QDialogButtonBox", "QFileDialog",
    "QFont", "QFormLayout", "QFrame", "QHBoxLayout", "QHeaderView", "QKeySequence", "QLabel",
    "QLineEdit", "QMainWindow", "QMessageBox", "QModelIndex", "QObject", "QPalette",
    "QPlainTextEdit", "QPushButton", "QRadioButton", "QScrollArea", "QSizePolicy", "QSpinBox",
    "QSplitter", "QStackedWidget", "QTableView", "QTimer", "QToolBar", "QVBoxLayout", "QWidget",
    "Qt", "QtCore", "QtGui", "QtWidgets", "Signal", "Slot",
]
