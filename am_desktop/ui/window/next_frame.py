"""Run something once the window has painted its next frame.

A zero-delay timer is not enough: Qt runs due timers before the posted paint request, so work
queued "right after" new rows would run first, and its worker threads would then fight the
painting for the interpreter. Here the widget is marked for painting and the callback waits for
its paint event (Qt paints every dirty widget of the window in one pass, whether the window
system asked for the frame or the app did), then runs on the next turn of the event loop, once
the frame has been handed over.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

#: The longest wait for a frame (a hidden or minimised window paints none).
FRAME_PATIENCE_MS = 250


class _NextFrame(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget, self._callback, self._done = widget, callback, False
        widget.installEventFilter(self)
        QTimer.singleShot(FRAME_PATIENCE_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self, self._run)  # once this frame is handed over
        return False

    def _run(self) -> None:
        if self._done:
            return
        self._done = True
        self._widget.removeEventFilter(self)
        self._callback()
        self.deleteLater()


def after_next_frame(widget: QWidget, callback: Callable[[], None]) -> None:
    """Call ``callback`` once ``widget`` has been painted (asked for here, so a frame comes
    even when nothing else was due to be painted), or after :data:`FRAME_PATIENCE_MS`."""
    _NextFrame(widget, callback)
    widget.update()
