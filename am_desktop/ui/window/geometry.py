"""Where the main window opens: sized to the screen's available area (panels and taskbars
left out) on the first start, and where it was last only while that still fits its screen.

Qt's own ``saveGeometry`` blob restores a window larger than the screen it now opens on (a
1366×768 window on a 1366×768 screen whose taskbar takes 30 px puts the status bar below the
screen), so the window keeps its normal rectangle and maximised state as plain text and these
rules decide whether it can be used again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

#: The share of the available area a first window takes, centred.
FIRST_SHARE = 0.9
#: Below this available area a first window opens maximised (what laptops' apps do).
SMALL_SCREEN = QSize(1440, 860)

_TEXT = re.compile(r"(-?\d+),(-?\d+),(\d+),(\d+),([01])")


@dataclass(frozen=True)
class Placement:
    """The window's normal rectangle (its inside, without the frame) and whether it is
    maximised (the rectangle is then what un-maximising returns to)."""

    rect: QRect
    maximized: bool = False

    def to_text(self) -> str:
        """``x,y,width,height,maximised`` (what the settings keep)."""
        r = self.rect
        return f"{r.x()},{r.y()},{r.width()},{r.height()},{int(self.maximized)}"

    @staticmethod
    def from_text(text: str) -> Placement | None:
        """A placement written by :meth:`to_text`; None for anything else (first start)."""
        match = _TEXT.fullmatch(text)
        if match is None:
            return None
        x, y, width, height, maximized = (int(part) for part in match.groups())
        return Placement(QRect(x, y, width, height), bool(maximized))


def first_placement(available: QRect, minimum: QSize) -> Placement:
    """90 % of the available area, centred (never below the window's minimum, never above the
    area); maximised on small screens."""
    width = min(available.width(), max(minimum.width(), round(available.width() * FIRST_SHARE)))
    height = min(available.height(), max(minimum.height(), round(available.height() * FIRST_SHARE)))
    rect = QRect(0, 0, width, height)
    rect.moveCenter(available.center())
    small = available.width() < SMALL_SCREEN.width() or available.height() < SMALL_SCREEN.height()
    return Placement(rect, maximized=small)


def restored_placement(
    saved: Placement | None, screens: Sequence[QRect], minimum: QSize
) -> Placement:
    """The saved placement if its rectangle lies inside the available area of the screen it is
    on; otherwise a first start's on that screen (or the first screen when it is on none).

    Args:
        saved: the placement of the last run, if any.
        screens: each screen's available area, the primary first.
        minimum: the window's minimum size.
    """
    if not screens:
        return saved or Placement(QRect(0, 0, minimum.width(), minimum.height()))
    if saved is None:
        return first_placement(screens[0], minimum)
    on = next((s for s in screens if s.contains(saved.rect.center())), None)
    if on is not None and on.contains(saved.rect) and _at_least(saved.rect.size(), minimum):
        return saved
    first = first_placement(on or screens[0], minimum)
    return Placement(first.rect, first.maximized or saved.maximized)


def available_screens() -> list[QRect]:
    """Each screen's area left by panels and taskbars, the primary screen first."""
    primary = QGuiApplication.primaryScreen()
    others = [screen for screen in QGuiApplication.screens() if screen is not primary]
    ordered = ([primary] if primary is not None else []) + others
    return [screen.availableGeometry() for screen in ordered]


def apply_placement(window: QWidget, placement: Placement) -> None:
    """Put a window (not shown yet) where ``placement`` says; ``show()`` then honours it."""
    window.setGeometry(placement.rect)
    if placement.maximized:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def current_placement(window: QWidget) -> Placement:
    """Where the window is now (its normal rectangle while maximised)."""
    maximized = window.isMaximized()
    rect = window.normalGeometry() if maximized else window.geometry()
    return Placement(rect if rect.isValid() else window.geometry(), maximized)


def _at_least(size: QSize, minimum: QSize) -> bool:
    return size.width() >= minimum.width() and size.height() >= minimum.height()
