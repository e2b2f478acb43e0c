"""The Issues tab: the account's escalations, edited in place, and Resolve."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Slot
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QVBoxLayout, QWidget

from am_desktop.domain import records as r
from am_desktop.domain.changes import ChangeSet, Entity
from am_desktop.domain.enums import EscalationStatus, Severity
from am_desktop.services import catalog
from am_desktop.services.workspace import account_escalations
from am_desktop.ui.commands import EditCommand
from am_desktop.ui.context import AppContext
from am_desktop.ui.record_table import Field, RecordTable
from am_desktop.ui.workspace.editing import RecordEditing
from am_desktop.ui.workspace.part import WorkspacePart

ISSUE_FIELDS = (
    Field("title", "Issue", width=260),
    Field("severity", "Severity", "choice", Severity, width=90),
    Field("status", "Status", "choice", EscalationStatus, width=100),
    Field("internal_owner", "Internal owner", width=120),
    Field("opened_on", "Opened", "date", width=100),
    Field("resolved_on", "Resolved", "date", width=100),
    Field("resolution", "Resolution", width=220),
)


class IssuesTab(WorkspacePart):
    """Issues and escalations tracked to resolution."""

    kinds: ClassVar[tuple[Entity, ...]] = (Entity.ISSUE,)

    def __init__(
        self,
        context: AppContext,
        account_id: int,
        undo: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, account_id, parent)
        self.undo = undo
        self.records: tuple[r.EscalationRecord, ...] | None = None
        self.issues = RecordTable(
            "Issues and escalations",
            ISSUE_FIELDS,
            "No issues recorded. Log escalations here to track them to resolution.",
            "Log issue",
        )
        self.resolve_button = self.issues.add_button_for("Resolve")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addWidget(self.issues)
        self.editing = RecordEditing(context, account_id, undo, self)
        self.editing.wire(self.issues, catalog.escalations, add=self._on_add_requested)
        self.resolve_button.clicked.connect(self._on_resolve_clicked)

    def refresh(self, changes: ChangeSet | None = None) -> None:
        """Read the issues again."""
        store, account_id = self.context.store, self.account_id
        self.read("issues", lambda: account_escalations(store, account_id), self._on_loaded)

    def _on_loaded(self, records: tuple[r.EscalationRecord, ...]) -> None:
        self.records = records
        self.issues.model.currency = self.context.settings.prefs.currency
        self.issues.set_records(records)

    @Slot()
    def _on_add_requested(self) -> None:
        self.editing.create(
            catalog.escalations,
            {"title": "New issue", "opened_on": self.context.today()},
            self.issues,
        )

    @Slot()
    def _on_resolve_clicked(self) -> None:
        for record_id in self.issues.selected_ids():
            before = {
                name: self.editing.current(self.issues, record_id, name)
                for name in ("status", "resolved_on")
            }
            after = {"status": EscalationStatus.RESOLVED, "resolved_on": self.context.today()}
            self.undo.push(EditCommand(self.context, catalog.escalations, record_id, before, after))
