"""Run something once the window has painted its next frame.

A zero-delay timer is not enough: Qt runs due timers before the posted paint request, so work
queued "right after" new rows would run first, and its worker threads would then fight the
painting for the interpreter. Here the widget is marked for painting and the callback waits for
its paint event (Qt paints every dirty widget of the window in one pass, whether the window
system asked for the frame or the app did), then runs on the next turn of the event loop, once
the frame has been handed over.

The helper is a child of the widget and holds no Python reference to it (it reaches it as its
parent), and lets go of the callback before it asks to be deleted. A helper that kept the
widget's wrapper alive could be the last owner of a widget made in Python: the helper's own
deletion would then delete the widget, whose destructor deletes its children, the helper among
them, a second time (a segfault seen in the test suite).
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
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        QTimer.singleShot(FRAME_PATIENCE_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._callback is not None and event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._run)  # once this frame is handed over
        return False

    def _run(self) -> None:
        callback, self._callback = self._callback, None
        if callback is None:
            return
        widget = self.parent()
        if widget is not None:
            widget.removeEventFilter(self)
        self.deleteLater()
        callback()


def after_next_frame(widget: QWidget, callback: Callable[[], None]) -> None:
    """Call ``callback`` once ``widget`` has been painted (asked for here, so a frame comes
    even when nothing else was due to be painted), or after :data:`FRAME_PATIENCE_MS`."""
    _NextFrame(widget, callback)
    widget.update()
