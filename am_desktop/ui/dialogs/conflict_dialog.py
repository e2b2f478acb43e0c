"""Sync conflicts (issue 8 item 7): what was changed both here and in the CRM, side by side,
and the account manager's choice for each. Nothing is sent or thrown away until they choose.

Reading runs on the READ lane, settling on the WRITE lane; the change feed tells the views
and the status bar what a settled conflict wrote.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.changes import ChangeSet
from am_desktop.domain.enums import OpportunityStage, RenewalStage
from am_desktop.domain.formatting import currency_symbol, money
from am_desktop.domain.money import exponent, minor_per_major, minor_units
from am_desktop.domain.values import format_money, parse_amount
from am_desktop.errors import AppError, ValidationError
from am_desktop.services.sync.conflicts import Conflict, Take, list_conflicts, resolve
from am_desktop.services.sync.fields import KINDS
from am_desktop.ui.context import AppContext
from am_desktop.ui.plain_text import plain
from am_desktop.ui.tasks import Lane
from am_desktop.ui.widgets import EmptyState

#: The synced fields in plain words.
FIELD_LABELS = {
    "name": "name",
    "domain": "web domain",
    "industry": "industry",
    "first_name": "first name",
    "last_name": "last name",
    "email": "e-mail address",
    "title": "job title",
    "phone": "phone number",
    "amount_cents": "amount",
    "close_date": "close date",
    "stage": "stage",
    "proposed_arr_cents": "proposed ARR",
    "body": "text",
    "occurred_at": "date and time",
}
#: The kinds of record in plain words.
NOUNS = {
    "account": "account",
    "contact": "contact",
    "opportunity": "opportunity",
    "renewal": "renewal",
    "note": "note",
}
#: Fields a record cannot be without.
_REQUIRED = {("account", "name"), ("contact", "last_name"), ("opportunity", "name"),
             ("note", "occurred_at")}  # fmt: skip
_STAGES: dict[str, Any] = {"opportunity": OpportunityStage, "renewal": RenewalStage}
_EMPTY = "(empty)"
_ROLE_ID = Qt.ItemDataRole.UserRole + 1


def _kind(obj: str, field: str) -> str:
    return KINDS.get(obj, {}).get(field, "text")


def field_words(field: str | None) -> str:
    """A field's name as a person says it ("first_name" → "first name")."""
    if field is None:
        return "record"
    return FIELD_LABELS.get(field, field.replace("_", " "))


def what_happened(conflict: Conflict) -> str:
    """One line for the list: "Name changed on both sides", "Deleted in the CRM, changed here"."""
    if conflict.kind == "deleted_remotely":
        return "Deleted in the CRM, changed here"
    if conflict.kind == "deleted_locally":
        return "Archived here, changed in the CRM"
    if conflict.kind == "refused_here":
        return "Closed in the CRM, refused here"
    words = field_words(conflict.field)
    return f"{words[:1].upper()}{words[1:]} changed on both sides"


def amount_text(minor: int, currency: str) -> str:
    """An amount exactly, in its currency: ``€1,200``, ``€1,200.50``, ``¥1,200``,
    ``KWD 1,234.567`` (a conflict of 1,200.50 against 1,200.75 must not read the same)."""
    if minor % minor_per_major(currency) == 0:
        return money(minor, currency)
    places = exponent(currency)
    sign = "−" if minor < 0 else ""
    return f"{sign}{currency_symbol(currency)}{Decimal(abs(minor)).scaleb(-places):,.{places}f}"


def shown(obj: str, field: str, value: Any, currency: str | None = None) -> str:
    """A canonical value as a person reads it (amounts in ``currency``, stages by name)."""
    if value is None or value == "":
        return _EMPTY
    kind = _kind(obj, field)
    if kind in ("cents", "cents0") and isinstance(value, int):
        return amount_text(value, currency or "USD")
    if kind == "moment" and isinstance(value, int):
        moment = datetime.fromtimestamp(value / 1000, UTC).astimezone()
        return f"{moment.day} {moment:%b %Y %H:%M}"
    if kind == "stage" and obj in _STAGES:
        try:
            return str(_STAGES[obj](value).label)
        except ValueError:
            return str(value)
    return str(value)


def shown_record(obj: str, values: Any) -> str:
    """A whole record's values, one field a line (its amounts in its own currency)."""
    if not isinstance(values, dict):
        return _EMPTY
    currency = values.get("currency")
    lines = []
    for field, value in values.items():
        words = field_words(field)
        lines.append(f"{words[:1].upper()}{words[1:]}: {shown(obj, field, value, currency)}")
    return "\n".join(lines) or _EMPTY


def editable_text(obj: str, field: str, value: Any, currency: str = "USD") -> str:
    """A canonical value as text to edit (what :func:`parse_edit` reads back); an amount in
    ``currency``'s decimals (``¥1,200`` edits as "1200")."""
    if value is None:
        return ""
    kind = _kind(obj, field)
    if kind in ("cents", "cents0") and isinstance(value, int):
        return format_money(value, exponent(currency))
    if kind == "moment" and isinstance(value, int):
        return f"{datetime.fromtimestamp(value / 1000, UTC).astimezone():%Y-%m-%d %H:%M}"
    return str(value)


def parse_edit(obj: str, field: str, text: str, currency: str = "USD") -> Any:
    """The canonical value of an edited field (an amount in ``currency``'s minor units).

    Raises:
        ValidationError: the text is not a value of the field (the message says what is).
    """
    kind = _kind(obj, field)
    words = field_words(field)
    text = text.rstrip() if kind == "body" else text.strip()
    if not text:
        if (obj, field) in _REQUIRED:
            raise ValidationError(f"The {words} cannot be empty.", field)
        return 0 if kind == "cents0" else ("" if kind == "body" else None)
    if kind in ("cents", "cents0", "date", "moment"):
        return _parse_number_or_time(kind, field, text, currency)
    if kind == "stage" and obj in _STAGES:
        for stage in _STAGES[obj]:
            if text.casefold() in (stage.value, stage.label.casefold()):
                return stage.value
        names = ", ".join(stage.label for stage in _STAGES[obj])
        raise ValidationError(f"Choose one of: {names}.", field)
    if kind == "lower":
        if field == "email" and "@" not in text:
            raise ValidationError("Enter an e-mail address, such as ada@example.com.", field)
        return text.lower()
    return text


def _parse_number_or_time(kind: str, field: str, text: str, currency: str) -> Any:
    if kind in ("cents", "cents0"):
        try:
            return minor_units(parse_amount(text), currency)
        except ValueError as error:
            example = format_money(120050 * minor_per_major(currency) // 100, exponent(currency))
            raise ValidationError(
                f"Enter an amount in {currency}, such as {example} ({error}).", field
            ) from None
    if kind == "date":
        try:
            return datetime.strptime(text, "%Y-%m-%d").date().isoformat()
        except ValueError:
            raise ValidationError("Enter a date as year-month-day, such as 2026-12-15.",
                                  field) from None  # fmt: skip
    try:  # a moment, in local time
        moment = datetime.strptime(text, "%Y-%m-%d %H:%M").astimezone()
    except ValueError:
        raise ValidationError("Enter a date and time, such as 2026-12-15 14:30.",
                              field) from None  # fmt: skip
    return int(moment.timestamp() * 1000)


class ConflictDialog(QDialog):
    """The open conflicts, one at a time: base, mine and theirs, and the choice.

    Args:
        context: the shared services.
        obj: with ``local_id``, only this record's conflicts (the account header's link).
        local_id: the record's id.
        parent: the window.

    Signals:
        resolved(conflict_id): a conflict was settled.
    """

    #: (conflict id)
    resolved = Signal(int)

    def __init__(
        self,
        context: AppContext,
        obj: str | None = None,
        local_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.obj, self.local_id = obj, local_id
        self.conflicts: list[Conflict] = []
        self.loaded = False
        self._busy = False
        self._error_for: int | None = None  # the conflict whose error stays shown
        self.setWindowTitle("Sync conflicts")
        self.setMinimumSize(820, 460)
        self.intro = QLabel(
            "These were changed both here and in the CRM since the last sync. Nothing is sent "
            "or thrown away until you choose; the next sync carries out your choice."
        )
        self.intro.setWordWrap(True)
        self.intro.setObjectName("muted")
        self.list = QListWidget()
        self.list.setMinimumWidth(250)
        self.list.setAlternatingRowColors(True)
        self.heading = QLabel()
        self.heading.setObjectName("sectionTitle")
        self.heading.setWordWrap(True)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.captions = {
            "base": QLabel("Base (last agreed)"),
            "local": QLabel("Mine (this computer)"),
            "remote": QLabel("Theirs (the CRM)"),
        }
        self.values = {key: QPlainTextEdit() for key in self.captions}
        for box in self.values.values():
            box.setReadOnly(True)
            box.setTabChangesFocus(True)
        self.keep_button = QPushButton("&Keep mine")
        self.take_button = QPushButton("&Take theirs")
        self.edit_button = QPushButton("&Edit…")
        self.edit_line = QLineEdit()
        self.edit_body = QPlainTextEdit()
        self.edit_body.setTabChangesFocus(True)
        self.edit_body.setMaximumHeight(90)
        self.edit_save = QPushButton("&Save")
        self.edit_cancel = QPushButton("Cancel")
        self.editor = QWidget()
        self.error = plain(QLabel())
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.empty = EmptyState(
            title="No conflicts: everything agrees with the CRM.",
            text="A conflict appears here when the same thing was changed here and in the CRM "
            "between two syncs.",
        )
        self.pages = QStackedWidget()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self._lay_out()
        self._connect_signals()
        self.reload()

    def _lay_out(self) -> None:
        columns = self._columns = QGridLayout()
        for column, key in enumerate(self.captions):
            self.captions[key].setObjectName("muted")
            columns.addWidget(self.captions[key], 0, column)
            columns.addWidget(self.values[key], 1, column)
            columns.setColumnStretch(column, 1)
        editor = QHBoxLayout(self.editor)
        editor.setContentsMargins(0, 0, 0, 0)
        editor.addWidget(self.edit_line, 1)
        editor.addWidget(self.edit_body, 1)
        editor.addWidget(self.edit_save, 0, Qt.AlignmentFlag.AlignTop)
        editor.addWidget(self.edit_cancel, 0, Qt.AlignmentFlag.AlignTop)
        self.editor.hide()
        choices = QHBoxLayout()
        choices.addWidget(self.keep_button)
        choices.addWidget(self.take_button)
        choices.addWidget(self.edit_button)
        choices.addStretch(1)
        details = QWidget()
        right = QVBoxLayout(details)
        right.setContentsMargins(8, 0, 0, 0)
        right.addWidget(self.heading)
        right.addWidget(self.explanation)
        right.addLayout(columns)
        right.addWidget(self.editor)
        right.addWidget(self.error)
        right.addLayout(choices)
        right.addStretch(1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.list)
        split.addWidget(details)
        split.setStretchFactor(1, 1)
        split.setSizes([270, 600])
        split.setChildrenCollapsible(False)
        self.pages.addWidget(split)
        self.pages.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.list.currentRowChanged.connect(self._on_list_current_row_changed)
        # A sync or an edit elsewhere changes what is shown: read it again.
        self.context.data.changed.connect(self._on_data_changed)
        self.keep_button.clicked.connect(self._on_keep_clicked)
        self.take_button.clicked.connect(self._on_take_clicked)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.edit_save.clicked.connect(self._on_edit_save_clicked)
        self.edit_line.returnPressed.connect(self._on_edit_save_clicked)
        self.edit_cancel.clicked.connect(self._on_edit_cancel_clicked)
        self.buttons.rejected.connect(self.reject)

    # ------------------------------------------------------------------------------ data

    def reload(self) -> None:
        """Read the open conflicts again (on a worker)."""
        store, obj, local_id = self.context.store, self.obj, self.local_id
        self.context.tasks.submit(
            lambda _p: list_conflicts(store, obj, local_id),
            lane=Lane.READ,
            receiver=self,
            on_done=self._on_loaded,
        )

    @Slot(object)
    def _on_data_changed(self, _changes: ChangeSet) -> None:
        if not self._busy:  # a sync or an edit elsewhere: show what is true now
            self.reload()

    def current(self) -> Conflict | None:
        """The conflict selected, or None."""
        row = self.list.currentRow()
        return self.conflicts[row] if 0 <= row < len(self.conflicts) else None

    @Slot(object)
    def _on_loaded(self, conflicts: list[Conflict]) -> None:
        previous = self.current()
        self.conflicts = conflicts
        self.loaded = True
        self._busy = False
        self.list.blockSignals(True)
        self.list.clear()
        for conflict in conflicts:
            noun = NOUNS.get(conflict.obj, conflict.obj)
            item = QListWidgetItem(f"{conflict.record} ({noun})\n{what_happened(conflict)}")
            item.setData(_ROLE_ID, conflict.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        if self.obj is not None and conflicts:
            self.setWindowTitle(f"Sync conflicts: {conflicts[0].record}")
        if not conflicts:
            self.pages.setCurrentWidget(self.empty)
            return
        self.pages.setCurrentIndex(0)
        ids = [c.id for c in conflicts]
        row = ids.index(previous.id) if previous is not None and previous.id in ids else 0
        self.list.setCurrentRow(row)
        self._on_list_current_row_changed(row)
        self.list.setFocus()

    @Slot(int)
    def _on_list_current_row_changed(self, _row: int) -> None:
        conflict = self.current()
        self._end_edit()
        if conflict is None or conflict.id != self._error_for:
            self.error.hide()
        if conflict is None:
            return
        noun = NOUNS.get(conflict.obj, conflict.obj)
        record_level = conflict.field is None
        self.captions["base"].setVisible(not record_level)
        self.values["base"].setVisible(not record_level)
        self._columns.setColumnStretch(0, 0 if record_level else 1)  # no gap where it was
        self.edit_button.setVisible(not record_level)
        self._fit_values(tall=record_level or _kind(conflict.obj, conflict.field or "") == "body")
        field = conflict.field
        if field is None:
            self._show_record_conflict(conflict, noun)
            return
        words = field_words(field)
        self.heading.setText(f"{conflict.record}: {words}")
        if conflict.kind == "refused_here":
            self.explanation.setText(
                f"This {noun} was closed in the CRM, but the app could not close it here the "
                "same way (a win needs an amount, which goes to the ARR ledger). Take theirs "
                "once it has one; Keep mine sends this stage back to the CRM."
            )
        else:
            self.explanation.setText(
                f"The {words} of this {noun} was changed here and in the CRM since the last "
                "sync. Keep mine sends yours to the CRM; Take theirs puts the CRM's here; Edit… "
                "lets you write the value both should have."
            )
        for key in self.captions:
            value = getattr(conflict, key)
            currency = conflict.currencies.get(key)
            self.values[key].setPlainText(shown(conflict.obj, field, value, currency))
        self.keep_button.setText("&Keep mine")
        self.take_button.setText("&Take theirs")

    def _fit_values(self, *, tall: bool) -> None:
        """A value takes three lines; a note's text or a whole record gets the room there is."""
        lines = 3 if not tall else 9
        height = self.fontMetrics().lineSpacing() * lines + 14
        for box in self.values.values():
            box.setFixedHeight(height)

    def _show_record_conflict(self, conflict: Conflict, noun: str) -> None:
        self.heading.setText(f"{conflict.record}: the whole {noun}")
        mine = shown_record(conflict.obj, conflict.local)
        if conflict.kind == "deleted_remotely":
            self.explanation.setText(
                f"Someone deleted this {noun} in the CRM, but it was changed here since the "
                f"last sync. Keep it and the next sync creates it in the CRM again; let it go "
                f"and it is archived here too."
            )
            theirs = "Deleted in the CRM"
            self.keep_button.setText("&Keep it and send it again")
            self.take_button.setText("&Let it go")
        else:
            self.explanation.setText(
                f"You archived this {noun} here, but it was changed in the CRM since the last "
                "sync. Delete it in the CRM too, or restore it here (the CRM's changes arrive "
                "with the next sync)."
            )
            mine = f"Archived here\n\n{mine}"
            theirs = shown_record(conflict.obj, conflict.remote)
            self.keep_button.setText("&Delete it in the CRM too")
            self.take_button.setText("&Restore it here")
        self.values["local"].setPlainText(mine)
        self.values["remote"].setPlainText(theirs)

    # ------------------------------------------------------------------------------ choices

    def settle(self, take: Take, value: Any = None) -> None:
        """Settle the selected conflict ("local", "remote" or "edit" with ``value``)."""
        conflict = self.current()
        if conflict is None or self._busy:
            return
        self._busy = True
        self._error_for = None
        store = self.context.store
        self.context.tasks.submit(
            lambda _p: resolve(store, conflict.id, take, value, seen=conflict),
            lane=Lane.WRITE,
            receiver=self,
            on_done=lambda _r: self._on_settled(conflict.id),
            on_error=self._on_settle_failed,
        )

    def _on_settled(self, conflict_id: int) -> None:
        self.resolved.emit(conflict_id)
        self.reload()

    def _on_settle_failed(self, error: BaseException) -> None:
        self._busy = False
        if not isinstance(error, AppError):
            self.context.messages.failure(error)
            return
        self.error.setText(error.user_message)
        self.error.show()
        current = self.current()
        self._error_for = current.id if current is not None else None  # kept across the reload
        self.reload()  # changed or settled elsewhere meanwhile: show what is true now

    @Slot()
    def _on_keep_clicked(self) -> None:
        self.settle("local")

    @Slot()
    def _on_take_clicked(self) -> None:
        self.settle("remote")

    @Slot()
    def _on_edit_clicked(self) -> None:
        conflict = self.current()
        if conflict is None or conflict.field is None:
            return
        body = _kind(conflict.obj, conflict.field) == "body"
        currency = conflict.currencies.get("local", "USD")
        text = editable_text(conflict.obj, conflict.field, conflict.local, currency)
        self.edit_line.setVisible(not body)
        self.edit_body.setVisible(body)
        editor: QLineEdit | QPlainTextEdit = self.edit_body if body else self.edit_line
        if body:
            self.edit_body.setPlainText(text)
        else:
            self.edit_line.setText(text)
            self.edit_line.selectAll()
        self.editor.show()
        for button in (self.keep_button, self.take_button, self.edit_button):
            button.setEnabled(False)
        editor.setFocus()

    @Slot()
    def _on_edit_save_clicked(self) -> None:
        conflict = self.current()
        if conflict is None or conflict.field is None:
            return
        body = _kind(conflict.obj, conflict.field) == "body"
        text = self.edit_body.toPlainText() if body else self.edit_line.text()
        try:
            value = parse_edit(
                conflict.obj, conflict.field, text, conflict.currencies.get("local", "USD")
            )
        except ValidationError as error:
            self.error.setText(error.user_message)
            self.error.show()
            return
        self.error.hide()
        self.settle("edit", value)

    @Slot()
    def _on_edit_cancel_clicked(self) -> None:
        self._end_edit()
        self.edit_button.setFocus()

    def _end_edit(self) -> None:
        self.editor.hide()
        for button in (self.keep_button, self.take_button, self.edit_button):
            button.setEnabled(True)

    def keyPressEvent(self, event: Any) -> None:
        """Escape leaves the editor first, then closes."""
        if event.key() == Qt.Key.Key_Escape and self.editor.isVisible():
            self._on_edit_cancel_clicked()
            return
        super().keyPressEvent(event)
