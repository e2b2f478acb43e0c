"""Mark an opportunity won: what the ARR ledger will get is shown before it is written, as
Close renewal shows it (a win is an expansion of the opportunity's amount on the day it
closes)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.formatting import money
from am_desktop.domain.records import OpportunityRecord
from am_desktop.ui import format as fmt
from am_desktop.ui.plain_text import plain


def won_message(amount_cents: int, currency: str) -> str:
    """The status bar's word once a win is written."""
    return f"Won: +{money(amount_cents, currency)} expansion written to the ledger"


class WonPreviewDialog(QDialog):
    """Shows the ledger movement a win writes; Confirm writes it, Cancel writes nothing.

    ``won_on()`` is the day chosen (today unless changed).
    """

    def __init__(
        self,
        opportunity: OpportunityRecord,
        currency: str,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mark opportunity won")
        self.setMinimumWidth(440)
        self.amount_cents, self.currency = opportunity.amount_cents, currency
        self.on = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("d MMM yyyy")
        self.effect = QLabel(self)
        self.effect.setObjectName("muted")
        self.effect.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.confirm = self.buttons.addButton("Confirm", QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setDefault(True)
        form = QFormLayout()
        form.addRow("Opportunity", plain(QLabel(opportunity.name, self)))
        form.addRow("Amount", QLabel(money(self.amount_cents, currency), self))
        form.addRow("Won on", self.on)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.effect)
        layout.addWidget(self.buttons)
        self.on.dateChanged.connect(self._update)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._update()

    def won_on(self) -> date:
        """The day the win (and its expansion) is written on."""
        day = self.on.date().toPython()
        assert isinstance(day, date)
        return day

    @Slot()
    def _update(self) -> None:
        if self.amount_cents <= 0:
            self.effect.setText(
                "It has no amount, so nothing would reach the ARR ledger: give it one first."
            )
            self.confirm.setEnabled(False)
            return
        self.confirm.setEnabled(True)
        self.effect.setText(
            f"Writes an expansion of {money(self.amount_cents, self.currency)} to the ARR "
            f"ledger on {fmt.day(self.won_on())}, and marks the opportunity won."
        )
