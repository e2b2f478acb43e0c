"""Messages for the user and news of changed data, through one path each.

``MessageBus`` keeps messages until the window shows them (errors found during start-up are
not lost); ``DataBus`` carries the store's change feed to the GUI thread, and a
``ChangeFollower`` keeps each screen current with it.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

from am_desktop.domain.changes import ChangeSet, Origin
from am_desktop.errors import AppError, Cancelled

if TYPE_CHECKING:
    from am_desktop.services.store import Store

log = logging.getLogger("am_desktop.ui")
#: Changes arriving within this time reach screens as one (ms).
DEBOUNCE_MS = 40
#: How often to look for another process's writes (ms).
WATCH_MS = 1000


class Level(enum.Enum):
    """How much a message matters."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class MessageBus(QObject):
    """Short plain-language messages for the user.

    Signals:
        posted(level, text): a message to show.
    """

    posted = Signal(object, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._held: list[tuple[Level, str]] | None = []

    def info(self, text: str) -> None:
        """News the user may glance at (status bar)."""
        self._post(Level.INFO, text)

    def warning(self, text: str) -> None:
        """Something the user should know."""
        self._post(Level.WARNING, text)

    def error(self, text: str) -> None:
        """Something failed; the text says what to do next."""
        self._post(Level.ERROR, text)

    def failure(self, error: BaseException) -> None:
        """Report a failed task: expected errors in plain words, bugs to the crash handler."""
        if isinstance(error, Cancelled):
            return
        if isinstance(error, AppError):
            log.info("failed: %s (%s)", error.user_message, error.detail)
            self.error(error.user_message)
            return
        raise error  # a bug: sys.excepthook shows the crash dialog

    def flush_to_listeners(self) -> None:
        """Deliver held messages; from now on messages go out at once."""
        held, self._held = self._held or [], None
        for level, text in held:
            self.posted.emit(level, text)

    def _post(self, level: Level, text: str) -> None:
        log.log(logging.ERROR if level is Level.ERROR else logging.INFO, "%s", text)
        if self._held is not None:
            self._held.append((level, text))
        else:
            self.posted.emit(level, text)


class DataBus(QObject):
    """The change feed, on the GUI thread: every committed write's :class:`ChangeSet`.

    The store announces each commit on the thread that made it; the bus carries it here,
    merges a burst of them (autosave, a sync page after page) into one, and asks the store
    every second whether another process wrote (then everything may have changed). Screens
    subscribe through :class:`ChangeFollower`; nobody announces changes by hand.

    Args:
        debounce_ms: how long changes gather before screens hear of them; None delivers at
            once (tests with inline work).
        watch_ms: how often to look for writes by other processes (0: never).

    Signals:
        changed(changes): a :class:`ChangeSet`.
    """

    changed = Signal(object)
    _arrived = Signal(object)  # from any thread; delivered on the GUI thread

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        debounce_ms: int | None = DEBOUNCE_MS,
        watch_ms: int = WATCH_MS,
    ) -> None:
        super().__init__(parent)
        self._pending = ChangeSet()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms or 0)
        self._debounce.timeout.connect(self._flush)
        self._immediate = debounce_ms is None
        self._watch = QTimer(self)
        self._watch.setInterval(watch_ms)
        self._watch_ms = watch_ms
        self._unsubscribe: Callable[[], None] | None = None
        self._store: Store | None = None
        self._arrived.connect(self._on_arrived)
        self._watch.timeout.connect(self._on_watch_timeout)

    def follow(self, store: Store) -> None:
        """Carry ``store``'s change feed, and watch its file for other processes' writes."""
        self.stop()
        self._store = store
        self._unsubscribe = store.changes.subscribe(self._post)
        if self._watch_ms:
            store.changed_elsewhere()  # today's version is the baseline
            self._watch.start()

    def stop(self) -> None:
        """Stop following (the window closes)."""
        self._watch.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def reread(self) -> None:
        """Every shown screen reads again (a write failed after a screen showed its result:
        nothing changed, but what is shown is not what is stored)."""
        self._on_arrived(ChangeSet.whole(Origin.REREAD))

    def check_elsewhere(self) -> None:
        """Look now for another process's writes (the timer does it every second)."""
        if self._store is not None and self._store.changed_elsewhere():
            self._on_arrived(ChangeSet.whole(Origin.OTHER_PROCESS))

    def _post(self, changes: ChangeSet) -> None:
        """Any thread: hand a change set to the GUI thread (dropped once the bus is gone)."""
        if shiboken6.isValid(self):
            self._arrived.emit(changes)

    @Slot(object)
    def _on_arrived(self, changes: ChangeSet) -> None:
        self._pending = self._pending.merged(changes)
        if self._immediate:
            self._flush()
        elif not self._debounce.isActive():
            self._debounce.start()  # not restarted: a steady stream still gets through

    @Slot()
    def _flush(self) -> None:
        changes, self._pending = self._pending, ChangeSet()
        if changes:
            self.changed.emit(changes)

    @Slot()
    def _on_watch_timeout(self) -> None:
        self.check_elsewhere()


class ChangeFollower(QObject):
    """Keeps one widget current: refreshes it when a change concerns what it shows — at once
    while it is visible, else the next time it is shown (a hidden tab costs nothing).

    Args:
        widget: what shows the data (also this follower's parent: they go together).
        bus: the change feed.
        concerns: whether a change set touches what the widget shows.
        refresh: reads again and shows; given the change sets gathered meanwhile, merged.
    """

    def __init__(
        self,
        widget: QWidget,
        bus: DataBus,
        concerns: Callable[[ChangeSet], bool],
        refresh: Callable[[ChangeSet], None],
    ) -> None:
        super().__init__(widget)
        self._widget, self._concerns, self._refresh = widget, concerns, refresh
        self._stale = ChangeSet()
        bus.changed.connect(self._on_changed)
        widget.installEventFilter(self)

    @property
    def stale(self) -> bool:
        """A change concerns the widget and it has not been refreshed since."""
        return bool(self._stale)

    def _alive(self) -> bool:
        """Whether this follower is still whole: Python's cycle collector may clear its
        attributes (it and its widget refer to each other) while Qt still delivers the
        widget's last events to it, as a window is torn down."""
        return "_stale" in self.__dict__

    @Slot(object)
    def _on_changed(self, changes: ChangeSet) -> None:
        if not self._alive() or not self._concerns(changes):
            return
        self._stale = self._stale.merged(changes)
        if self._widget.isVisible():
            self._catch_up()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._alive():
            return False
        if watched is self._widget and event.type() == QEvent.Type.Show and self._stale:
            QTimer.singleShot(0, self, self._catch_up)  # after the show: paint first
        return False

    def _catch_up(self) -> None:
        if not self._alive():
            return
        changes, self._stale = self._stale, ChangeSet()
        if changes:
            self._refresh(changes)
