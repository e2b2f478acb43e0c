"""Encrypting or decrypting the database between two windows, with a progress dialog.

Runs while no window has the file open (``app.run_gui`` closed the last one), on a worker
thread so the dialog keeps painting; the service does the work and says any failure in words.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from am_desktop.errors import AppError


class _Run:
    """What the worker reports; read by the dialog's timer (plain values, one writer)."""

    def __init__(self) -> None:
        self.done, self.total, self.stage = 0, 1, "Starting"
        self.error: BaseException | None = None
        self.finished = threading.Event()

    def progress(self, done: int, total: int, stage: str) -> None:
        self.done, self.total, self.stage = done, total, stage


def change_encryption(path: Path, *, encrypt: bool) -> bool:
    """Encrypt (or decrypt) the closed database at ``path``; True when it was done.

    A failure is shown in a message box; the file is then as it was (see
    :mod:`am_desktop.services.encryption`).
    """
    from am_desktop.services.encryption import decrypt_database, encrypt_database

    run = _Run()
    work = encrypt_database if encrypt else decrypt_database

    def worker() -> None:
        try:
            work(path, progress=run.progress)
        except BaseException as error:
            run.error = error
        finally:
            run.finished.set()

    title = "Encrypting the database" if encrypt else "Decrypting the database"
    dialog = QProgressDialog(f"{title}…", "", 0, 1000)
    dialog.setWindowTitle(title)
    dialog.setCancelButton(None)  # the swap is all or nothing; it is never half done
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(100)

    def poll() -> None:
        dialog.setMaximum(max(run.total, 1))
        dialog.setValue(min(run.done, run.total))
        dialog.setLabelText(f"{run.stage}…")
        if run.finished.is_set():
            loop.quit()

    timer.timeout.connect(poll)
    thread = threading.Thread(target=worker, name="encryption", daemon=True)
    thread.start()
    timer.start()
    dialog.show()
    if not run.finished.is_set():
        loop.exec()
    timer.stop()
    thread.join()
    dialog.close()
    if run.error is None:
        return True
    message = (
        run.error.user_message
        if isinstance(run.error, AppError)
        else f"The database could not be changed ({run.error}); it is as it was."
    )
    QMessageBox.warning(None, title, message)
    return False
