"""A pre-call brief as PDF pages, laid out with matplotlib text on A4 figures (issue 19).

matplotlib's PDF backend is what the business reviews already use, so the command line writes a
PDF without Qt or a display. The layout is simple on purpose: headings, wrapped lines, lists and
tables whose columns share the width by their content; a new page when the page is full.
"""

from __future__ import annotations

import textwrap
from io import BytesIO

from matplotlib.figure import Figure

from am_desktop.domain.brief_document import Block, BriefDocument, Bullets, Facts

PAGE = (8.27, 11.69)  # A4, inches
MARGIN = 0.75
#: Characters across the text width at the body size (DejaVu Sans 9.5 pt averages ~5.2 pt).
LINE_CHARS = 100
BODY, HEADING, TITLE = 9.5, 12.5, 16.0
LINE = 0.19  # inches per body line
#: A table cell's character, in inches: wider than the average, so bold headers and wide
#: letters never run into the next column.
CELL_CHAR = 0.08
TABLE_CHARS = int((PAGE[0] - 2 * MARGIN) / CELL_CHAR)


class _Pages:
    """Figures filled top to bottom; ``room`` starts a new page when a block would not fit."""

    def __init__(self) -> None:
        self.figures: list[Figure] = []
        self.y = 0.0
        self._new()

    def _new(self) -> None:
        self.figure = Figure(figsize=PAGE)
        self.figures.append(self.figure)
        self.y = PAGE[1] - MARGIN

    def room(self, inches: float) -> None:
        if self.y - inches < MARGIN:
            self._new()

    def text(
        self,
        x: float,
        line: str,
        size: float = BODY,
        *,
        weight: str = "normal",
        muted: bool = False,
    ) -> None:
        self.figure.text(
            (MARGIN + x) / PAGE[0],
            self.y / PAGE[1],
            line,
            fontsize=size,
            va="top",
            weight=weight,
            style="italic" if muted else "normal",
            color="#555555" if muted else "#222222",
        )

    def down(self, inches: float) -> None:
        self.y -= inches


def pdf_bytes(document: BriefDocument) -> bytes:
    """The document as a PDF file's bytes."""
    from matplotlib.backends.backend_pdf import PdfPages

    pages = _Pages()
    pages.text(0, document.title, TITLE, weight="bold")
    pages.down(0.36)
    pages.text(0, document.subtitle, BODY, muted=True)
    pages.down(0.3)
    for section in document.sections:
        pages.room(0.3 + 2 * LINE)
        pages.text(0, section.heading, HEADING, weight="bold")
        pages.down(0.28)
        for block in section.blocks:
            _block(pages, block)
            pages.down(0.08)
        pages.down(0.1)
    out = BytesIO()
    about = {"Title": document.title, "Creator": None, "Producer": None}
    with PdfPages(out, metadata=about) as pdf:
        for figure in pages.figures:
            pdf.savefig(figure)
    return out.getvalue()


def _lines(
    pages: _Pages, text: str, indent: float = 0.0, first: str = "", *, muted: bool = False
) -> None:
    """``text`` wrapped to the width, ``first`` (a bullet) before its first line."""
    chars = LINE_CHARS - round(indent * 13)
    wrapped = textwrap.wrap(text, chars) or [""]
    for n, line in enumerate(wrapped):
        pages.room(LINE)
        if n == 0 and first:
            pages.text(indent - 0.22, first)
        pages.text(indent, line, muted=muted)
        pages.down(LINE)


def _block(pages: _Pages, block: Block) -> None:
    if isinstance(block, Facts):
        for label, value in block.pairs:
            pages.room(LINE)
            pages.text(0, f"{label}:", weight="bold")
            wrapped = textwrap.wrap(value, LINE_CHARS - 22) or [""]
            for line in wrapped:
                pages.room(LINE)
                pages.text(1.7, line)
                pages.down(LINE)
        return
    if isinstance(block, Bullets):
        if not block.items:
            _lines(pages, block.empty, muted=True)
        for n, item in enumerate(block.items, 1):
            _lines(pages, item, 0.25, f"{n}." if block.numbered else "•")
        return
    if not block.rows:
        _lines(pages, block.empty, muted=True)
        return
    widths = _column_chars(block.columns, block.rows)
    for n, row in enumerate((block.columns, *block.rows)):
        cells = [
            textwrap.wrap(cell, width - 2) or [""] for cell, width in zip(row, widths, strict=True)
        ]
        height = max(len(c) for c in cells) * LINE
        pages.room(height + (2 * LINE if n == 0 else 0))  # a header never ends a page alone
        for at in range(max(len(c) for c in cells)):
            x = 0.0
            for cell, width in zip(cells, widths, strict=True):
                if at < len(cell):
                    pages.text(x, cell[at], weight="bold" if n == 0 else "normal")
                x += width * CELL_CHAR
            pages.down(LINE)


def _column_chars(columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> list[int]:
    """Each column's width in characters: by its longest cell (at most 60), scaled to the
    line, never narrower than its header."""
    wanted = [
        max(len(columns[i]), *(min(len(row[i]), 60) for row in rows)) + 3
        for i in range(len(columns))
    ]
    total = sum(wanted)
    if total <= TABLE_CHARS:
        return wanted
    return [max(len(columns[i]) + 2, w * TABLE_CHARS // total) for i, w in enumerate(wanted)]
