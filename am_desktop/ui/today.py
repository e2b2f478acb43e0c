"""The Today view, where the day starts: renewals and notice deadlines coming up, check-ins
overdue, action items due, open escalations (issue 7). Each row opens its item; action items
tick off in place (their note's box too); any row can be snoozed for three days.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.alerts import snooze_until
from am_desktop.domain.changes import ChangeSet, Entity
from am_desktop.services.today import TodayLists, today_lists
from am_desktop.ui import format as fmt
from am_desktop.ui.bus import ChangeFollower
from am_desktop.ui.context import AppContext
from am_desktop.ui.tasks import Lane

#: (kind, id) of a row: what opening or snoozing it acts on.
_REF = Qt.ItemDataRole.UserRole + 1

_SECTIONS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("renewals", "Renewals in the next 90 days", ("Account — contract", "Ends", "ARR", "Stage"),
     "No renewal in the next 90 days."),
    ("notices", "Notice deadlines within 30 days", ("Account — contract", "Notice by", "Ends"),
     "No notice deadline in the next 30 days."),
    ("actions", "Action items due", ("Action item", "Account", "Due", "Owner"),
     "Nothing due this week. Lines like '- [ ] … due:2026-12-01' in a note appear here."),
    ("check_ins", "Check-ins overdue", ("Account", "Last touch", "Was due"),
     "Every account has been touched within its cadence."),
    ("issues", "Open escalations", ("Issue", "Account", "Severity", "Opened"),
     "No open escalations."),
    ("health_drops", "Health dropped since last week", ("Account", "Was", "Now", "Score"),
     "No account's health band fell this week."),
)  # fmt: skip

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
)


class TodayView(QWidget):
    """Today's lists.

    Signals:
        open_requested(kind, account_id, item_id): open a renewal, note, account or issue.
    """

    open_requested = Signal(str, int, int)
    #: The welcome's buttons: fill the empty database with the demo portfolio, or import.
    demo_requested = Signal()
    import_requested = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.lists: TodayLists | None = None
        self.title = QLabel("Today", self)
        self.title.setObjectName("viewTitle")
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("muted")
        self.trees: dict[str, QTreeWidget] = {}
        self.captions: dict[str, QLabel] = {}
        self.follower = ChangeFollower(self, context.data, _concerns_today, self._on_changes)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(10)
        for index, (key, caption, headers, _empty) in enumerate(_SECTIONS):
            label = QLabel(caption, self)
            label.setObjectName("sectionTitle")
            tree = QTreeWidget(self)
            tree.setHeaderLabels(list(headers))
            tree.setRootIsDecorated(False)
            tree.setAlternatingRowColors(True)
            tree.setUniformRowHeights(True)
            tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            tree.setMinimumHeight(170)
            tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            tree.header().setStretchLastSection(False)
            tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            tree.itemActivated.connect(self._on_item_activated)
            tree.customContextMenuRequested.connect(
                lambda position, t=tree: self._on_menu_requested(t, position)
            )
            if key == "actions":
                tree.itemChanged.connect(self._on_action_changed)
            column = 0 if index in (0, 1, 5) else 1
            row = {0: 0, 1: 1, 5: 2, 2: 0, 3: 1, 4: 2}[index] * 2
            grid.addWidget(label, row, column)
            grid.addWidget(tree, row + 1, column)
            self.trees[key], self.captions[key] = tree, label
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

    def _welcome(self) -> QFrame:
        """What a first start shows: the portfolio is empty, and two ways to fill it."""
        self.welcome = QFrame(self)
        self.welcome.setObjectName("welcome")
        self.welcome.setFrameShape(QFrame.Shape.StyledPanel)
        title = QLabel("Welcome to AM Desktop", self.welcome)
        title.setObjectName("sectionTitle")
        text = QLabel(
            "Your portfolio is empty. Look around with a demo portfolio of 40 accounts (with "
            "contacts, renewals, notes and health), or import your own accounts from a CSV "
            "file: a CRM or spreadsheet export works, and you can check every column before "
            "anything is saved.",
            self.welcome,
        )
        text.setWordWrap(True)
        self.demo_button = QPushButton("Fill with the demo portfolio", self.welcome)
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
        self.demo_button.setText("Creating the demo portfolio…")
        self.demo_requested.emit()

    # ------------------------------------------------------------------------------ data

    def _on_changes(self, _changes: ChangeSet) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Read today's lists (READ lane)."""
        today, store = self.context.today(), self.context.store
        self.context.tasks.submit(
            lambda _p: today_lists(store, today),
            lane=Lane.READ,
            receiver=self,
            on_done=lambda lists: self._on_loaded(today, lists),
        )

    on_shown = refresh  # the window's view registry: read again each time Today is shown

    def _on_loaded(self, today: date, lists: TodayLists) -> None:
        self.lists = lists
        self.welcome.setVisible(lists.totals.get("accounts", 1) == 0)
        self.subtitle.setText(
            f"{today:%A} {fmt.day(today)} · double-click opens; right-click to snooze"
        )
        snoozed = self.context.settings.snoozed_alerts()
        currency = self.context.settings.prefs.currency

        def hidden(kind: str, item_id: int) -> bool:
            return snoozed.get(f"today:{kind}:{item_id}", today) > today

        rows: dict[str, list[tuple[tuple[str, ...], tuple[Any, ...]]]] = {
            "renewals": [
                ((f"{r.account} — {r.contract}", fmt.days_from(today, r.end_date),
                  fmt.money(r.arr_cents, currency), r.stage.label),
                 ("renewal", r.account_id, r.renewal_id))
                for r in lists.renewals if not hidden("renewal", r.renewal_id)
            ],
            "notices": [
                ((f"{r.account} — {r.contract}", fmt.days_from(today, r.notice_deadline),
                  fmt.day(r.end_date)),
                 ("notice", r.account_id, r.renewal_id))
                for r in lists.notices if not hidden("notice", r.renewal_id)
            ],
            "actions": [
                ((a.text, a.account, fmt.days_from(today, a.due), a.owner or "—"),
                 ("action", a.account_id, a.id, a.note_id or 0))
                for a in lists.actions if not hidden("action", a.id)
            ],
            "check_ins": [
                ((c.account, fmt.day(c.last_touch) if c.last_touch else "never",
                  fmt.days_from(today, c.due) if c.due else "—"),
                 ("account", c.account_id, c.account_id))
                for c in lists.check_ins if not hidden("account", c.account_id)
            ],
            "issues": [
                ((i.title, i.account, i.severity.label, fmt.day(i.opened)),
                 ("issue", i.account_id, i.id))
                for i in lists.issues if not hidden("issue", i.id)
            ],
            "health_drops": [
                ((h.account, h.was.label, h.now.label, f"{h.score:.0f}"),
                 ("health", h.account_id, h.account_id))
                for h in lists.health_drops if not hidden("health", h.account_id)
            ],
        }  # fmt: skip
        for key, caption, _headers, empty in _SECTIONS:
            self._fill(key, caption, empty, rows[key], lists.totals.get(key, 0))

    def _fill(
        self,
        key: str,
        caption: str,
        empty: str,
        rows: list[tuple[tuple[str, ...], tuple[Any, ...]]],
        total: int,
    ) -> None:
        tree = self.trees[key]
        tree.blockSignals(True)
        tree.clear()
        for texts, ref in rows:
            item = QTreeWidgetItem(list(texts))
            item.setData(0, _REF, ref)
            item.setToolTip(0, texts[0])
            if key == "actions":
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Unchecked)
            tree.addTopLevelItem(item)
        if not rows:
            placeholder = QTreeWidgetItem([empty])
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            tree.addTopLevelItem(placeholder)
        for column in range(1, tree.columnCount()):
            tree.resizeColumnToContents(column)
        tree.blockSignals(False)
        more = f" — the first {len(rows)} of {total:,}" if total > len(rows) and rows else ""
        count = f" ({total:,})" if total else ""
        self.captions[key].setText(f"{caption}{count}{more}")

    # ------------------------------------------------------------------------------ actions

    @Slot(QTreeWidgetItem, int)
    def _on_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        ref = item.data(0, _REF)
        if ref:
            self._open(ref)

    def _open(self, ref: tuple[Any, ...]) -> None:
        kind, account_id, item_id = ref[:3]
        if kind == "action":  # an action item opens the note it came from
            note_id = ref[3]
            kind, item_id = ("note", note_id) if note_id else ("account", account_id)
        self.open_requested.emit(kind, account_id, item_id)

    @Slot(QTreeWidgetItem, int)
    def _on_action_changed(self, item: QTreeWidgetItem, column: int) -> None:
        ref = item.data(0, _REF)
        if column != 0 or not ref or item.checkState(0) != Qt.CheckState.Checked:
            return
        action_id = ref[2]

        def tick(_progress: object) -> Any:
            from am_desktop.services.notes import set_action_done

            return set_action_done(self.context.store, action_id, True)

        self.context.tasks.submit(tick, lane=Lane.WRITE, receiver=self)

    def _on_menu_requested(self, tree: QTreeWidget, position: Any) -> None:
        item = tree.itemAt(position)
        ref = item.data(0, _REF) if item is not None else None
        if not ref:
            return
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction("Open", lambda: self._open(ref))
        menu.addAction("Snooze for 3 days", lambda: self.snooze(ref[0], ref[2]))
        menu.popup(tree.viewport().mapToGlobal(position))

    def snooze(self, kind: str, item_id: int) -> None:
        """Hide a row for three days."""
        today = self.context.today()
        self.context.settings.snooze_alert(f"today:{kind}:{item_id}", snooze_until(today))
        if self.lists is not None:
            self._on_loaded(today, self.lists)


def _concerns_today(changes: ChangeSet) -> bool:
    """Whether a change can move anything on Today's lists."""
    return changes.touches(*TODAY_SHOWS)
