"""The Opportunities tab: the account's expansion pipeline, edited in place, Mark won/lost."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QVBoxLayout, QWidget

from am_desktop.domain import records as r
from am_desktop.domain.changes import ChangeSet, Entity
from am_desktop.domain.enums import OpportunityKind, OpportunityStage
from am_desktop.services import catalog, pipeline
from am_desktop.services.workspace import account_opportunities
from am_desktop.ui.commands import CallCommand
from am_desktop.ui.context import AppContext
from am_desktop.ui.record_table import Field, RecordTable
from am_desktop.ui.workspace.editing import RecordEditing
from am_desktop.ui.workspace.part import WorkspacePart
from am_desktop.ui.workspace.won_dialog import WonPreviewDialog, won_message

OPPORTUNITY_FIELDS = (
    Field("name", "Opportunity", width=250),
    Field("kind", "Type", "choice", OpportunityKind, width=90),
    Field("product", "Product", width=150),
    Field("amount_cents", "Amount", "money", width=100),
    Field("stage", "Stage", "choice", OpportunityStage, width=100, editable=False),
    Field("close_date", "Close date", "date", width=110),
    Field("probability", "Probability", "percent", width=90),
)


class PipelineTab(WorkspacePart):
    """Upsells and cross-sells tracked to close; a win adds its amount to the ARR."""

    kinds: ClassVar[tuple[Entity, ...]] = (Entity.OPPORTUNITY,)

    def __init__(
        self,
        context: AppContext,
        account_id: int,
        undo: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, account_id, parent)
        self.undo = undo
        self.records: tuple[r.OpportunityRecord, ...] | None = None
        self.opportunities = RecordTable(
            "Expansion pipeline",
            OPPORTUNITY_FIELDS,
            "No expansion opportunities yet. Add an upsell or cross-sell to track it to close.",
            "Add opportunity",
        )
        self.won_button = self.opportunities.add_button_for("Mark won…", self._all_open)
        self.lost_button = self.opportunities.add_button_for("Mark lost", self._all_open)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addWidget(self.opportunities)
        self.editing = RecordEditing(context, account_id, undo, self)
        self.editing.wire(
            self.opportunities,
            catalog.opportunities,
            add=lambda: self.editing.create(
                catalog.opportunities, {"name": "New opportunity"}, self.opportunities
            ),
        )
        self.won_button.clicked.connect(lambda: self.close_selected(won=True))
        self.lost_button.clicked.connect(lambda: self.close_selected(won=False))

    def refresh(self, changes: ChangeSet | None = None) -> None:
        """Read the opportunities again."""
        store, account_id = self.context.store, self.account_id
        self.read(
            "opportunities",
            lambda: account_opportunities(store, account_id),
            self._on_loaded,
        )

    def _on_loaded(self, records: tuple[r.OpportunityRecord, ...]) -> None:
        self.records = records
        self.opportunities.model.currency = self.context.settings.prefs.currency
        self.opportunities.set_records(records)

    def _record(self, record_id: int) -> r.OpportunityRecord | None:
        return next((o for o in self.records or () if o.id == record_id), None)

    def _all_open(self, ids: list[int]) -> bool:
        """Whether every selected opportunity is still open (won and lost close it)."""
        return all((o := self._record(i)) is not None and not o.stage.is_closed for i in ids)

    def close_selected(self, *, won: bool) -> None:
        """Mark the selected open opportunities won or lost (each one step to undo); a win
        first shows the expansion it writes to the ARR ledger, and is written on Confirm."""
        today, store = self.context.today(), self.context.store
        for record_id in self.opportunities.selected_ids():
            record = self._record(record_id)
            if record is None or record.stage.is_closed:
                continue
            on, currency = today, record.currency  # the amount's own currency
            if won:
                dialog = WonPreviewDialog(record, currency, today, self)
                if not dialog.exec():
                    continue
                on = dialog.won_on()
            command = CallCommand(
                self.context,
                "Mark opportunity won" if won else "Mark opportunity lost",
                partial(pipeline.close_opportunity, store, record_id, won=won, on=on),
                partial(pipeline.reopen_opportunity, store, record_id, record.stage),
            )
            command.explain = lambda error: self.opportunities.show_error(error.user_message)
            if won:
                message = won_message(record.amount_cents, currency)
                command.done = partial(self.context.messages.info, message)
            self.undo.push(command)
