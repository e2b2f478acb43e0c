"""Which dropped things the window captures: local .eml and .vcf files, and folders."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData

from am_desktop.services.capture import SUFFIXES


def dropped_paths(mime: QMimeData) -> list[Path]:
    """The local .eml/.vcf files and folders among a drop's URLs (none: not ours to take)."""
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [p for p in paths if p.suffix.lower() in SUFFIXES or p.is_dir()]
