"""Cancellation and progress for long work, without Qt."""

from __future__ import annotations

import threading
from typing import Protocol

from am_desktop.errors import Cancelled


class CancelToken:
    """Set from any thread; long jobs call :meth:`raise_if_cancelled` between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the job to stop at its next check."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._event.is_set()

    def wait(self, seconds: float) -> None:
        """Sleep up to ``seconds``, waking at once when cancelled (then raising)."""
        self._event.wait(seconds)
        self.raise_if_cancelled()

    def raise_if_cancelled(self) -> None:
        """Stop the job by raising :class:`Cancelled` when cancellation was asked for."""
        if self._event.is_set():
            raise Cancelled


class Progress(Protocol):
    """Called by long jobs as ``progress(done, total, stage)``; ``stage`` is for people."""

    def __call__(self, done: int, total: int, stage: str) -> None: ...


def no_progress(done: int, total: int, stage: str) -> None:
    """A :class:`Progress` that reports nowhere."""
