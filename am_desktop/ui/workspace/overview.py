"""The Overview tab: the account plan (objectives, risks, whitespace) beside the activity
timeline."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.changes import ChangeSet, Entity
from am_desktop.domain.enums import ObjectiveStatus, RiskStatus, Severity, WhitespaceStatus
from am_desktop.services import catalog
from am_desktop.services.activity import ActivityItem
from am_desktop.services.workspace import AccountPlan, account_plan
from am_desktop.ui import format as fmt
from am_desktop.ui.context import AppContext
from am_desktop.ui.plain_text import tooltip_text
from am_desktop.ui.record_table import Field, RecordTable
from am_desktop.ui.workspace.editing import RecordEditing
from am_desktop.ui.workspace.part import WorkspacePart
from am_desktop.ui.workspace.tabs import WorkspaceTab

OBJECTIVE_FIELDS = (
    Field("title", "Objective", width=360),
    Field("status", "Status", "choice", ObjectiveStatus, width=110),
    Field("due_date", "Due", "date", width=110),
)
RISK_FIELDS = (
    Field("description", "Risk", width=280),
    Field("mitigation", "Mitigation", width=260),
    Field("owner", "Owner", width=110),
    Field("severity", "Severity", "choice", Severity, width=90),
    Field("status", "Status", "choice", RiskStatus, width=90),
)
WHITESPACE_FIELDS = (
    Field("product", "Product", width=220),
    Field("status", "Status", "choice", WhitespaceStatus, width=120),
    Field("estimated_arr_cents", "Estimated ARR", "money", width=120),
    Field("notes", "Notes", width=240),
)

#: A sign for each kind of event on the timeline.
_ACTIVITY_MARKS = {
    "note": "✎",
    "action": "☐",
    "done": "☑",
    "renewal": "↻",
    "opportunity": "↗",
    "issue": "⚠",
}
#: Which tab shows each kind of timeline event.
_OPENS_IN = {
    "note": WorkspaceTab.NOTES,
    "action": WorkspaceTab.NOTES,
    "done": WorkspaceTab.NOTES,
    "opportunity": WorkspaceTab.OPPORTUNITIES,
    "issue": WorkspaceTab.ISSUES,
    "renewal": WorkspaceTab.RENEWALS,
}


class OverviewTab(WorkspacePart):
    """The account plan, edited in place, and what happened at the account.

    Signals:
        open_requested(tab, record_id): a timeline entry was opened: show this record of
            that tab (a note for the Notes tab).
    """

    #: The plan, and everything the timeline lists (a renewal is named by its contract).
    kinds: ClassVar[tuple[Entity, ...]] = (
        Entity.OBJECTIVE,
        Entity.RISK,
        Entity.WHITESPACE,
        Entity.NOTE,
        Entity.ACTION_ITEM,
        Entity.RENEWAL,
        Entity.CONTRACT,
        Entity.OPPORTUNITY,
        Entity.ISSUE,
    )

    open_requested = Signal(object, int)

    def __init__(
        self,
        context: AppContext,
        account_id: int,
        undo: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, account_id, parent)
        self.plan: AccountPlan | None = None
        self.objectives = RecordTable(
            "Objectives",
            OBJECTIVE_FIELDS,
            "No objectives yet: what does the customer want to achieve this year?",
            "Add objective",
        )
        self.risks = RecordTable(
            "Risks",
            RISK_FIELDS,
            "No open risks. Add one with its mitigation, or tag a note line with #risk.",
            "Add risk",
        )
        self.whitespace = RecordTable(
            "Whitespace",
            WHITESPACE_FIELDS,
            "No whitespace listed: which products could this customer still use?",
            "Add product",
        )
        self.timeline = QListWidget(self)
        self.timeline.setObjectName("timeline")
        self.timeline.setWordWrap(True)
        self.timeline.setAlternatingRowColors(True)
        self.timeline.setToolTip("Double-click an entry to open it")
        self._build()
        editing = RecordEditing(context, account_id, undo, self)
        editing.wire(
            self.objectives,
            catalog.objectives,
            add=lambda: editing.create(
                catalog.objectives, {"title": "New objective"}, self.objectives
            ),
        )
        editing.wire(
            self.risks,
            catalog.risks,
            add=lambda: editing.create(catalog.risks, {"description": "New risk"}, self.risks),
        )
        editing.wire(
            self.whitespace,
            catalog.whitespace,
            add=lambda: editing.create(
                catalog.whitespace, {"product": "New product"}, self.whitespace
            ),
        )
        self.timeline.itemActivated.connect(self._on_timeline_item_activated)

    def _build(self) -> None:
        """The account plan (scrolling) beside the activity timeline."""
        plan = QWidget()
        plan_layout = QVBoxLayout(plan)
        for table in (self.objectives, self.risks, self.whitespace):
            table.setMinimumHeight(150)
            plan_layout.addWidget(table)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(plan)
        timeline = QWidget()
        timeline_layout = QVBoxLayout(timeline)
        timeline_layout.setContentsMargins(4, 10, 0, 0)
        caption = QLabel("Activity", timeline)
        caption.setObjectName("sectionTitle")
        timeline_layout.addWidget(caption)
        timeline_layout.addWidget(self.timeline, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(scroll)
        split.addWidget(timeline)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([760, 360])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

    def refresh(self, changes: ChangeSet | None = None) -> None:
        """Read the plan and the timeline again."""
        store, account_id = self.context.store, self.account_id
        self.read("plan", lambda: account_plan(store, account_id), self._on_plan_loaded)

    def _on_plan_loaded(self, plan: AccountPlan) -> None:
        self.plan = plan
        currency = plan.currency  # the account's: a whitespace's estimated ARR is in it
        for table, records in (
            (self.objectives, plan.objectives),
            (self.risks, plan.risks),
            (self.whitespace, plan.whitespace),
        ):
            table.model.currency = currency
            table.set_records(records)
        self._show_activity(plan.activity)

    def _show_activity(self, activity: tuple[ActivityItem, ...]) -> None:
        self.timeline.clear()
        if not activity:
            empty = QListWidgetItem("Nothing yet: notes, action items, renewals, opportunities "
                                    "and issues appear here as they happen.")  # fmt: skip
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.timeline.addItem(empty)
            return
        for event in activity:
            when = fmt.day(event.when)
            detail = f" · {event.detail}" if event.detail else ""
            item = QListWidgetItem(f"{_ACTIVITY_MARKS[event.kind]} {event.title}\n{when}{detail}")
            item.setData(Qt.ItemDataRole.UserRole, (event.kind, event.ref_id))
            item.setToolTip(tooltip_text(f"{event.title}\n{when}{detail}"))
            self.timeline.addItem(item)

    @Slot(QListWidgetItem)
    def _on_timeline_item_activated(self, item: QListWidgetItem) -> None:
        reference = item.data(Qt.ItemDataRole.UserRole)
        if not reference:
            return
        kind, ref_id = reference
        tab = _OPENS_IN.get(kind)
        if tab is WorkspaceTab.NOTES and not ref_id:
            return  # an action item written outside a note
        if tab is not None:
            self.open_requested.emit(tab, ref_id)
