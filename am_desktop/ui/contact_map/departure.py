"""Marking a contact as left (issue 19): the day and the successor are asked, then the
service records it, adds the account-plan risk and reads coverage without them; the map,
header and Today follow through the change feed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.contact_graph import ContactGraph
from am_desktop.domain.ids import ContactId
from am_desktop.services.stay_in_touch import Departure, mark_contact_left
from am_desktop.ui.context import AppContext
from am_desktop.ui.tasks import Lane

#: The successor choice for "nobody known yet".
NONE_YET = "None yet"


class LeaveDialog(QDialog):
    """Asks when the contact left and who takes over (a present contact, or none yet).

    Signals:
        departed(Departure): the departure was recorded.
    """

    departed = Signal(object)

    def __init__(
        self,
        context: AppContext,
        graph: ContactGraph,
        contact_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context, self.contact_id = context, contact_id
        leaver = graph.node(ContactId(contact_id))
        self.setWindowTitle(f"{leaver.name} left")
        today = context.today()
        self.left_on = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.left_on.setCalendarPopup(True)
        self.left_on.setDisplayFormat("d MMM yyyy")
        self.left_on.setMaximumDate(QDate(today.year, today.month, today.day))
        self.successor = QComboBox(self)
        self.successor.addItem(NONE_YET, None)
        for node in sorted(graph.nodes, key=lambda n: n.name.casefold()):
            if node.id != contact_id and node.left_on is None:
                label = f"{node.name} — {node.title}" if node.title else node.name
                self.successor.addItem(label, int(node.id))
        explain = QLabel(
            f"{leaver.name} stays on the map for the history, out of the coverage rules. "
            "A risk is added to the account plan; a successor without a role takes theirs.",
            self,
        )
        explain.setWordWrap(True)
        self.error = QLabel("", self)
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Mark as left")
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Left on", self.left_on)
        form.addRow("Successor", self.successor)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _on_buttons_accepted(self) -> None:
        store, contact_id = self.context.store, self.contact_id
        left_on: date = self.left_on.date().toPython()  # type: ignore[assignment]
        successor: int | None = self.successor.currentData()
        today = self.context.today()
        self.buttons.setEnabled(False)
        self.context.tasks.submit(
            lambda _p: mark_contact_left(store, contact_id, left_on, successor, today),
            lane=Lane.WRITE,
            receiver=self,
            on_done=self._on_done,
            on_error=self._on_error,
        )

    def _on_done(self, departure: Departure) -> None:
        self.departed.emit(departure)
        self.context.messages.info(departure_sentence(departure))
        self.accept()

    def _on_error(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        message = getattr(error, "user_message", None)
        if message is None:
            self.context.messages.failure(error)
            return
        self.error.setText(message)
        self.error.show()


def departure_sentence(departure: Departure) -> str:
    """What marking as left did, for the status line."""
    said = f"{departure.contact.full_name} marked as left; a risk was added to the account plan."
    gaps = len(departure.coverage)
    if gaps:
        said += f" Coverage now: {departure.coverage[0].message}"
        if gaps > 1:
            said += f" (and {gaps - 1} more)"
    return said
