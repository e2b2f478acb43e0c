"""Help → Keyboard shortcuts: every shortcut of the window, read from its menus.

Reading the menus (rather than keeping a second list) means the table can never disagree with
what the keys actually do.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from am_desktop.ui.contact_map.contacts_tab import MAP_SHORTCUTS
from am_desktop.ui.window.actions import STEADY_LABEL

#: Shortcuts that belong to a view rather than a menu: (what it does, key sequence).
EXTRA_SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Filter the account list", "Ctrl+L"),
    *MAP_SHORTCUTS.values(),
)


def plain_text(text: str) -> str:
    """A menu text without its mnemonic marks ("&Import CSV…" → "Import CSV…"; "&&" → "&")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def native_text(sequences: list[QKeySequence]) -> str:
    """Key sequences as the platform writes them (⌘K on macOS, Ctrl+K elsewhere)."""
    return ", ".join(
        sequence.toString(QKeySequence.SequenceFormat.NativeText)
        for sequence in sequences
        if not sequence.isEmpty()
    )


def menu_shortcuts(window: QMainWindow) -> list[tuple[str, str]]:
    """(action, shortcut) of every menu action that has a shortcut, in menu order."""
    found: list[tuple[str, str]] = []

    def visit(actions: list[QAction]) -> None:
        for action in actions:
            if action.isSeparator() or not action.isVisible():
                continue
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                visit(submenu.actions())
                continue
            keys = native_text(action.shortcuts())
            if keys:
                label = action.property(STEADY_LABEL) or plain_text(action.text())
                found.append((str(label), keys))

    visit(window.menuBar().actions())
    return found


class ShortcutsDialog(QDialog):
    """A read-only table of the window's shortcuts.

    Args:
        window: the window whose menus are listed.
        parent: the dialog's parent.
    """

    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(480, 520)
        extras = [(label, native_text([QKeySequence(keys)])) for label, keys in EXTRA_SHORTCUTS]
        rows = menu_shortcuts(window) + extras
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels(["Action", "Shortcut"])
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setTabKeyNavigation(False)  # Tab reaches Close
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for row, (label, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(label))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.buttons)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.buttons.rejected.connect(self.reject)

    def rows(self) -> list[tuple[str, str]]:
        """What the table shows: (action, shortcut) per row."""
        return [(self._cell(row, 0), self._cell(row, 1)) for row in range(self.table.rowCount())]

    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""
