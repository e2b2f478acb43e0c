"""The business review deck: a title page, a KPI summary, then one chart a page — as a PDF,
and each chart as PNG and SVG files (issue 7). The same Figures as any screen would show.

Charts never touch the file system: :func:`write_review` draws into the binary files its
caller opens by name, so the caller decides where they go and writes each one atomically
(``services.files.writing``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import IO, Any

from matplotlib.axes import Axes
from matplotlib.dates import DateFormatter, MonthLocator, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from am_desktop.charts.kpi import (
    BLUE,
    GREEN,
    GREY,
    RED,
    label_room,
    margins,
    money_label,
    new_chart,
    text_scale,
)
from am_desktop.domain.cancel import Progress, no_progress
from am_desktop.domain.review import ReviewData

#: Slide proportions (16:9), in inches.
PAGE = (11.0, 6.1875)
CHARTS = ("arr", "health", "surveys", "usage", "pipeline", "issues")
FORMATS = ("pdf", "png", "svg")

#: Opens the file of this name for writing (binary); the file is kept only if the block ends
#: without error.
OpenFile = Callable[[str], AbstractContextManager[IO[bytes]]]


def _days(days: Sequence[date]) -> Any:
    """Days as matplotlib's date numbers (the axis shows them as dates)."""
    return date2num(list(days))  # type: ignore[no-untyped-call]


def _time_axis(axes: Axes, data: ReviewData) -> None:
    """Dates along x, spanning the whole period (so every chart of a deck lines up)."""
    months = (data.end.year - data.start.year) * 12 + data.end.month - data.start.month + 1
    every = max(1, -(-months // 8))  # eight labels at most
    axes.xaxis.set_major_locator(MonthLocator(interval=every))  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_formatter(DateFormatter("%b %Y"))  # type: ignore[no-untyped-call]
    axes.set_xlim(*_days([data.start, data.end]))


def _money_axis(axes: Axes, axis: str = "y") -> None:
    target = axes.yaxis if axis == "y" else axes.xaxis
    target.set_major_formatter(FuncFormatter(lambda v, _p: money_label(v)))


def _empty(axes: Axes, text: str) -> None:
    axes.text(0.5, 0.5, text, ha="center", va="center", transform=axes.transAxes, color=GREY,
              fontsize=12)  # fmt: skip
    axes.set_axis_off()


#: Beyond this many movements the ARR chart counts them instead of marking each (a portfolio
#: has hundreds).
MARKED_MOVEMENTS = 40


def arr_history(data: ReviewData) -> Figure:
    moved = len(data.movements)
    subtitle = data.period_label
    if moved > MARKED_MOVEMENTS:
        up = sum(signed for _, _, signed in data.movements if signed > 0)
        down = -sum(signed for _, _, signed in data.movements if signed < 0)
        subtitle += f" · {moved:,} movements: +{money_label(up)}, −{money_label(down)}"
    figure, axes = new_chart(f"{data.title}: ARR", subtitle, PAGE)
    if data.movements or any(value for _, value in data.arr_by_month):
        _time_axis(axes, data)
        axes.plot(_days([d for d, _ in data.arr_by_month]), [v for _, v in data.arr_by_month],
                  color=BLUE, marker="o", markersize=3, label="ARR at month end")  # fmt: skip
        if moved <= MARKED_MOVEMENTS:  # a line a movement, green for growth, red for loss
            along = axes.get_xaxis_transform()
            days = _days([day for day, _, _ in data.movements])
            for colour, grew, label in ((GREEN, True, "Growth"), (RED, False, "Loss")):
                xs = [x for x, (_, _, s) in zip(days, data.movements, strict=True)
                      if (s > 0) == grew]  # fmt: skip
                if xs:
                    axes.vlines(xs, 0, 1, transform=along, colors=colour, alpha=0.3,
                                linewidth=1.2, label=label)  # fmt: skip
            axes.legend(fontsize=8 * text_scale(figure), frameon=False, loc="upper left")
        _money_axis(axes)
    else:
        _empty(axes, "No ARR recorded.")
    return figure


def health_trend(data: ReviewData) -> Figure:
    healthy, watch = data.bands
    whose = "Average score of the accounts" if data.account_id is None else "Score"
    figure, axes = new_chart(
        f"{data.title}: health", f"{whose}, 0–100; bands at {watch:g} and {healthy:g}", PAGE
    )
    if data.health_trend:
        _time_axis(axes, data)
        axes.plot(_days([d for d, _ in data.health_trend]), [v for _, v in data.health_trend],
                  color=GREEN, marker="o", markersize=3)  # fmt: skip
        axes.axhspan(healthy, 100, color=GREEN, alpha=0.06)
        axes.axhspan(0, watch, color=RED, alpha=0.06)
        axes.set_ylim(0, 100)
    else:
        _empty(axes, "No health scores in this period: the app scores every account once a day.")
    return figure


def survey_trend(data: ReviewData) -> Figure:
    figure, axes = new_chart(f"{data.title}: NPS and CSAT", data.period_label, PAGE)
    if data.surveys:
        for kind, colour, scale in (("nps", BLUE, 10), ("csat", GREEN, 25)):
            points = [(d, s * scale if kind == "nps" else (s - 1) * scale)
                      for d, k, s in data.surveys if k == kind]  # fmt: skip
            if points:
                _time_axis(axes, data)
                axes.scatter(_days([d for d, _ in points]), [v for _, v in points], color=colour,
                             label=f"{kind.upper()} answers, on 0–100", s=18)  # fmt: skip
        axes.set_ylim(-5, 105)
        axes.legend(fontsize=8 * text_scale(figure), frameon=False)
    else:
        _empty(axes, "No NPS or CSAT answers in this period.")
    return figure


def usage_trend(data: ReviewData) -> Figure:
    figure, axes = new_chart(f"{data.title}: usage and adoption", data.period_label, PAGE)
    if data.usage:
        _time_axis(axes, data)
        days = _days([d for d, _, _ in data.usage])
        axes.plot(days, [a for _, a, _ in data.usage], color=BLUE, label="Active users")
        axes.plot(days, [s for _, _, s in data.usage], color=GREY, linestyle="--",
                  label="Licensed seats")  # fmt: skip
        axes.legend(fontsize=8 * text_scale(figure), frameon=False)
    else:
        _empty(axes, "No usage samples in this period.")
    return figure


def pipeline(data: ReviewData) -> Figure:
    title = f"{data.title}: renewal and expansion pipeline"
    figure, axes = new_chart(title, "Open, by stage", PAGE)
    if data.pipeline:
        labels = [f"{kind.title()}: {stage.replace('_', ' ')}" for kind, stage, _ in data.pipeline]
        values = [cents for _, _, cents in data.pipeline]
        colours = [BLUE if kind == "renewal" else GREEN for kind, _, _ in data.pipeline]
        axes.barh(labels, values, color=colours)
        margins(figure, left=label_room(labels))
        _money_axis(axes, "x")
    else:
        _empty(axes, "Nothing open.")
    return figure


def issues(data: ReviewData) -> Figure:
    figure, axes = new_chart(f"{data.title}: issues opened", data.period_label, PAGE)
    order = ("critical", "high", "medium", "low")
    counts = [data.issues.get(s, 0) for s in order]
    if any(counts):
        axes.bar([s.title() for s in order], counts, color=[RED, "#e37400", BLUE, GREY])
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        _empty(axes, "No issue opened in this period.")
    return figure


BUILDERS: dict[str, Callable[[ReviewData], Figure]] = {
    "arr": arr_history,
    "health": health_trend,
    "surveys": survey_trend,
    "usage": usage_trend,
    "pipeline": pipeline,
    "issues": issues,
}


def title_page(data: ReviewData, today: date) -> Figure:
    figure = Figure(figsize=PAGE, dpi=100)
    figure.text(0.06, 0.62, data.title, fontsize=30, fontweight="bold")
    figure.text(0.06, 0.52, "Business review", fontsize=18, color=GREY)
    figure.text(0.06, 0.44, data.period_label, fontsize=14)
    figure.text(0.06, 0.08, f"Prepared {today:%d %b %Y} with AM Desktop", fontsize=9, color=GREY)
    return figure


def summary_page(data: ReviewData) -> Figure:
    k = data.kpis

    def ratio(value: float | None) -> str:
        return "—" if value is None else f"{value * 100:.1f} %"

    rows = [
        ("Starting ARR", money_label(k.starting_arr)),
        ("Expansion", money_label(k.expansion)),
        ("Contraction", money_label(k.contraction)),
        ("Churn", money_label(k.churn)),
        ("New ARR", money_label(k.new_arr)),
        ("Ending ARR", money_label(k.ending_arr)),
        ("Net revenue retention", ratio(k.nrr)),
        ("Gross revenue retention", ratio(k.grr)),
        ("Logo retention", ratio(k.logo_retention)),
        ("NPS", "—" if k.nps is None else f"{k.nps:.0f}"),
        ("CSAT", "—" if k.csat is None else f"{k.csat:.0f}"),
    ]
    figure = Figure(figsize=PAGE, dpi=100)
    figure.text(0.06, 0.9, f"{data.title}: summary", fontsize=16, fontweight="bold")
    figure.text(0.06, 0.84, data.period_label, fontsize=10, color=GREY)
    axes = figure.add_axes((0.06, 0.06, 0.6, 0.74))
    axes.set_axis_off()
    table = axes.table(cellText=rows, colLabels=["Measure", "Value"], loc="upper left",
                       colLoc="left", cellLoc="left")  # fmt: skip
    table.auto_set_font_size(False)
    table.set_fontsize(12)
    table.scale(1, 1.8)
    return figure


def write_review(
    data: ReviewData,
    today: date,
    open_file: OpenFile,
    *,
    formats: Sequence[str] = FORMATS,
    charts: Sequence[str] = CHARTS,
    progress: Progress = no_progress,
) -> list[str]:
    """Draw the deck (PDF) and each chart (PNG, SVG) into the files ``open_file`` opens by
    name; the names written, in order. ``progress`` is called after each file or page (where a
    Cancel raises), inside the deck's block, so a cancelled deck is never kept half-written."""
    from matplotlib.backends.backend_pdf import PdfPages

    stem = "".join(c if c.isalnum() or c in " -_" else "_" for c in data.title).strip() or "review"
    figures = [(name, BUILDERS[name](data)) for name in charts]
    written: list[str] = []
    files = [kind for kind in formats if kind in ("png", "svg")]
    pages = 2 + len(figures) if "pdf" in formats else 0
    steps, done = len(figures) * len(files) + pages, 0
    for name, figure in figures:
        for kind in files:
            target = f"{stem} - {name}.{kind}"
            with open_file(target) as out:
                figure.savefig(out, format=kind, dpi=150 if kind == "png" else 100)
            written.append(target)
            done += 1
            progress(done, steps, "Drawing the charts")  # where a Cancel stops the export
    if pages:
        target = f"{stem} - business review.pdf"
        with open_file(target) as out, PdfPages(out) as deck:
            for page in (title_page(data, today), summary_page(data), *(f for _, f in figures)):
                deck.savefig(page)
                done += 1
                progress(done, steps, "Writing the deck")
        written.append(target)
    return written
