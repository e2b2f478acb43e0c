"""The Renewals tab: the account's contracts and each one's renewal; Close renewal… writes
the ARR ledger, Re-open takes that back."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from PySide6.QtCore import Slot
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QVBoxLayout, QWidget

from am_desktop.domain.changes import ChangeSet, Entity
from am_desktop.domain.enums import RenewalStage
from am_desktop.services import catalog, renewals
from am_desktop.services.renewals import RenewalLine
from am_desktop.services.workspace import AccountContracts, account_contracts
from am_desktop.ui.commands import CallCommand
from am_desktop.ui.context import AppContext
from am_desktop.ui.record_table import Field, RecordTable
from am_desktop.ui.tasks import Lane
from am_desktop.ui.workspace.editing import RecordEditing
from am_desktop.ui.workspace.part import WorkspacePart

CONTRACT_FIELDS = (
    Field("name", "Contract", width=200),
    Field("start_date", "Starts", "date", width=105),
    Field("end_date", "Ends", "date", width=105),
    Field("arr_cents", "ARR", "money", width=110),
    Field("currency", "Currency", width=70),
    Field("auto_renew", "Auto-renew", "bool", width=85),
    Field("notice_days", "Notice (days)", "number", width=95),
)
RENEWAL_FIELDS = (
    Field("contract", "Contract", width=190, editable=False),
    Field("ends", "Ends", "date", width=100, editable=False),
    Field("notice_by", "Notice by", "date", width=100, editable=False),
    Field("stage", "Stage", "choice", RenewalStage, width=110),
    Field("likelihood", "Likelihood", "percent", width=85),
    Field("proposed_arr_cents", "Proposed ARR", "money", width=110),
    Field("risk_notes", "Risk notes", width=200),
    Field("outcome_arr_cents", "Outcome ARR", "money", width=110, editable=False),
    Field("close_date", "Closed", "date", width=100, editable=False),
    Field("days_to_renewal", "Days early", "number", width=85, editable=False),
)


class RenewalsTab(WorkspacePart):
    """Contracts above, their renewals below."""

    #: Contracts, renewals, and the ledger a close writes (a renewal's outcome).
    kinds: ClassVar[tuple[Entity, ...]] = (
        Entity.CONTRACT,
        Entity.RENEWAL,
        Entity.LEDGER_MOVEMENT,
    )

    def __init__(
        self,
        context: AppContext,
        account_id: int,
        undo: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, account_id, parent)
        self.undo = undo
        self.data: AccountContracts | None = None
        self.contracts = RecordTable(
            "Contracts",
            CONTRACT_FIELDS,
            "No contracts yet. Add the current term so its renewal shows on the timeline.",
            "Add contract",
        )
        self.renewals = RecordTable(
            "Renewals",
            RENEWAL_FIELDS,
            "Each contract's renewal appears here once the contract is added.",
            None,  # a renewal comes with its contract
        )
        self.close_renewal_button = self.renewals.add_button_for(
            "Close renewal…", lambda ids: self._stage_is(ids, closed=False)
        )
        self.reopen_button = self.renewals.add_button_for(
            "Re-open", lambda ids: self._stage_is(ids, closed=True)
        )
        self.close_renewal_button.setToolTip("Mark the selected open renewal renewed or churned")
        self.reopen_button.setToolTip("Take back the selected closed renewal's outcome")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addWidget(self.contracts, 2)
        layout.addWidget(self.renewals, 3)
        self.editing = RecordEditing(context, account_id, undo, self)
        self.editing.wire(self.contracts, catalog.contracts, add=self._on_add_contract_requested)
        self.editing.wire(self.renewals, catalog.renewals, refuse=self._refuses)
        self.close_renewal_button.clicked.connect(self._on_close_renewal_clicked)
        self.reopen_button.clicked.connect(self._on_reopen_clicked)

    def refresh(self, changes: ChangeSet | None = None) -> None:
        """Read the contracts and renewals again."""
        store, account_id = self.context.store, self.account_id
        self.read("contracts", lambda: account_contracts(store, account_id), self._on_loaded)

    def _on_loaded(self, data: AccountContracts) -> None:
        self.data = data
        currency = self.context.settings.prefs.currency
        self.contracts.model.currency = currency
        self.renewals.model.currency = currency
        self.contracts.set_records(data.contracts)
        self.renewals.set_records(data.renewals)

    def open_renewal(self, renewal_id: int) -> None:
        """Select a renewal (from the timeline or the upcoming list)."""
        self.renewals.select_id(renewal_id)

    # ------------------------------------------------------------------------------ edits

    def _refuses(self, name: str, value: object) -> bool:
        """A closed stage is not typed in: closing writes the ledger."""
        if name == "stage" and RenewalStage(str(value)).is_closed:
            self.renewals.show_error(
                "Use Close renewal… to mark it renewed or churned: closing writes the ARR ledger."
            )
            self.refresh()  # the cell shows the stored stage again
            return True
        return False

    @Slot()
    def _on_add_contract_requested(self) -> None:
        today, store, account_id = self.context.today(), self.context.store, self.account_id
        self.context.tasks.submit(
            lambda _p: renewals.add_contract(store, account_id, today),
            lane=Lane.WRITE,
            receiver=self,
            on_done=lambda contract_id: self.editing.created(
                catalog.contracts, contract_id, self.contracts
            ),
        )

    def _stage_is(self, ids: list[int], *, closed: bool) -> bool:
        """Whether exactly one renewal is selected and it is closed (or open)."""
        if len(ids) != 1 or self.data is None:
            return False
        line = next((line for line in self.data.renewals if line.id == ids[0]), None)
        return line is not None and line.stage.is_closed == closed

    def _selected_renewal(self) -> RenewalLine | None:
        ids = self.renewals.selected_ids()
        if len(ids) != 1 or self.data is None:
            self.renewals.show_error("Select one renewal first.")
            return None
        return next((line for line in self.data.renewals if line.id == ids[0]), None)

    @Slot()
    def _on_close_renewal_clicked(self) -> None:
        from am_desktop.ui.renewals.close_dialog import CloseRenewalDialog

        line = self._selected_renewal()
        if line is None or self.data is None:
            return
        if line.stage.is_closed:
            self.renewals.show_error("This renewal is closed already; Re-open it to change it.")
            return
        contract = next(c for c in self.data.contracts if c.id == line.contract_id)
        dialog = CloseRenewalDialog(
            line.contract, contract.arr_cents, contract.currency, self.context.today(), self
        )
        if not dialog.exec():
            return
        renewed, arr, on, next_term = dialog.outcome()
        store = self.context.store
        command = CallCommand(
            self.context,
            "Close renewal",
            partial(
                renewals.close_renewal,
                store,
                line.id,
                renewed=renewed,
                on=on,
                outcome_arr_cents=arr,
                next_term=next_term,
            ),
            partial(renewals.reopen_renewal, store, line.id, line.stage, line.likelihood),
        )
        command.explain = lambda error: self.renewals.show_error(error.user_message)
        self.undo.push(command)

    @Slot()
    def _on_reopen_clicked(self) -> None:
        line = self._selected_renewal()
        if line is None:
            return
        if not line.stage.is_closed:
            self.renewals.show_error("This renewal is still open.")
            return
        store = self.context.store
        undone: dict[str, renewals.Reopened] = {}

        def reopen() -> None:
            undone["close"] = renewals.reopen_renewal(store, line.id)

        command = CallCommand(
            self.context,
            "Re-open renewal",
            reopen,
            lambda: renewals.restore_close(store, undone["close"]),
        )
        command.explain = lambda error: self.renewals.show_error(error.user_message)
        self.undo.push(command)
