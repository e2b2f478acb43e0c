"""File → Backups…: the database's backups (date, size, why; newest first), "Back up now",
and "Restore…", which asks, checks the copy on a worker, then has the window reopen on it.

The dialog runs no SQL and changes no file itself: listing, copying and checking are
``services/backups.py`` on the task lanes; the swap happens once the window has closed
(``app.run_gui``), so no connection holds the file being replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from am_desktop.errors import AppError
from am_desktop.services import backups
from am_desktop.services.backups import BackupInfo
from am_desktop.ui.context import AppContext
from am_desktop.ui.tasks import Lane

EMPTY_TEXT = (
    "No backups yet. AM Desktop takes one every day a few seconds after it starts, and one "
    "before each upgrade; “Back up now” takes one at once."
)
COLUMNS = ("Taken", "Size", "Why")


def confirm_restore(parent: QWidget, info: BackupInfo) -> bool:
    """Ask before a restore, saying what will happen."""
    when = backups.taken_text(info)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Restore a backup")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(f"Restore the copy of {when}?")
    box.setInformativeText(restore_words(info))
    restore = box.addButton("Restore", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is restore


def restore_words(info: BackupInfo) -> str:
    """What a restore of ``info`` does, in one sentence."""
    when = backups.taken_text(info)
    return (
        f"The current data is backed up first, then replaced by the copy of {when} "
        f"({info.reason}); the window reopens."
    )


class BackupsDialog(QDialog):
    """The backups of the window's database.

    Signals:
        restore_chosen(Path): the AM confirmed a restore of this checked copy; the window
            closes and reopens on it.
    """

    restore_chosen = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.path = context.store.path
        #: Asks before a restore (tests answer for the AM).
        self.confirm: Callable[[QWidget, BackupInfo], bool] = confirm_restore
        self.found: list[BackupInfo] = []
        self.setWindowTitle("Backups")
        self.resize(640, 380)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.table.itemDoubleClicked.connect(lambda _item: self.restore_selected())
        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty)
        self.where = QLabel(f"Kept in {backups.backup_folder(self.path)} (only you can read it).")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state = QLabel("")
        self.state.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.back_up_button = QPushButton("Back up now")
        self.restore_button = QPushButton("Restore…")
        self.restore_button.setEnabled(False)
        buttons.addButton(self.back_up_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.back_up_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.where)
        layout.addWidget(self.state)
        layout.addWidget(buttons)
        self.busy = False
        self.refresh()

    def refresh(self) -> None:
        """List the backups again, on a worker."""
        path = self.path
        self.context.tasks.submit(
            lambda _p: backups.list_backups(path),
            lane=Lane.READ,
            on_done=self._show,
            receiver=self,
            supersede=(self, "list"),
        )

    def _show(self, found: list[BackupInfo]) -> None:
        self.found = found
        self.table.setRowCount(len(found))
        for row, info in enumerate(found):
            cells = (
                backups.taken_text(info),
                backups.file_size(info.size),
                info.reason,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(info.path.name)
                if column == 1:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        self.pages.setCurrentWidget(self.table if found else self.empty)
        self._on_selection()

    def selected(self) -> BackupInfo | None:
        """The backup the AM picked, if any."""
        rows = self.table.selectionModel().selectedRows()
        return self.found[rows[0].row()] if rows and rows[0].row() < len(self.found) else None

    @Slot()
    def _on_selection(self) -> None:
        self.restore_button.setEnabled(not self.busy and self.selected() is not None)
        self.back_up_button.setEnabled(not self.busy)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        self.state.setText(text)
        self._on_selection()

    @Slot()
    def back_up_now(self) -> None:
        """Take a backup on a worker; the list shows it once written."""
        path = self.path
        self._set_busy(True, "Backing up…")
        self.context.tasks.submit(
            lambda _p: backups.back_up_now(path),
            lane=Lane.NET,
            on_done=self._on_backed_up,
            on_error=self._on_failed,
            receiver=self,
        )

    def _on_backed_up(self, info: BackupInfo) -> None:
        self._set_busy(False, f"Backed up ({backups.file_size(info.size)}).")
        self.refresh()

    def _on_failed(self, error: BaseException) -> None:
        if not isinstance(error, AppError):
            self._set_busy(False)
            raise error  # a bug: the crash dialog
        self._set_busy(False, error.user_message)

    @Slot()
    def restore_selected(self) -> None:
        """Ask, check the copy on a worker, then hand it to the window to reopen on."""
        info = self.selected()
        if info is None or self.busy or not self.confirm(self, info):
            return
        path, chosen = self.path, info.path
        self._set_busy(True, "Checking the backup…")
        self.context.tasks.submit(
            lambda _p: backups.check_backup(path, chosen),
            lane=Lane.READ,
            on_done=lambda _revision: self._on_checked(chosen),
            on_error=self._on_failed,
            receiver=self,
        )

    def _on_checked(self, chosen: Path) -> None:
        self._set_busy(False, "Restoring…")
        self.restore_chosen.emit(chosen)
        self.accept()
