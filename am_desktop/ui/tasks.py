"""The one place threads are made: background work in lanes, results back on the GUI thread.

- WRITE: one thread; SQLite has one writer, and saves must stay in order.
- READ: a small pool for queries.
- NET: file export and CRM sync.

``on_done`` and ``on_error`` always run on the GUI thread. Work receives a ``progress``
callable and returns plain data; it never touches a widget.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from am_desktop.domain.cancel import CancelToken, Progress

T = TypeVar("T")
log = logging.getLogger("am_desktop.ui.tasks")

Work = Callable[[Progress], T]
OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]
OnProgress = Callable[[int, int, str], None]


class Lane(enum.Enum):
    """Where a piece of work runs."""

    READ = "read"
    WRITE = "write"
    NET = "net"


class TaskRunner(Protocol):
    """What views use to run work off the GUI thread (an inline fake in tests)."""

    def submit(
        self,
        work: Work[Any],
        *,
        lane: Lane,
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
        on_progress: OnProgress | None = None,
        cancel: CancelToken | None = None,
        receiver: QObject | None = None,
    ) -> None: ...

    def shutdown(self) -> None: ...


class _Signals(QObject):
    """Lives on the GUI thread, so emitting from a worker queues delivery there."""

    #: (result)
    done = Signal(object)
    #: (exception)
    failed = Signal(object)
    #: (done, total, stage)
    progressed = Signal(int, int, str)


class _Job(QRunnable):
    def __init__(self, work: Work[Any], signals: _Signals, cancel: CancelToken | None) -> None:
        super().__init__()
        self.work, self.signals, self.cancel = work, signals, cancel

    def run(self) -> None:
        def progress(done: int, total: int, stage: str) -> None:
            if self.cancel is not None:
                self.cancel.raise_if_cancelled()
            self.signals.progressed.emit(done, total, stage)

        try:
            result = self.work(progress)
        except BaseException as error:
            self.signals.failed.emit(error)
        else:
            self.signals.done.emit(result)


class ThreadTaskRunner(QObject):
    """The application's task runner, over three thread pools.

    Args:
        default_error: receives failures of work submitted without ``on_error``.
    """

    def __init__(self, default_error: OnError, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._default_error = default_error
        self._pools = {lane: QThreadPool(self) for lane in Lane}
        self._pools[Lane.WRITE].setMaxThreadCount(1)
        self._pools[Lane.READ].setMaxThreadCount(2)
        self._pools[Lane.NET].setMaxThreadCount(2)
        self._pending: set[_Signals] = set()

    def submit(
        self,
        work: Work[Any],
        *,
        lane: Lane,
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
        on_progress: OnProgress | None = None,
        cancel: CancelToken | None = None,
        receiver: QObject | None = None,
    ) -> None:
        """Run ``work`` on ``lane``; callbacks come back on the GUI thread.

        Args:
            receiver: the widget the callbacks update; once it is deleted (a closed tab or
                dialog), they are dropped instead of touching it.
        """
        signals = _Signals(self)
        self._pending.add(signals)

        def finished() -> None:
            self._pending.discard(signals)
            signals.deleteLater()

        if on_done is not None:
            signals.done.connect(_guarded(on_done, receiver))
        signals.failed.connect(_guarded(on_error, receiver) if on_error else self._default_error)
        if on_progress is not None:
            signals.progressed.connect(_guarded(on_progress, receiver))
        signals.done.connect(finished)
        signals.failed.connect(finished)
        self._pools[lane].start(_Job(work, signals, cancel))

    @Slot()
    def shutdown(self) -> None:
        """Let queued writes finish (nothing typed is lost), then stop."""
        self._pools[Lane.WRITE].waitForDone()
        for pool in self._pools.values():
            pool.clear()
            pool.waitForDone(2000)


def _guarded(callback: Callable[..., None], receiver: QObject | None) -> Callable[..., None]:
    """``callback``, skipped once ``receiver`` (the widget it updates) is deleted."""
    if receiver is None:
        return callback

    def call(*args: Any) -> None:
        if shiboken6.isValid(receiver):
            callback(*args)

    return call


class InlineTaskRunner:
    """Runs work at once on the calling thread: deterministic tests (Picard's FakeThreadPool)."""

    def __init__(self, default_error: OnError | None = None) -> None:
        self._default_error = default_error
        self.submitted: list[Lane] = []

    def submit(
        self,
        work: Work[Any],
        *,
        lane: Lane,
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
        on_progress: OnProgress | None = None,
        cancel: CancelToken | None = None,
        receiver: QObject | None = None,
    ) -> None:
        """Run ``work`` now and call back before returning."""
        self.submitted.append(lane)

        def progress(done: int, total: int, stage: str) -> None:
            if cancel is not None:
                cancel.raise_if_cancelled()
            if on_progress is not None:
                on_progress(done, total, stage)

        try:
            result = work(progress)
        except BaseException as error:
            handler = on_error or self._default_error
            if handler is None:
                raise
            handler(error)
        else:
            if on_done is not None:
                on_done(result)

    def shutdown(self) -> None:
        """Nothing runs in the background."""
