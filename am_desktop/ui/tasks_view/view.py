"""The Tasks view (Ctrl+6): every open action item, grouped overdue / today / this week /
later / no date, filtered by account and owner; complete, snooze and reschedule in bulk.

Keys on the list: Space or Ctrl+Enter completes the selected tasks, Ctrl+Shift+S opens the
snooze menu, Ctrl+R the date picker, Enter opens the note (or the account). The list reads on
the READ lane and follows the change feed; the writes go to the WRITE lane and come back
through the change feed like anyone's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from PySide6.QtCore import QAbstractItemModel, QDate, QEvent, QModelIndex, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.changes import ChangeSet, Entity
from am_desktop.domain.tasks import DueGroup, Snooze, Task, TaskFilter, group_of, grouped
from am_desktop.services import tasks as task_service
from am_desktop.services.store import Store
from am_desktop.ui.bus import ChangeFollower
from am_desktop.ui.column_fit import ColumnFit
from am_desktop.ui.context import AppContext
from am_desktop.ui.tasks import Lane
from am_desktop.ui.tasks_view.model import TaskTreeModel

EMPTY_TEXT = (
    "No open tasks — write `- [ ] … due:DATE` in a note (add @owner to say whose it is), "
    "and it is listed here until it is done."
)
NO_MATCH_TEXT = "No open task matches these filters."
HINT = "Space completes · Ctrl+Shift+S snoozes · Ctrl+R reschedules · Enter opens"
_SNOOZE_KEY = QKeySequence("Ctrl+Shift+S")
_RESCHEDULE_KEY = QKeySequence("Ctrl+R")
_OWN_KEYS = (_SNOOZE_KEY, _RESCHEDULE_KEY)


class TasksView(QWidget):
    """The task list with its filters and buttons.

    Signals:
        open_requested(kind, account_id, item_id): open a note or an account (as Today's).
    """

    open_requested = Signal(str, int, int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.total: int | None = None  # open tasks before the filters; None: not read yet
        self._day = context.today()
        self.model = TaskTreeModel(self)
        self.title = QLabel("Tasks", self)
        self.title.setObjectName("viewTitle")
        self.hint = QLabel(HINT, self)
        self.hint.setObjectName("muted")
        self.account_filter = QLineEdit(self)
        self.account_filter.setPlaceholderText("Filter by account")
        self.account_filter.setClearButtonEnabled(True)
        self.owner_filter = QLineEdit(self)
        self.owner_filter.setPlaceholderText("Filter by owner")
        self.owner_filter.setClearButtonEnabled(True)
        self.complete_button = QPushButton("&Complete", self)
        self.snooze_button = QPushButton("S&nooze", self)
        self.snooze_menu = self._snooze_menu()
        self.snooze_button.setMenu(self.snooze_menu)
        self.reschedule_button = QPushButton("&Reschedule…", self)
        self.tree = TaskTree(self)
        self.tree.setModel(self.model)
        self.empty = QLabel(EMPTY_TEXT, self)
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.empty.hide()
        self.reschedule_dialog: RescheduleDialog | None = None
        self.follower = ChangeFollower(self, context.data, _concerns_tasks, self._on_changes)
        self._lay_out()
        self._connect_signals()
        self._on_selection_changed()

    def _lay_out(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.account_filter, 2)
        filters.addWidget(self.owner_filter, 1)
        filters.addSpacing(12)
        for button in (self.complete_button, self.snooze_button, self.reschedule_button):
            filters.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addLayout(filters)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty, 1)

    def _connect_signals(self) -> None:
        self.account_filter.textChanged.connect(self.refresh)
        self.owner_filter.textChanged.connect(self.refresh)
        self.complete_button.clicked.connect(self.complete_selected)
        self.reschedule_button.clicked.connect(self.ask_reschedule)
        self.tree.complete_requested.connect(self.complete_selected)
        self.tree.snooze_requested.connect(self.show_snooze_menu)
        self.tree.reschedule_requested.connect(self.ask_reschedule)
        self.tree.activated.connect(self._on_activated)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._on_menu_requested)
        self.tree.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.modelReset.connect(self._on_selection_changed)

    def _snooze_menu(self) -> QMenu:
        menu = QMenu(self)
        for step in Snooze:
            menu.addAction(step.label, partial(self.snooze_selected, step))
        return menu

    # ------------------------------------------------------------------------------ data

    def where(self) -> TaskFilter:
        """The filters as typed."""
        return TaskFilter(self.account_filter.text(), self.owner_filter.text())

    def refresh(self) -> None:
        """Read the open tasks and group them (READ lane; the latest read wins)."""
        today, store, where = self.context.today(), self.context.store, self.where()

        def work(_progress: object) -> tuple[int, list[tuple[DueGroup, list[Task]]]]:
            every = task_service.open_tasks(store, today)
            return len(every), grouped(filter(where.admits, every), today)

        self.context.tasks.submit(
            work,
            lane=Lane.READ,
            receiver=self,
            on_done=lambda answer: self._on_loaded(today, *answer),
            supersede=(self, "tasks"),
        )

    on_shown = refresh  # the window's view registry: read again each time it is shown

    def ready(self) -> bool:
        """Whether the tasks have been read and are on screen."""
        return self.total is not None

    def _on_changes(self, _changes: ChangeSet) -> None:
        self.refresh()

    def _on_loaded(
        self, today: date, total: int, groups: list[tuple[DueGroup, list[Task]]]
    ) -> None:
        current = self.tree.current_task()
        row_before = self.tree.currentIndex().row()
        self.total, self._day = total, today
        self.model.set_groups(groups, today)
        self.tree.expandAll()
        for row in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
        self.tree.fit.fit()
        self._restore_current(current, row_before)
        shown = bool(groups)
        self.tree.setVisible(shown)
        self.empty.setVisible(not shown)
        self.empty.setText(EMPTY_TEXT if total == 0 else NO_MATCH_TEXT)

    def _restore_current(self, current: Task | None, row_before: int) -> None:
        """The same task current again; if it went (done), the one now in its place."""
        if current is None:
            return
        index = self.model.index_of(current.id)
        if not index.isValid():
            group = self.model.index(0, 0)
            for group_row, shown in enumerate(self.model.groups()):
                if shown is group_of(current.due, self._day):
                    group = self.model.index(group_row, 0)
            rows = self.model.rowCount(group)
            index = self.model.index(min(row_before, rows - 1), 0, group) if rows else group
        self.tree.setCurrentIndex(index)

    # ------------------------------------------------------------------------------ actions

    def selected_tasks(self) -> list[Task]:
        """The tasks selected (the current one when none is)."""
        return self.tree.selected_tasks()

    @Slot()
    def complete_selected(self) -> None:
        """Mark the selected tasks done (their notes' boxes ticked)."""
        ids = [task.id for task in self.selected_tasks()]
        if ids:
            self._write(lambda store: task_service.complete(store, ids))

    def snooze_selected(self, step: Snooze) -> None:
        """Put the selected tasks off by ``step``."""
        ids, today = [task.id for task in self.selected_tasks()], self.context.today()
        if ids:
            self._write(lambda store: task_service.snooze(store, ids, step, today))

    def reschedule_selected(self, due: date) -> None:
        """Give the selected tasks the due date ``due`` (their notes' ``due:`` too)."""
        ids = [task.id for task in self.selected_tasks()]
        if ids:
            self._write(lambda store: task_service.reschedule(store, ids, due))

    @Slot()
    def show_snooze_menu(self) -> None:
        """The snooze menu, under the current task (Ctrl+Shift+S)."""
        if not self.selected_tasks():
            return
        rect = self.tree.visualRect(self.tree.currentIndex())
        self.snooze_menu.popup(self.tree.viewport().mapToGlobal(rect.bottomLeft()))

    @Slot()
    def ask_reschedule(self) -> None:
        """A date picker for the selected tasks (Ctrl+R); OK reschedules them."""
        chosen = self.selected_tasks()
        if not chosen:
            return
        ids = [task.id for task in chosen]
        start = chosen[0].due or self.context.today()
        dialog = RescheduleDialog(start, len(ids), self)
        self.reschedule_dialog = dialog

        def accepted() -> None:
            due = dialog.chosen()
            self._write(lambda store: task_service.reschedule(store, ids, due))

        dialog.accepted.connect(accepted)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _write(self, change: Callable[[Store], int]) -> None:
        store = self.context.store
        self.context.tasks.submit(
            lambda _progress: change(store),
            lane=Lane.WRITE,
            receiver=self,
            on_error=self.context.messages.failure,
        )

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        task = self.model.task_at(index)
        if task is None:
            return
        if task.note_id is not None:
            self.open_requested.emit("note", task.account_id, task.note_id)
        else:
            self.open_requested.emit("account", task.account_id, task.account_id)

    @Slot(QPoint)
    def _on_menu_requested(self, position: QPoint) -> None:
        if not self.selected_tasks():
            return
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction("Open", lambda: self._on_activated(self.tree.currentIndex()))
        menu.addAction("Complete", self.complete_selected)
        snooze = menu.addMenu("Snooze")
        for step in Snooze:
            snooze.addAction(step.label, partial(self.snooze_selected, step))
        menu.addAction("Reschedule…", self.ask_reschedule)
        menu.popup(self.tree.viewport().mapToGlobal(position))

    @Slot()
    def _on_selection_changed(self) -> None:
        chosen = bool(self.selected_tasks())
        for button in (self.complete_button, self.snooze_button, self.reschedule_button):
            button.setEnabled(chosen)


class TaskTree(QTreeView):
    """The grouped list, with the view's keys (taken before the window's menus see them:
    Ctrl+Shift+S is also File → Sync now, which keeps it everywhere else).

    Signals:
        complete_requested, snooze_requested, reschedule_requested: the keys were pressed.
    """

    complete_requested = Signal()
    snooze_requested = Signal()
    reschedule_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setAllColumnsShowFocus(True)
        self.setItemsExpandable(False)
        self.setRootIsDecorated(False)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        # The task's text takes the spare width and keeps at least half of it; account,
        # owner and due date their contents' width (sized once the header has the sections).
        self.fit = ColumnFit(self, stretch=0, share=0.5)

    def task_model(self) -> TaskTreeModel:
        model = self.model()
        assert isinstance(model, TaskTreeModel)
        return model

    def current_task(self) -> Task | None:
        """The task of the current row (None: a group row or none)."""
        return self.task_model().task_at(self.currentIndex())

    def selected_tasks(self) -> list[Task]:
        """The selected tasks in the list's order (the current one when none is selected)."""
        model = self.task_model()
        rows = self.selectionModel().selectedRows()
        chosen = {task.id: task for task in map(model.task_at, rows) if task is not None}
        if not chosen:
            current = self.current_task()
            return [current] if current is not None else []
        return [task for task in model.tasks() if task.id in chosen]

    def event(self, event: QEvent) -> bool:
        override = event.type() == QEvent.Type.ShortcutOverride
        if override and isinstance(event, QKeyEvent) and _keys(event) in _OWN_KEYS:
            event.accept()  # ours here, not the menu's
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _completes(event):
            self.complete_requested.emit()
        elif _keys(event) == _SNOOZE_KEY:
            self.snooze_requested.emit()
        elif _keys(event) == _RESCHEDULE_KEY:
            self.reschedule_requested.emit()
        else:
            super().keyPressEvent(event)


class RescheduleDialog(QDialog):
    """A calendar to pick the new due date on (window-modal, opened with ``open()``)."""

    def __init__(self, start: date, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reschedule")
        label = QLabel(f"New due date for {count} task{'s' if count != 1 else ''}:", self)
        self.calendar = QCalendarWidget(self)
        self.calendar.setGridVisible(True)
        self.calendar.setSelectedDate(QDate(start.year, start.month, start.day))
        self.calendar.activated.connect(self.accept)  # double-click or Enter on a day
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.calendar)
        layout.addWidget(buttons)

    def chosen(self) -> date:
        """The day picked."""
        picked = self.calendar.selectedDate()
        return date(picked.year(), picked.month(), picked.day())


def _completes(event: QKeyEvent) -> bool:
    """Space alone, or Ctrl with Enter."""
    key, modifiers = event.key(), event.modifiers()
    if key == Qt.Key.Key_Space:
        return modifiers == Qt.KeyboardModifier.NoModifier
    enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
    return enter and bool(modifiers & Qt.KeyboardModifier.ControlModifier)


def _keys(event: QKeyEvent) -> QKeySequence:
    return QKeySequence(event.keyCombination())


def _concerns_tasks(changes: ChangeSet) -> bool:
    """Whether a change can move anything on the list: items, their accounts, their notes."""
    return changes.touches(Entity.ACTION_ITEM, Entity.ACCOUNT, Entity.NOTE)
