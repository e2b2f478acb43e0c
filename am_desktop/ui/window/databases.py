"""Which database a window is on, and which one opens next when it closes.

The demo portfolio is a database of its own: looking at it never writes 40 made-up accounts
into the user's file. A window asks to switch (``MainWindow.switch_requested``); the app closes
it and opens the next window on the file :func:`next_opening` names. Plain data, no Qt, so the
decision is tested without running an event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Databases:
    """The two files a session moves between.

    Attributes:
        own: the user's database (``--db``, ``$AM_DESKTOP_DB`` or the default file), also when
            the app was started with ``--demo``: "Open my own database" goes there.
        demo: the demo portfolio's file, seeded when it is empty.
    """

    own: Path
    demo: Path


@dataclass(frozen=True)
class Opening:
    """A window to open: on which file, and whether that file is the demo.

    Attributes:
        restore: a backup to restore over the file first (File → Backups… → Restore).
        encrypt: before the window opens, encrypt the file (True) or decrypt it (False) while
            nothing has it open (Preferences → Security); None: leave it as it is.
    """

    path: Path
    demo: bool
    restore: Path | None = None
    encrypt: bool | None = None


def first_opening(databases: Databases, *, demo: bool) -> Opening:
    """The first window's database: the demo with ``--demo``, else the user's own."""
    return Opening(databases.demo, True) if demo else Opening(databases.own, False)


def next_opening(asked: Opening | None, exit_code: int) -> Opening | None:
    """What opens once a window's event loop ended.

    Args:
        asked: the switch the closed window asked for, None when the user quit.
        exit_code: the event loop's code; not 0 when the app was told to end (a crash).

    Returns:
        The next window's database, or None: the process ends.
    """
    if asked is None or exit_code != 0:
        return None
    return asked
