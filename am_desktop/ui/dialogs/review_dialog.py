"""File → Export business review: an account or the portfolio, a period, the charts and the
formats wanted, a folder; written on a worker with progress and Cancel (issue 7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.cancel import CancelToken
from am_desktop.domain.kpis import default_period
from am_desktop.domain.values import counted
from am_desktop.errors import Cancelled
from am_desktop.ui.context import AppContext
from am_desktop.ui.tasks import Lane

CHART_LABELS = {
    "arr": "ARR history with movements",
    "health": "Health trend",
    "surveys": "NPS and CSAT",
    "usage": "Usage and adoption",
    "pipeline": "Renewal and expansion pipeline",
    "issues": "Issues",
}


class ReviewDialog(QDialog):
    """Choose what to export, then export it."""

    def __init__(
        self,
        context: AppContext,
        accounts: list[tuple[int, str]],
        account_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.cancel: CancelToken | None = None
        self.written: list[Path] = []
        self.setWindowTitle("Export business review")
        self.setMinimumWidth(520)
        self.target = QComboBox(self)
        self.target.addItem("The whole portfolio", None)
        for ident, name in accounts:
            self.target.addItem(name, ident)
        self.target.setCurrentIndex(max(0, self.target.findData(account_id)))
        start, end = default_period(context.today())
        self.start = QDateEdit(QDate(start.year, start.month, start.day), self)
        self.end = QDateEdit(QDate(end.year, end.month, end.day), self)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
        self.charts = {key: QCheckBox(label, self) for key, label in CHART_LABELS.items()}
        for box in self.charts.values():
            box.setChecked(True)
        self.formats = {kind: QCheckBox(kind.upper(), self) for kind in ("pdf", "png", "svg")}
        for box in self.formats.values():
            box.setChecked(True)
        self.folder = QLineEdit(str(Path.home()), self)
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._on_browse_clicked)
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        self._lay_out(browse)
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self._on_rejected)

    def _lay_out(self, browse: QPushButton) -> None:
        period = QHBoxLayout()
        period.addWidget(self.start)
        period.addWidget(QLabel("to", self))
        period.addWidget(self.end)
        folder = QHBoxLayout()
        folder.addWidget(self.folder, 1)
        folder.addWidget(browse)
        charts = QVBoxLayout()
        for box in self.charts.values():
            charts.addWidget(box)
        formats = QHBoxLayout()
        for box in self.formats.values():
            formats.addWidget(box)
        formats.addStretch(1)
        form = QFormLayout()
        form.addRow("Review of", self.target)
        form.addRow("Period", period)
        form.addRow("Charts", charts)
        form.addRow("Files", formats)
        form.addRow("Folder", folder)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    @Slot()
    def _on_browse_clicked(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Export to", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def choices(self) -> dict[str, Any]:
        """What the form says."""
        start, end = self.start.date().toPython(), self.end.date().toPython()
        return {
            "account_id": self.target.currentData(),
            "start": start,
            "end": end,
            "charts": [k for k, box in self.charts.items() if box.isChecked()],
            "formats": [k for k, box in self.formats.items() if box.isChecked()],
            "folder": Path(self.folder.text()).expanduser(),
        }

    @Slot()
    def export(self) -> None:
        """Check the form, then write the files on a worker."""
        chosen = self.choices()
        problem = ""
        if not chosen["formats"]:
            problem = "Tick at least one kind of file."
        elif not chosen["charts"] and chosen["formats"] != ["pdf"]:
            problem = "Tick at least one chart."
        elif chosen["end"] < chosen["start"]:
            problem = "The period ends before it starts."
        elif not chosen["folder"].is_dir():
            problem = f"There is no folder {chosen['folder']}."
        if problem:
            self.message.setText(problem)
            return
        self.cancel = CancelToken()
        cancel, store, today = self.cancel, self.context.store, self.context.today()
        margin = self.context.settings.prefs.gross_margin
        bands = self.context.settings.prefs.health_bands

        def work(progress: Any) -> list[Path]:
            from am_desktop.charts.review import write_review
            from am_desktop.services.files import writing
            from am_desktop.services.review import review_data

            progress(0, 1, "Reading the figures")
            data = review_data(
                store, chosen["start"], chosen["end"], account_id=chosen["account_id"],
                gross_margin=margin, bands=bands,
            )  # fmt: skip
            cancel.raise_if_cancelled()
            folder: Path = chosen["folder"]
            names = write_review(
                data, today, lambda name: writing(folder / name), formats=chosen["formats"],
                charts=chosen["charts"], progress=progress,
            )  # fmt: skip
            return [folder / name for name in names]

        self.progress.show()
        self.progress.setRange(0, 0)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.message.setText("Drawing the charts…")
        self.context.tasks.submit(
            work,
            lane=Lane.NET,
            receiver=self,
            on_done=self._on_done,
            on_error=self._on_failed,
            on_progress=self._on_progress,
            cancel=cancel,
        )

    def _on_progress(self, done: int, total: int, stage: str) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.message.setText(f"{stage}…")

    def _on_done(self, written: list[Path]) -> None:
        self.written = written
        self.context.messages.info(
            f"Business review exported: {counted(len(written), 'file')} in {written[0].parent}."
            if written
            else "Nothing was exported."
        )
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self.progress.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        if isinstance(error, Cancelled):
            self.message.setText("Cancelled; no half-written file was kept.")
            return
        self.message.setText(getattr(error, "user_message", "The export failed."))
        if not hasattr(error, "user_message"):
            self.context.messages.failure(error)

    @Slot()
    def _on_rejected(self) -> None:
        if self.cancel is not None and not self.cancel.cancelled:
            self.cancel.cancel()
        self.reject()
