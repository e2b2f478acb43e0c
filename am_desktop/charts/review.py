"""A business-review deck drawn with matplotlib (issues 7 and 15): each slide of a
:class:`~am_desktop.domain.deck.Deck` as a 16:9 page of a PDF, and each chart as PNG and SVG
files. The PowerPoint file draws the same deck with native charts (``charts.pptx_deck``), so
both show the same figures.

Charts never touch the file system: :func:`write_deck` draws into the binary files its caller
opens by name, so the caller decides where they go and writes each one atomically.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import date
from io import BytesIO
from typing import IO, Any

from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, DateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator

from am_desktop.charts.kpi import GREY, empty_chart, money_axis, text_scale
from am_desktop.domain import formatting as fmt
from am_desktop.domain.cancel import Progress, no_progress
from am_desktop.domain.deck import (
    ROWS_PER_SLIDE,
    BulletSlide,
    Chart,
    ChartKind,
    ChartSlide,
    Deck,
    PictureSlide,
    Slide,
    StepKind,
    TableSlide,
    TitleSlide,
    ValueFormat,
)

#: Slide proportions (16:9), in inches.
PAGE = (11.0, 6.1875)
#: The file kinds this module writes (PowerPoint is ``charts.pptx_deck``).
FORMATS = ("pdf", "png", "svg")

#: Opens the file of this name for writing (binary); the file is kept only if the block ends
#: without error.
OpenFile = Callable[[str], AbstractContextManager[IO[bytes]]]


def chart_file_name(deck: Deck, slide: ChartSlide, kind: str) -> str:
    return f"{deck.stem} - {slide.name}.{kind}"


# ---------------------------------------------------------------- axes


def _value_axis(axes: Axes, chart: Chart, *, horizontal: bool = False) -> None:
    """Money and counts from zero (scores on their fixed range), one unit per axis."""
    axis = axes.xaxis if horizontal else axes.yaxis
    low, high = axes.get_xlim() if horizontal else axes.get_ylim()
    if chart.value_range is not None:
        low, high = chart.value_range
    elif chart.kind is not ChartKind.BRIDGE or low >= 0:
        low = min(0.0, low)
    if chart.kind in (ChartKind.COLUMN, ChartKind.BRIDGE):
        room = (high - low) * 0.08  # room for the values beyond the longest bars
        high, low = high + room, low - room if low < 0 else low
    (axes.set_xlim if horizontal else axes.set_ylim)(low, high)
    if chart.value_format is ValueFormat.MONEY:
        axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
        money_axis(axis, chart.currency)
    elif chart.value_format is ValueFormat.COUNT:
        axis.set_major_locator(MaxNLocator(integer=True))
        axis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))


def _date_axis(axes: Axes, days: Sequence[date]) -> None:
    locator = AutoDateLocator(maxticks=8)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(DateFormatter("%b %Y"))  # type: ignore[no-untyped-call]
    if len(days) == 1:
        axes.set_xlim(date2num(days[0]) - 15, date2num(days[0]) + 15)  # type: ignore[no-untyped-call]


def plain(text: str) -> str:
    """Text drawn as written: matplotlib would read two dollar signs as a formula."""
    return text.replace("$", r"\$")


def _numbers(values: Sequence[float | None]) -> list[float]:
    return [math.nan if v is None else float(v) for v in values]


# ---------------------------------------------------------------- charts


def _line(axes: Axes, chart: Chart, scale: float) -> None:
    dated = all(isinstance(c, date) for c in chart.categories)
    xs: Any = (
        date2num(list(chart.categories))  # type: ignore[no-untyped-call]
        if dated
        else list(range(len(chart.categories)))
    )
    for band in chart.bands:
        axes.axhspan(band.low, band.high, color=band.colour, alpha=0.07, label=band.label)
    many = len(chart.categories) > 40
    for series in chart.series:
        axes.plot(xs, _numbers(series.values), color=series.colour, label=series.name,
                  linestyle="--" if series.dashed else "-", marker=None if many else "o",
                  markersize=3.5, linewidth=1.8)  # fmt: skip
    if dated:
        _date_axis(axes, list(chart.categories))  # type: ignore[arg-type]
    else:
        every = max(1, -(-len(xs) // 12))  # twelve labels at most, so none collide
        axes.set_xticks(xs[::every], [str(c) for c in chart.categories][::every])
    if len(chart.series) > 1 or chart.bands:
        _legend(axes, scale)
    _value_axis(axes, chart)


def _legend(axes: Axes, scale: float) -> None:
    """The legend in one row above the plot's right end, where it covers no data."""
    count = len(axes.get_legend_handles_labels()[1])
    axes.legend(fontsize=8.5 * scale, frameon=False, loc="lower right", bbox_to_anchor=(1, 1),
                ncols=count, borderaxespad=0.2)  # fmt: skip


def _columns(axes: Axes, chart: Chart, scale: float) -> None:
    count = len(chart.series)
    width = 0.7 / count
    for index, series in enumerate(chart.series):
        offsets = [i + (index - (count - 1) / 2) * width for i in range(len(chart.categories))]
        bars = axes.bar(offsets, _numbers(series.values), width=width, color=series.colour,
                        label=series.name)  # fmt: skip
        axes.bar_label(bars, labels=[_value_text(v, chart) for v in series.values],
                       fontsize=8 * scale, padding=2)  # fmt: skip
    axes.set_xticks(range(len(chart.categories)), [str(c) for c in chart.categories])
    if count > 1:
        _legend(axes, scale)
    _value_axis(axes, chart)


def _bars(axes: Axes, chart: Chart, scale: float) -> None:
    labels = [str(c) for c in chart.categories][::-1]
    series = chart.series[0]
    values = _numbers(series.values)[::-1]
    bars = axes.barh(labels, values, color=series.colour)
    axes.bar_label(bars, labels=[_value_text(v, chart) for v in series.values][::-1],
                   fontsize=8 * scale, padding=3)  # fmt: skip
    axes.grid(axis="x", color="#e6e6e6", linewidth=0.8)
    axes.grid(axis="y", visible=False)
    room = (0.25 + 0.068 * max(len(label) for label in labels)) * scale / PAGE[0]
    left = min(0.45, max(PLOT[0], room))
    axes.set_position((left, PLOT[1], PLOT[0] + PLOT[2] - left, PLOT[3]))
    high = max((v for v in values if not math.isnan(v)), default=0.0)
    axes.set_xlim(0, high * 1.15 or 1)  # room for the value labels
    _value_axis(axes, chart, horizontal=True)


def _bridge(axes: Axes, chart: Chart, scale: float) -> None:
    from am_desktop.domain.review_deck import GREEN, RED

    level = 0.0
    values = _numbers(chart.series[0].values)
    for index, (amount, kind) in enumerate(zip(values, chart.steps, strict=True)):
        if kind is StepKind.TOTAL:
            bottom, height, colour = 0.0, amount, chart.series[0].colour
            level = amount
        else:
            bottom = level if amount >= 0 else level + amount
            height, colour = abs(amount), GREEN if amount >= 0 else RED
            level += amount
        axes.bar(index, height, bottom=bottom, color=colour, width=0.6)
        shown = fmt.money(amount, chart.currency, compact=True)
        if kind is not StepKind.TOTAL and amount > 0:
            shown = "+" + shown
        axes.annotate(plain(shown), (index, bottom + height), ha="center", va="bottom",
                      fontsize=8 * scale, xytext=(0, 2), textcoords="offset points")  # fmt: skip
    axes.set_xticks(range(len(chart.categories)), [str(c) for c in chart.categories])
    _value_axis(axes, chart)


def _value_text(value: float | None, chart: Chart) -> str:
    if value is None:
        return ""
    if chart.value_format is ValueFormat.MONEY:
        return plain(fmt.money(value, chart.currency, compact=True))
    return f"{value:,.0f}"


#: Where a chart sits on its page (left, bottom, width, height): below the title, subtitle and
#: facts line, the same on every chart page of a deck.
PLOT = (0.08, 0.1, 0.88, 0.63)


def chart_figure(slide: ChartSlide) -> Figure:
    """One chart slide as a Figure: its title, subtitle, facts line and chart."""
    figure = _text_page(slide.title, slide.subtitle)
    axes = figure.add_axes(PLOT)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    scale = text_scale(figure)
    axes.tick_params(labelsize=8 * scale)
    axes.grid(axis="y", color="#e6e6e6", linewidth=0.8)
    axes.set_axisbelow(True)
    chart = slide.chart
    if slide.facts:
        line = "     ".join(f"{label}: {value}" for label, value in slide.facts)
        figure.text(0.06, 0.79, plain(line), fontsize=12, va="top")
    if not chart.has_data:
        empty_chart(axes, chart.empty)
    elif chart.kind is ChartKind.LINE:
        _line(axes, chart, scale)
    elif chart.kind is ChartKind.COLUMN:
        _columns(axes, chart, scale)
    elif chart.kind is ChartKind.BAR:
        _bars(axes, chart, scale)
    else:
        _bridge(axes, chart, scale)
    return figure


# ---------------------------------------------------------------- text pages


def title_figure(slide: TitleSlide) -> Figure:
    from am_desktop.domain.review_deck import BLUE

    figure = Figure(figsize=PAGE, dpi=100)
    figure.patches.append(
        Rectangle((0, 0), 0.018, 1, transform=figure.transFigure, color=BLUE, figure=figure)
    )
    figure.text(0.06, 0.58, plain(slide.title), fontsize=32, fontweight="bold")
    figure.text(0.06, 0.48, plain(slide.subtitle), fontsize=18, color=GREY)
    figure.text(0.06, 0.40, slide.period, fontsize=14)
    if slide.logo:
        picture = _picture(slide.logo)
        height, width = picture.shape[:2]
        box_w, box_h = 0.22, 0.22 * PAGE[0] / PAGE[1] * height / max(1, width)
        box_h = min(box_h, 0.25)
        axes = figure.add_axes((0.94 - box_w, 0.94 - box_h, box_w, box_h))
        axes.imshow(picture)
        axes.set_axis_off()
    return figure


def _picture(content: bytes) -> Any:
    """A PNG or JPEG as pixels (matplotlib's own reader takes an unnamed stream for a PNG)."""
    import numpy
    from PIL import Image

    with Image.open(BytesIO(content)) as image:
        return numpy.asarray(image.convert("RGBA"))


def _text_page(title: str, subtitle: str) -> Figure:
    """A page with its title and subtitle where every page of the deck has them."""
    figure = Figure(figsize=PAGE, dpi=100)
    figure.text(0.06, 0.93, plain(title), fontsize=22, fontweight="bold", va="top")
    if subtitle:
        figure.text(0.06, 0.855, plain(subtitle), fontsize=12, color=GREY, va="top")
    return figure


def bullets_figure(slide: BulletSlide) -> Figure:
    figure = _text_page(slide.title, "")
    lines = [f"•  {b}" for b in slide.bullets] or [slide.empty]
    for index, line in enumerate(lines[:ROWS_PER_SLIDE]):
        figure.text(0.08, 0.76 - index * 0.05, plain(_clip(line, 110)), fontsize=15)
    return figure


def table_figures(slide: TableSlide) -> list[Figure]:
    """The table over as many pages as its rows need (``ROWS_PER_SLIDE`` each)."""
    if not slide.rows:
        figure = _text_page(slide.title, slide.subtitle)
        figure.text(0.08, 0.7, plain(slide.empty), fontsize=15, color=GREY)
        return [figure]
    pages = []
    for first in range(0, len(slide.rows), ROWS_PER_SLIDE):
        title = slide.title if first == 0 else f"{slide.title} (continued)"
        figure = _text_page(title, slide.subtitle)
        axes = figure.add_axes((0.06, 0.04, 0.88, 0.76))
        axes.set_axis_off()
        chunk = slide.rows[first : first + ROWS_PER_SLIDE]
        # A short table has room for two lines a row: long sentences wrap instead of being cut.
        widths = _column_widths(slide.columns, chunk)
        budgets = [max(4, int(w * _TABLE_WIDTH / _TABLE_CHAR) - 2) for w in widths]
        cut = any(len(c) > b for row in chunk for c, b in zip(row, budgets, strict=True))
        # A text too long for its column wraps onto a second line when the rows leave room.
        lines = 2 if cut and len(chunk) * 1.75 + 1 <= ROWS_PER_SLIDE + 1.2 else 1
        rows = [
            [plain(_wrap(cell, budget, lines)) for cell, budget in zip(row, budgets, strict=True)]
            for row in chunk
        ]
        heights = [max(1.0, 1 + 0.75 * max(c.count("\n") for c in row)) for row in [[""], *rows]]
        table = axes.table(cellText=rows, colLabels=[plain(c) for c in slide.columns],
                           colWidths=widths, loc="upper left", colLoc="left",
                           cellLoc="left")  # fmt: skip
        table.auto_set_font_size(False)
        table.set_fontsize(12)
        for (row, _column), cell in table.get_celld().items():
            cell.set_height(heights[row] * _ROW_HEIGHT)
            cell.set_edgecolor("#d0d5db")
            if row == 0:
                cell.set_text_props(fontweight="bold")
                cell.set_facecolor("#eef2f6")
        pages.append(figure)
    return pages


#: Inches a character of 12-point table text takes, on average; the table's width in inches;
#: a row's height as a share of the table's area (a full slide's rows and header fit).
_TABLE_CHAR, _TABLE_WIDTH = 0.095, 0.88 * PAGE[0]
_ROW_HEIGHT = 1 / (ROWS_PER_SLIDE + 1.2)


def _column_widths(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> list[float]:
    """Each column as wide as its longest text (counted, not measured: measuring every cell
    doubles a table's drawing time), fitted to the page."""
    inches = [
        0.3 + _TABLE_CHAR * max(len(name), *(len(row[i]) for row in rows))
        for i, name in enumerate(columns)
    ]
    return [width / _TABLE_WIDTH for width in _fit(inches, _TABLE_WIDTH)]


def _fit(widths: Sequence[float], room: float) -> list[float]:
    """Widths that fit ``room``: the narrow columns keep theirs, the widest share the rest
    equally (names and amounts stay whole; a long sentence is cut)."""
    if sum(widths) <= room:
        return list(widths)
    ordered = sorted(widths)
    used = 0.0
    for index, width in enumerate(ordered):
        left = len(ordered) - index
        if used + width * left >= room:
            cap = (room - used) / left
            return [min(width, cap) for width in widths]
        used += width
    return list(widths)


def _wrap(text: str, width: int, lines: int) -> str:
    """``text`` on at most ``lines`` lines of ``width`` characters, the last cut with "…"."""
    if lines == 1 or len(text) <= width:
        return _clip(text, width)
    import textwrap

    wrapped = textwrap.wrap(text, width, break_long_words=False)
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], _clip(" ".join(wrapped[lines - 1 :]), width)]
    return "\n".join(wrapped)


def _clip(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def picture_figure(slide: PictureSlide) -> Figure:
    figure = _text_page(slide.title, "")
    axes = figure.add_axes((0.06, 0.04, 0.88, 0.78))
    axes.imshow(_picture(slide.picture))
    axes.set_axis_off()
    return figure


def slide_figures(slide: Slide) -> list[Figure]:
    """The page(s) of one slide."""
    if isinstance(slide, TitleSlide):
        return [title_figure(slide)]
    if isinstance(slide, BulletSlide):
        return [bullets_figure(slide)]
    if isinstance(slide, TableSlide):
        return table_figures(slide)
    if isinstance(slide, PictureSlide):
        return [picture_figure(slide)]
    return [chart_figure(slide)]


# ---------------------------------------------------------------- files


#: Each file's own properties say what it is, not what made it (None removes a key).
_UNSIGNED: dict[str, dict[str, str | None]] = {
    "pdf": {"Creator": None, "Producer": None},
    "png": {"Software": None},
    "svg": {"Creator": None},
}


def write_deck(
    deck: Deck,
    open_file: OpenFile,
    *,
    formats: Sequence[str] = FORMATS,
    progress: Progress = no_progress,
) -> list[str]:
    """Draw the deck (PDF) and each chart (PNG, SVG) into the files ``open_file`` opens by
    name; the names written, in order. ``progress`` is called after each file or page (where a
    Cancel raises), inside the deck's block, so a cancelled deck is never kept half-written."""
    written: list[str] = []
    files = [kind for kind in formats if kind in ("png", "svg")]
    charts = deck.charts
    pages = len(deck.slides) if "pdf" in formats else 0
    steps, done = len(charts) * len(files) + pages, 0
    for chart in charts:
        figure = chart_figure(chart)
        for kind in files:
            target = chart_file_name(deck, chart, kind)
            with open_file(target) as out:
                figure.savefig(out, format=kind, dpi=150 if kind == "png" else 100,
                               metadata=_UNSIGNED[kind])  # fmt: skip
            written.append(target)
            done += 1
            progress(done, steps, "Drawing the charts")  # where a Cancel stops the export
    if pages:
        from matplotlib.backends.backend_pdf import PdfPages

        target = deck.file_name("pdf")
        what = "Business review" if deck.audience.value == "customer" else "Internal review"
        about = {"Title": f"{deck.subject}: {what}", "Subject": fmt.period(deck.start, deck.end)}
        with open_file(target) as out, PdfPages(out, metadata=about | _UNSIGNED["pdf"]) as pdf:
            for slide in deck.slides:
                for page in slide_figures(slide):
                    pdf.savefig(page)
                done += 1
                progress(done, steps, "Writing the PDF deck")
        written.append(target)
    return written
