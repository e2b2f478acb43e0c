"""Streaming helpers for bulk import: rows in batches, read ahead, and a capped problem list.

An import must not hold a whole file: rows go by in batches, and a file full of errors keeps
only its first problems (the rest are counted).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

from am_desktop.errors import RowProblem

T = TypeVar("T")


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last may be shorter), read as they are needed."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class _Failed:
    """What the reading thread hands over when the source raised."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()


def read_ahead(items: Iterable[T], depth: int = 2) -> Iterator[T]:
    """``items``, produced on a thread of their own up to ``depth`` ahead of the consumer.

    The next batch is parsed while the previous one is written (SQLite releases the GIL while
    it works). An error of the source is raised here, in the consumer; a consumer that stops
    early (an error, a cancel) lets the thread finish at its next hand-over.
    """
    handover: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        handover.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            handover.put(_END)
        except BaseException as error:  # handed to the consumer, which raises it
            handover.put(_Failed(error))

    thread = threading.Thread(target=produce, name="import-reader", daemon=True)
    thread.start()
    try:
        while True:
            item = handover.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        thread.join()


class ProblemList:
    """Problems found in a file: the first ``kept`` listed, all counted, invalid rows known."""

    def __init__(self, kept: int) -> None:
        self.kept = kept
        self.listed: list[RowProblem] = []
        self.count = 0
        #: Numbers of the rows that have a problem (ints: small even for a file of errors).
        self.rows: set[int] = set()

    def add(self, problems: Iterable[RowProblem]) -> None:
        """Record ``problems``; beyond the first ``kept`` they are only counted."""
        for problem in problems:
            self.count += 1
            self.rows.add(problem.row)
            if len(self.listed) < self.kept:
                self.listed.append(problem)

    @property
    def unlisted(self) -> int:
        """How many problems were counted but not kept."""
        return self.count - len(self.listed)
