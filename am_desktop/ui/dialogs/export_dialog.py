"""File → Export: a kind of records to a CSV or JSON file, on a worker with Cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.cancel import CancelToken
from am_desktop.domain.csv_formats import KINDS
from am_desktop.errors import AppError, Cancelled
from am_desktop.services.transfer.exporter import export_to_file
from am_desktop.ui.context import AppContext
from am_desktop.ui.tasks import Lane


class ExportDialog(QDialog):
    """Choose what to export and where."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.cancel_token: CancelToken | None = None
        self.setWindowTitle("Export")
        self.kind_combo = QComboBox()
        for kind in KINDS:
            self.kind_combo.addItem(kind.capitalize() if kind != "arr" else "ARR movements", kind)
        self.format_combo = QComboBox()
        self.format_combo.addItem("CSV (spreadsheets)", "csv")
        self.format_combo.addItem("JSON (scripts)", "json")
        self.status = QLabel("The file uses the same columns as import, so it can come back in.")
        self.status.setWordWrap(True)
        self.status.setObjectName("muted")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(
            "Export…", QDialogButtonBox.ButtonRole.AcceptRole
        )
        form = QFormLayout()
        form.addRow("Records", self.kind_combo)
        form.addRow("Format", self.format_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self.buttons.rejected.connect(self._on_cancel_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)

    def export_to(self, path: Path) -> None:
        """Write the chosen records to ``path`` in the background."""
        kind, fmt = str(self.kind_combo.currentData()), str(self.format_combo.currentData())
        self.cancel_token = token = CancelToken()
        self.export_button.setEnabled(False)
        self.progress.show()
        self.status.setText(f"Writing {path.name}…")
        self.context.tasks.submit(
            lambda _p: export_to_file(self.context.store, kind, path, fmt=fmt, cancel=token),
            lane=Lane.NET,
            receiver=self,
            on_done=lambda count: self._on_exported(path, count),
            on_error=self._on_export_failed,
        )

    @Slot()
    def _on_export_clicked(self) -> None:
        kind, fmt = str(self.kind_combo.currentData()), str(self.format_combo.currentData())
        suggested = str(Path.home() / f"{kind}.{fmt}")
        name, _ = QFileDialog.getSaveFileName(
            self, "Export to", suggested, f"{fmt.upper()} (*.{fmt})"
        )
        if name:
            self.export_to(Path(name))

    def _on_exported(self, path: Path, count: int) -> None:
        self.cancel_token = None
        self.context.messages.info(f"Exported {count:,} records to {path}.")
        self.accept()

    def _on_export_failed(self, error: BaseException) -> None:
        self.cancel_token = None
        self.progress.hide()
        self.export_button.setEnabled(True)
        if isinstance(error, Cancelled):
            self.status.setText("Export cancelled: no file was written.")
        elif isinstance(error, AppError):
            self.status.setText(error.user_message)
        else:
            self.context.messages.failure(error)

    @Slot()
    def _on_cancel_clicked(self) -> None:
        if self.cancel_token is not None:
            self.cancel_token.cancel()
            return
        self.reject()
