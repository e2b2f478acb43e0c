"""The Today view, where the day starts: renewals and notice deadlines coming up, check-ins
overdue, action items due, open escalations (issue 7), today's and tomorrow's meetings, each
with its Brief and Start note buttons (issue 19). Each row opens its item; action items
tick off in place (their note's box too); any row can be snoozed for three days. The sections
themselves (columns, captions, empty texts) are declared in ``today_sections``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.alerts import snooze_until
from am_desktop.domain.changes import ChangeSet, Entity
from am_desktop.services.today import Meeting, TodayLists, today_lists
from am_desktop.ui import format as fmt
from am_desktop.ui.bus import ChangeFollower
from am_desktop.ui.column_fit import ColumnFit
from am_desktop.ui.context import AppContext
from am_desktop.ui.row_buttons import RowButton, RowButtons
from am_desktop.ui.table_model import ColumnTableModel
from am_desktop.ui.tasks import Lane
from am_desktop.ui.today_sections import (
    MEETING_BUTTONS_COLUMN,
    SECTIONS,
    Ref,
    Section,
    TodayEnv,
    snooze_key,
)

#: A section's model: its rows under its columns, one row saying why when it is empty.
SectionModel = ColumnTableModel[Any, int, TodayEnv]

#: What Today's lists are made of: renewals and notices, check-ins (accounts' cadence and last
#: touch, notes), action items, health drops and escalations.
TODAY_SHOWS = (
    Entity.ACCOUNT,
    Entity.NOTE,
    Entity.ACTION_ITEM,
    Entity.CONTRACT,
    Entity.RENEWAL,
    Entity.HEALTH_SNAPSHOT,
    Entity.ISSUE,
    Entity.CONTACT,  # the stay-in-touch list (issue 19)
)


class TodayView(QWidget):
    """Today's lists, one ``ColumnTableModel`` in a ``QTreeView`` per section.

    Signals:
        open_requested(kind, account_id, item_id): open a renewal, note, account or issue.
    """

    open_requested = Signal(str, int, int)
    #: The welcome's buttons: open the demo portfolio (a database of its own), or import.
    demo_requested = Signal()
    import_requested = Signal()
    #: The actions' "See all N tasks" link: show the Tasks view.
    tasks_requested = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.lists: TodayLists | None = None
        self._day = context.today()  # the day the lists were read for
        self._ticked: frozenset[int] = frozenset()  # action items ticked, write on its way
        self.title = QLabel("Today", self)
        self.title.setObjectName("viewTitle")
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("muted")
        self.sections: dict[str, Section[Any]] = {}
        self.models: dict[str, SectionModel] = {}
        self.views: dict[str, QTreeView] = {}
        self.fits: dict[str, ColumnFit] = {}
        self.captions: dict[str, QLabel] = {}
        self.follower = ChangeFollower(self, context.data, _concerns_today, self._on_changes)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(10)
        for section, column, row in SECTIONS:
            label = QLabel(section.caption, self)
            label.setObjectName("sectionTitle")
            if section.key == "actions":
                grid.addLayout(self._with_tasks_link(label), row * 2, column)
            else:
                grid.addWidget(label, row * 2, column)
            grid.addWidget(self._section_view(section), row * 2 + 1, column)
            self.captions[section.key] = label
        self.meeting_buttons = self._meeting_buttons()
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        page = QWidget(self)
        inner = QVBoxLayout(page)
        inner.setContentsMargins(18, 12, 18, 12)
        inner.addWidget(self.title)
        inner.addWidget(self.subtitle)
        inner.addWidget(self._welcome())
        inner.addLayout(grid, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def _section_view(self, section: Section[Any]) -> QTreeView:
        """A section's model and the list showing it."""
        model: SectionModel = ColumnTableModel(
            section.columns,
            section.item_id,
            self._env(),
            empty_text=section.empty,
            parent=self,
        )
        model.check_requested.connect(self._on_check_requested)
        view = QTreeView(self)
        view.setModel(model)
        view.setRootIsDecorated(False)
        view.setAlternatingRowColors(True)
        view.setUniformRowHeights(True)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setMinimumHeight(170)
        self.fits[section.key] = ColumnFit(view, section.stretch, section.share)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.activated.connect(lambda index, key=section.key: self._on_activated(key, index))
        view.customContextMenuRequested.connect(
            lambda position, key=section.key: self._on_menu_requested(key, position)
        )
        empty = _empty_label(view, section.empty)

        def show_empty() -> None:
            empty.setVisible(not model.ids())

        model.modelReset.connect(show_empty)
        show_empty()
        self.sections[section.key], self.models[section.key] = section, model
        self.views[section.key] = view
        return view

    def _with_tasks_link(self, caption: QLabel) -> QHBoxLayout:
        """The actions' caption with the link to every open task (shown once counted)."""
        self.tasks_link = QLabel(self)
        self.tasks_link.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.tasks_link.linkActivated.connect(lambda _href: self.tasks_requested.emit())
        self.tasks_link.hide()
        row = QHBoxLayout()
        row.addWidget(caption)
        row.addStretch(1)
        row.addWidget(self.tasks_link)
        return row

    def _on_tasks_counted(self, open_tasks: int) -> None:
        self.tasks_link.setText(f'<a href="tasks">See all {open_tasks:,} tasks</a> (Ctrl+6)')
        self.tasks_link.setToolTip("Every open action item, in the Tasks view")
        self.tasks_link.setVisible(open_tasks > 0)

    def _welcome(self) -> QFrame:
        """What a first start shows: the portfolio is empty, and two ways to fill it."""
        self.welcome = QFrame(self)
        self.welcome.setObjectName("welcome")
        self.welcome.setFrameShape(QFrame.Shape.StyledPanel)
        title = QLabel("Welcome to AM Desktop", self.welcome)
        title.setObjectName("sectionTitle")
        self.welcome_text = text = QLabel(
            "Your portfolio is empty. Look around with a demo portfolio of 40 accounts (with "
            "contacts, renewals, notes and health), or import your own accounts from a CSV "
            "file: a CRM or spreadsheet export works, and you can check every column before "
            "anything is saved. The demo opens as a separate database; your own stays empty "
            "until you add or import data.",
            self.welcome,
        )
        text.setWordWrap(True)
        self.demo_button = QPushButton("Open the demo portfolio", self.welcome)
        self.import_button = QPushButton("Import a CSV file…", self.welcome)
        self.demo_button.clicked.connect(self._on_demo_clicked)
        self.import_button.clicked.connect(self.import_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self.welcome)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addLayout(buttons)
        self.welcome.hide()
        return self.welcome

    @Slot()
    def _on_demo_clicked(self) -> None:
        self.demo_button.setEnabled(False)
        self.demo_button.setText("Opening the demo portfolio…")
        self.demo_requested.emit()

    # ------------------------------------------------------------------------------ data

    def _env(self) -> TodayEnv:
        currency = self.context.settings.prefs.currency
        return TodayEnv(self._day, currency, self._ticked)

    def _on_changes(self, _changes: ChangeSet) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Read today's lists (READ lane)."""
        today, store = self.context.today(), self.context.store
        early = self.context.take_prefetched("today", today)  # started with the window
        self.context.tasks.submit(
            (lambda _p: early.result()) if early else (lambda _p: today_lists(store, today)),
            lane=Lane.READ,
            receiver=self,
            on_done=lambda lists: self._on_loaded(today, lists),
            supersede=(self, "lists"),
        )

        def count(_progress: object) -> int:
            from am_desktop.services.tasks import task_counts

            return task_counts(store, today).open

        self.context.tasks.submit(
            count,
            lane=Lane.READ,
            receiver=self,
            on_done=self._on_tasks_counted,
            supersede=(self, "task count"),
        )

    on_shown = refresh  # the window's view registry: read again each time Today is shown

    def ready(self) -> bool:
        """Whether today's lists have been read and are on screen."""
        return self.lists is not None

    def _on_loaded(self, today: date, lists: TodayLists) -> None:
        self.lists, self._day = lists, today
        self._ticked &= {action.id for action in lists.actions}  # the written ones are gone
        self.welcome.setVisible(lists.totals.get("accounts", 1) == 0)
        self.subtitle.setText(
            f"{today:%A} {fmt.day(today)} · double-click opens; right-click to snooze"
        )
        snoozed = self.context.settings.snoozed_alerts()
        env = self._env()
        for key, section in self.sections.items():
            shown = [
                row
                for row in section.rows(lists)
                if snoozed.get(section.ref(row).snooze_key, today) <= today
            ]
            model = self.models[key]
            model.set_env(env)
            model.set_rows(shown)
            self.fits[key].fit()
            total = lists.totals.get(key, 0)
            said = f"{total:,}+" if key in lists.capped else f"{total:,}"  # a capped count
            more = f" — the first {len(shown)} of {said}" if total > len(shown) and shown else ""
            count = f" ({said})" if total else ""
            self.captions[key].setText(f"{section.caption}{count}{more}")

    def _meeting_buttons(self) -> RowButtons:
        """Each meeting's Brief and Start note buttons, painted in its last column."""
        model = self.models["meetings"]
        buttons = RowButtons(
            self.views["meetings"],
            (
                RowButton(
                    "Brief", lambda row: f"The pre-call brief for {self._meeting(row).account}"
                ),
                RowButton("Start note", lambda _row: "Open this meeting's note to write in it"),
            ),
            row_ok=lambda row: model.row_at(row) is not None,
        )
        buttons.clicked.connect(self._on_meeting_button)
        self.views["meetings"].setItemDelegateForColumn(MEETING_BUTTONS_COLUMN, buttons)
        return buttons

    def _meeting(self, row: int) -> Meeting:
        meeting: Meeting | None = self.models["meetings"].row_at(row)
        assert meeting is not None, "buttons are painted on meetings only"
        return meeting

    def _on_meeting_button(self, row: int, which: int) -> None:
        """A meeting's Brief (0) or Start note (1) clicked."""
        meeting: Meeting | None = self.models["meetings"].row_at(row)
        if meeting is None:
            return
        if which == 0:
            self.open_brief(meeting)
        else:
            self.open_requested.emit("note", meeting.account_id, meeting.note_id)

    def open_brief(self, meeting: Meeting) -> None:
        """The pre-call brief of a meeting, in its own window."""
        from am_desktop.ui.brief.window import show_brief  # loaded on first use

        show_brief(self.context, meeting.account_id, meeting.note_id, self.window())

    # ------------------------------------------------------------------------------ actions

    def ref_at(self, key: str, row: int) -> Ref | None:
        """What a row of section ``key`` stands for (None: no such row, or the empty text)."""
        item = self.models[key].row_at(row)
        return None if item is None else self.sections[key].ref(item)

    def _on_activated(self, key: str, index: QModelIndex) -> None:
        ref = self.ref_at(key, index.row())
        if ref is not None:
            self.open_requested.emit(*ref.opens)

    @Slot(object, bool)
    def _on_check_requested(self, action_id: int, checked: bool) -> None:
        """A ticked action item is marked done; the change feed then refreshes the lists."""
        if not checked or action_id in self._ticked:
            return
        self._show_ticked(self._ticked | {action_id})
        store = self.context.store

        def tick(_progress: object) -> Any:
            from am_desktop.services.notes import set_action_done

            return set_action_done(store, action_id, True)

        self.context.tasks.submit(
            tick,
            lane=Lane.WRITE,
            receiver=self,
            on_error=lambda error: self._on_tick_failed(action_id, error),
        )

    def _on_tick_failed(self, action_id: int, error: BaseException) -> None:
        self._show_ticked(self._ticked - {action_id})
        self.context.messages.failure(error)

    def _show_ticked(self, ticked: frozenset[int]) -> None:
        self._ticked = ticked
        self.models["actions"].set_env(self._env())

    def _on_menu_requested(self, key: str, position: QPoint) -> None:
        view = self.views[key]
        index = view.indexAt(position)
        ref = self.ref_at(key, index.row()) if index.isValid() else None
        if ref is None:
            return
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        meeting = self.models[key].row_at(index.row()) if key == "meetings" else None
        if meeting is not None:  # the row's buttons, for the keyboard too (the Menu key)
            menu.addAction("Start note", lambda: self.open_requested.emit(*ref.opens))
            menu.addAction("Brief", lambda: self.open_brief(meeting))
        else:
            menu.addAction("Open", lambda: self.open_requested.emit(*ref.opens))
        menu.addAction("Snooze for 3 days", lambda: self.snooze(ref.kind, ref.item_id))
        menu.popup(view.viewport().mapToGlobal(position))

    def snooze(self, kind: str, item_id: int) -> None:
        """Hide a row for three days."""
        today = self.context.today()
        self.context.settings.snooze_alert(snooze_key(kind, item_id), snooze_until(today))
        if self.lists is not None:
            self._on_loaded(today, self.lists)


def _concerns_today(changes: ChangeSet) -> bool:
    """Whether a change can move anything on Today's lists."""
    return changes.touches(*TODAY_SHOWS)


def _empty_label(view: QTreeView, text: str) -> QLabel:
    """A list's "nothing here" sentence, wrapped over the width of the list (the one row
    saying it would be cut to its first column), over that row; shown while it is empty."""
    label = QLabel(text, view.viewport())
    label.setObjectName("muted")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    label.setContentsMargins(3, 1, 3, 3)
    label.setAutoFillBackground(True)
    label.setBackgroundRole(QPalette.ColorRole.Base)
    layout = QVBoxLayout(view.viewport())
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(label)
    layout.addStretch(1)
    label.hide()
    return label
