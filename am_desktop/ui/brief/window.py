"""The pre-call brief on screen (issue 19): read on the READ lane, shown as the same HTML the
file gets, printed through the system's print dialog, saved as Markdown, HTML or PDF.

Opened from a meeting on Today (its Brief button), from the account workspace (Account →
Pre-call brief, Ctrl+Shift+P) — one window per account and meeting, raised when open again.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.brief import Brief
from am_desktop.domain.brief_document import summary_line
from am_desktop.domain.changes import ChangeSet
from am_desktop.domain.coverage import Seniority
from am_desktop.exports.brief import render, write_brief
from am_desktop.services.brief import read_brief
from am_desktop.ui.bus import ChangeFollower
from am_desktop.ui.context import AppContext
from am_desktop.ui.tasks import Lane

#: The file kinds Save as… offers, as the dialog's filters.
SAVE_FILTERS = "PDF (*.pdf);;Web page (*.html);;Markdown (*.md)"

_open: dict[tuple[int, int | None], BriefWindow] = {}


def show_brief(
    context: AppContext, account_id: int, note_id: int | None = None, parent: QWidget | None = None
) -> BriefWindow:
    """Open (or raise) the brief of an account, or of one of its meetings."""
    key = (account_id, note_id)
    window = _open.get(key)
    if window is None:
        window = BriefWindow(context, account_id, note_id, parent)
        _open[key] = window
        window.destroyed.connect(lambda _o=None, k=key: _open.pop(k, None))
    window.show()
    window.raise_()
    window.activateWindow()
    return window


class BriefWindow(QDialog):
    """A brief, readable on screen, with Print… and Save as…."""

    def __init__(
        self,
        context: AppContext,
        account_id: int,
        note_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Pre-call brief")
        self.context, self.account_id, self.note_id = context, account_id, note_id
        self.brief: Brief | None = None
        self.status = QLabel("Reading the brief…", self)
        self.status.setObjectName("muted")
        self.text = QTextBrowser(self)
        self.text.setOpenLinks(False)
        self.print_button = QPushButton("&Print…", self)
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.save_button = QPushButton("&Save as…", self)
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        self.print_button.clicked.connect(self.print_brief)
        self.save_button.clicked.connect(self._on_save_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self._set_ready(False)
        self.resize(fitted(QSize(760, 820), self.screen().availableGeometry().size()))
        self.follower = ChangeFollower(
            self, context.data, self._concerns, lambda _changes: self.refresh()
        )
        self.refresh()

    def _concerns(self, changes: ChangeSet) -> bool:
        """Whether a change can alter what the brief says (anything of its account's)."""
        return changes.touches(account=self.account_id)

    def refresh(self) -> None:
        """Read the brief (READ lane)."""
        store, today = self.context.store, self.context.today()
        prefs = self.context.settings.prefs
        level = Seniority(prefs.coverage_senior_level)
        account_id, note_id = self.account_id, self.note_id
        self.context.tasks.submit(
            lambda _p: read_brief(store, account_id, today, note_id=note_id, senior_level=level),
            lane=Lane.READ,
            receiver=self,
            on_done=self._on_read,
            on_error=self._on_failed,
            supersede=(self, "brief"),
        )

    def _on_read(self, brief: Brief) -> None:
        self.brief = brief
        self.setWindowTitle(brief.title)
        self.text.setHtml(render(brief, ".html"))
        self.status.setText(summary_line(brief))
        self._set_ready(True)

    def _on_failed(self, error: BaseException) -> None:
        self.status.setText("The brief could not be read.")
        self.context.messages.failure(error)

    def _set_ready(self, ready: bool) -> None:
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    @Slot()
    def print_brief(self) -> None:
        """The system's print dialog, then the brief as shown (Qt's own text layout)."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.text.document().print_(printer)

    @Slot()
    def _on_save_clicked(self) -> None:
        if self.brief is None:
            return
        name = self.brief.account.replace("/", "-") + " brief.pdf"
        path, _filter = QFileDialog.getSaveFileName(self, "Save the brief", name, SAVE_FILTERS)
        if path:
            self.save(Path(path))

    def save(self, path: Path) -> None:
        """Write the brief to ``path`` (its suffix picks the format; none given: PDF)."""
        brief = self.brief
        if brief is None:
            return
        if not path.suffix:
            path = path.with_suffix(".pdf")
        self.status.setText(f"Saving {path.name}…")
        self.context.tasks.submit(
            lambda _p: write_brief(brief, path),
            lane=Lane.READ,
            receiver=self,
            on_done=lambda written: self.status.setText(f"Saved {written}."),
            on_error=self._on_save_failed,
        )

    def _on_save_failed(self, error: BaseException) -> None:
        self.status.setText("Not saved.")
        self.context.messages.failure(error)


def fitted(wanted: QSize, room: QSize) -> QSize:
    """``wanted``, made no larger than the screen's free area less a frame's margin (on a
    1366×768 laptop the brief's buttons must stay on screen)."""
    margin = 48  # the window manager's title bar and the panel
    return QSize(
        min(wanted.width(), room.width() - margin), min(wanted.height(), room.height() - margin)
    )
