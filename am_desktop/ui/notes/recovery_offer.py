"""At start, offer back the notes kept when the window closed with them unsaved."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from am_desktop.errors import AppError
from am_desktop.services import note_recovery
from am_desktop.services.note_recovery import UnsavedNote
from am_desktop.ui.context import AppContext
from am_desktop.ui.tasks import Lane

RESTORE = "Restore"
LATER = "Later"


def offer_recovered(parent: QWidget, context: AppContext, say: Callable[[str], None]) -> None:
    """Look for kept notes (off the GUI thread) and, if there are any, offer them back."""
    path = context.store.path
    context.tasks.submit(
        lambda _p: note_recovery.pending(path),
        lane=Lane.READ,
        on_done=lambda found: _ask(parent, context, found, say),
        receiver=parent,
    )


def _ask(
    parent: QWidget, context: AppContext, found: list[UnsavedNote], say: Callable[[str], None]
) -> None:
    if not found:
        return
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Unsaved notes")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText("Notes typed before AM Desktop closed were not saved.")
    box.setInformativeText(
        f"{len(found)} kept. Restore saves each as a note of its account; "
        "Later asks again at the next start."
    )
    restore = box.addButton(RESTORE, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(LATER, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    if box.clickedButton() is not restore:
        return
    store = context.store

    def restore_all(_progress: object) -> tuple[int, list[str]]:
        problems: list[str] = []
        for item in found:
            try:
                note_recovery.restore(store, item)
            except AppError as error:
                problems.append(error.user_message)
        return len(found) - len(problems), problems

    context.tasks.submit(restore_all, lane=Lane.WRITE, on_done=lambda done: say(_outcome(*done)))


def _outcome(restored: int, problems: list[str]) -> str:
    said = f"Restored {restored} note{'s' if restored != 1 else ''}."
    if problems:
        reason = problems[0].rstrip(".")
        said += f" {len(problems)} could not be restored ({reason}); kept for next time."
    return said
