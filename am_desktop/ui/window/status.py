"""The status bar: messages for the user, "Saved HH:MM" after the user's own edits, and the
permanent widgets of the alerts and the sync (left to right)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QWidget

from am_desktop.domain.changes import ChangeSet, Origin
from am_desktop.ui.bus import Level
from am_desktop.ui.context import AppContext

#: How long a message stays in the status bar (ms).
MESSAGE_MS = 8000


class StatusLine(QObject):
    """Shows the message bus's messages and when the user's work was last saved.

    Args:
        context: the shared services.
        window: whose status bar this is (and the parent of error boxes).
        before: permanent widgets left of "Saved" (the alerts' bell).
        after: permanent widgets right of it (the sync's).
    """

    def __init__(
        self,
        context: AppContext,
        window: QMainWindow,
        before: Sequence[QWidget],
        after: Sequence[QWidget],
    ) -> None:
        super().__init__(window)
        self._window = window
        self.saved_label = QLabel("", window)
        self.saved_label.setObjectName("muted")
        bar = window.statusBar()
        for widget in (*before, self.saved_label, *after):
            bar.addPermanentWidget(widget)
        context.messages.posted.connect(self._on_message_posted)
        context.data.changed.connect(self._on_data_changed)

    def show_message(self, text: str, milliseconds: int = MESSAGE_MS) -> None:
        """A short message at the left of the status bar."""
        self._window.statusBar().showMessage(text, milliseconds)

    @Slot(object, str)
    def _on_message_posted(self, level: Level, text: str) -> None:
        if level is Level.ERROR:
            QMessageBox.warning(self._window, "AM Desktop", text)
        else:
            self.show_message(text)

    @Slot(object)
    def _on_data_changed(self, changes: ChangeSet) -> None:
        if Origin.USER in changes.origins:  # a sync or an import saves nothing the user typed
            self.saved_label.setText(f"Saved {datetime.now():%H:%M}")
