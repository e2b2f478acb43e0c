"""The note editor's "Draft follow-up" (issue 19): the .eml written on the write lane, then
opened with the system's mail handler; the editor shows "Follow-up drafted 3 Dec".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QLabel, QWidget

from am_desktop.errors import ValidationError
from am_desktop.services.follow_up import FollowUpDraft, draft_follow_up
from am_desktop.ui import format as fmt
from am_desktop.ui.context import AppContext
from am_desktop.ui.tasks import Lane

#: The editor's shortcut for it ("M" for mail).
SHORTCUT = "Ctrl+Shift+M"


class NoteTarget(Protocol):
    """The editor's note as its saves see it on the write lane."""

    note_id: int | None
    version: int | None
    conflicted: bool


def open_with_system(path: Path) -> bool:
    """Open a file with the desktop's handler for its type (the mail client for .eml)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class FollowUp(QObject):
    """The action, the "Follow-up drafted" label, and the work between them.

    Args:
        host: the editor (the shortcut works while the focus is inside it).
        target: the note shown, asked when the action runs (None: no note is shown). Read
            on the write lane, after the saves queued before: a new note has its id by then.
        opener: opens the written file (tests pass a fake).

    Signals:
        drafted(FollowUpDraft): the file was written and handed to the mail client.
    """

    drafted = Signal(object)

    def __init__(
        self,
        context: AppContext,
        host: QWidget,
        target: Callable[[], NoteTarget | None],
        opener: Callable[[Path], bool] = open_with_system,
    ) -> None:
        super().__init__(host)
        self.context = context
        self._host = host
        self._target = target
        self._opener = opener
        self.action = QAction("Draft follow-up…", host)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.action.setToolTip(
            f"An e-mail to the attendees with a recap and the action items ({SHORTCUT})"
        )
        host.addAction(self.action)
        self.label = QLabel("", host)
        self.label.setObjectName("muted")
        self.action.triggered.connect(self.draft)

    def show_state(self, follow_up_at: datetime | None) -> None:
        """Show when the note's follow-up was drafted (nothing when it was not)."""
        self.label.setText(f"Follow-up drafted {fmt.day(follow_up_at)}" if follow_up_at else "")

    def draft(self) -> None:
        """Write the draft of the note shown and open it in the mail client."""
        target = self._target()
        if target is None:
            return
        store = self.context.store
        sender = self.context.settings.prefs.my_email or None

        def work(_progress: object) -> FollowUpDraft:
            note_id = target.note_id
            if note_id is None:
                raise ValidationError("Type the note first: a follow-up recaps a saved note.")
            draft = draft_follow_up(store, note_id, sender=sender)
            if target.note_id == draft.note.id and not target.conflicted:
                target.version = draft.note.version  # the next save goes over this version
            return draft

        self.context.tasks.submit(
            work,
            lane=Lane.WRITE,
            receiver=self._host,
            on_done=self._on_drafted,
            on_error=self.context.messages.failure,
        )

    def _on_drafted(self, draft: FollowUpDraft) -> None:
        self.show_state(draft.note.follow_up_at)
        if not self._opener(draft.path):
            self.context.messages.info(
                f"The follow-up is saved as {draft.path}; no mail program opened it."
            )
        elif draft.recipients == 0:
            self.context.messages.info("Follow-up drafted: no attendee has an e-mail address.")
        self.drafted.emit(draft)
