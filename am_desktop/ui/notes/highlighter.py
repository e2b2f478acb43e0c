"""Live Markdown formatting in the note editor: the text stays plain Markdown, it only looks set.

Headings, **bold**, *italic*, lists, ``- [ ]`` boxes (a ticked one greys out), links, and the
words the note turns into records (``#risk``, ``@owner``, ``due:``) are styled as typed. No
link is ever fetched: a note never loads remote content.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("bold", r"\*\*[^*\n]+\*\*|__[^_\n]+__"),
        ("italic", r"(?<![*\w])\*[^*\n]+\*(?!\*)|(?<![_\w])_[^_\n]+_(?![_\w])"),
        ("code", r"`[^`\n]+`"),
        ("link", r"\[[^\]\n]+\]\([^)\s]+\)|https?://\S+"),
        ("tag", r"(?<![\w#&/])#(?:risk|expansion|feedback)\b"),
        ("owner", r"(?<!\S)@[\w][\w.-]*"),
        ("due", r"(?<!\S)due:\S+"),
    )
)
_HEADING = re.compile(r"^(#{1,6})\s+\S")
_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_OPEN_BOX = re.compile(r"^\s*[-*+]\s+\[ \]\s")
_DONE_BOX = re.compile(r"^\s*[-*+]\s+\[[xX]\]\s")
_FENCE = re.compile(r"^\s*(```|~~~)")

_IN_FENCE = 1


def _format(
    colour: str | None = None,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    strike: bool = False,
    mono: bool = False,
    scale: float | None = None,
) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if colour:
        fmt.setForeground(QColor(colour))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    fmt.setFontItalic(italic)
    fmt.setFontUnderline(underline)
    fmt.setFontStrikeOut(strike)
    if mono:
        fmt.setFontFamilies(["monospace"])
    if scale is not None:
        fmt.setProperty(QTextCharFormat.Property.FontSizeAdjustment, int(scale))
    return fmt


class MarkdownHighlighter(QSyntaxHighlighter):
    """Styles Markdown in place, block by block (fenced code blocks carried across blocks)."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.formats = {
            "heading": _format("#1a5fb4", bold=True, scale=1),
            "bold": _format(bold=True),
            "italic": _format(italic=True),
            "code": _format("#a51d2d", mono=True),
            "link": _format("#1c71d8", underline=True),
            "tag": _format("#c64600", bold=True),
            "owner": _format("#2a7d2e", bold=True),
            "due": _format("#813d9c", bold=True),
            "list": _format("#77767b", bold=True),
            "box": _format("#1a5fb4", bold=True),
            "done": _format("#9a9996", strike=True),
            "fence": _format("#a51d2d", mono=True),
        }

    def highlightBlock(self, text: str) -> None:
        fenced = self.previousBlockState() == _IN_FENCE
        if _FENCE.match(text):
            self.setFormat(0, len(text), self.formats["fence"])
            self.setCurrentBlockState(0 if fenced else _IN_FENCE)
            return
        if fenced:
            self.setFormat(0, len(text), self.formats["fence"])
            self.setCurrentBlockState(_IN_FENCE)
            return
        self.setCurrentBlockState(0)
        if _HEADING.match(text):
            self.setFormat(0, len(text), self.formats["heading"])
            return
        if _DONE_BOX.match(text):
            self.setFormat(0, len(text), self.formats["done"])
            return
        marker = _LIST.match(text)
        if marker:
            self.setFormat(0, marker.end(), self.formats["list"])
        box = _OPEN_BOX.match(text)
        if box:
            self.setFormat(0, box.end(), self.formats["box"])
        for name, pattern in _RULES:
            for match in pattern.finditer(text):
                self.setFormat(match.start(), match.end() - match.start(), self.formats[name])
