"""A :class:`Deck` as an editable PowerPoint file (issue 15): native charts with their figures in
the embedded workbook, native tables, speaker notes, on the AM's corporate template when given
(its master and layouts, chosen by name: :data:`LAYOUT_CHOICES`) or on a plain 16:9 deck.

A thin layer over python-pptx: the figures and words are the deck model's; this module only
places them. Fonts and colours of text come from the template's theme.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, cast

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.presentation import Presentation as PresentationFile
from pptx.shapes.placeholder import SlidePlaceholder
from pptx.slide import Slide, SlideLayout
from pptx.table import _Cell
from pptx.text.text import TextFrame
from pptx.util import Emu, Inches, Pt

from am_desktop.charts.pptx_charts import add_native_chart
from am_desktop.charts.pptx_template import (
    LAYOUT_CHOICES,
    base_presentation,
    check_template,
    choose_layouts,
)
from am_desktop.domain.cancel import Progress, no_progress
from am_desktop.domain.deck import (
    ROWS_PER_SLIDE,
    Audience,
    BulletSlide,
    Chart,
    ChartSlide,
    Deck,
    PictureSlide,
    TableSlide,
    TitleSlide,
    ValueFormat,
)
from am_desktop.domain.deck import Slide as DeckSlide
from am_desktop.domain.formatting import count, money, period, score
from am_desktop.errors import ExportError

__all__ = ["LAYOUT_CHOICES", "ROWS_PER_SLIDE", "check_template", "write_pptx"]

STAGE = "Writing the PowerPoint deck"

_KINDS = {
    TitleSlide: "title",
    BulletSlide: "bullets",
    TableSlide: "table",
    ChartSlide: "chart",
    PictureSlide: "picture",
}
_TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE)
_BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.VERTICAL_BODY)
_MARGIN = Inches(0.5)
_GAP = Inches(0.15)
_SUBTITLE_HEIGHT = Inches(0.45)
_FACTS_WIDTH = Inches(3.0)
_ROW_HEIGHT = Inches(0.4)
_LOGO_BOX = (Inches(2.2), Inches(1.1))


@dataclass(frozen=True, slots=True)
class _Box:
    left: int
    top: int
    width: int
    height: int

    @property
    def emu(self) -> tuple[Emu, Emu, Emu, Emu]:
        return Emu(self.left), Emu(self.top), Emu(self.width), Emu(self.height)


def write_pptx(
    deck: Deck,
    out: IO[bytes],
    *,
    template: Path | None = None,
    progress: Progress = no_progress,
) -> None:
    """Write ``deck`` to ``out`` as a .pptx; ``progress`` is told after each slide (a cancel
    raises from it). A bad template raises ``ValidationError``, a failed write ``ExportError``."""
    presentation = base_presentation(template)
    writer = _Writer(presentation, choose_layouts(presentation))
    pages = [page for slide in deck.slides for page in _pages(slide)]
    for done, page in enumerate(pages, start=1):
        writer.add(page)
        progress(done, len(pages), STAGE)
    _describe(presentation, deck)
    try:
        presentation.save(out)
    except OSError as exc:
        raise ExportError(
            f"The PowerPoint deck could not be written: {exc.strerror or exc}.", str(exc)
        ) from exc


def _describe(presentation: PresentationFile, deck: Deck) -> None:
    """The file's own properties say what it is, not what made it: python-pptx's default
    template would otherwise sign it "generated using python-pptx", dated 2013."""
    what = "Business review" if deck.audience is Audience.CUSTOMER else "Internal review"
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    properties = presentation.core_properties
    properties.title = f"{deck.subject}: {what}"
    properties.subject = period(deck.start, deck.end)
    properties.author = properties.last_modified_by = ""
    properties.comments = properties.keywords = properties.category = ""
    properties.created = properties.modified = now
    properties.revision = 1


def _pages(slide: DeckSlide) -> Iterator[DeckSlide]:
    """One slide, or a long table split over continuation slides."""
    if not isinstance(slide, TableSlide) or len(slide.rows) <= ROWS_PER_SLIDE:
        yield slide
        return
    for start in range(0, len(slide.rows), ROWS_PER_SLIDE):
        title = slide.title if start == 0 else f"{slide.title} (continued)"
        yield TableSlide(
            title=title,
            subtitle=slide.subtitle,
            columns=slide.columns,
            rows=slide.rows[start : start + ROWS_PER_SLIDE],
            empty=slide.empty,
            notes=slide.notes,
        )


class _Writer:
    """Adds the deck's slides to one presentation, each on its kind's layout."""

    def __init__(self, presentation: PresentationFile, layouts: dict[str, SlideLayout]) -> None:
        self._presentation = presentation
        self._layouts = layouts
        self._width = int(presentation.slide_width or Inches(13.333))
        self._height = int(presentation.slide_height or Inches(7.5))
        self._areas: dict[str, _Box] = {}  # by layout part

    def add(self, page: DeckSlide) -> None:
        slide = self._presentation.slides.add_slide(self._layouts[_KINDS[type(page)]])
        if isinstance(page, TitleSlide):
            self._title_slide(slide, page)
        elif isinstance(page, BulletSlide):
            self._bullet_slide(slide, page)
        else:
            self._set_title(slide, page.title)
            area = self._content_area(slide, getattr(page, "subtitle", ""))
            if isinstance(page, TableSlide):
                self._table(slide, page, area)
            elif isinstance(page, ChartSlide):
                self._chart(slide, page, area)
            else:
                self._picture(slide, page.picture, area)
            _remove_unused_placeholders(slide)
        notes = _notes(page)
        if notes:
            slide.notes_slide.notes_text_frame.text = notes

    # ------------------------------------------------------------------ slide kinds

    def _title_slide(self, slide: Slide, page: TitleSlide) -> None:
        self._set_title(slide, page.title)
        lines = [text for text in (page.subtitle, page.period) if text]
        body = _placeholder(slide, (PP_PLACEHOLDER.SUBTITLE, *_BODY_TYPES))
        if body is not None:
            _fill(body.text_frame, lines)
        elif lines:
            box = self._text_box(
                slide,
                _Box(_MARGIN, self._height // 2, self._width - 2 * _MARGIN, Inches(1.2)),
                lines,
                Pt(24),
            )
            box.paragraphs[0].alignment = PP_ALIGN.CENTER
        _remove_unused_placeholders(slide)
        if page.logo:
            self._logo(slide, page.logo)

    def _bullet_slide(self, slide: Slide, page: BulletSlide) -> None:
        self._set_title(slide, page.title)
        lines = list(page.bullets) or ([page.empty] if page.empty else [])
        body = _placeholder(slide, _BODY_TYPES)
        if body is not None:
            _fill(body.text_frame, lines)
            if len(lines) > 8:  # beyond eight, the theme's size overflows
                _size(body.text_frame, Pt(16))
        elif lines:
            area = self._content_area(slide, "")
            self._text_box(slide, area, [f"• {line}" for line in page.bullets] or lines, Pt(20))
        _remove_unused_placeholders(slide)

    def _table(self, slide: Slide, page: TableSlide, area: _Box) -> None:
        if not page.rows or not page.columns:
            self._text_box(slide, area, [page.empty], Pt(20))
            return
        height = min(area.height, _ROW_HEIGHT * (len(page.rows) + 1))
        frame = slide.shapes.add_table(
            len(page.rows) + 1,
            len(page.columns),
            *_Box(area.left, area.top, area.width, height).emu,
        )
        table = frame.table
        for index, width in enumerate(_column_widths(page, area.width)):
            table.columns[index].width = Emu(width)
        figures = [_is_figure_column(page, index) for index in range(len(page.columns))]
        for drawn, row in zip(table.rows, (page.columns, *page.rows), strict=True):
            for cell, text, right in zip(drawn.cells, row, figures, strict=False):
                _cell(cell, text, right=right)

    def _chart(self, slide: Slide, page: ChartSlide, area: _Box) -> None:
        facts = [*page.facts, *_band_facts(page.chart)]
        chart_box = area
        if facts:
            chart_box = _Box(area.left, area.top, area.width - _FACTS_WIDTH - _GAP, area.height)
            self._facts(
                slide,
                facts,
                _Box(area.left + area.width - _FACTS_WIDTH, area.top, _FACTS_WIDTH, area.height),
            )
        if page.chart.has_data:
            add_native_chart(slide.shapes, page.chart, chart_box.emu)
        else:
            frame = self._text_box(slide, chart_box, [page.chart.empty], Pt(20))
            frame.vertical_anchor = MSO_ANCHOR.MIDDLE
            frame.paragraphs[0].alignment = PP_ALIGN.CENTER

    def _facts(self, slide: Slide, facts: list[tuple[str, str]], box: _Box) -> None:
        """The chart's headline figures, one under the other: a small label, a large value."""
        value_size = Pt(24) if len(facts) <= 4 else Pt(18) if len(facts) <= 7 else Pt(14)
        frame = slide.shapes.add_textbox(*box.emu).text_frame
        frame.word_wrap = True
        first = True
        for label, value in facts:
            for text, size, bold in ((label, Pt(12), False), (value, value_size, True)):
                paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
                first = False
                run = paragraph.add_run()
                run.text = text
                run.font.size = size
                run.font.bold = bold
            paragraph.space_after = Pt(8)

    def _picture(self, slide: Slide, picture: bytes, area: _Box) -> None:
        self._place_picture(slide, picture, area, centred=True)

    def _logo(self, slide: Slide, logo: bytes) -> None:
        width, height = _LOGO_BOX
        corner = _Box(self._width - _MARGIN - width, Inches(0.35), width, height)
        self._place_picture(slide, logo, corner, centred=False)

    # ------------------------------------------------------------------ geometry and text

    def _set_title(self, slide: Slide, title: str) -> None:
        placeholder = _placeholder(slide, _TITLE_TYPES)
        if placeholder is not None:
            placeholder.text_frame.text = title
        else:
            box = _Box(_MARGIN, Inches(0.3), self._width - 2 * _MARGIN, Inches(1.0))
            self._text_box(slide, box, [title], Pt(32))

    def _content_area(self, slide: Slide, subtitle: str) -> _Box:
        """Where a slide's table, chart or picture goes: its layout's content area, less the
        subtitle, which is written at its top."""
        layout = slide.slide_layout
        area = self._areas.get(str(layout.part.partname))
        if area is None:
            area = self._areas[str(layout.part.partname)] = self._layout_area(layout)
        if not subtitle:
            return area
        self._text_box(
            slide, _Box(area.left, area.top, area.width, _SUBTITLE_HEIGHT), [subtitle], Pt(16)
        )
        top = area.top + _SUBTITLE_HEIGHT + _GAP
        return _Box(area.left, top, area.width, max(area.top + area.height - top, Inches(1.5)))

    def _layout_area(self, layout: SlideLayout) -> _Box:
        """The layout's (else its master's) body placeholder, below the title: the template's
        content area, measured once a layout (python-pptx looks inherited positions up)."""
        body = _body_area(layout) or _Box(
            _MARGIN, Inches(1.6), self._width - 2 * _MARGIN, self._height - _MARGIN - Inches(1.6)
        )
        top = body.top
        for shape in layout.shapes:
            if shape.is_placeholder and shape.placeholder_format.type in _TITLE_TYPES:
                if shape.top is not None and shape.height is not None:
                    top = max(top, int(shape.top) + int(shape.height) + _GAP)
                break
        bottom = min(body.top + body.height, self._height - Inches(0.3))
        return _Box(body.left, top, body.width, max(bottom - top, Inches(1.5)))

    def _text_box(self, slide: Slide, box: _Box, lines: list[str], size: Pt) -> TextFrame:
        frame: TextFrame = slide.shapes.add_textbox(*box.emu).text_frame
        frame.word_wrap = True
        _fill(frame, lines)
        _size(frame, size)
        return frame

    def _place_picture(self, slide: Slide, data: bytes, box: _Box, *, centred: bool) -> None:
        """The picture as large as fits in ``box``, its aspect kept: centred, or in the box's
        top-right corner (a logo)."""
        try:
            picture = slide.shapes.add_picture(io.BytesIO(data), Emu(box.left), Emu(box.top))
        except Exception as exc:  # Pillow and python-pptx raise many kinds for bad bytes
            raise ExportError(
                "A picture for the PowerPoint deck could not be read; use a PNG or JPEG file.",
                repr(exc),
            ) from exc
        native_width, native_height = int(picture.width), int(picture.height)
        scale = min(box.width / native_width, box.height / native_height)
        width, height = round(native_width * scale), round(native_height * scale)
        picture.width, picture.height = Emu(width), Emu(height)
        picture.left = Emu(
            box.left + (box.width - width) // 2 if centred else box.left + box.width - width
        )
        picture.top = Emu(box.top + (box.height - height) // 2 if centred else box.top)


# ---------------------------------------------------------------------- helpers


def _notes(page: DeckSlide) -> str:
    """The slide's speaker notes; a chart's zones, which the native chart does not shade, are
    named there too."""
    notes = page.notes
    if isinstance(page, ChartSlide) and page.chart.bands:
        zones = "; ".join(f"{label} {value}" for label, value in _band_facts(page.chart))
        notes = "\n".join(text for text in (notes, f"Zones (not shaded here): {zones}.") if text)
    return notes


def _band_facts(chart: Chart) -> list[tuple[str, str]]:
    return [
        (band.label, f"{_figure(chart, band.low)}–{_figure(chart, band.high)}")
        for band in chart.bands
    ]


def _figure(chart: Chart, value: float) -> str:
    if chart.value_format is ValueFormat.MONEY:
        return money(value, chart.currency, compact=True)
    if chart.value_format is ValueFormat.COUNT:
        return count(round(value))
    return score(value)


def _placeholder(slide: Slide, types: tuple[PP_PLACEHOLDER, ...]) -> SlidePlaceholder | None:
    for shape in slide.placeholders:
        if shape.placeholder_format.type in types:
            return cast("SlidePlaceholder", shape)
    return None


def _body_area(layout: SlideLayout) -> _Box | None:
    """The layout's body placeholder, else its master's: the template's content area."""
    for shapes in (layout.shapes, layout.slide_master.shapes):
        for shape in shapes:
            if not shape.is_placeholder or not shape.width or not shape.height:
                continue
            if shape.placeholder_format.type in _BODY_TYPES:
                return _Box(
                    int(shape.left or 0), int(shape.top or 0), int(shape.width), int(shape.height)
                )
    return None


def _remove_unused_placeholders(slide: Slide) -> None:
    """An empty placeholder shows "Click to add text" while editing; drop the ones not used."""
    for shape in list(slide.placeholders):
        if not shape.has_text_frame or not shape.text_frame.text:
            element = shape.element
            element.getparent().remove(element)


def _fill(frame: TextFrame, lines: list[str]) -> None:
    frame.text = "\n".join(line.replace("\n", " ") for line in lines)


def _size(frame: TextFrame, size: Pt) -> None:
    for paragraph in frame.paragraphs:
        paragraph.font.size = size
        for run in paragraph.runs:
            run.font.size = size


def _cell(cell: _Cell, text: str, *, right: bool) -> None:
    """One run in the cell's empty paragraph: cheaper than ``cell.text``, which rebuilds it."""
    paragraph = cell.text_frame.paragraphs[0]
    run = paragraph.add_run()
    run.text = " ".join(text.splitlines())
    run.font.size = Pt(12)
    if right:
        paragraph.alignment = PP_ALIGN.RIGHT


def _column_widths(page: TableSlide, total: int) -> list[int]:
    """Widths by the longest text in each column (a name column wider than a date column)."""
    lengths = [
        min(max([len(page.columns[i])] + [len(row[i]) for row in page.rows if i < len(row)]), 40)
        + 4
        for i in range(len(page.columns))
    ]
    whole = sum(lengths)
    return [total * length // whole for length in lengths]


def _is_figure_column(page: TableSlide, index: int) -> bool:
    """A column of money, counts or dates reads best right-aligned."""
    cells = [row[index] for row in page.rows if index < len(row) and row[index]]
    return bool(cells) and all(text[0] in "0123456789$€£¥+−-—" for text in cells)
