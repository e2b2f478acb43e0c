"""File → Export business review (issue 15): whose review (a searchable account picker, or the
whole portfolio), for whom, of which period, as what files, on which template and logo, where.

The files are written on a worker by :func:`am_desktop.exports.review.export_review`, with
progress and Cancel; a failure shows its ``user_message`` here, never a traceback. Afterwards
the dialog says what it wrote and offers to open the deck or its folder. The folder, kinds of
file, template and logo are remembered for the next export.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.cancel import CancelToken
from am_desktop.domain.contact_graph import ContactGraph
from am_desktop.domain.deck import Audience
from am_desktop.domain.kpis import default_period
from am_desktop.domain.values import counted
from am_desktop.errors import Cancelled
from am_desktop.exports.review import FORMAT_LABELS, FORMATS, ReviewRequest
from am_desktop.ui import desktop
from am_desktop.ui.account_picker import AccountPicker, Candidate
from am_desktop.ui.context import AppContext
from am_desktop.ui.dialogs.file_field import FileField
from am_desktop.ui.tasks import Lane

AUDIENCE_LABELS = {Audience.CUSTOMER: "For the customer", Audience.INTERNAL: "Internal review"}
AUDIENCE_HINTS = {
    Audience.CUSTOMER: "The plan, the value delivered and the next steps. Nothing internal: "
    "no health score, churn, pipeline or risk notes.",
    Audience.INTERNAL: "ARR and its movements, health, surveys, usage, pipeline, risks and "
    "issues: for you and your manager.",
}
#: Why there is no customer deck of the portfolio (the disabled choice's tooltip).
NO_CUSTOMER_PORTFOLIO = (
    "A customer deck is about one customer: choose an account to make one. "
    "The whole portfolio is an internal review."
)
PORTFOLIO_HINT = "The whole portfolio is an internal review: a customer deck is about one customer."
#: The files a template or a logo is used in.
TEMPLATE_FORMATS = frozenset({"pptx"})
LOGO_FORMATS = frozenset({"pptx", "pdf"})


class ReviewDialog(QDialog):
    """Choose what to export, export it, then open it.

    Args:
        accounts: ``(id, name, domain)`` of the accounts that can be chosen.
        account_id: the account in front, chosen at first; None chooses the portfolio.

    Attributes:
        written: the files of the last export (empty until one finished).
    """

    def __init__(
        self,
        context: AppContext,
        accounts: Sequence[Candidate],
        account_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.cancel: CancelToken | None = None
        self.written: list[Path] = []
        self._account_audience = Audience.CUSTOMER  # what the user wants for one account
        self.setWindowTitle("Export business review")
        self.setMinimumWidth(600)
        self._make_fields(accounts, account_id)
        self._make_done_page()
        self._lay_out()
        self._connect_signals()
        self._recall()
        self._on_picker_changed()
        self._on_formats_changed()

    # ------------------------------------------------------------------------------ building

    def _make_fields(self, accounts: Sequence[Candidate], account_id: int | None) -> None:
        self.picker = AccountPicker(accounts, account_id, self)
        self.audiences: dict[Audience, QRadioButton] = {}
        self.audience_group = QButtonGroup(self)
        for audience, label in AUDIENCE_LABELS.items():
            button = QRadioButton(label, self)
            self.audiences[audience] = button
            self.audience_group.addButton(button)
        self.audience_hint = QLabel(self)
        self.audience_hint.setObjectName("muted")
        self.audience_hint.setWordWrap(True)
        start, end = default_period(self.context.today())
        self.start = QDateEdit(QDate(start.year, start.month, start.day), self)
        self.end = QDateEdit(QDate(end.year, end.month, end.day), self)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
        self.formats = {kind: QCheckBox(FORMAT_LABELS[kind], self) for kind in FORMATS}
        home = Path.home()
        self.template = FileField(
            "Choose a PowerPoint template", "PowerPoint presentations (*.pptx)", home, self
        )
        self.template.shown.setPlaceholderText("None: the app's own design")
        self.template.setToolTip(
            "Your company's PowerPoint (.pptx): the deck uses its slide layouts. "
            "Only the PowerPoint file uses it."
        )
        self.logo = FileField(
            "Choose the customer's logo", "Pictures (*.png *.jpg *.jpeg)", home, self
        )
        self.logo.shown.setPlaceholderText("None")
        self.logo.setToolTip("The customer's logo (PNG or JPEG) on the title slide.")
        self.folder = QLineEdit(self)
        self.folder.setAccessibleName("Folder for the files")
        self.browse = QPushButton("Choose…", self)
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.export_button = QPushButton("Export", self)
        self.cancel_button = QPushButton("Cancel", self)
        side_buttons = (
            self.template.choose_button,
            self.template.clear_button,
            self.logo.choose_button,
            self.logo.clear_button,
            self.browse,
            self.cancel_button,
        )
        for side in side_buttons:  # focus on them must not make Enter press them
            side.setAutoDefault(False)
        self.export_button.setDefault(True)

    def _make_done_page(self) -> None:
        self.done_message = QLabel(self)
        self.done_message.setObjectName("sectionTitle")
        self.done_message.setWordWrap(True)
        self.done_files = QLabel(self)
        self.done_files.setObjectName("muted")
        self.done_files.setWordWrap(True)
        self.open_button = QPushButton("Open", self)
        self.show_folder_button = QPushButton("Show in folder", self)
        self.close_button = QPushButton("Close", self)
        for button in (self.show_folder_button, self.close_button):
            button.setAutoDefault(False)

    def _form(self) -> QFormLayout:
        audience = QHBoxLayout()
        for button in self.audiences.values():
            audience.addWidget(button)
        audience.addStretch(1)
        audience_box = QVBoxLayout()
        audience_box.setSpacing(2)
        audience_box.addLayout(audience)
        audience_box.addWidget(self.audience_hint)
        period = QHBoxLayout()
        period.addWidget(self.start)
        period.addWidget(QLabel("to", self))
        period.addWidget(self.end)
        period.addStretch(1)
        formats = QHBoxLayout()
        for box in self.formats.values():
            formats.addWidget(box)
        formats.addStretch(1)
        folder = QHBoxLayout()
        folder.addWidget(self.folder, 1)
        folder.addWidget(self.browse)
        form = QFormLayout()
        form.addRow("Review of", self.picker)
        form.addRow("For", audience_box)
        form.addRow("Period", period)
        form.addRow("Files", formats)
        form.addRow("Template", self.template)
        form.addRow("Logo", self.logo)
        form.addRow("Folder", folder)
        return form

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)
        form_page = QWidget(self)
        inner = QVBoxLayout(form_page)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(self._form())
        inner.addWidget(self.progress)
        inner.addWidget(self.status)
        inner.addWidget(self.error)
        inner.addStretch(1)
        inner.addLayout(buttons)

        done_buttons = QHBoxLayout()
        done_buttons.addStretch(1)
        for button in (self.open_button, self.show_folder_button, self.close_button):
            done_buttons.addWidget(button)
        done_page = QWidget(self)
        done = QVBoxLayout(done_page)
        done.setContentsMargins(0, 0, 0, 0)
        done.addWidget(self.done_message)
        done.addWidget(self.done_files)
        done.addStretch(1)
        done.addLayout(done_buttons)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(form_page)
        self.pages.addWidget(done_page)
        QVBoxLayout(self).addWidget(self.pages)

    def _connect_signals(self) -> None:
        self.picker.changed.connect(self._on_picker_changed)
        self.audience_group.buttonClicked.connect(self._on_audience_clicked)
        for box in self.formats.values():
            box.toggled.connect(self._on_formats_changed)
        self.browse.clicked.connect(self._on_browse_clicked)
        self.export_button.clicked.connect(self.export)
        self.cancel_button.clicked.connect(self.reject)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.show_folder_button.clicked.connect(self._on_show_folder_clicked)
        self.close_button.clicked.connect(self.accept)

    # ------------------------------------------------------------------------------ remembering

    def _recall(self) -> None:
        """The folder, kinds of file, template and logo of the last export."""
        state = self.context.settings.state
        kinds = set(state.review_formats.split(",")) & set(FORMATS)
        for kind, box in self.formats.items():
            box.setChecked(kind in (kinds or {"pptx", "pdf"}))
        self.template.set_path(Path(state.review_template) if state.review_template else None)
        self.logo.set_path(Path(state.review_logo) if state.review_logo else None)
        folder = Path(state.review_folder) if state.review_folder else None
        self.folder.setText(str(folder if folder is not None and folder.is_dir() else Path.home()))

    def _remember(self, request: ReviewRequest) -> None:
        state = self.context.settings.state
        state.review_folder = str(request.folder)
        state.review_formats = ",".join(request.formats)
        # Kept even when this export's files do not use them: the next PowerPoint export will.
        template, logo = self.template.path(), self.logo.path()
        state.review_template = "" if template is None else str(template)
        state.review_logo = "" if logo is None else str(logo)

    # ------------------------------------------------------------------------------ the form

    def audience(self) -> Audience:
        """The audience chosen."""
        for audience, button in self.audiences.items():
            if button.isChecked():
                return audience
        return Audience.INTERNAL

    def chosen_formats(self) -> tuple[str, ...]:
        """The kinds of file ticked, in :data:`FORMATS` order."""
        return tuple(kind for kind, box in self.formats.items() if box.isChecked())

    def dates(self) -> tuple[date, date]:
        """The period chosen."""
        start, end = self.start.date().toPython(), self.end.date().toPython()
        assert isinstance(start, date) and isinstance(end, date)
        return start, end

    def request(self) -> ReviewRequest | str:
        """What the form asks for, or the sentence saying what to fix first."""
        start, end = self.dates()
        formats = self.chosen_formats()
        folder_text = self.folder.text().strip()
        folder = Path(folder_text).expanduser()
        if not self.picker.has_choice():
            return "Choose an account, or the whole portfolio."
        if not formats:
            return "Tick at least one kind of file."
        if end < start:
            return "The period ends before it starts: choose the dates again."
        if not folder_text:
            return "Choose a folder for the files."
        if folder.exists() and not folder.is_dir():
            return f"{folder} is a file, not a folder: choose a folder."
        prefs = self.context.settings.prefs
        return ReviewRequest(
            account_id=self.picker.account_id(),
            start=start,
            end=end,
            folder=folder,
            audience=self.audience(),
            formats=formats,
            template=self.template.path() if TEMPLATE_FORMATS & set(formats) else None,
            logo=self.logo.path() if LOGO_FORMATS & set(formats) else None,
            gross_margin=prefs.gross_margin,
            bands=prefs.health_bands,
            currency=prefs.reporting_currency_or_default,
        )

    @Slot()
    def _on_picker_changed(self) -> None:
        """A portfolio review is internal: the customer choice is off (and says why)."""
        portfolio = self.picker.is_portfolio()
        customer = self.audiences[Audience.CUSTOMER]
        customer.setEnabled(not portfolio)
        customer.setToolTip(NO_CUSTOMER_PORTFOLIO if portfolio else "")
        shown = Audience.INTERNAL if portfolio else self._account_audience
        self.audiences[shown].setChecked(True)
        self.audience_hint.setText(PORTFOLIO_HINT if portfolio else AUDIENCE_HINTS[shown])

    @Slot()
    def _on_audience_clicked(self) -> None:
        if not self.picker.is_portfolio():
            self._account_audience = self.audience()
            self.audience_hint.setText(AUDIENCE_HINTS[self.audience()])

    @Slot()
    def _on_formats_changed(self) -> None:
        """The template is for PowerPoint and the logo for the decks: off for pictures only."""
        kinds = set(self.chosen_formats())
        self.template.setEnabled(bool(TEMPLATE_FORMATS & kinds))
        self.logo.setEnabled(bool(LOGO_FORMATS & kinds))

    @Slot()
    def _on_browse_clicked(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Export to", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    # ------------------------------------------------------------------------------ exporting

    def running(self) -> bool:
        """Whether an export is being written."""
        return self.cancel is not None

    @Slot()
    def export(self) -> None:
        """Check the form, then write the files on a worker."""
        request = self.request()
        if isinstance(request, str):
            self.error.setText(request)
            return
        self._remember(request)
        self.error.clear()
        self.cancel = cancel = CancelToken()
        self._set_running(True)
        self.status.setText("Reading the figures…")
        account_id = request.account_id
        if account_id is None or request.audience is not Audience.INTERNAL:
            self._write(request, cancel)
            return
        store = self.context.store

        def read_map(_progress: object) -> ContactGraph:
            from am_desktop.services.contact_map import contact_graph

            return contact_graph(store, account_id)

        def draw_map(graph: ContactGraph) -> None:  # on the GUI thread: the scene lives there
            from am_desktop.ui.contact_map.render import graph_png

            picture = graph_png(graph, self.context.today()) if len(graph) else None
            self._write(replace(request, contact_map=picture), cancel)

        self.context.tasks.submit(
            read_map, lane=Lane.READ, receiver=self, on_done=draw_map,
            on_error=self._on_failed, cancel=cancel,
        )  # fmt: skip

    def _write(self, request: ReviewRequest, cancel: CancelToken) -> None:
        """Write the files of ``request`` on a worker (the internal deck's map drawn first)."""
        if cancel.cancelled:
            self._on_failed(Cancelled())
            return
        store = self.context.store

        def work(progress: Any) -> list[Path]:
            from am_desktop.exports import review

            return review.export_review(store, request, progress=progress)

        self.context.tasks.submit(
            work,
            lane=Lane.NET,
            receiver=self,
            on_done=self._on_done,
            on_error=self._on_failed,
            on_progress=self._on_progress,
            cancel=cancel,
        )

    def _set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.progress.setRange(0, 0)  # busy until the first progress report
        self.export_button.setEnabled(not running)
        for widget in (self.picker, self.template, self.logo, self.folder, self.browse):
            widget.setEnabled(not running)
        if not running:
            self.cancel = None
            self._on_formats_changed()

    def _on_progress(self, done: int, total: int, stage: str) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.status.setText(f"{stage}…")

    def _on_done(self, written: list[Path]) -> None:
        self._set_running(False)
        self.written = list(written)
        folder = self.written_folder()
        if self.written:
            self.done_message.setText(f"Exported {counted(len(written), 'file')} to {folder}")
            self.done_files.setText(", ".join(path.name for path in self.written[:8]))
            self.context.messages.info(
                f"Business review exported: {counted(len(written), 'file')} in {folder}."
            )
        else:
            self.done_message.setText("Nothing was exported.")
            self.done_files.clear()
        self.open_button.setEnabled(bool(self.written))
        self.open_button.setToolTip(str(self.main_file()))
        self.show_folder_button.setToolTip(str(folder))
        self.pages.setCurrentIndex(1)
        self.open_button.setDefault(True)
        self.open_button.setFocus()

    def _on_failed(self, error: BaseException) -> None:
        self._set_running(False)
        self.status.clear()
        if isinstance(error, Cancelled):
            self.status.setText("Cancelled: no file was kept.")
            return
        self.error.setText(getattr(error, "user_message", "The export failed."))
        if not hasattr(error, "user_message"):  # a bug: reported (with its details) apart
            self.context.messages.failure(error)

    # ------------------------------------------------------------------------------ afterwards

    def written_folder(self) -> Path:
        """The folder the files went to."""
        return self.written[0].parent if self.written else Path(self.folder.text()).expanduser()

    def main_file(self) -> Path:
        """What Open opens: the PowerPoint file, else the PDF, else the folder."""
        for suffix in (".pptx", ".pdf"):
            for path in self.written:
                if path.suffix == suffix:
                    return path
        return self.written_folder()

    @Slot()
    def _on_open_clicked(self) -> None:
        self._open(self.main_file())

    @Slot()
    def _on_show_folder_clicked(self) -> None:
        self._open(self.written_folder())

    def _open(self, path: Path) -> None:
        if not desktop.open_path(path):
            self.done_files.setText(f"Could not open {path}: open it from its folder.")

    # ------------------------------------------------------------------------------ closing

    def reject(self) -> None:
        """Cancel, Escape or closing the window stop an export that runs (its files are
        removed) and keep the dialog open to say so; otherwise they close it."""
        if self.cancel is not None:
            self.cancel.cancel()
            self.status.setText("Cancelling…")
            return
        super().reject()
