"""Notes, a list and an editor side by side: an account's (its Notes tab) or everyone's (the
Notes view, with filters by account, kind, date and tag)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.changes import ChangeSet, Entity
from am_desktop.domain.enums import NoteKind
from am_desktop.domain.note_text import Tag
from am_desktop.domain.snippets import elide_words
from am_desktop.services import catalog, notes, portfolio
from am_desktop.services.notes import NoteDetail, NoteFilter, NoteRow
from am_desktop.ui import format as fmt
from am_desktop.ui.bus import ChangeFollower
from am_desktop.ui.commands import ArchiveCommand
from am_desktop.ui.context import AppContext
from am_desktop.ui.dialogs.form import OptionalDate
from am_desktop.ui.notes.editor import NoteEditor
from am_desktop.ui.settings import Option, Prefs
from am_desktop.ui.table_model import Column, ColumnTableModel, IdRole
from am_desktop.ui.tasks import Lane
from am_desktop.ui.widgets import EmptyState

NoteIdRole = IdRole


def note_columns(*, show_account: bool) -> tuple[Column[NoteRow, None], ...]:
    """The list's one column: title, (account,) kind and day, then the start of the text."""

    def text(row: NoteRow, _env: None) -> str:
        where = f"{row.account_name} · " if show_account else ""
        title = row.heading
        preview = elide_words(row.preview, 90) or "(empty)"
        return f"{title}\n{where}{row.kind.label} · {fmt.day(row.occurred_at)}\n{preview}"

    return (Column("Note", text, tooltip=lambda row, _env: row.preview),)


class NotesPanel(QWidget):
    """A list of notes beside the editor.

    Args:
        account_id: the account whose notes these are (None: every account, with filters).

    Signals:
        note_opened(note_id): a note is shown in the editor.
    """

    note_opened = Signal(int)

    def __init__(
        self, context: AppContext, account_id: int | None = None, *, undo: Any = None
    ) -> None:
        super().__init__()
        self.context, self.account_id, self.undo = context, account_id, undo
        self.model: ColumnTableModel[NoteRow, int, None] = ColumnTableModel(
            note_columns(show_account=account_id is None), lambda row: row.id, None
        )
        self.follower = ChangeFollower(self, context.data, self._concerns, self._on_changes)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setSpacing(2)
        self.editor = NoteEditor(context, self)
        self.editor.set_templates(context.settings.prefs.note_templates)
        self.empty = EmptyState(
            title="No notes yet",
            text="Press Ctrl+N to start a note for this account; it saves itself as you type. "
            "Notes imported from CSV appear here too."
            if account_id is not None
            else "No note matches these filters. Choose an account and press Ctrl+N to start "
            "one, or Ctrl+Shift+N for a quick note from anywhere.",
        )
        #: Notes are listed but none is open: the editor would show an empty form.
        self.unselected = EmptyState(title="No note selected")
        self.pages = QStackedWidget(self)
        self.new_button = QPushButton("New note", self)
        self.new_button.setToolTip("Start a note (Ctrl+N)")
        self.archive_button = QPushButton("Archive note", self)
        self.account_filter = QComboBox(self)
        self.kind_filter = QComboBox(self)
        self.tag_filter = QComboBox(self)
        self.since = OptionalDate(known_text="", parent=self)
        self.until = OptionalDate(known_text="", parent=self)
        self._build()
        self._connect_signals()
        self._pending_open: int | None = None
        self._follow_up_when_open: int | None = None  # the note a list menu asked to draft

    def _build(self) -> None:
        self.kind_filter.addItem("Any kind", None)
        for kind in NoteKind:
            self.kind_filter.addItem(kind.label, kind.value)
        self.tag_filter.addItem("Any tag", None)
        for tag in Tag:
            self.tag_filter.addItem(f"#{tag.value}", tag.value)
        self.account_filter.addItem("All accounts", None)
        filters = QHBoxLayout()
        if self.account_id is None:
            filters.addWidget(self.account_filter)
        else:
            self.account_filter.hide()
        filters.addWidget(self.kind_filter)
        filters.addWidget(self.tag_filter)
        for label, field in (("From", self.since), ("to", self.until)):
            caption = QLabel(label, self)
            caption.setObjectName("muted")
            filters.addWidget(caption)
            filters.addWidget(field)
        filters.addStretch(1)
        filters.addWidget(self.new_button)
        filters.addWidget(self.archive_button)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list)
        self.pages.addWidget(self.editor)
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self.unselected)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([300, 800])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

    def _connect_signals(self) -> None:
        self.list.selectionModel().currentChanged.connect(self._on_list_current_changed)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._on_list_menu_requested)
        self.new_button.clicked.connect(self.new_note)
        self.archive_button.clicked.connect(self._on_archive_clicked)
        for box in (self.account_filter, self.kind_filter, self.tag_filter):
            box.currentIndexChanged.connect(self.refresh)
        for field in (self.since, self.until):
            field.known.toggled.connect(self.refresh)
            field.date.dateChanged.connect(self.refresh)
        self.editor.saved.connect(self._on_editor_saved)
        self.editor.reload_requested.connect(lambda note_id: self.open_note(note_id, again=True))
        self.context.settings.changed.connect(self._on_settings_changed)

    # ------------------------------------------------------------------------------ data

    def filter(self) -> NoteFilter:
        """The list's filters as they are set."""
        kind, tag = self.kind_filter.currentData(), self.tag_filter.currentData()
        return NoteFilter(
            account_id=self.account_id or self.account_filter.currentData(),
            kind=NoteKind(kind) if kind else None,
            since=self.since.value(),
            until=self.until.value(),
            tag=Tag(tag) if tag else None,
        )

    def load_accounts(self) -> None:
        """Fill the account filter (the Notes view)."""
        if self.account_id is not None:
            return
        self.context.tasks.submit(
            lambda _p: portfolio.account_names(self.context.store),
            lane=Lane.READ,
            receiver=self,
            on_done=self._on_account_names_loaded,
            supersede=(self, "accounts"),
        )

    def on_shown(self) -> None:
        """The Notes view was brought forward: its account filter and list read again."""
        self.load_accounts()
        self.refresh()

    def _on_account_names_loaded(self, names: list[tuple[int, str, str | None]]) -> None:
        current = self.account_filter.currentData()
        self.account_filter.blockSignals(True)
        self.account_filter.clear()
        self.account_filter.addItem("All accounts", None)
        for account_id, name, _domain in sorted(names, key=lambda n: n[1].casefold()):
            self.account_filter.addItem(name, account_id)
        self.account_filter.setCurrentIndex(max(0, self.account_filter.findData(current)))
        self.account_filter.blockSignals(False)

    @Slot()
    def _concerns(self, changes: ChangeSet) -> bool:
        """Notes (and, in the Notes view, the accounts' names) of what this list shows."""
        if self.account_id is not None:
            return changes.touches(Entity.NOTE, account=self.account_id)
        return changes.touches(Entity.NOTE, Entity.ACCOUNT)

    def _on_changes(self, changes: ChangeSet) -> None:
        if self.account_id is None and changes.touches(Entity.ACCOUNT):
            self.load_accounts()
        self.refresh()

    def refresh(self) -> None:
        """Read the list again (filters changed, or a note was written)."""
        where = self.filter()
        self.context.tasks.submit(
            lambda _p: notes.list_notes(self.context.store, where),
            lane=Lane.READ,
            receiver=self,
            on_done=lambda rows: self._on_rows_loaded(where, rows),
            supersede=(self, "notes"),
        )

    def _on_rows_loaded(self, where: NoteFilter, rows: list[NoteRow]) -> None:
        showing = self.editor.note.id if self.editor.note else None
        store = self.context.store
        more = lambda offset: notes.list_notes(store, where, offset=offset)  # noqa: E731
        self.model.set_rows(rows, more=more, page_size=notes.PAGE)
        wanted = self._pending_open or showing
        if wanted is not None:
            self._select(wanted)
        if self._pending_open is not None:
            self.open_note(self._pending_open)
            self._pending_open = None
        self._show_page()

    def _show_page(self) -> None:
        """The editor with a note in it; else what to do: pick one, or start one."""
        if self.editor.account_id is not None:
            self.pages.setCurrentWidget(self.editor)
        elif self.model.rowCount() > 0:
            self.unselected.show_message("No note selected", self._unselected_text())
            self.pages.setCurrentWidget(self.unselected)
        else:
            self.pages.setCurrentWidget(self.empty)
        self.archive_button.setEnabled(self.editor.note is not None)

    def _unselected_text(self) -> str:
        """Ctrl+N starts a note for this account, or the account chosen in the filter."""
        if self.account_id is not None or self.account_filter.currentData() is not None:
            return "Select a note or press Ctrl+N for a new one."
        return (
            "Select a note, or choose an account above and press Ctrl+N for a new one "
            "(Ctrl+Shift+N: a quick note for any account)."
        )

    def _select(self, note_id: int) -> None:
        row = self.model.row_of(note_id)
        if row >= 0:
            selection = self.list.selectionModel()
            selection.blockSignals(True)
            self.list.setCurrentIndex(self.model.index(row, 0))
            selection.blockSignals(False)

    # ------------------------------------------------------------------------------ notes

    def open_note(self, note_id: int, *, again: bool = False) -> None:
        """Show a note in the editor (once it is read).

        Args:
            again: read it even if it is the note shown (after "Take theirs").
        """
        if not again and self.editor.note is not None and self.editor.note.id == note_id:
            return
        self.editor.flush()
        # Read on the write lane: behind any save still queued, never before it.
        self.context.tasks.submit(
            lambda _p: notes.note_detail(self.context.store, note_id),
            lane=Lane.WRITE,
            receiver=self,
            on_done=self._on_note_loaded,
        )

    def open_after_refresh(self, note_id: int) -> None:
        """Open a note once the list is read (from search or the timeline)."""
        self._pending_open = note_id
        self.refresh()

    def _on_note_loaded(self, detail: NoteDetail) -> None:
        self.editor.show_note(detail, list(detail.people))
        self._select(detail.note.id)
        self._show_page()
        self.note_opened.emit(detail.note.id)
        if self._follow_up_when_open == detail.note.id:
            self._follow_up_when_open = None
            self.editor.follow_up.draft()

    def _on_list_menu_requested(self, position: QPoint) -> None:
        """A note's menu: open it, or draft its follow-up (issue 19)."""
        note_id = self.model.id_at(self.list.indexAt(position).row())
        if note_id is None:
            return
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction("Open", lambda: self.open_note(note_id))
        menu.addAction(self.editor.follow_up.action.text(), lambda: self.draft_follow_up(note_id))
        menu.popup(self.list.viewport().mapToGlobal(position))

    def draft_follow_up(self, note_id: int) -> None:
        """Draft a note's follow-up e-mail, opening the note first if another is shown."""
        if self.editor.note is not None and self.editor.note.id == note_id:
            self.editor.follow_up.draft()
            return
        self._follow_up_when_open = note_id
        self.open_note(note_id)

    @Slot()
    def new_note(self, template: str = "") -> None:
        """Start a note: this account's, or the account chosen in the filter."""
        account_id = self.account_id or self.account_filter.currentData()
        if account_id is None:
            self.context.messages.info(
                "Choose an account in the filter first, or press Ctrl+Shift+N for a quick note."
            )
            return
        self.editor.flush()
        self.context.tasks.submit(
            lambda _p: notes.account_people(self.context.store, account_id),
            lane=Lane.READ,
            receiver=self,
            on_done=lambda people: self._on_people_loaded(account_id, template, people),
        )

    def _on_people_loaded(self, account_id: int, template: str, people: Any) -> None:
        self.list.selectionModel().clearCurrentIndex()
        self.editor.new_note(account_id, list(people), template)
        self._show_page()

    @Slot(object)
    def _on_settings_changed(self, option: Option[Any]) -> None:
        if option is Prefs.note_templates:
            self.editor.set_templates(self.context.settings.prefs.note_templates)

    @Slot(object)
    def _on_editor_saved(self, _record: object) -> None:
        self.archive_button.setEnabled(True)

    @Slot(QModelIndex, QModelIndex)
    def _on_list_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.open_note(int(current.data(NoteIdRole)))

    @Slot()
    def _on_archive_clicked(self) -> None:
        note = self.editor.note
        if note is None or self.undo is None:
            return
        self.editor.flush()
        self.undo.push(ArchiveCommand(self.context, catalog.notes, [note.id], True))
        self.editor.clear()
        self._show_page()

    def flush(self) -> None:
        """Save the note being edited (the tab or window is closing)."""
        self.editor.flush()
