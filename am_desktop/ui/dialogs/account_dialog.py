"""Create or edit an account, with each problem shown under its field."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Slot
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
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
from am_desktop.ui.commands import CreateCommand, EditCommand
from am_desktop.ui.context import AppContext
from am_desktop.ui.tasks import Lane


class AccountDialog(QDialog):
    """The account form. ``saved_id`` holds the account's id once saved."""

    def __init__(
        self,
        context: AppContext,
        account: AccountRecord | None = None,
        undo: QUndoStack | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context, self.account, self.undo = context, account, undo
        self.saved_id: int | None = account.id if account else None
        self.setWindowTitle("Edit account" if account else "New account")
        self.setMinimumWidth(460)
        self.name = QLineEdit()
        self.domain = QLineEdit()
        self.domain.setPlaceholderText("acme.com")
        self.industry = QLineEdit()
        self.segment = QComboBox()
        self.segment.addItem("—", None)
        for segment in Segment:
            self.segment.addItem(segment.label, segment.value)
        self.tier = QComboBox()
        for tier in Tier:
            self.tier.addItem(tier.label, tier.value)
        self.owner = QLineEdit()
        self.since_known = QCheckBox("Known")
        self.since = QDateEdit()
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("d MMM yyyy")
        self.since.setDate(QDate.currentDate())
        self.cadence = QSpinBox()
        self.cadence.setRange(1, 365)
        self.cadence.setSuffix(" days")
        self.cadence.setValue(int(context.settings.preference("default_checkin_cadence_days")))
        self.external_id = QLineEdit()
        self.errors: dict[str, QLabel] = {}
        self.general_error = QLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self._lay_out()
        if account is not None:
            self._fill(account)
        self.since.setEnabled(self.since_known.isChecked())
        self._connect_signals()

    def _lay_out(self) -> None:
        form = QFormLayout()
        since_row = QHBoxLayout()
        since_row.addWidget(self.since_known)
        since_row.addWidget(self.since, 1)
        rows: list[tuple[str, str, Any]] = [
            ("name", "Name", self.name),
            ("domain", "Web domain", self.domain),
            ("industry", "Industry", self.industry),
            ("segment", "Segment", self.segment),
            ("tier", "Tier", self.tier),
            ("owner", "Owner", self.owner),
            ("customer_since", "Customer since", since_row),
            ("checkin_cadence_days", "Check-in every", self.cadence),
            ("external_id", "CRM id", self.external_id),
        ]
        for key, label, widget in rows:
            form.addRow(label, widget)
            error = QLabel()
            error.setObjectName("fieldError")
            error.setWordWrap(True)
            error.hide()
            form.addRow("", error)
            self.errors[key] = error
        self.general_error.setObjectName("fieldError")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.since_known.toggled.connect(self.since.setEnabled)
        self.domain.editingFinished.connect(self._on_domain_editing_finished)

    def _fill(self, account: AccountRecord) -> None:
        self.name.setText(account.name)
        self.domain.setText(account.domain or "")
        self.industry.setText(account.industry or "")
        self.segment.setCurrentIndex(
            max(0, self.segment.findData(account.segment.value if account.segment else None))
        )
        self.tier.setCurrentIndex(max(0, self.tier.findData(account.tier.value)))
        self.owner.setText(account.owner or "")
        if account.customer_since is not None:
            self.since_known.setChecked(True)
            since = account.customer_since
            self.since.setDate(QDate(since.year, since.month, since.day))
        self.cadence.setValue(account.checkin_cadence_days)
        self.external_id.setText(account.external_id or "")

    def values(self) -> dict[str, object]:
        """What the form says, as text and plain values (the service checks them)."""
        return {
            "name": self.name.text(),
            "domain": self.domain.text(),
            "industry": self.industry.text(),
            "segment": self.segment.currentData() or "",
            "tier": self.tier.currentData(),
            "owner": self.owner.text(),
            "customer_since": self.since.date().toPython() if self.since_known.isChecked() else "",
            "checkin_cadence_days": self.cadence.value(),
            "external_id": self.external_id.text(),
        }

    def show_error(self, field: str | None, message: str) -> None:
        """Show a problem under its field (or above the buttons)."""
        label = self.errors.get(field or "", self.general_error)
        label.setText(message)
        label.show()

    def _clear_errors(self) -> None:
        for label in (*self.errors.values(), self.general_error):
            label.hide()

    @Slot()
    def _on_domain_editing_finished(self) -> None:
        self.errors["domain"].hide()
        try:
            catalog.ACCOUNT.check({"domain": self.domain.text()}, creating=False)
        except ValidationError as error:
            self.show_error("domain", error.user_message)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        self._clear_errors()
        values = self.values()
        try:
            catalog.ACCOUNT.check(values, creating=self.account is None)
        except ValidationError as error:
            self.show_error(error.field, error.user_message)
            return
        self.buttons.setEnabled(False)
        store = self.context.store
        if self.account is None:
            self.context.tasks.submit(
                lambda _p: catalog.accounts.create(store, values),
                lane=Lane.WRITE,
                on_done=self._on_saved,
                on_error=self._on_save_failed,
            )
            return
        account = self.account
        before = {k: getattr(account, k) for k in values}
        self.context.tasks.submit(
            lambda _p: catalog.accounts.update(store, account.id, values, account.version),
            lane=Lane.WRITE,
            on_done=lambda saved: self._on_saved(saved, before),
            on_error=self._on_save_failed,
        )

    def _on_saved(self, record: AccountRecord, before: dict[str, object] | None = None) -> None:
        self.saved_id = record.id
        if self.undo is not None:
            if before is None:
                self.undo.push(CreateCommand(self.context, catalog.accounts, record.id))
            else:
                after = {k: getattr(record, k) for k in before}
                self.undo.push(
                    EditCommand(
                        self.context, catalog.accounts, record.id, before, after, already_done=True
                    )
                )
        self.context.data.changed.emit("account", self)
        self.accept()

    def _on_save_failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, ValidationError):
            self.show_error(error.field, error.user_message)
        else:
            self.context.messages.failure(error)
