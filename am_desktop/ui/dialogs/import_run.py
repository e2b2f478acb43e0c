"""What every import dialog does when its import, run on a worker, fails or is cancelled:
the same words in its summary line, and Cancel that stops the worker before it closes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QProgressBar

from am_desktop.domain.cancel import CancelToken
from am_desktop.errors import AppError, Cancelled
from am_desktop.ui.context import AppContext


class ImportRun:
    """Mixed into a QDialog that runs an import: ``cancel_token`` while it runs, its
    ``progress`` bar and ``summary_label``, and ``_update_import_button()``."""

    context: AppContext
    cancel_token: CancelToken | None
    progress: QProgressBar
    summary_label: QLabel

    if TYPE_CHECKING:  # the dialog's own (QDialog's reject comes after this class in the MRO)

        def _update_import_button(self) -> None: ...

        def reject(self) -> None: ...

    def _on_import_failed(self, error: BaseException) -> None:
        self.cancel_token = None
        self.progress.hide()
        if isinstance(error, Cancelled):
            self.summary_label.setText("Import cancelled: nothing was written.")
        elif isinstance(error, AppError):
            self.summary_label.setText(error.user_message)
        else:
            self.context.messages.failure(error)
        self._update_import_button()

    def _on_cancel_clicked(self) -> None:
        if self.cancel_token is not None:
            self.cancel_token.cancel()  # the worker stops at its next check and rolls back
            return
        self.reject()
