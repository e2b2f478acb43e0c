"""When a note is saved: after a short pause in typing, and at least every second while typing
continues, so nothing typed more than about a second ago is lost if the app is killed
(STYLE.md 2.6, issue 5). Switching notes, leaving the editor and closing force a save.

The timing lives here, apart from the editor, so tests can drive it with short intervals.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

#: Save this long after the last keystroke...
PAUSE_MS = 500
#: ...or this long after the first unsaved one, whichever comes first.
MAX_WAIT_MS = 1000


class Autosave(QObject):
    """Decides when to save; the editor says what changed and does the saving.

    Args:
        save: starts a save of the current text; returns False when one is already running
            (the change stays pending and is saved when that one ends).

    Signals:
        dirty_changed(bool): there are (or no longer are) unsaved changes.
    """

    dirty_changed = Signal(bool)

    def __init__(
        self,
        save: Callable[[], bool],
        pause_ms: int = PAUSE_MS,
        max_wait_ms: int = MAX_WAIT_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.dirty = False
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(pause_ms)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(max_wait_ms)
        self._pause.timeout.connect(self.flush)
        self._deadline.timeout.connect(self.flush)

    def changed(self) -> None:
        """The text changed: save after a pause, or by the deadline."""
        if not self.dirty:
            self.dirty = True
            self.dirty_changed.emit(True)
        self._pause.start()
        if not self._deadline.isActive():
            self._deadline.start()

    def flush(self) -> None:
        """Save now if anything is unsaved."""
        self._pause.stop()
        self._deadline.stop()
        if not self.dirty:
            return
        self.dirty = False  # before saving: a save that fails at once marks it dirty again
        if not self._save():
            self.dirty = True  # a save is running: this one goes out when it ends
        elif not self.dirty:
            self.dirty_changed.emit(False)

    def failed(self) -> None:
        """A save failed: the text stays unsaved (the editor offers Retry)."""
        self._pause.stop()
        self._deadline.stop()
        if not self.dirty:
            self.dirty = True
            self.dirty_changed.emit(True)

    def forget(self) -> None:
        """Drop pending changes (the note was replaced: they belong to no note now)."""
        self._pause.stop()
        self._deadline.stop()
        if self.dirty:
            self.dirty = False
            self.dirty_changed.emit(False)
