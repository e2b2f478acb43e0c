"""Unexpected errors (bugs): logged with their traceback, shown once in plain words.

Expected problems never get here; they travel as ``AppError`` through the MessageBus.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("am_desktop.crash")


def install(log_file: Path | None) -> None:
    """Route uncaught exceptions, in any thread, to the log and a dialog."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, error, tb)))
        if QApplication.instance() is not None:
            QTimer.singleShot(0, lambda: _show(log_file))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook


def _show(log_file: Path | None) -> None:
    where = f"The details are in {log_file}." if log_file else "The details are in the log."
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "AM Desktop hit a problem",
        "Something went wrong that AM Desktop did not expect. Everything you saved "
        f"is safe in your database. {where} Please send that file to support.",
    )
    box.addButton("Keep working", QMessageBox.ButtonRole.AcceptRole)
    quit_button = box.addButton("Quit", QMessageBox.ButtonRole.DestructiveRole)
    box.exec()
    if box.clickedButton() is quit_button:
        QApplication.quit()
