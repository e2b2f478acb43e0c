"""The one place threads are made: background work in lanes, results back on the GUI thread.

- WRITE: one thread; SQLite has one writer, and saves must stay in order.
- READ: a small pool for queries.
- NET: file export and CRM sync.

``on_done``, ``on_error`` and ``on_progress`` always run on the GUI thread. Work receives a
``progress`` callable and returns plain data; it never touches a widget.

Object lifetimes across threads are where threaded Qt code crashes, so they are fixed here
by construction:

- Workers talk to one ``_Mailbox``: a QObject made once, on the GUI thread, and never
  deleted. No per-job QObject exists, so none can be deleted while a worker still emits
  on it, nor destroyed twice (a job object parented to a runner whose last reference its
  own callback held did exactly that: the SIGSEGV of issue 13).
- Callbacks never leave the GUI thread: they wait in the runner's ``_Ledger``, and a
  worker holds only a number and a weak reference to that ledger. Dropping a runner
  therefore frees nothing from a worker thread, and answers for a dropped runner vanish.
- ``shutdown`` waits for every lane, so no work outlives it.
"""

from __future__ import annotations

import enum
import functools
import itertools
import logging
import queue
import threading
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

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
        supersede: Hashable | None = None,
    ) -> None:
        """Run ``work`` on ``lane`` and answer through the callbacks on the GUI thread.

        Args:
            receiver: the widget the callbacks update; once it is deleted (a closed tab or
                dialog), its answers are dropped instead of touching it.
            supersede: a key (any hashable, e.g. ``(self, "overview")``); answers of this
                submission (progress, result and error) are dropped once a newer one with
                an equal key was submitted: the latest request wins.
        """
        ...

    def shutdown(self, *, reads_ms: int = -1) -> bool:
        """Let writes finish and wait for other work at most ``reads_ms`` (-1: until done);
        whether nothing runs any more."""
        ...

    def close(self) -> None:
        """Wait for all work, then answer nothing and take no work any more (the window that
        submitted it is gone: its database was switched for another)."""
        ...


#: How long quitting waits for reads and exports still running (ms): their answers would reach
#: no window, and writes are always waited for.
QUIT_READS_WAIT_MS = 200


class _Answer(enum.Enum):
    PROGRESS = "progress"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"  # queued when the runner shut down: never ran


@dataclass(eq=False, slots=True)
class _Ticket:
    """One open submission's callbacks (GUI thread only)."""

    on_done: OnDone | None
    on_error: OnError | None
    on_progress: OnProgress | None
    receiver: QObject | None
    key: Hashable | None

    def reaches(self, callback: object) -> bool:
        """Whether ``callback`` is set and the widget it updates still exists."""
        alive = self.receiver is None or shiboken6.isValid(self.receiver)
        return callback is not None and alive


class _Ledger:
    """A runner's open submissions by number, and the newest number per supersede key.

    GUI thread only. A submission leaves with its final answer, and its key with it when it
    was the newest, so keys like ``(view, "overview")`` are not kept alive afterwards.
    """

    def __init__(self, default_error: OnError | None) -> None:
        self._default_error = default_error
        self._numbers = itertools.count(1)
        self._open: dict[int, _Ticket] = {}
        self._newest: dict[Hashable, int] = {}

    def open(self, ticket: _Ticket) -> int:
        """Number a submission; it supersedes every open one with an equal key."""
        number = next(self._numbers)
        self._open[number] = ticket
        if ticket.key is not None:
            self._newest[ticket.key] = number
        return number

    def deliver(self, number: int, answer: _Answer, payload: Any) -> None:
        """Call the callback ``answer`` is for, unless superseded, answered or unwanted.

        Raises:
            BaseException: a failure with no handler at all (only the inline runner).
        """
        ticket = self._open.get(number)
        if ticket is None:  # progress after the final answer
            return
        current = ticket.key is None or self._newest.get(ticket.key) == number
        if answer is _Answer.PROGRESS:
            if current and ticket.reaches(ticket.on_progress):
                ticket.on_progress(*payload)  # type: ignore[misc]  # reaches() checked it
            return
        del self._open[number]
        if ticket.key is not None and current:
            del self._newest[ticket.key]
        if not current:
            log.debug("dropped a superseded answer: %s %r", answer.value, payload)
        elif answer is _Answer.DONE:
            if ticket.reaches(ticket.on_done):
                ticket.on_done(payload)  # type: ignore[misc]  # reaches() checked it
        elif answer is _Answer.FAILED:
            self._fail(ticket, payload)

    def _fail(self, ticket: _Ticket, error: BaseException) -> None:
        if ticket.on_error is not None:
            if ticket.reaches(ticket.on_error):
                ticket.on_error(error)
        elif self._default_error is not None:  # reported even if the widget is gone
            self._default_error(error)
        else:
            raise error

    @property
    def open_count(self) -> int:
        """Submissions not finally answered yet (tests check none is left behind)."""
        return len(self._open)

    @property
    def key_count(self) -> int:
        """Supersede keys still held (tests check none outlives its submissions)."""
        return len(self._newest)


# ------------------------------------------------------------------------------ threads

Letter = Callable[[], None]


class _Mailbox(QObject):
    """Carries letters from any thread to the GUI thread, where they are opened in order."""

    _arrived = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._letters: queue.SimpleQueue[Letter] = queue.SimpleQueue()
        self._arrived.connect(self._open_letters, Qt.ConnectionType.QueuedConnection)

    def post(self, letter: Letter) -> None:
        """Deliver ``letter`` on the GUI thread (safe from any thread; dropped once the
        application is gone, as at interpreter exit with a job still running)."""
        if not shiboken6.isValid(self):
            return
        self._letters.put(letter)
        self._arrived.emit()

    @Slot()
    def _open_letters(self) -> None:
        while True:
            try:
                letter = self._letters.get_nowait()
            except queue.Empty:
                return
            try:
                letter()
            except BaseException:
                self._arrived.emit()  # the letters behind a failing callback still arrive
                raise


@functools.cache
def _gui_mailbox() -> _Mailbox:
    """The process's one mailbox: made by the first runner, on the GUI thread, kept forever."""
    return _Mailbox()


def _post(
    mailbox: _Mailbox, ledger: weakref.ref[_Ledger], number: int, answer: _Answer, payload: Any
) -> None:
    """From a worker: hand an answer to the GUI thread (bound by ``submit``, see ``_Job``)."""
    mailbox.post(functools.partial(_deliver, ledger, number, answer, payload))


def _deliver(ledger: weakref.ref[_Ledger], number: int, answer: _Answer, payload: Any) -> None:
    """On the GUI thread: answer, unless the runner was dropped meanwhile."""
    alive = ledger()
    if alive is not None:
        alive.deliver(number, answer, payload)


class _Job(QRunnable):
    """Runs on a pool thread; knows its work and where to post answers, not the callbacks."""

    def __init__(
        self,
        work: Work[Any],
        post: Callable[[_Answer, Any], None],
        cancel: CancelToken | None,
        stopping: threading.Event | None,
    ) -> None:
        super().__init__()
        self._work, self._post, self._cancel, self._stopping = work, post, cancel, stopping

    def run(self) -> None:
        if self._stopping is not None and self._stopping.is_set():
            self._post(_Answer.SKIPPED, None)
            return
        try:
            result = self._work(self._progress)
        except BaseException as error:
            self._post(_Answer.FAILED, error)
        else:
            self._post(_Answer.DONE, result)

    def _progress(self, done: int, total: int, stage: str) -> None:
        if self._cancel is not None:
            self._cancel.raise_if_cancelled()
        self._post(_Answer.PROGRESS, (done, total, stage))


class ThreadTaskRunner(QObject):
    """The application's task runner, over three thread pools.

    Make it on the GUI thread, and submit from there.

    Args:
        default_error: receives failures of work submitted without ``on_error``.
    """

    def __init__(self, default_error: OnError, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mailbox = _gui_mailbox()
        self._ledger = _Ledger(default_error)
        self._stopping = threading.Event()
        self._closed = False
        # Children: a dropped runner's pools wait for their jobs, which never refer back.
        self._pools = {lane: QThreadPool(self) for lane in Lane}
        self._pools[Lane.WRITE].setMaxThreadCount(1)
        self._pools[Lane.READ].setMaxThreadCount(2)
        self._pools[Lane.NET].setMaxThreadCount(2)

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
        supersede: Hashable | None = None,
    ) -> None:
        """Run ``work`` on ``lane``; see ``TaskRunner.submit``."""
        if self._closed:
            log.debug("a closed runner was given work; dropped")
            return
        ticket = _Ticket(on_done, on_error, on_progress, receiver, supersede)
        number = self._ledger.open(ticket)
        post = functools.partial(_post, self._mailbox, weakref.ref(self._ledger), number)
        stopping = None if lane is Lane.WRITE else self._stopping  # writes always run
        self._pools[lane].start(_Job(work, post, cancel, stopping))

    @Slot()
    def shutdown(self, *, reads_ms: int = -1) -> bool:
        """Drop queued reads and exports, let queued writes finish (nothing typed is lost),
        and wait for the reads, exports and network work still running at most ``reads_ms``
        (-1: until they end). Quitting passes a bound: a read's answer is of no use to a
        window that is gone, and the process ends without it.

        Returns:
            Whether no work runs any more.
        """
        self._stopping.set()
        try:
            idle = self._pools[Lane.WRITE].waitForDone()
            for lane in (Lane.READ, Lane.NET):
                idle = self._pools[lane].waitForDone(reads_ms) and idle
        finally:
            self._stopping.clear()
        return idle

    def close(self) -> None:
        """Wait for every lane, then forget the open submissions: the answers still on their
        way name a ledger nobody holds, so they vanish instead of reaching a closed window."""
        self.shutdown()
        self._closed = True
        self._ledger = _Ledger(None)


class InlineTaskRunner:
    """Runs work at once on the calling thread: deterministic tests (Picard's FakeThreadPool).

    Every answer is delivered before ``submit`` returns, so nothing is ever superseded by a
    later call; only a submission made *while* work runs (from its progress callback, say)
    with an equal key drops the answers still to come, as on threads. Callbacks for a deleted
    ``receiver`` are dropped, and a failure with no handler at all is raised to the caller.
    """

    def __init__(self, default_error: OnError | None = None) -> None:
        self._ledger = _Ledger(default_error)
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
        supersede: Hashable | None = None,
    ) -> None:
        """Run ``work`` now and call back before returning."""
        self.submitted.append(lane)
        number = self._ledger.open(_Ticket(on_done, on_error, on_progress, receiver, supersede))

        def progress(done: int, total: int, stage: str) -> None:
            if cancel is not None:
                cancel.raise_if_cancelled()
            self._ledger.deliver(number, _Answer.PROGRESS, (done, total, stage))

        try:
            result = work(progress)
        except BaseException as error:
            self._ledger.deliver(number, _Answer.FAILED, error)
        else:
            self._ledger.deliver(number, _Answer.DONE, result)

    def shutdown(self, *, reads_ms: int = -1) -> bool:
        """Nothing runs in the background."""
        return True

    def close(self) -> None:
        """Nothing runs in the background, and every answer was given."""
