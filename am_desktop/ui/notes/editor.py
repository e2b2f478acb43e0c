"""The note editor: title, kind, time, attendees and the Markdown body, saved as you type.

A new note exists in the database from its first save. Every save is a snapshot taken here
(a few microseconds) and written on the WRITE lane; the editor never waits for it. A save
that meets a newer version asks whether to keep this text, the stored one, or both.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Any

import shiboken6
from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QFont, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.enums import NoteKind
from am_desktop.domain.records import NoteRecord
from am_desktop.errors import AppError
from am_desktop.services import notes
from am_desktop.services.note_recovery import UnsavedNote
from am_desktop.services.notes import NoteConflict, NoteDetail
from am_desktop.services.store import Store
from am_desktop.ui import format as fmt
from am_desktop.ui.context import AppContext
from am_desktop.ui.notes.autosave import MAX_WAIT_MS, PAUSE_MS, Autosave
from am_desktop.ui.notes.follow_up import FollowUp
from am_desktop.ui.notes.highlighter import MarkdownHighlighter
from am_desktop.ui.plain_text import tooltip_text
from am_desktop.ui.tasks import Lane

#: (contact id, name) of the people who can attend.
People = list[tuple[int, str]]

#: After a failed save, try again this often while the text stays unsaved.
RETRY_MS = 10_000


class AttendeePicker(QWidget):
    """Who attended: type a contact's name (completed from the account), remove with ✕.

    Signals:
        changed(): the attendees changed.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.people: People = []
        self.ids: list[int] = []
        self.field = QLineEdit(self)
        self.field.setPlaceholderText("Add an attendee…")
        self.field.setClearButtonEnabled(True)
        self.completer = QCompleter([], self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.field.setCompleter(self.completer)
        self.chips = QHBoxLayout()
        self.chips.setContentsMargins(0, 0, 0, 0)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.chips)
        layout.addWidget(self.field, 1)
        self.completer.activated.connect(self._on_completer_activated)
        self.field.returnPressed.connect(lambda: self._on_completer_activated(self.field.text()))

    def set_people(self, people: People, attending: list[int]) -> None:
        """The account's contacts, and who attended."""
        self.people = people
        self.completer.model().setStringList([name for _id, name in people])  # type: ignore[attr-defined]
        self.ids = [i for i in attending if any(i == p for p, _ in people)]
        self._show_chips()

    def _name(self, contact_id: int) -> str:
        return next((name for i, name in self.people if i == contact_id), "?")

    @Slot(str)
    def _on_completer_activated(self, text: str) -> None:
        match = next((i for i, name in self.people if name.casefold() == text.casefold()), None)
        QTimer.singleShot(0, self.field.clear)
        if match is None or match in self.ids:
            return
        self.ids.append(match)
        self._show_chips()
        self.changed.emit()

    def _remove(self, contact_id: int) -> None:
        self.ids = [i for i in self.ids if i != contact_id]
        self._show_chips()
        self.changed.emit()

    def _show_chips(self) -> None:
        while self.chips.count():
            item = self.chips.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for contact_id in self.ids:
            chip = QToolButton(self)
            chip.setText(f"{self._name(contact_id)}  ✕")
            chip.setToolTip("Remove from the attendees")
            chip.setAutoRaise(True)
            chip.clicked.connect(lambda _c=False, i=contact_id: self._remove(i))
            self.chips.addWidget(chip)


class CallTimer(QWidget):
    """A stopwatch for the call; stopping it writes the duration into the note."""

    #: (text): a line to insert in the note.
    stopped = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.started_at: QDateTime | None = None
        self.button = QPushButton("Start call timer", self)
        self.button.setToolTip("Time the call; stopping writes its length into the note")
        self.label = QLabel("", self)
        self.label.setObjectName("muted")
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(self.label)
        self.button.clicked.connect(self.toggle)
        self._tick.timeout.connect(self._show)

    def toggle(self) -> None:
        """Start, or stop and report the call's length."""
        if self.started_at is None:
            self.started_at = QDateTime.currentDateTime()
            self.button.setText("Stop timer")
            self._tick.start()
            self._show()
            return
        seconds = self.started_at.secsTo(QDateTime.currentDateTime())
        self.started_at = None
        self._tick.stop()
        self.button.setText("Start call timer")
        self.label.setText("")
        minutes = max(1, round(seconds / 60))
        self.stopped.emit(f"Call length: {minutes} min")

    def _show(self) -> None:
        if self.started_at is not None:
            seconds = self.started_at.secsTo(QDateTime.currentDateTime())
            self.label.setText(f"{seconds // 60:02d}:{seconds % 60:02d}")


class _Target:
    """One note's saves: its id once created and the version the last save left.

    Saves run one after another on the WRITE lane, so each reads what the previous one set,
    even when the editor has moved on (switching notes never drops a queued save). After a
    conflict, the saves still queued for the note are skipped until the user decides.
    """

    def __init__(self, note_id: int | None, version: int | None = None) -> None:
        self.note_id, self.version = note_id, version
        self.conflicted = False

    def save(
        self, store: Store, values: dict[str, Any], attendees: list[int], account_id: int
    ) -> NoteRecord | None:
        """Create the note or save over the last version (runs on the write lane)."""
        if self.conflicted:
            return None
        try:
            if self.note_id is None:
                record = notes.create_note(store, {"account_id": account_id, **values}, attendees)
            else:
                record = notes.save_note(store, self.note_id, values, self.version, attendees)
        except NoteConflict:
            self.conflicted = True
            raise
        self.note_id, self.version = record.id, record.version
        return record

    def resume(self, stored: NoteRecord) -> None:
        """Go on saving over ``stored`` (the user kept their text)."""
        self.version, self.conflicted = stored.version, False


class NoteEditor(QWidget):
    """Edits one note at a time, saving by itself.

    Args:
        pause_ms, max_wait_ms: autosave timing (tests pass short ones).

    Signals:
        saved(note): a save landed (the note as stored).
        status_changed(text): "Saved 10:42", "Saving…", "Not saved".
    """

    saved = Signal(object)
    status_changed = Signal(str)
    #: (note_id): show the stored version of this note again (after "Take theirs").
    reload_requested = Signal(int)

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        pause_ms: int = PAUSE_MS,
        max_wait_ms: int = MAX_WAIT_MS,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.account_id: int | None = None
        self.note: NoteRecord | None = None
        #: Where this note's saves go; each save, in order on the write lane, advances it.
        self._target: _Target | None = None
        self._loading = False
        self.autosave = Autosave(self._start_save, pause_ms, max_wait_ms, self)
        self.title = QLineEdit(self)
        self.title.setPlaceholderText("Title")
        self.title.setObjectName("noteTitle")
        self.kind = QComboBox(self)
        for kind in NoteKind:
            self.kind.addItem(kind.label, kind.value)
        self.when = QDateTimeEdit(self)
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("d MMM yyyy  HH:mm")
        self.attendees = AttendeePicker(self)
        self.body = QPlainTextEdit(self)
        self.body.setPlaceholderText(
            "Type while you talk. Markdown works: # heading, **bold**, - lists.\n"
            "- [ ] Send the deck @maya due:2026-12-01   becomes an action item\n"
            "A line with #risk, #expansion or #feedback goes to the account plan."
        )
        body_font = QFont(self.body.font())
        body_font.setPointSizeF(body_font.pointSizeF() + 1)
        self.body.setFont(body_font)
        self.highlighter = MarkdownHighlighter(self.body.document())
        self.timer = CallTimer(self)
        self.template_button = QToolButton(self)
        self.template_button.setText("Template")
        self.template_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.time_button = QPushButton("Insert time", self)
        self.status = QLabel("", self)
        self.status.setObjectName("muted")
        self.retry = QPushButton("Retry", self)
        self.retry.hide()
        #: Why the last save failed, while the text is still unsaved (None: it is not).
        self.failure: str | None = None
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.setInterval(RETRY_MS)
        self.insert_time_action = QAction("Insert the time", self)
        self.insert_time_action.setShortcut(QKeySequence("Ctrl+;"))
        self.insert_time_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.insert_time_action)
        self.time_button.setToolTip("Insert the current time (Ctrl+;)")
        self.follow_up = FollowUp(context, self, self._follow_up_target)
        self.follow_up_button = QToolButton(self)
        self.follow_up_button.setDefaultAction(self.follow_up.action)
        self.follow_up_button.setText("Draft follow-up")
        self._build()
        self._connect_signals()
        self.setEnabled(False)

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.kind)
        top.addWidget(self.when)
        people = QHBoxLayout()
        attended = QLabel("Attendees", self)
        attended.setObjectName("muted")
        people.addWidget(attended)
        people.addWidget(self.attendees, 1)
        tools = QHBoxLayout()
        tools.addWidget(self.template_button)
        tools.addWidget(self.time_button)
        tools.addWidget(self.timer)
        tools.addWidget(self.follow_up_button)
        tools.addWidget(self.follow_up.label)
        tools.addStretch(1)
        tools.addWidget(self.status)
        tools.addWidget(self.retry)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(people)
        layout.addLayout(tools)
        layout.addWidget(self.body, 1)

    def _connect_signals(self) -> None:
        self.body.textChanged.connect(self._on_edited)
        self.title.textEdited.connect(self._on_edited)
        self.kind.currentIndexChanged.connect(self._on_edited)
        self.when.dateTimeChanged.connect(self._on_edited)
        self.attendees.changed.connect(self._on_edited)
        self.insert_time_action.triggered.connect(self.insert_time)
        self.time_button.clicked.connect(self.insert_time)
        self.timer.stopped.connect(self.insert_line)
        self.retry.clicked.connect(self.autosave.flush)
        self._retry_timer.timeout.connect(self.autosave.flush)  # keeps trying in the background
        self.autosave.dirty_changed.connect(self._on_autosave_dirty_changed)
        for widget in (self.body, self.title):
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.autosave.flush()  # leaving the editor saves
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------------------ notes

    def set_templates(self, templates: dict[str, str]) -> None:
        """The templates offered (name → Markdown)."""
        menu = QMenu(self)
        for name, text in templates.items():
            menu.addAction(name, partial(self.insert_text, text))
        self.template_button.setMenu(menu)

    def new_note(self, account_id: int, people: People, template: str = "") -> None:
        """Start a note for an account (saved once something is typed)."""
        self.flush()
        self.account_id, self.note = account_id, None
        self._target = _Target(None)
        self._fill(
            title="",
            kind=NoteKind.CALL,
            when=datetime.now(UTC),
            body=template,
            people=people,
            attending=[],
        )
        self.follow_up.show_state(None)
        self._set_status("New note: it saves itself as you type")
        self.body.setFocus()
        self.body.moveCursor(QTextCursor.MoveOperation.End)

    def show_note(self, detail: NoteDetail, people: People) -> None:
        """Show a stored note."""
        self.flush()
        self.account_id, self.note = detail.note.account_id, detail.note
        self._target = _Target(detail.note.id, detail.note.version)
        self._fill(
            title=detail.note.title or "",
            kind=detail.note.kind,
            when=detail.note.occurred_at,
            body=detail.note.body,
            people=people,
            attending=[a.contact_id for a in detail.attendees if a.contact_id is not None],
        )
        self.follow_up.show_state(detail.note.follow_up_at)
        self._set_status(f"Saved {_clock(detail.note.updated_at)}")

    def clear(self) -> None:
        """Show no note."""
        self.flush()
        self.account_id, self.note = None, None
        self._target = None
        self._loading = True
        try:
            self.title.clear()
            self.body.clear()
            self.attendees.set_people([], [])
        finally:
            self._loading = False
        self.follow_up.show_state(None)
        self.setEnabled(False)
        self._set_status("")

    def _fill(self, *, title: str, kind: NoteKind, when: datetime, body: str, people: People,
              attending: list[int]) -> None:  # fmt: skip
        self._loading = True
        try:
            self.title.setText(title)
            self.kind.setCurrentIndex(max(0, self.kind.findData(kind.value)))
            self.when.setDateTime(QDateTime(when.astimezone()))  # type: ignore[call-overload]
            self.body.setPlainText(body)
            self.attendees.set_people(people, attending)
        finally:
            self._loading = False
        self.autosave.forget()
        self.failure = None
        self.setEnabled(True)

    def flush(self) -> None:
        """Save what is unsaved now (switching notes, closing)."""
        self.autosave.flush()

    def unsaved(self) -> UnsavedNote | None:
        """The text not yet stored (typed, or its save failed), or None when all is saved.

        A save still running counts as saved here: the window lets the write lane finish and
        delivers its answer before asking.
        """
        target, account_id = self._target, self.account_id
        if target is None or account_id is None or not self.autosave.dirty:
            return None
        values = self.values()
        return UnsavedNote(
            account_id=account_id,
            note_id=target.note_id,
            version=target.version,
            title=values["title"],
            kind=str(values["kind"]),
            body=values["body"],
            attendee_ids=tuple(self.attendees.ids),
            occurred_at=values["occurred_at"],
        )

    def kept_elsewhere(self) -> None:
        """The unsaved text was kept in a recovery file: stop saving it from here."""
        self._retry_timer.stop()
        self.autosave.forget()
        self._set_status("Kept for the next start")

    # ------------------------------------------------------------------------------ typing

    def _follow_up_target(self) -> _Target | None:
        """Where a follow-up is drafted from: the note shown, its pending text saved first
        (the draft runs after that save on the write lane); None when no note is shown."""
        self.flush()
        return self._target

    def insert_text(self, text: str) -> None:
        """Insert text at the cursor (a template, the time)."""
        self.body.insertPlainText(text)
        self.body.setFocus()

    def insert_line(self, text: str) -> None:
        """Insert a line of its own at the cursor."""
        cursor = self.body.textCursor()
        prefix = "" if cursor.atBlockStart() else "\n"
        self.insert_text(f"{prefix}{text}\n")

    @Slot()
    def insert_time(self) -> None:
        """The current time, as a timestamp in the running notes."""
        self.insert_text(datetime.now().strftime("%H:%M "))

    @Slot()
    def _on_edited(self) -> None:
        if not self._loading and self.account_id is not None:
            self.autosave.changed()

    @Slot(bool)
    def _on_autosave_dirty_changed(self, dirty: bool) -> None:
        if dirty:
            self._set_status("Editing…")

    # ------------------------------------------------------------------------------ saving

    def values(self) -> dict[str, Any]:
        """The note as the form shows it."""
        when = self.when.dateTime().toPython()
        assert isinstance(when, datetime)
        return {
            "title": self.title.text(),
            "kind": self.kind.currentData(),
            "occurred_at": when.astimezone(UTC),
            "body": self.body.toPlainText(),
        }

    def _start_save(self) -> bool:
        target, account_id = self._target, self.account_id
        if target is None or account_id is None:
            return True
        values, attendees = self.values(), list(self.attendees.ids)
        store = self.context.store
        self._retry_timer.stop()
        self.retry.hide()
        self._set_status("Saving…")
        self.context.tasks.submit(
            lambda _p: target.save(store, values, attendees, account_id),
            lane=Lane.WRITE,
            on_done=lambda record: self._on_saved(target, record),
            on_error=lambda error: self._on_save_failed(target, error),
        )
        return True

    def _on_saved(self, target: _Target, record: NoteRecord | None) -> None:
        if record is None or not shiboken6.isValid(self):
            return  # skipped after a conflict, or the window closed: the text is stored
        if target is not self._target:
            return  # a save of the note shown before: stored, nothing to show
        self.note = record
        self.failure = None
        self._set_status(f"Saved {_clock(record.updated_at)}")
        self.saved.emit(record)

    def _on_save_failed(self, target: _Target, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            self.context.messages.failure(error)
            return
        if target is not self._target:
            self.context.messages.failure(error)  # an earlier note's save: say so loudly
            return
        self.autosave.failed()
        if isinstance(error, NoteConflict):
            self._resolve_conflict(target, error)
            return
        message = error.user_message if isinstance(error, AppError) else "Not saved"
        self.failure = message
        self._set_status("Not saved")
        self.status.setToolTip(tooltip_text(message))
        self.retry.show()
        self._retry_timer.start()
        if not isinstance(error, AppError):
            self.context.messages.failure(error)

    def _resolve_conflict(self, target: _Target, conflict: NoteConflict) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("This note changed elsewhere")
        box.setTextFormat(Qt.TextFormat.PlainText)  # the message quotes note titles
        box.setText(conflict.user_message)
        box.setInformativeText(
            "Keep mine: your text replaces the other version.\n"
            "Take theirs: the stored version replaces your text.\n"
            "Keep both: your text is saved as a new note beside it."
        )
        mine = box.addButton("Keep mine", QMessageBox.ButtonRole.AcceptRole)
        theirs = box.addButton("Take theirs", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Keep both", QMessageBox.ButtonRole.ActionRole)
        box.exec()
        clicked = box.clickedButton()
        stored = conflict.stored
        if clicked is mine:
            target.resume(stored)  # the next save goes over the version now stored
            self.autosave.changed()
            self.autosave.flush()
        elif clicked is theirs:
            self.autosave.forget()
            self.reload_requested.emit(stored.id)
        else:
            self._target = _Target(None)  # the next save makes a new note with this text
            self.note = None
            self.title.setText(f"{self.title.text() or 'Note'} (my copy)")
            self.autosave.changed()
            self.autosave.flush()

    def _set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setToolTip("")
        self.status_changed.emit(text)


def _clock(moment: datetime) -> str:
    """10:42 today, else the day it was."""
    local = moment.astimezone()
    return local.strftime("%H:%M") if local.date() == datetime.now().date() else fmt.day(local)
