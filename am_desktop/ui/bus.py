"""Messages for the user and news of changed data, through one path each.

``MessageBus`` keeps messages until the window shows them (errors found during start-up are
not lost); ``DataBus`` tells every view what a write changed, so each refreshes what it shows.
"""

from __future__ import annotations

import enum
import logging

from PySide6.QtCore import QObject, Signal

from am_desktop.errors import AppError, Cancelled

log = logging.getLogger("am_desktop.ui")


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
    """Announces writes.

    Signals:
        changed(kind, initiator): records of ``kind`` ("account", "opportunity", …) changed;
            ``initiator`` is the object that made the change (views may skip their own).
    """

    changed = Signal(str, object)
