"""Create or edit a contact: who they are, their part in the decision, and their manager."""

from __future__ import annotations

from datetime import UTC, datetime, time

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from am_desktop.domain.contact_graph import ContactGraph
from am_desktop.domain.enums import ContactRole, Sentiment
from am_desktop.domain.records import ContactRecord
from am_desktop.domain.stay_in_touch import default_cadence
from am_desktop.services import catalog
from am_desktop.ui.context import AppContext
from am_desktop.ui.dialogs.form import OptionalDate, RecordForm, choice_box, select_data


def _scale_box() -> QSpinBox:
    """1 to 5, with 0 shown as "—" (not assessed)."""
    box = QSpinBox()
    box.setRange(0, 5)
    box.setSpecialValueText("—")
    box.setSuffix(" / 5")
    return box


class ContactDialog(RecordForm):
    """The contact form.

    Args:
        graph: the account's contacts, offered as managers.
        contact: the contact to edit (None: a new one at ``graph``'s account).
        manager_id: the manager a new contact starts with.
    """

    def __init__(
        self,
        context: AppContext,
        graph: ContactGraph,
        contact: ContactRecord | None = None,
        undo: QUndoStack | None = None,
        *,
        parent: QWidget | None = None,
        manager_id: int | None = None,
    ) -> None:
        super().__init__(
            context,
            catalog.contacts,
            contact,
            undo,
            parent=parent,
            fixed={"account_id": graph.account_id},
        )
        self.contact = contact
        self.first_name = QLineEdit()
        self.last_name = QLineEdit()
        self.title = QLineEdit()
        self.title.setPlaceholderText("VP Finance")
        self.email = QLineEdit()
        self.phone = QLineEdit()
        self.role = choice_box(ContactRole)
        self.sentiment = choice_box(Sentiment, none_label="Unknown")
        self.influence = _scale_box()
        self.strength = _scale_box()
        self.contacted = OptionalDate(latest_today=True)
        #: Stay-in-touch (issue 19): 0 shows the role's default, which follows the role.
        self.cadence = QSpinBox()
        self.cadence.setRange(0, 3650)
        self.cadence.setSuffix(" days")
        self.cadence.setToolTip("How often this contact should hear from you.")
        self.left_on = OptionalDate(latest_today=True)
        self.left_on.setToolTip(
            "The day they left the company (the map's menu also asks for a successor)."
        )
        self.role.currentIndexChanged.connect(self._show_role_cadence)
        self._show_role_cadence()
        self.manager = QComboBox()
        self.manager.addItem("Nobody (top of the chart)", None)
        own_id = contact.id if contact else None
        if contact is not None and contact.reports_to_id and contact.reports_to_id not in graph:
            # Keep a manager who was archived: saving another field must not drop them.
            self.manager.addItem("Their manager (archived)", contact.reports_to_id)
        for node in sorted(graph.nodes, key=lambda n: n.name.casefold()):
            if node.id != own_id:
                label = f"{node.name} — {node.title}" if node.title else node.name
                self.manager.addItem(label, node.id)
        self.lay_out(
            [
                ("first_name", "First name", self.first_name),
                ("last_name", "Last name", self.last_name),
                ("title", "Job title", self.title),
                ("role", "Role in the deal", self.role),
                ("sentiment", "Sentiment", self.sentiment),
                ("influence", "Influence", self.influence),
                ("relationship_strength", "Relationship", self.strength),
                ("reports_to_id", "Reports to", self.manager),
                ("last_contacted_at", "Last contacted", self.contacted),
                ("cadence_days", "Stay in touch every", self.cadence),
                ("left_on", "Left the company", self.left_on),
                ("email", "E-mail", self.email),
                ("phone", "Phone", self.phone),
            ]
        )
        if contact is not None:
            self._fill(contact)
        else:
            select_data(self.manager, manager_id)

    def _fill(self, contact: ContactRecord) -> None:
        self.first_name.setText(contact.first_name or "")
        self.last_name.setText(contact.last_name)
        self.title.setText(contact.title or "")
        self.email.setText(contact.email or "")
        self.phone.setText(contact.phone or "")
        select_data(self.role, contact.role)
        select_data(self.sentiment, contact.sentiment)
        self.influence.setValue(contact.influence or 0)
        self.strength.setValue(contact.relationship_strength or 0)
        select_data(self.manager, contact.reports_to_id)
        moment = contact.last_contacted_at
        self.contacted.set_value(moment.astimezone().date() if moment else None)
        self.cadence.setValue(contact.cadence_days or 0)
        self.left_on.set_value(contact.left_on)

    def _show_role_cadence(self) -> None:
        role = self.role.currentData()
        days = default_cadence(ContactRole(role) if role else None)
        self.cadence.setSpecialValueText(f"Role default ({days} days)")

    def values(self) -> dict[str, object]:
        """What the form says; an unchanged last-contacted day keeps its stored time."""
        return {
            "first_name": self.first_name.text(),
            "last_name": self.last_name.text(),
            "title": self.title.text(),
            "email": self.email.text(),
            "phone": self.phone.text(),
            "role": self.role.currentData() or "",
            "sentiment": self.sentiment.currentData() or "",
            "influence": self.influence.value() or None,
            "relationship_strength": self.strength.value() or None,
            "reports_to_id": self.manager.currentData(),
            "last_contacted_at": self._contacted_value(),
            "cadence_days": self.cadence.value() or None,
            "left_on": self.left_on.value(),
        }

    def _contacted_value(self) -> datetime | None:
        day = self.contacted.value()
        if day is None:
            return None
        stored = self.contact.last_contacted_at if self.contact else None
        if stored is not None and stored.astimezone().date() == day:
            return stored
        return datetime.combine(day, time(12, 0)).astimezone(UTC)
