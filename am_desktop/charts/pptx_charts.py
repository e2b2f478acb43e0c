"""Native PowerPoint charts from the deck model's :class:`Chart`: the figures go into the chart's
embedded workbook, so the AM can edit them in PowerPoint (Edit Data) before the meeting.

Money is written in whole currency units (the model holds cents), with the currency's symbol in
the number format; a ``None`` value is an empty cell, drawn as a gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import pairwise
from typing import cast

from pptx.chart.chart import Chart as NativeChart
from pptx.chart.data import CategoryChartData, ChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_AXIS_CROSSES,
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
)
from pptx.enum.dml import MSO_LINE
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.shapes.graphfrm import GraphicFrame
from pptx.shapes.shapetree import SlideShapes
from pptx.util import Emu, Pt

from am_desktop.domain.deck import Chart, ChartKind, StepKind, ValueFormat
from am_desktop.domain.formatting import currency_symbol, month
from am_desktop.domain.money import minor_per_major

#: Bridge colours, as the PDF draws them (``charts.kpi``): up green, down red; totals take the
#: series' own colour.
UP_COLOUR, DOWN_COLOUR = "2e7d32", "d93025"
#: The bridge's series names, as the embedded workbook shows them.
BRIDGE_SERIES = ("Base", "Total", "Increase", "Decrease")

_TYPES = {
    ChartKind.LINE: XL_CHART_TYPE.LINE_MARKERS,
    ChartKind.COLUMN: XL_CHART_TYPE.COLUMN_CLUSTERED,
    ChartKind.BAR: XL_CHART_TYPE.BAR_CLUSTERED,
    ChartKind.BRIDGE: XL_CHART_TYPE.COLUMN_STACKED,
}
_TEXT_SIZE = Pt(14)
_GRID = RGBColor(0xD9, 0xD9, 0xD9)  # type: ignore[no-untyped-call]


def add_native_chart(
    shapes: SlideShapes, chart: Chart, box: tuple[Emu, Emu, Emu, Emu]
) -> NativeChart:
    """Draw ``chart`` (which has data) as a native chart filling ``box`` (left, top, w, h)."""
    data = _bridge_data(chart) if chart.kind is ChartKind.BRIDGE else _plain_data(chart)
    # python-pptx 1.0 annotates add_chart as taking the old ChartData name and returning the
    # Chart; it takes any CategoryChartData and returns the chart's graphic frame.
    frame = cast(
        "GraphicFrame", shapes.add_chart(_TYPES[chart.kind], *box, cast("ChartData", data))
    )
    native = frame.chart
    native.has_title = False
    native.font.size = _TEXT_SIZE
    _style_value_axis(native, chart)
    if chart.kind is ChartKind.BRIDGE:
        _style_bridge(native, chart)
    else:
        _style_series(native, chart)
    return native


def workbook_number_format(chart: Chart) -> str:
    """How the embedded workbook shows the chart's values (exact: no k/M)."""
    if chart.value_format is ValueFormat.MONEY:
        return f"{_quoted(currency_symbol(chart.currency))}#,##0"
    if chart.value_format is ValueFormat.COUNT:
        return "#,##0"
    return '0"%"' if chart.value_format is ValueFormat.PERCENT else "0"


def axis_number_format(chart: Chart, sign: str = "") -> str:
    """How the value axis and data labels show values: money compact ($1.2M, $350k)."""
    if chart.value_format is not ValueFormat.MONEY:
        return workbook_number_format(chart)
    symbol = _quoted(sign + currency_symbol(chart.currency))
    return f'[>=1000000]{symbol}0.0,,"M";[>=1000]{symbol}0,"k";{symbol}0'


def to_units(chart: Chart, value: float | None) -> float | None:
    """A model value as the workbook holds it: money in whole currency units."""
    if value is None or chart.value_format is not ValueFormat.MONEY:
        return value
    return value / minor_per_major(chart.currency)


def bridge_columns(chart: Chart) -> dict[str, list[float | None]]:
    """The bridge as stacked columns: an invisible base under each movement, the movement's
    size, and the totals standing on zero (in workbook units). Levels are assumed not to
    cross zero, as ARR cannot."""
    values = chart.series[0].values if chart.series else ()
    steps = _steps(chart, values)
    columns: dict[str, list[float | None]] = {name: [] for name in BRIDGE_SERIES}
    level = 0.0
    for value, step in zip(values, steps, strict=True):
        amount = to_units(chart, value)
        row: dict[str, float | None] = dict.fromkeys(BRIDGE_SERIES)
        if amount is not None and step is StepKind.TOTAL:
            row["Total"], level = amount, amount
        elif amount is not None:
            row["Base"] = min(level, level + amount)
            row["Increase" if step is StepKind.UP else "Decrease"] = abs(amount)
            level += amount
        for name in BRIDGE_SERIES:
            columns[name].append(row[name])
    return columns


def _steps(chart: Chart, values: Sequence[float | None]) -> list[StepKind]:
    """The model's step kinds; without them the first and last steps are totals and the rest
    go up or down by their sign."""
    if len(chart.steps) == len(values):
        return list(chart.steps)
    last = len(values) - 1
    return [
        StepKind.TOTAL if index in (0, last) else StepKind.DOWN if (value or 0) < 0 else StepKind.UP
        for index, value in enumerate(values)
    ]


def _categories(chart: Chart) -> list[str | date]:
    """Dates stay dates on a line chart (a date axis PowerPoint can re-scale); elsewhere, and
    when a chart mixes dates with text, they are written as month names."""
    dates_only = all(isinstance(c, date) for c in chart.categories)
    if chart.kind is ChartKind.LINE and dates_only:
        return list(chart.categories)
    return [month(c) if isinstance(c, date) else c for c in chart.categories]


def _new_data(chart: Chart) -> CategoryChartData:
    data = CategoryChartData(number_format=workbook_number_format(chart))  # type: ignore[no-untyped-call]
    data.categories = _categories(chart)
    if data.categories.are_dates:
        data.categories.number_format = _date_format(chart.categories)
    return data


def _plain_data(chart: Chart) -> CategoryChartData:
    data = _new_data(chart)
    for series in chart.series:
        data.add_series(series.name, [to_units(chart, v) for v in series.values])  # type: ignore[no-untyped-call]
    return data


def _bridge_data(chart: Chart) -> CategoryChartData:
    data = _new_data(chart)
    for name, values in bridge_columns(chart).items():
        data.add_series(name, values)  # type: ignore[no-untyped-call]
    return data


def _date_format(categories: Sequence[str | date]) -> str:
    """``Nov 2026`` for monthly points; ``3 Nov 2026`` when points are closer than a month."""
    days = sorted(c for c in categories if isinstance(c, date))
    closest = min((b - a).days for a, b in pairwise(days)) if days[1:] else 31
    return "mmm yyyy" if closest >= 28 else "d mmm yyyy"  # a month's length


def _style_value_axis(native: NativeChart, chart: Chart) -> None:
    axis = native.value_axis
    axis.tick_labels.number_format = axis_number_format(chart)
    axis.tick_labels.number_format_is_linked = False
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = _GRID
    axis.format.line.fill.background()
    if chart.value_range is not None:
        axis.minimum_scale, axis.maximum_scale = chart.value_range
    elif chart.value_format in (ValueFormat.MONEY, ValueFormat.COUNT) and not _has_negative(chart):
        axis.minimum_scale = 0
    # The category labels sit at the bottom (left for bars) even when values go below zero.
    axis.crosses = XL_AXIS_CROSSES.MINIMUM
    if chart.kind is ChartKind.BAR:
        # Read top to bottom in the model's order; the value axis stays at the bottom.
        native.category_axis.reverse_order = True
        value_axis = axis._element  # python-pptx sets where an axis crosses on value axes only
        value_axis._remove_crosses()
        value_axis._add_crosses(val=XL_AXIS_CROSSES.MAXIMUM)
    native.category_axis.has_major_gridlines = False


def _has_negative(chart: Chart) -> bool:
    if chart.kind is ChartKind.BRIDGE:
        return False
    return any(v is not None and v < 0 for s in chart.series for v in s.values)


def _style_series(native: NativeChart, chart: Chart) -> None:
    plot = native.plots[0]
    for drawn, series in zip(plot.series, chart.series, strict=True):
        colour = _rgb(series.colour)
        if chart.kind is ChartKind.LINE:
            line = drawn.format.line
            line.width = Pt(2.25)
            if colour is not None:
                line.color.rgb = colour
            if series.dashed:
                line.dash_style = MSO_LINE.DASH
            drawn.smooth = False
            drawn.marker.style = XL_MARKER_STYLE.CIRCLE
            drawn.marker.size = 7
            if colour is not None:
                drawn.marker.format.fill.solid()
                drawn.marker.format.fill.fore_color.rgb = colour
                drawn.marker.format.line.color.rgb = colour
        elif colour is not None:
            drawn.format.fill.solid()
            drawn.format.fill.fore_color.rgb = colour
            if series.dashed:
                drawn.format.line.color.rgb = colour
                drawn.format.line.dash_style = MSO_LINE.DASH
    if chart.kind is ChartKind.LINE:
        _blanks_as_gaps(native)
        _date_ticks(native, chart)
    else:
        plot.gap_width = 60
    if len(chart.series) > 1:
        _legend(native)
    elif chart.kind is not ChartKind.LINE and len(chart.categories) <= 12:
        _labels(plot.series[0], axis_number_format(chart), XL_LABEL_POSITION.OUTSIDE_END)


def _style_bridge(native: NativeChart, chart: Chart) -> None:
    plot = native.plots[0]
    plot.gap_width = 60
    base, total, up, down = plot.series
    base.format.fill.background()
    base.format.line.fill.background()
    total_colour = _rgb(chart.series[0].colour) if chart.series else None
    for drawn, colour, sign in (
        (total, total_colour, ""),
        (up, _rgb(UP_COLOUR), "+"),
        (down, _rgb(DOWN_COLOUR), "−"),
    ):
        if colour is not None:
            drawn.format.fill.solid()
            drawn.format.fill.fore_color.rgb = colour
        _labels(drawn, axis_number_format(chart, sign), XL_LABEL_POSITION.INSIDE_END)
    _legend(native, hidden=(0,))


def _labels(series: object, number_format: str, position: XL_LABEL_POSITION) -> None:
    labels = series.data_labels  # type: ignore[attr-defined]  # every bar/line series has them
    labels.show_value = True
    labels.number_format = number_format
    labels.number_format_is_linked = False
    labels.position = position
    labels.font.size = Pt(12)


def _legend(native: NativeChart, hidden: Sequence[int] = ()) -> None:
    native.has_legend = True
    native.legend.position = XL_LEGEND_POSITION.BOTTOM
    native.legend.include_in_layout = False
    native.legend.font.size = Pt(12)
    legend = native.legend._element  # python-pptx has no legend entries API
    position = legend.find(qn("c:legendPos"))
    for index in reversed(hidden):
        entry = OxmlElement("c:legendEntry")
        for tag, value in (("c:idx", str(index)), ("c:delete", "1")):
            child = OxmlElement(tag)
            child.set("val", value)
            entry.append(child)
        position.addnext(entry)


def _blanks_as_gaps(native: NativeChart) -> None:
    """python-pptx's line chart draws an empty cell as zero; a missing month is a gap."""
    for blanks in native._chartSpace.iter(qn("c:dispBlanksAs")):
        blanks.set("val", "gap")


def _date_ticks(native: NativeChart, chart: Chart) -> None:
    """A label a month (or fewer, over a long span) on a monthly date axis; about ten over a
    shorter one — else a viewer may label every day."""
    days = sorted(c for c in chart.categories if isinstance(c, date))
    for axis in native._chartSpace.iter(qn("c:dateAx")):
        monthly = _date_format(days) == "mmm yyyy"
        months = (days[-1].year - days[0].year) * 12 + days[-1].month - days[0].month
        unit, step = (
            ("months", months // 12 + 1)
            if monthly
            else ("days", 1 + (days[-1] - days[0]).days // 10)
        )
        for base in axis.iter(qn("c:baseTimeUnit")):
            base.set("val", unit)
            for tag, value in (("c:majorTimeUnit", unit), ("c:majorUnit", str(step))):
                element = OxmlElement(tag)
                element.set("val", value)
                base.addnext(element)


def _rgb(colour: str) -> RGBColor | None:
    """``#4f86c6`` → an RGB colour; anything else leaves the theme's colour."""
    digits = colour.strip().lstrip("#")
    if len(digits) != 6:  # RRGGBB
        return None
    try:
        red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return None
    return RGBColor(red, green, blue)  # type: ignore[no-untyped-call]


def _quoted(text: str) -> str:
    return '"' + text.replace('"', "") + '"'
