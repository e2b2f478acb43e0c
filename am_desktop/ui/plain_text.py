"""User data shown as typed: Qt guesses that text starting with a tag is HTML, so a name like
``<b>Acme</b>`` would render bold (or an ``<img>`` as a broken image) without these."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel


def plain(label: QLabel) -> QLabel:
    """``label`` set to show its text literally, never as HTML (for names and other user data)."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def tooltip_text(text: str) -> str:
    """``text`` as a tooltip shows it literally: tooltips have no plain-text switch, so text Qt
    would take for HTML is escaped inside an explicit rich-text wrapper."""
    if not GuiQt.mightBeRichText(text):
        return text
    escaped = html.escape(text, quote=False).replace("\n", "<br>")
    return f"<qt style='white-space:pre-wrap'>{escaped}</qt>"
