"""Run something once the window has painted its next frame.

A zero-delay timer is not enough: Qt runs due timers before the posted paint request, so work
queued "right after" new rows would run first, and its worker threads would then fight the
painting for the interpreter. Here the callback waits for the top-level window's
``UpdateRequest`` (the event in which Qt paints every dirty widget and hands the frame to
the window system), then runs on the next turn of the event loop.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

#: The longest wait for a frame (a hidden or minimised window paints none).
FRAME_PATIENCE_MS = 250


class _NextFrame(QObject):
    def __init__(self, window: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(window)
        self._window, self._callback, self._done = window, callback, False
        window.installEventFilter(self)
        QTimer.singleShot(FRAME_PATIENCE_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.UpdateRequest:
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self, self._run)  # once this frame is painted
        return False

    def _run(self) -> None:
        if self._done:
            return
        self._done = True
        self._window.removeEventFilter(self)
        self._callback()
        self.deleteLater()


def after_next_frame(widget: QWidget, callback: Callable[[], None]) -> None:
    """Call ``callback`` once ``widget`` has been painted (asked for here, so a frame comes
    even when nothing else was due to be painted), or after :data:`FRAME_PATIENCE_MS`."""
    widget.update()
    _NextFrame(widget.window(), callback)
