"""Close a renewal: renewed (at what ARR, and whether the next term starts) or churned."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.money import exponent, minor_units
from am_desktop.domain.values import format_money, parse_amount, within_money_bound
from am_desktop.ui import format as fmt
from am_desktop.ui.plain_text import plain


class CloseRenewalDialog(QDialog):
    """Asks how a renewal ended; ``outcome()`` holds the answer once accepted."""

    def __init__(
        self,
        contract: str,
        arr_cents: int,
        currency: str,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Close renewal")
        self.setMinimumWidth(440)
        self.arr_cents, self.currency = arr_cents, currency
        self.renewed = QRadioButton("Renewed", self)
        self.churned = QRadioButton("Churned (the customer leaves)", self)
        self.renewed.setChecked(True)
        self.arr = QLineEdit(format_money(arr_cents, exponent(currency)), self)
        self.arr.setToolTip("The ARR of the new term; the difference goes to the ARR ledger")
        self.on = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("d MMM yyyy")
        self.next_term = QCheckBox("Start the next term now (same length, this ARR)", self)
        self.next_term.setChecked(True)
        self.effect = QLabel(self)
        self.effect.setObjectName("muted")
        self.effect.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setObjectName("fieldError")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        form = QFormLayout()
        form.addRow("Contract", plain(QLabel(contract, self)))
        form.addRow("", self.renewed)
        form.addRow("", self.churned)
        form.addRow("New ARR", self.arr)
        form.addRow("", self.error)
        form.addRow("Closed on", self.on)
        form.addRow("", self.next_term)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.effect)
        layout.addWidget(self.buttons)
        self.renewed.toggled.connect(self._update)
        self.arr.textChanged.connect(self._update)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self._update()

    def outcome(self) -> tuple[bool, int, date, bool]:
        """(renewed, outcome ARR in cents, close date, start the next term)."""
        renewed = self.renewed.isChecked()
        arr = self._typed_arr() if renewed else 0
        day = self.on.date().toPython()
        assert isinstance(day, date)
        return renewed, arr, day, renewed and self.next_term.isChecked()

    def _typed_arr(self) -> int:
        """The new ARR typed, in the contract currency's minor units (``¥1,200,000`` is
        1200000: JPY has no decimals; KWD 1,234.567 is 1234567: it has three)."""
        amount = parse_amount(self.arr.text())
        return within_money_bound(minor_units(amount, self.currency), amount)

    @Slot()
    def _update(self) -> None:
        renewed = self.renewed.isChecked()
        self.arr.setEnabled(renewed)
        self.next_term.setEnabled(renewed)
        self.error.hide()
        if not renewed:
            self.effect.setText(
                f"Writes a churn of {fmt.money(self.arr_cents, self.currency)} to the ARR ledger "
                "(no more than the account has left)."
            )
            return
        try:
            change = self._typed_arr() - self.arr_cents
        except ValueError:
            self.effect.setText("")
            return
        if change == 0:
            self.effect.setText("Renewed flat: the ARR ledger does not change.")
        elif change > 0:
            self.effect.setText(f"Writes an expansion of {fmt.money(change, self.currency)}.")
        else:
            self.effect.setText(f"Writes a contraction of {fmt.money(-change, self.currency)}.")

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if self.renewed.isChecked():
            try:
                arr = self._typed_arr()
            except ValueError as error:
                self.error.setText(f"The new ARR {error}.")
                self.error.show()
                return
            if arr < 0:
                self.error.setText("The new ARR cannot be negative.")
                self.error.show()
                return
        self.accept()
