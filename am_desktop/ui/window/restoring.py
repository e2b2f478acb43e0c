"""The restore between two windows: the old one has closed (its writes drained, its store
closed), the backup goes in on a worker thread while a small window says so, and the next
window opens on the restored file and says what happened."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog

from am_desktop.errors import AppError
from am_desktop.ui.bus import MessageBus


@dataclass(frozen=True)
class RestoreNotice:
    """What the reopened window tells the AM about the restore."""

    text: str
    failed: bool

    def post(self, messages: MessageBus) -> None:
        """Say it in the next window (an error is shown as one)."""
        (messages.error if self.failed else messages.info)(self.text)


class _Finished(QObject):
    """Tells the waiting loop, from the worker thread, that the restore ended."""

    done = Signal()


def restore_between_windows(db_path: Path, backup: Path) -> RestoreNotice:
    """Restore ``backup`` over ``db_path`` (no window open on it) on a worker thread.

    Returns:
        The sentence for the next window: what was restored and where the replaced data is
        kept, or why nothing was changed.
    """
    from am_desktop.services.backups import restore_backup

    answer: list[RestoreNotice] = []

    def work() -> None:
        try:
            done = restore_backup(db_path, backup)
        except AppError as error:
            answer.append(RestoreNotice(error.user_message, failed=True))
        else:
            kept = f" What it replaced is kept as {done.replaced.name}." if done.replaced else ""
            answer.append(RestoreNotice(f"Restored the backup {backup.name}.{kept}", False))
        finally:
            finished.done.emit()

    finished = _Finished()
    loop = QEventLoop()
    finished.done.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    progress = QProgressDialog("Restoring the backup…", "", 0, 0)
    progress.setCancelButton(None)  # half a swap is never offered
    progress.setWindowTitle("AM Desktop")
    progress.setMinimumDuration(0)
    progress.show()
    worker = threading.Thread(target=work, name="restore")
    worker.start()
    loop.exec()  # the quit is queued, so an early end is not missed
    worker.join()
    progress.close()
    progress.deleteLater()
    return answer[0]
