"""What every part of the window shares: the store, the task runner, the buses, settings."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from am_desktop.services.store import Store
from am_desktop.ui.bus import DataBus, MessageBus
from am_desktop.ui.settings import AppSettings
from am_desktop.ui.tasks import TaskRunner


@dataclass
class AppContext:
    """The window's dependencies, made once by ``app.py`` (or a test)."""

    store: Store
    tasks: TaskRunner
    messages: MessageBus
    data: DataBus
    settings: AppSettings
    today: Callable[[], date] = field(default=date.today)
    #: CRM tokens given this session where the keyring could not keep them, by keyring entry
    #: (``credentials.account_name``). Memory only: never written to settings or disk.
    session_tokens: dict[str, str] = field(default_factory=dict, repr=False)
    #: Reads started before the window was built (the start view's), by name and day.
    prefetched: dict[tuple[str, date], Future[Any]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.data.follow(self.store)  # every commit on this store reaches the screens

    def take_prefetched(self, name: str, day: date) -> Future[Any] | None:
        """The read ``name`` of ``day`` started early, once (later reads are made afresh)."""
        return self.prefetched.pop((name, day), None)

    def close(self) -> None:
        """After the window closed: stop following the store, then release its file."""
        self.data.stop()
        self.store.close()
