"""What the Contacts tab tells the user: the coverage warnings above the map, and the notice
that explains a refused edit."""

from __future__ import annotations

import html
from datetime import date

import shiboken6
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from am_desktop.domain.contact_graph import ContactGraph
from am_desktop.domain.coverage import CoverageWarning, Seniority, coverage_warnings
from am_desktop.errors import ValidationError
from am_desktop.ui.context import AppContext


def warnings_for(context: AppContext, graph: ContactGraph, today: date) -> list[CoverageWarning]:
    """The coverage warnings at the level of seniority the user expects (a preference)."""
    level = Seniority(context.settings.prefs.coverage_senior_level)  # validated: a level
    return coverage_warnings(graph, today, level)


class CoverageBanner(QWidget):
    """The coverage warnings, each with what to do, above the map.

    Signals:
        contacts_picked(ids): "Show" was clicked on a warning about these contacts.
    """

    contacts_picked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coverageBanner")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.linkActivated.connect(self._on_label_link_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label)
        self.warnings: list[CoverageWarning] = []

    def show_warnings(self, warnings: list[CoverageWarning]) -> None:
        """Show these warnings (hidden when there are none)."""
        self.warnings = warnings
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        lines = []
        for index, warning in enumerate(warnings):
            show = f" <a href='{index}'>Show</a>" if warning.contact_ids else ""
            message, advice = html.escape(warning.message), html.escape(warning.advice)
            lines.append(
                f"<span style='color:#b3261e'>⚠</span> <b>{message}</b> "
                f"<span style='color:{muted}'>{advice}</span>{show}"
            )
        self.label.setText("<br>".join(lines))
        self.setVisible(bool(warnings))

    @Slot(str)
    def _on_label_link_activated(self, link: str) -> None:
        self.contacts_picked.emit(list(self.warnings[int(link)].contact_ids))


class Notice(QLabel):
    """A refused edit explained beside the map; it stays until the next edit."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.hide()

    def say(self, message: str) -> None:
        """Show ``message`` (hidden when empty)."""
        self.setText(message)
        self.setVisible(bool(message))

    def explain(self, error: ValidationError) -> None:
        """Show a refusal here, or as a message once the tab was closed (undo runs later)."""
        if shiboken6.isValid(self):
            self.say(error.user_message)
        else:
            self.context.messages.warning(error.user_message)
