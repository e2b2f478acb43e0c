"""The watched calendar folder (Preferences → Calendar): new and changed .ics files there are
imported in the background, and the status bar says what came in (issue 19).

A QFileSystemWatcher reports the folder (a file added, removed or renamed) and each .ics file
(rewritten in place); a single-shot timer gathers a burst of such reports (an export writes a
file in pieces) into one look. A file is imported when its size or time changed since it was
last looked at; the imports run one after another on the write lane.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal, Slot

from am_desktop.domain.addresses import address
from am_desktop.errors import AppError
from am_desktop.ui.context import AppContext
from am_desktop.ui.settings import Prefs
from am_desktop.ui.tasks import Lane

if TYPE_CHECKING:  # the import code (SQLAlchemy, icalendar) loads on the worker, when used
    from am_desktop.services.calendar_import import CalendarImport

#: How long the folder must be quiet before it is looked at (ms).
DEBOUNCE_MS = 1500


def _stamp(path: Path) -> tuple[float, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime, status.st_size


class CalendarFolderWatcher(QObject):
    """Imports the .ics files of the folder in Preferences when they appear or change.

    Args:
        debounce_ms: how long reports are gathered before the folder is looked at.

    Signals:
        imported(path, result): a file was imported (``CalendarImport``).
    """

    imported = Signal(object, object)

    def __init__(
        self, context: AppContext, parent: QObject | None = None, debounce_ms: int = DEBOUNCE_MS
    ) -> None:
        super().__init__(parent)
        self.context = context
        self._watcher = QFileSystemWatcher(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._seen: dict[Path, tuple[float, int]] = {}
        self._folder: Path | None = None
        self._asked_for_address = False
        self._connect_signals()
        self._watch(context.settings.prefs.calendar_folder)

    def _connect_signals(self) -> None:
        self._watcher.directoryChanged.connect(self._on_watcher_changed)
        self._watcher.fileChanged.connect(self._on_watcher_changed)
        self._timer.timeout.connect(self.look)
        self.context.settings.changed.connect(self._on_settings_changed)

    @property
    def folder(self) -> Path | None:
        """The folder watched, or None."""
        return self._folder

    def _watch(self, folder: str) -> None:
        watched = self._watcher.directories() + self._watcher.files()
        if watched:
            self._watcher.removePaths(watched)
        self._seen.clear()
        self._folder = Path(folder) if folder else None
        if self._folder is not None and self._folder.is_dir():
            self._watcher.addPath(str(self._folder))
            self._timer.start()  # what is there already is looked at too

    @Slot(object)
    def _on_settings_changed(self, option: object) -> None:
        if option is Prefs.calendar_folder:
            self._watch(self.context.settings.prefs.calendar_folder)
        elif option is Prefs.my_email and self._folder is not None:
            self._asked_for_address = False
            self._seen.clear()  # what was skipped for want of an address is looked at again
            self._timer.start()

    @Slot(str)
    def _on_watcher_changed(self, _path: str) -> None:
        self._timer.start()  # (re)started: a burst of reports is one look

    @Slot()
    def look(self) -> None:
        """Import the folder's .ics files that are new or changed since the last look."""
        if self._folder is None:
            return
        files = sorted(p for p in self._folder.glob("*") if p.suffix.lower() == ".ics")
        watched = set(self._watcher.files())
        for path in files:
            if str(path) not in watched:
                self._watcher.addPath(str(path))
        changed = [p for p in files if (s := _stamp(p)) is not None and self._seen.get(p) != s]
        if not changed:
            return
        me = address(self.context.settings.prefs.my_email)
        if me is None:
            if not self._asked_for_address:
                self._asked_for_address = True
                self.context.messages.info(
                    "A calendar is waiting in the watched folder: set your e-mail address in "
                    "Preferences → Calendar to import it."
                )
            return
        for path in changed:
            stamp = _stamp(path)
            if stamp is not None:
                self._seen[path] = stamp
                self._import(path, me)

    def _import(self, path: Path, me: str) -> None:
        store, today = self.context.store, self.context.today()

        def work(_progress: object) -> CalendarImport:
            from am_desktop.services.calendar_import import import_calendar

            return import_calendar(store, path, me, today=today)

        self.context.tasks.submit(
            work,
            lane=Lane.WRITE,
            on_done=lambda result: self._on_imported(path, result),
            on_error=lambda error: self._on_failed(path, error),
            receiver=self,
        )

    def _on_imported(self, path: Path, result: CalendarImport) -> None:
        if result.changed or result.left:
            self.context.messages.info(
                f"Calendar {path.name}: {result.added:,} meetings added, {result.moved:,} "
                f"moved, {result.removed:,} removed."
            )
        self.imported.emit(path, result)

    def _on_failed(self, path: Path, error: BaseException) -> None:
        if isinstance(error, AppError):
            self.context.messages.warning(error.user_message)
        else:
            self.context.messages.failure(error)
