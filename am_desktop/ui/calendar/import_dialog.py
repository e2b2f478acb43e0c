"""File → Import calendar…: an .ics file's meetings become planned notes.

The import runs on the write lane with progress and Cancel; the result is said in plain words,
with the outside attendees who are no contacts yet listed to be added (checked by default
when their domain names an account).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.addresses import address
from am_desktop.domain.calendar_events import UnknownAttendee
from am_desktop.domain.cancel import CancelToken
from am_desktop.domain.values import counted
from am_desktop.services.calendar_import import (
    CalendarImport,
    add_attendees_as_contacts,
    import_calendar,
)
from am_desktop.ui.context import AppContext
from am_desktop.ui.dialogs.import_run import ImportRun
from am_desktop.ui.plain_text import plain
from am_desktop.ui.tasks import Lane

PersonRole = Qt.ItemDataRole.UserRole + 1


def result_in_words(result: CalendarImport) -> str:
    """What an import did, for people."""
    parts = [
        f"{counted(result.added, 'planned meeting')} added",
        f"{result.moved:,} moved",
        f"{result.removed:,} removed (cancelled)",
    ]
    text = (
        f"From {result.first_day:%d %b %Y} to {result.last_day:%d %b %Y}: "
        f"{', '.join(parts)}; {result.unchanged:,} already up to date."
    )
    if result.left:
        text += (
            f" {counted(result.left, 'meeting')} changed or cancelled in the calendar "
            "kept as they were, because notes were written in them."
        )
    skipped = dict(result.skipped)
    if skipped.get("internal only"):
        text += f" {counted(skipped['internal only'], 'internal meeting')} left out."
    if skipped.get("no account found"):
        text += (
            f" {counted(skipped['no account found'], 'meeting')} left out because no "
            "account matches its attendees or title."
        )
    return text


class CalendarImportDialog(ImportRun, QDialog):
    """Import one calendar file; then offer its unknown outside attendees as contacts.

    Args:
        path: the .ics file.
    """

    def __init__(self, context: AppContext, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.path = path
        self.outcome: CalendarImport | None = None
        self.cancel_token: CancelToken | None = None
        self.setWindowTitle("Import calendar")
        self.resize(620, 460)
        self.file_label = plain(QLabel(path.name))
        self.file_label.setToolTip(str(path))
        self.me_edit = QLineEdit(context.settings.prefs.my_email)
        self.me_edit.setPlaceholderText("you@yourcompany.com")
        self.me_edit.setToolTip("Attendees from your own company's domain count as internal.")
        self.import_button = QPushButton("&Import")
        self.progress = QProgressBar()
        self.progress.hide()
        self.summary_label = plain(QLabel("Give your e-mail address, then Import."))
        self.summary_label.setWordWrap(True)
        self.people_label = plain(QLabel("New people from outside — add the checked as contacts:"))
        self.people_list = QListWidget()
        self.add_button = QPushButton("&Add as contacts")
        for widget in (self.people_label, self.people_list, self.add_button):
            widget.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self._lay_out()
        self._connect_signals()
        self._update_import_button()

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow("Calendar file", self.file_label)
        form.addRow("My e-mail &address", self.me_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.people_label)
        layout.addWidget(self.people_list, 1)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addStretch(0)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.me_edit.textChanged.connect(self._on_me_text_changed)
        self.import_button.clicked.connect(self.start)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.buttons.rejected.connect(self._on_cancel_clicked)
        self.people_list.itemChanged.connect(self._on_people_item_changed)

    # -- importing ---------------------------------------------------------------------------

    def my_email(self) -> str | None:
        """The address typed, when it is one."""
        return address(self.me_edit.text())

    @Slot()
    def start(self) -> None:
        """Import the file (remembering the address given for next time)."""
        me = self.my_email()
        if me is None or self.cancel_token is not None:
            return
        self.context.settings.prefs.my_email = me
        self.cancel_token = token = CancelToken()
        self._update_import_button()
        self.progress.show()
        self.summary_label.setText("Importing…")
        path, today = self.path, self.context.today()
        self.context.tasks.submit(
            lambda progress: import_calendar(
                self.context.store, path, me, today=today, progress=progress, cancel=token
            ),
            lane=Lane.WRITE,
            on_done=self._on_import_done,
            on_error=self._on_import_failed,
            on_progress=self._on_import_progress,
            cancel=token,
            receiver=self,
        )

    def _on_import_progress(self, done: int, total: int, stage: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(stage)

    def _on_import_done(self, result: CalendarImport) -> None:
        self.cancel_token = None
        self.outcome = result
        self.progress.hide()
        self.summary_label.setText(result_in_words(result))
        self._show_people(result.unknown_attendees)
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.disconnect(self._on_cancel_clicked)
        self.buttons.rejected.connect(self.accept)
        self.import_button.hide()
        self.me_edit.setReadOnly(True)
        self.context.messages.info(f"Calendar {self.path.name} imported.")

    @Slot(str)
    def _on_me_text_changed(self, _text: str) -> None:
        self._update_import_button()

    def _update_import_button(self) -> None:
        self.import_button.setEnabled(self.my_email() is not None and self.cancel_token is None)

    # -- new contacts ------------------------------------------------------------------------

    def _show_people(self, people: tuple[UnknownAttendee, ...]) -> None:
        self.people_list.clear()
        for person in people:
            name = person.name or person.email
            where = person.account_name or "no account has this domain"
            item = QListWidgetItem(f"{name} <{person.email}> — {where}")
            item.setData(PersonRole, person)
            if person.account_id is None:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setCheckState(Qt.CheckState.Unchecked)
            else:
                item.setCheckState(Qt.CheckState.Checked)
            self.people_list.addItem(item)
        shown = bool(people)
        for widget in (self.people_label, self.people_list, self.add_button):
            widget.setVisible(shown)
        self._update_add_button()

    def checked_people(self) -> list[UnknownAttendee]:
        """The attendees checked to become contacts."""
        items = (self.people_list.item(row) for row in range(self.people_list.count()))
        return [
            item.data(PersonRole) for item in items if item.checkState() == Qt.CheckState.Checked
        ]

    @Slot()
    def _on_people_item_changed(self, _item: QListWidgetItem) -> None:
        self._update_add_button()

    def _update_add_button(self) -> None:
        self.add_button.setEnabled(bool(self.checked_people()))

    @Slot()
    def _on_add_clicked(self) -> None:
        people = self.checked_people()
        self.add_button.setEnabled(False)
        self.context.tasks.submit(
            lambda _progress: add_attendees_as_contacts(self.context.store, people),
            lane=Lane.WRITE,
            on_done=self._on_contacts_added,
            receiver=self,
        )

    def _on_contacts_added(self, added: int) -> None:
        for row in reversed(range(self.people_list.count())):
            item = self.people_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                self.people_list.takeItem(row)
        self.summary_label.setText(
            self.summary_label.text() + f" {counted(added, 'contact')} added."
        )
        self._update_add_button()
