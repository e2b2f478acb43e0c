"""A local clock with daylight saving, for tests of local-day boundaries."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime

import pytest


@pytest.fixture(autouse=True)
def new_york_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A zone with DST (it ended on 1 Nov 2026): a local day is not a UTC day, and day
    boundaries are tested across the change. Autouse in a module that imports it."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def local(*parts: int) -> datetime:
    """A moment on the local clock, aware."""
    return datetime(*parts).astimezone()  # type: ignore[arg-type]
