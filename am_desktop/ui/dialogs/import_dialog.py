"""File → Import CSV: choose the file and kind, check the column mapping, see every invalid row
before anything is written, then import on a worker with progress and Cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.cancel import CancelToken
from am_desktop.domain.csv_formats import FORMATS, KINDS
from am_desktop.errors import AppError
from am_desktop.services.transfer.csv_reader import guess_column, no_rows_message, read_headers
from am_desktop.services.transfer.importer import ImportSummary, import_csv
from am_desktop.ui.context import AppContext
from am_desktop.ui.dialogs.import_run import ImportRun
from am_desktop.ui.plain_text import plain
from am_desktop.ui.tasks import Lane

_IGNORE = "(ignore this column)"


class ImportDialog(ImportRun, QDialog):
    """The import wizard, on one page."""

    def __init__(
        self,
        context: AppContext,
        path: Path | None = None,
        parent: QWidget | None = None,
        *,
        kind: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.path: Path | None = None
        self.preview: ImportSummary | None = None
        self.cancel_token: CancelToken | None = None
        self.setWindowTitle("Import CSV")
        self.resize(760, 600)
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("Choose a CSV file…")
        self.browse_button = QPushButton("Choose…")
        self.kind_combo = QComboBox()
        for each in KINDS:
            self.kind_combo.addItem(each.capitalize() if each != "arr" else "ARR movements", each)
        self.mapping_table = QTableWidget(0, 2)
        self.mapping_table.setHorizontalHeaderLabels(["Column in the file", "Imported as"])
        self.mapping_table.horizontalHeader().setStretchLastSection(True)
        self.mapping_table.setColumnWidth(0, 280)
        self.mapping_table.verticalHeader().setVisible(False)
        self.summary_label = plain(QLabel("Choose a file to see what it holds."))
        self.summary_label.setWordWrap(True)
        self.problems_table = QTableWidget(0, 3)
        self.problems_table.setHorizontalHeaderLabels(["Row", "Column", "What is wrong"])
        self.problems_table.horizontalHeader().setStretchLastSection(True)
        self.problems_table.setColumnWidth(0, 60)
        self.problems_table.setColumnWidth(1, 140)
        self.problems_table.verticalHeader().setVisible(False)
        self.problems_table.hide()
        for table in (self.mapping_table, self.problems_table):
            table.setTabKeyNavigation(False)  # Tab leaves the table, as everywhere in the app
        self.skip_invalid = QCheckBox("Import the valid rows and leave the invalid ones out")
        self.skip_invalid.hide()
        self.progress = QProgressBar()
        self.progress.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(False)
        self._lay_out()
        self._connect_signals()
        if kind is not None:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
        if path is not None:
            self.set_file(path)

    def _lay_out(self) -> None:
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow("File", file_row)
        form.addRow("Records", self.kind_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("How the file's columns are read:"))
        layout.addWidget(self.mapping_table, 2)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.problems_table, 2)
        layout.addWidget(self.skip_invalid)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.browse_button.clicked.connect(self._on_browse_clicked)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.skip_invalid.toggled.connect(self._update_import_button)
        self.buttons.rejected.connect(self._on_cancel_clicked)
        self.import_button.clicked.connect(self._on_import_clicked)

    # ------------------------------------------------------------------------------ choosing

    def set_file(self, path: Path) -> None:
        """Use this file; the kind is guessed from its name."""
        self.path = path
        self.file_edit.setText(str(path))
        stem = path.stem.lower()
        for index in range(self.kind_combo.count()):
            if str(self.kind_combo.itemData(index)) in stem:
                self.kind_combo.setCurrentIndex(index)
                break
        self._fill_mapping()

    def kind(self) -> str:
        """The kind of records chosen."""
        return str(self.kind_combo.currentData())

    def mapping(self) -> dict[str, str | None]:
        """Header as written -> chosen column (None: ignored)."""
        chosen: dict[str, str | None] = {}
        for row in range(self.mapping_table.rowCount()):
            header_item = self.mapping_table.item(row, 0)
            combo = self.mapping_table.cellWidget(row, 1)
            if header_item is not None and isinstance(combo, QComboBox):
                chosen[header_item.text()] = combo.currentData()
        return chosen

    @Slot()
    def _on_browse_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Choose a CSV file or Excel workbook",
            str(Path.home()),
            "CSV files and Excel workbooks (*.csv *.xlsx);;CSV files (*.csv);;"
            "Excel workbooks (*.xlsx);;All files (*)",
        )
        if name:
            self.set_file(Path(name))

    @Slot()
    def _on_kind_changed(self) -> None:
        self._fill_mapping()

    def _fill_mapping(self) -> None:
        if self.path is None:
            return
        try:
            headers = read_headers(self.path)
        except AppError as error:
            self._show_summary(error.user_message, problems=[])
            return
        kind = self.kind()
        self.mapping_table.clearContents()  # drops the previous kind's drop-downs too
        self.mapping_table.setRowCount(0)
        self.mapping_table.setRowCount(len(headers))
        for row, header in enumerate(headers):
            item = QTableWidgetItem(header)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.mapping_table.setItem(row, 0, item)
            combo = QComboBox()
            combo.addItem(_IGNORE, None)
            for column in FORMATS[kind]:
                combo.addItem(column.name + (" *" if column.required else ""), column.name)
            guessed = guess_column(kind, header)
            combo.setCurrentIndex(max(0, combo.findData(guessed)))
            combo.currentIndexChanged.connect(self._request_preview)
            self.mapping_table.setCellWidget(row, 1, combo)
        self._request_preview()

    # ------------------------------------------------------------------------------ preview

    @Slot()
    def _request_preview(self) -> None:
        if self.path is None:
            return
        path, kind, mapping = self.path, self.kind(), self.mapping()
        self.summary_label.setText("Checking every row…")
        self.import_button.setEnabled(False)
        self.context.tasks.submit(
            lambda _p: import_csv(
                self.context.store,
                kind,
                path,
                dry_run=True,
                skip_invalid=True,
                mapping=mapping,
                today=self.context.today(),
                default_currency=self.context.settings.prefs.currency,
            ),
            lane=Lane.READ,
            receiver=self,
            on_done=self._on_preview_ready,
            on_error=self._on_preview_failed,
            supersede=(self, "preview"),  # only the preview of what is chosen now is shown
        )

    def _on_preview_ready(self, summary: ImportSummary) -> None:
        self.preview = summary
        valid = summary.rows - summary.skipped
        text = (
            f"{summary.rows:,} rows: {summary.added:,} new, {summary.updated:,} updated, "
            f"{summary.unchanged:,} unchanged."
        )
        if not summary.rows and self.path is not None:
            text = no_rows_message(self.path)
        if summary.skipped:
            text += (
                f" {summary.skipped:,} rows are invalid (listed below); nothing is imported "
                f"unless you leave them out ({valid:,} rows would be imported)."
            )
        if summary.unlisted_problems:
            text += (
                f" The first {len(summary.problems):,} problems are listed; "
                f"{summary.unlisted_problems:,} more are not."
            )
        self._show_summary(text, list(summary.problems))
        self.skip_invalid.setVisible(bool(summary.skipped))
        self._update_import_button()

    def _on_preview_failed(self, error: BaseException) -> None:
        self.preview = None
        if isinstance(error, AppError):
            self._show_summary(error.user_message, problems=[])
            self._update_import_button()
        else:
            self.context.messages.failure(error)

    def _show_summary(self, text: str, problems: list[object]) -> None:
        self.summary_label.setText(text)
        self.problems_table.setRowCount(len(problems))
        for row, problem in enumerate(problems):
            for column, value in enumerate(
                (
                    getattr(problem, "row", ""),
                    getattr(problem, "column", "") or "",
                    getattr(problem, "reason", ""),
                )
            ):
                self.problems_table.setItem(row, column, QTableWidgetItem(str(value)))
        self.problems_table.setVisible(bool(problems))

    def _update_import_button(self) -> None:
        summary = self.preview
        ready = summary is not None and summary.rows - summary.skipped > 0
        if summary is not None and summary.skipped and not self.skip_invalid.isChecked():
            ready = False
        self.import_button.setEnabled(bool(ready) and self.cancel_token is None)

    # ------------------------------------------------------------------------------ import

    @Slot()
    def _on_import_clicked(self) -> None:
        if self.path is None or self.preview is None:
            return
        self.cancel_token = CancelToken()
        self.import_button.setEnabled(False)
        self.progress.show()
        self.progress.setRange(0, 3)
        path, kind, mapping = self.path, self.kind(), self.mapping()
        skip = self.skip_invalid.isChecked()
        token = self.cancel_token
        self.context.tasks.submit(
            lambda progress: import_csv(
                self.context.store,
                kind,
                path,
                skip_invalid=skip,
                mapping=mapping,
                progress=progress,
                cancel=token,
                today=self.context.today(),
                default_currency=self.context.settings.prefs.currency,
            ),
            lane=Lane.WRITE,
            receiver=self,
            on_done=self._on_import_done,
            on_error=self._on_import_failed,
            on_progress=self._on_import_progress,
            cancel=token,
        )

    def _on_import_progress(self, done: int, total: int, stage: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(stage)

    def _on_import_done(self, summary: ImportSummary) -> None:
        self.cancel_token = None
        self.context.messages.info(
            f"Imported {summary.kind}: {summary.added:,} added, {summary.updated:,} updated, "
            f"{summary.unchanged:,} unchanged."
        )
        self.accept()
