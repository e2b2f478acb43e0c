"""The Dashboard's charts as matplotlib Figures (issue 7): ARR bridge, ARR by month, the
renewal forecast, the health distribution and the accounts at risk.

Built with ``Figure`` directly (never pyplot: no global state, safe on a worker); the screen
embeds them, exports save them — one code path. Amounts arrive in cents.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from am_desktop.domain.dashboard import AtRisk, QuarterForecast
from am_desktop.domain.kpis import Kpis

GREY, BLUE, GREEN, RED, AMBER = "#8d99a6", "#4f86c6", "#2e7d32", "#d93025", "#e37400"
BAND_COLOURS = {"healthy": "#1e8e3e", "watch": AMBER, "at_risk": RED}
BAND_LABELS = {"healthy": "Healthy", "watch": "Watch", "at_risk": "At risk"}


def money_label(cents: float, symbol: str = "$") -> str:
    """Compact amounts for axes: $1.2M, $350k, $900."""
    value = cents / 100
    sign, value = ("−" if value < 0 else ""), abs(value)
    if value >= 1_000_000:
        return f"{sign}{symbol}{value / 1_000_000:.1f}M"
    if value >= 10_000:
        return f"{sign}{symbol}{value / 1_000:.0f}k"
    return f"{sign}{symbol}{value:,.0f}"


#: Room around the plot, in inches: fixed, so every chart of a deck lines up, and cheap — a
#: layout engine draws each figure twice to measure it (≈ 40 % of a deck's time).
TOP, RIGHT, LEFT, BOTTOM = 0.52, 0.25, 0.7, 0.45
#: Inches a character of an 8-point tick label takes, on average.
CHAR_WIDTH = 0.068


def text_scale(figure: Figure) -> float:
    """How much larger than on a 6.4-inch screen chart text is drawn (a slide is 11 inches)."""
    return float(max(1.0, figure.get_size_inches()[0] / 6.4) ** 0.5)


def new_chart(title: str, subtitle: str, size: tuple[float, float]) -> tuple[Figure, Axes]:
    """An empty chart with its title and subtitle, in the house style."""
    figure = Figure(figsize=size, dpi=100)
    axes = figure.add_subplot()
    scale = text_scale(figure)
    figure.suptitle(title, x=0.1 * scale / size[0], y=1 - 0.08 * scale / size[1], ha="left",
                    va="top", fontsize=12 * scale, fontweight="bold")  # fmt: skip
    axes.set_title(subtitle, loc="left", fontsize=9 * scale, color=GREY)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=8 * scale)
    axes.grid(axis="y", color="#e6e6e6", linewidth=0.8)
    axes.set_axisbelow(True)
    margins(figure)
    return figure, axes


def margins(figure: Figure, *, left: float = LEFT, bottom: float = BOTTOM) -> None:
    """Place the plot with ``left`` and ``bottom`` inches (at screen size) for axis labels."""
    width, height = figure.get_size_inches()
    scale = text_scale(figure)
    figure.subplots_adjust(
        left=min(left * scale / width, 0.6),
        right=1 - RIGHT * scale / width,
        bottom=min(bottom * scale / height, 0.5),
        top=max(1 - TOP * scale / height, 0.55),
    )


def label_room(labels: Sequence[str]) -> float:
    """Inches (at screen size) the longest of these tick labels needs beside an axis."""
    return 0.2 + CHAR_WIDTH * max((len(label) for label in labels), default=4)


def arr_bridge(kpis: Kpis, subtitle: str, size: tuple[float, float] = (6.4, 3.2)) -> Figure:
    """Starting ARR → expansion → contraction → churn → new → ending (any rest shown apart)."""
    figure, axes = new_chart("ARR bridge", subtitle, size)
    other = kpis.ending_arr - (
        kpis.starting_arr + kpis.expansion - kpis.contraction - kpis.churn + kpis.new_arr
    )
    steps = [
        ("Start", kpis.starting_arr, "total"),
        ("Expansion", kpis.expansion, "up"),
        ("Contraction", -kpis.contraction, "down"),
        ("Churn", -kpis.churn, "down"),
        ("New", kpis.new_arr, "up"),
    ]
    if other:
        steps.append(("Other", other, "up" if other > 0 else "down"))
    steps.append(("End", kpis.ending_arr, "total"))
    level = 0.0
    for index, (_label, amount, kind) in enumerate(steps):
        if kind == "total":
            bottom, height, colour = 0.0, float(amount), BLUE
            level = float(amount)
        else:
            bottom = level if amount >= 0 else level + amount
            height, colour = abs(float(amount)), GREEN if amount >= 0 else RED
            level += amount
        axes.bar(index, height, bottom=bottom, color=colour, width=0.6)
        axes.annotate(
            money_label(amount), (index, bottom + height), ha="center", va="bottom", fontsize=7
        )
    axes.set_xticks(range(len(steps)), [s[0] for s in steps])
    axes.tick_params(axis="x", labelsize=7)  # seven words side by side on a narrow chart
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: money_label(v)))
    return figure


def arr_by_month(
    series: Sequence[tuple[date, int]], subtitle: str, size: tuple[float, float] = (6.4, 3.2)
) -> Figure:
    """ARR at each month's end."""
    figure, axes = new_chart("ARR by month", subtitle, size)
    if series:
        xs = [f"{d:%b %y}" for d, _ in series]
        axes.plot(xs, [v for _, v in series], color=BLUE, marker="o", markersize=3)
        axes.tick_params(axis="x", labelrotation=45)
        margins(figure, bottom=0.7)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: money_label(v)))
    return figure


def renewal_forecast(
    quarters: Sequence[QuarterForecast], subtitle: str, size: tuple[float, float] = (6.4, 3.2)
) -> Figure:
    """ARR renewing per quarter: total, weighted by likelihood, committed."""
    figure, axes = new_chart("Renewal forecast", subtitle, size)
    width = 0.26
    series = (
        ("Total", GREY, [q.total_cents for q in quarters]),
        ("Weighted", BLUE, [q.weighted_cents for q in quarters]),
        ("Committed", GREEN, [q.committed_cents for q in quarters]),
    )
    for offset, (label, colour, values) in enumerate(series):
        axes.bar(
            [i + (offset - 1) * width for i in range(len(quarters))],
            values,
            width=width,
            color=colour,
            label=label,
        )
    axes.set_xticks(range(len(quarters)), [q.label for q in quarters])
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: money_label(v)))
    axes.legend(fontsize=7, frameon=False)
    return figure


def health_distribution(
    bands: dict[str, int], subtitle: str, size: tuple[float, float] = (6.4, 3.2)
) -> Figure:
    """How many accounts are in each health band."""
    figure, axes = new_chart("Health", subtitle, size)
    keys = ["healthy", "watch", "at_risk"]
    counts = [bands.get(k, 0) for k in keys]
    axes.bar([BAND_LABELS[k] for k in keys], counts, color=[BAND_COLOURS[k] for k in keys])
    for index, count in enumerate(counts):
        axes.annotate(str(count), (index, count), ha="center", va="bottom", fontsize=8)
    return figure


def accounts_at_risk(
    accounts: Sequence[AtRisk], subtitle: str, size: tuple[float, float] = (6.4, 3.2)
) -> Figure:
    """The ten largest accounts at risk, by ARR."""
    figure, axes = new_chart("Accounts at risk", subtitle, size)
    top = list(accounts[:10])[::-1]
    if top:
        names = [a.name[:28] for a in top]
        axes.barh(names, [a.arr_cents for a in top], color=RED)
        margins(figure, left=label_room(names))
        axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: money_label(v)))
        axes.grid(axis="x", color="#e6e6e6", linewidth=0.8)
    else:
        axes.text(0.5, 0.5, "No account is at risk.", ha="center", va="center", fontsize=10,
                  transform=axes.transAxes, color=GREY)  # fmt: skip
        axes.set_axis_off()
    return figure
