"""Create or edit an account, with each problem shown under its field."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.enums import Segment, Tier
from am_desktop.domain.records import AccountRecord
from am_desktop.errors import ValidationError
from am_desktop.services import catalog
from am_desktop.ui.context import AppContext
from am_desktop.ui.dialogs.form import OptionalDate, RecordForm, choice_box, select_data


class AccountDialog(RecordForm):
    """The account form. ``saved_id`` holds the account's id once saved."""

    def __init__(
        self,
        context: AppContext,
        account: AccountRecord | None = None,
        undo: QUndoStack | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, catalog.accounts, account, undo, parent=parent)
        self.account = account
        self.name = QLineEdit()
        self.domain = QLineEdit()
        self.domain.setPlaceholderText("acme.com")
        self.industry = QLineEdit()
        self.segment = choice_box(Segment)
        self.tier = choice_box(Tier, none_label=None)
        self.owner = QLineEdit()
        self.since = OptionalDate()
        self.cadence = QSpinBox()
        self.cadence.setRange(1, 365)
        self.cadence.setSuffix(" days")
        self.cadence.setValue(context.settings.prefs.default_checkin_cadence_days)
        self.currency = currency_box(context.settings.prefs.currency)
        self.currency.setToolTip(
            "The currency of this customer's contracts: its ARR is kept in it, and totals "
            "convert it at the rates you import."
        )
        self.currency_note = QLabel()
        self.currency_note.setObjectName("muted")
        self.currency_note.setWordWrap(False)  # two set lines: a wrapped label here is clipped
        self.currency_note.hide()
        currency_field = QVBoxLayout()
        currency_field.setContentsMargins(0, 0, 0, 0)
        currency_field.addWidget(self.currency)
        currency_field.addWidget(self.currency_note)
        self.external_id = QLineEdit()
        self.lay_out(
            [
                ("name", "Name", self.name),
                ("domain", "Web domain", self.domain),
                ("industry", "Industry", self.industry),
                ("segment", "Segment", self.segment),
                ("tier", "Tier", self.tier),
                ("owner", "Owner", self.owner),
                ("customer_since", "Customer since", self.since),
                ("checkin_cadence_days", "Check-in every", self.cadence),
                ("currency", "Currency", currency_field),
                ("external_id", "CRM id", self.external_id),
            ]
        )
        if account is not None:
            self._fill(account)
        self.domain.editingFinished.connect(self._on_domain_editing_finished)
        self.currency.currentTextChanged.connect(self._on_currency_current_text_changed)

    def _fill(self, account: AccountRecord) -> None:
        self.name.setText(account.name)
        self.domain.setText(account.domain or "")
        self.industry.setText(account.industry or "")
        select_data(self.segment, account.segment)
        select_data(self.tier, account.tier)
        self.owner.setText(account.owner or "")
        self.since.set_value(account.customer_since)
        self.cadence.setValue(account.checkin_cadence_days)
        self.external_id.setText(account.external_id or "")
        select_currency(self.currency, account.currency)

    def values(self) -> dict[str, object]:
        """What the form says, as text and plain values (the service checks them)."""
        return {
            "name": self.name.text(),
            "domain": self.domain.text(),
            "industry": self.industry.text(),
            "segment": self.segment.currentData() or "",
            "tier": self.tier.currentData(),
            "owner": self.owner.text(),
            "customer_since": self.since.value() or "",
            "checkin_cadence_days": self.cadence.value(),
            "external_id": self.external_id.text(),
            "currency": self.currency.currentText(),
        }

    @Slot(str)
    def _on_currency_current_text_changed(self, code: str) -> None:
        """Changing an account's currency converts nothing already recorded: say so before
        it is saved, while the choice differs from the saved one."""
        saved = self.account.currency if self.account is not None else None
        self.currency_note.setVisible(saved is not None and code != saved)
        if saved is not None and code != saved:
            self.currency_note.setText(
                f"Existing contracts and ARR stay in {saved};\n"
                "totals convert them at your exchange rates."
            )

    @Slot()
    def _on_domain_editing_finished(self) -> None:
        self.errors["domain"].hide()
        try:
            catalog.ACCOUNT.check({"domain": self.domain.text()}, creating=False)
        except ValidationError as error:
            self.show_error("domain", error.user_message)


def currency_box(default: str) -> QComboBox:
    """The currencies an account is commonly in, with ``default`` (the AM's) chosen; a new
    account is in the AM's currency unless told otherwise (never silently in dollars)."""
    from am_desktop.ui.dialogs.currencies_page import CURRENCIES

    box = QComboBox()
    box.addItems(list(CURRENCIES))
    select_currency(box, default)
    return box


def select_currency(box: QComboBox, code: str) -> None:
    """Show ``code`` chosen, adding it when the list does not have it (an imported GBP…)."""
    if box.findText(code) < 0:
        box.addItem(code)
    box.setCurrentIndex(box.findText(code))
