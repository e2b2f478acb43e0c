"""The look: Fusion, a light or dark palette, and a few named text styles."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

_STYLE = """
QLabel#viewTitle { font-size: 16pt; font-weight: 600; }
QLabel#accountName { font-size: 18pt; font-weight: 600; }
QLabel#emptyTitle { font-size: 15pt; font-weight: 600; padding-bottom: 6px; }
QLabel#sectionTitle { font-size: 11pt; font-weight: 600; }
QLabel#figure { font-size: 14pt; font-weight: 600; }
QLabel#muted { color: palette(placeholder-text); }
QLabel#fieldError { color: #d32f2f; }
QTreeWidget#sidebar { border: none; font-size: 10.5pt; }
QTreeWidget#sidebar::item { padding: 5px 4px; }
QTableView { border: 1px solid palette(mid); padding: 1px; }
QTableView:focus, QTreeView:focus, QListView:focus {
    border: 2px solid palette(highlight); padding: 0px;
}
QTreeWidget#sidebar:focus { border: none; border-right: 2px solid palette(highlight); }
QComboBox QAbstractItemView:focus { border: none; }
QCalendarWidget QTableView, QCalendarWidget QTableView:focus { border: none; padding: 0px; }
QTabWidget::pane { border: none; }
"""


def dark_palette() -> QPalette:
    """A calm dark palette with enough contrast for long days."""
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#202326",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#17191b",
        QPalette.ColorRole.AlternateBase: "#1e2124",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#2b2f33",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.Highlight: "#3d6fb4",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#2b2f33",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.PlaceholderText: "#9aa0a6",
        QPalette.ColorRole.Mid: "#3a3f44",
        QPalette.ColorRole.Link: "#8ab4f8",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6b7075"))
    return palette


def apply_theme(app: QApplication, *, dark: bool | None = None) -> None:
    """Fusion with the system's palette, or a forced light or dark one."""
    app.setStyle("Fusion")
    if dark is True:
        app.setPalette(dark_palette())
    elif dark is False:
        app.setPalette(app.style().standardPalette())
    app.setStyleSheet(_STYLE)
