"""The capture's progress and result, in one dialog: what was read, then what became of each
file in plain words (issue 19). The import itself runs on the write lane."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.cancel import CancelToken
from am_desktop.errors import Cancelled
from am_desktop.services.capture import CaptureResult, capture_files
from am_desktop.ui.context import AppContext
from am_desktop.ui.tasks import Lane

_STATUS_WORDS = {
    "added": "Added",
    "updated": "Updated",
    "unchanged": "Already there",
    "skipped": "Skipped",
}


class CaptureDialog(QDialog):
    """Imports ``paths`` as it opens; Cancel stops between files.

    Signals:
        finished_capture(CaptureResult | None): the import ended (None: cancelled or failed).
    """

    finished_capture = Signal(object)

    def __init__(
        self, context: AppContext, paths: list[Path], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.paths = paths
        self.result_: CaptureResult | None = None
        self._cancel = CancelToken()
        self.setWindowTitle("Import e-mail and contacts")
        self.setMinimumSize(620, 360)
        self.summary = QLabel(f"Reading {len(paths):,} item(s)…", self)
        self.summary.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        #: One paragraph a file (or card): wrapped, selectable, copyable.
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.rejected.connect(self._on_buttons_rejected)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.buttons)

    def start(self) -> None:
        """Run the import (write lane), reporting progress here."""
        store, paths, cancel = self.context.store, self.paths, self._cancel
        my_email = self.context.settings.prefs.my_email or None
        self.context.tasks.submit(
            lambda progress: capture_files(
                store, paths, my_email=my_email, progress=progress, cancel=cancel
            ),
            lane=Lane.WRITE,
            cancel=cancel,
            receiver=self,
            on_progress=self._on_progress,
            on_done=self._on_done,
            on_error=self._on_error,
        )

    def _on_progress(self, done: int, total: int, stage: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.summary.setText(stage)

    def _on_done(self, result: CaptureResult) -> None:
        self.result_ = result
        self.progress.hide()
        self.summary.setText(_summary_text(result))
        self.details.setPlainText(
            "\n".join(
                f"{_STATUS_WORDS[line.status.value]} — {line.source}: {line.sentence}"
                for line in result.lines
            )
        )
        self.details.show()
        self._closeable()
        self.finished_capture.emit(result)

    def _on_error(self, error: BaseException) -> None:
        self.progress.hide()
        if isinstance(error, Cancelled):
            self.summary.setText("Stopped. The files read before Cancel were imported.")
        else:
            self.summary.setText("The import stopped on an unexpected error; see the log.")
            self.context.messages.failure(error)
        self._closeable()
        self.finished_capture.emit(None)

    def _closeable(self) -> None:
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setFocus(
            Qt.FocusReason.OtherFocusReason
        )

    def _on_buttons_rejected(self) -> None:
        if self.result_ is None and self.progress.isVisible():
            self._cancel.cancel()  # the import stops before its next file
            self.summary.setText("Stopping…")
            return
        self.reject()


def _summary_text(result: CaptureResult) -> str:
    """The result in a sentence or two."""
    if not result.lines:
        return "Nothing to import: no .eml or .vcf file was among them."
    return f"{result.summary()} Each file's result is below."
