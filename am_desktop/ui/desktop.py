"""Hand a file or folder to the desktop (the app registered for it, the file manager).

One small function, so tests replace it and check what would have been opened instead of
launching PowerPoint or a file manager.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices


def open_path(path: Path) -> bool:
    """Open ``path`` as a double-click would; False when the desktop could not."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
