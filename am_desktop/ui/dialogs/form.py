"""A record's form: fields with their problems shown underneath, saved on the WRITE lane.

The account and contact dialogs are forms; a subclass lays out its fields and says what they
hold (:meth:`RecordForm.values`), this base checks, saves, and puts the change on the undo
stack only once it is written (a refused value never lands there).
"""

from __future__ import annotations

from datetime import date
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
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.enums import Choice
from am_desktop.domain.records import StoredRecord
from am_desktop.errors import ValidationError
from am_desktop.services.entities import EntityService
from am_desktop.ui.commands import CreateCommand, EditCommand
from am_desktop.ui.context import AppContext
from am_desktop.ui.tasks import Lane


class RecordForm(QDialog):
    """Create a record (``record`` None) or edit one.

    Args:
        service: the kind's user actions (its rules check the form).
        fixed: values the form does not show but a new record needs (its account).

    ``saved_id`` holds the record's id once saved.
    """

    def __init__(
        self,
        context: AppContext,
        service: EntityService[Any, Any],
        record: StoredRecord | None,
        undo: QUndoStack | None,
        *,
        parent: QWidget | None,
        fixed: dict[str, object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.context, self.service, self.record, self.undo = context, service, record, undo
        self.fixed = dict(fixed or {})
        self.saved_id: int | None = record.id if record else None
        noun = service.kind.noun
        self.setWindowTitle(f"Edit {noun}" if record else f"New {noun}")
        self.setMinimumWidth(460)
        self.errors: dict[str, QLabel] = {}
        self.general_error = QLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def lay_out(self, rows: list[tuple[str, str, Any]]) -> None:
        """Put ``(field, label, widget or layout)`` rows in a form, each with a problem line."""
        form = QFormLayout()
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

    def values(self) -> dict[str, object]:
        """What the form says, as text and plain values (the service checks them)."""
        raise NotImplementedError

    def show_error(self, field: str | None, message: str) -> None:
        """Show a problem under its field (or above the buttons)."""
        label = self.errors.get(field or "", self.general_error)
        label.setText(message)
        label.show()

    def _clear_errors(self) -> None:
        for label in (*self.errors.values(), self.general_error):
            label.hide()

    @Slot()
    def _on_buttons_accepted(self) -> None:
        self._clear_errors()
        creating = self.record is None
        values = {**self.fixed, **self.values()} if creating else self.values()
        try:
            self.service.kind.check(values, creating=creating)
        except ValidationError as error:
            self.show_error(error.field, error.user_message)
            return
        self.buttons.setEnabled(False)
        store, service = self.context.store, self.service
        if self.record is None:
            self.context.tasks.submit(
                lambda _p: service.create(store, values),
                lane=Lane.WRITE,
                receiver=self,
                on_done=self._on_saved,
                on_error=self._on_save_failed,
            )
            return
        record = self.record
        before = {k: getattr(record, k) for k in values}
        self.context.tasks.submit(
            lambda _p: service.update(store, record.id, values, record.version),
            lane=Lane.WRITE,
            receiver=self,
            on_done=lambda saved: self._on_saved(saved, before),
            on_error=self._on_save_failed,
        )

    def _on_saved(self, record: StoredRecord, before: dict[str, object] | None = None) -> None:
        self.saved_id = record.id
        if self.undo is not None:
            if before is None:
                self.undo.push(CreateCommand(self.context, self.service, record.id))
            else:
                after = {k: getattr(record, k) for k in before}
                if after != before:
                    self.undo.push(
                        EditCommand(
                            self.context, self.service, record.id, before, after, already_done=True
                        )
                    )
        self.accept()

    def _on_save_failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, ValidationError):
            self.show_error(error.field, error.user_message)
        else:
            self.context.messages.failure(error)


class OptionalDate(QWidget):
    """A day that may be unknown: a "Known" box beside a calendar field."""

    def __init__(
        self, latest_today: bool = False, parent: QWidget | None = None, known_text: str = "Known"
    ) -> None:
        super().__init__(parent)
        self.known = QCheckBox(known_text, self)
        self.known.setToolTip("Tick to use this date")
        self.date = QDateEdit(self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("d MMM yyyy")
        self.date.setDate(QDate.currentDate())
        if latest_today:
            self.date.setMaximumDate(QDate.currentDate())
        self.date.setEnabled(False)
        self.known.toggled.connect(self.date.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.known)
        layout.addWidget(self.date, 1)

    def value(self) -> date | None:
        """The day, or None when not known."""
        if not self.known.isChecked():
            return None
        day = self.date.date().toPython()
        assert isinstance(day, date)
        return day

    def set_value(self, day: date | None) -> None:
        """Show a day (None: unknown)."""
        self.known.setChecked(day is not None)
        if day is not None:
            self.date.setDate(qdate(day))


def choice_box(choices: type[Choice], none_label: str | None = "—") -> QComboBox:
    """A combo box of a Choice's values (data: the stored value), with an optional blank."""
    box = QComboBox()
    if none_label is not None:
        box.addItem(none_label, None)
    for choice in choices:
        box.addItem(choice.label, choice.value)
    return box


def select_data(box: QComboBox, value: object) -> None:
    """Select the item holding ``value`` (a Choice's value or an id); the first if none does."""
    data = getattr(value, "value", value)
    box.setCurrentIndex(max(0, box.findData(data)))


def qdate(value: Any) -> QDate:
    """A ``date`` as a QDate."""
    return QDate(value.year, value.month, value.day)
