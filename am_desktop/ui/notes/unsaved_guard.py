"""Closing the window never drops a note's text silently (issue 14 item 1).

The window flushes every editor, lets the write lane finish and delivers its answers; notes
still unsaved (their saves failed: the write lock held elsewhere, a full disk, a read-only
file) make it ask: try again, or close and keep them in recovery files for the next start.
When even those cannot be written, the text goes to the clipboard and the window stays open.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from am_desktop.services import note_recovery
from am_desktop.ui.context import AppContext
from am_desktop.ui.notes.editor import NoteEditor

TRY_AGAIN = "Try again"
KEEP = "Close and keep them for next time"


def may_close(parent: QWidget, context: AppContext, editors: Sequence[NoteEditor]) -> bool:
    """Whether the window may close now: all text is stored, or kept for the next start."""
    for editor in editors:
        editor.flush()
    context.tasks.shutdown(reads_ms=0)  # queued writes finish (reads are not waited for)...
    QCoreApplication.sendPostedEvents()  # ...and their answers arrive before we ask
    return settle(parent, context, editors)


def settle(parent: QWidget, context: AppContext, editors: Sequence[NoteEditor]) -> bool:
    """Ask about the editors' unsaved text, if any; whether their window may close now."""
    unsaved = [(editor, note) for editor in editors if (note := editor.unsaved()) is not None]
    if not unsaved:
        return True
    reason = next((e.failure for e, _n in unsaved if e.failure), "they are not saved yet")
    count = len(unsaved)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Notes not saved")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(
        f"{count} note{'s' if count != 1 else ''} could not be saved ({reason.rstrip('.')})."
    )
    box.setInformativeText(
        "Try again saves them now and keeps the window open. Closing keeps them beside the "
        "database; the next start offers them back."
    )
    retry = box.addButton(TRY_AGAIN, QMessageBox.ButtonRole.AcceptRole)
    keep = box.addButton(KEEP, QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(retry)
    box.setEscapeButton(retry)  # only an explicit choice closes with text unsaved
    box.exec()
    if box.clickedButton() is not keep:
        for editor, _note in unsaved:
            editor.flush()
        return False
    try:
        note_recovery.keep(context.store.path, [note for _e, note in unsaved])
    except OSError as error:
        _keep_on_clipboard(parent, [note.body for _e, note in unsaved], context, error)
        return False
    for editor, _note in unsaved:
        editor.kept_elsewhere()
    return True


def _keep_on_clipboard(
    parent: QWidget, bodies: Sequence[str], context: AppContext, error: OSError
) -> None:
    """The last resort: the text goes to the clipboard, and the window stays open."""
    QGuiApplication.clipboard().setText("\n\n----\n\n".join(bodies))
    where = note_recovery.folder(context.store.path)
    QMessageBox.warning(
        parent,
        "Notes not saved",
        f"The unsaved notes could not be kept in {where} either "
        f"({error.strerror or error}).\n\nTheir text is still in the editor and on the "
        "clipboard: paste it somewhere safe. The window stays open.",
    )
