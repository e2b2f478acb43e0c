"""The Dashboard's charts as matplotlib Figures (issue 7): ARR bridge, ARR by month, the
renewal forecast, the health distribution and the accounts at risk.

Built with ``Figure`` directly (never pyplot: no global state, safe on a worker); the screen
embeds them, exports save them — one code path. Amounts arrive in cents.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter

from am_desktop.domain.dashboard import AtRisk, QuarterForecast
from am_desktop.domain.formatting import money, money_in_unit, money_unit, signed_money
from am_desktop.domain.kpis import ArrBridge
from am_desktop.domain.money import minor_per_major

GREY, BLUE, GREEN, RED, AMBER = "#8d99a6", "#4f86c6", "#2e7d32", "#d93025", "#e37400"
BAND_COLOURS = {"healthy": "#1e8e3e", "watch": AMBER, "at_risk": RED}
BAND_LABELS = {"healthy": "Healthy", "watch": "Watch", "at_risk": "At risk"}


#: An account this many times larger than the next one would flatten the others' bars: the
#: at-risk chart then cuts its bar (see :func:`accounts_at_risk`).
BREAK_RATIO = 6.0


class MoneyFormatter(Formatter):
    """An axis of amounts in cents, every tick in one unit chosen from the largest tick
    ($0, $0.5M, $1.0M, $1.5M — never $900 beside $1.2M), with as few decimals as its ticks
    need."""

    def __init__(self, currency: str = "USD") -> None:
        self.currency = currency

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        """All the ticks of the axis at once (matplotlib asks this way when drawing)."""
        unit = money_unit(max((abs(v) for v in values), default=0.0), self.currency)
        decimals = _decimals([v / minor_per_major(self.currency) for v in values], unit)
        return [money_in_unit(v, self.currency, unit, decimals) for v in values]

    def __call__(self, x: float, pos: int | None = None) -> str:  # noqa: ARG002 - matplotlib's
        return money(x, self.currency, compact=True)


def _decimals(amounts: Sequence[float], unit: str) -> int:
    """The fewest decimals (up to 2) that show every tick exactly in ``unit``."""
    divisor = {"": 1, "k": 1_000, "M": 1_000_000}[unit]
    for decimals in range(3):
        if all(abs(a / divisor - round(a / divisor, decimals)) < 1e-6 for a in amounts):
            return decimals
    return 2


def money_axis(axis: Axis, currency: str = "USD") -> None:
    """Label an axis of cents in one compact unit."""
    axis.set_major_formatter(MoneyFormatter(currency))


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


def empty_chart(axes: Axes, text: str) -> None:
    """A chart without data says why, in words, instead of drawing zeros."""
    size = 10 * text_scale(axes.get_figure())  # type: ignore[arg-type]
    axes.text(0.5, 0.5, text.replace("$", r"\$"), ha="center", va="center", fontsize=size,
              transform=axes.transAxes, color=GREY, wrap=True)  # fmt: skip
    axes.set_axis_off()


#: What the Dashboard's charts say with nothing to draw.
NO_ARR = "No ARR recorded up to the end of this period."


def arr_bridge(
    bridge: ArrBridge, subtitle: str, size: tuple[float, float] = (6.4, 3.2), currency: str = "USD"
) -> Figure:
    """Starting ARR → new → expansion → reactivation → contraction → churn → ending: the
    ledger's bridge (``domain.kpis.ArrBridge``), which adds up by construction."""
    figure, axes = new_chart("ARR bridge", subtitle, size)
    if not bridge.has_data:
        empty_chart(axes, NO_ARR)
        return figure
    labels = ("Start", "New", "Expansion", "Reactivation", "Contraction", "Churn", "End")
    steps = bridge.steps()
    level = 0.0
    tops: list[float] = []  # each bar's top: the axis must hold the highest with its label
    for index, (_label, amount) in enumerate(steps):
        total = index in (0, len(steps) - 1)
        if total:
            bottom, height, colour = 0.0, float(amount), BLUE
            level = float(amount)
        else:
            bottom = level if amount >= 0 else level + amount
            height, colour = abs(float(amount)), GREEN if amount >= 0 else RED
            level += amount
        axes.bar(index, height, bottom=bottom, color=colour, width=0.6)
        tops.append(bottom + height)
        shown = (
            money(amount, currency, compact=True)
            if total
            else signed_money(amount, currency, compact=True)
        )
        axes.annotate(shown, (index, bottom + height), ha="center", va="bottom", fontsize=6.5)
    axes.set_xticks(range(len(steps)), labels)
    axes.tick_params(axis="x", labelsize=6.5)  # seven words side by side on a narrow chart
    _from_zero(axes, tops)
    money_axis(axes.yaxis, currency)
    return figure


def arr_by_month(
    series: Sequence[tuple[date, int]],
    subtitle: str,
    size: tuple[float, float] = (6.4, 3.2),
    currency: str = "USD",
) -> Figure:
    """ARR at each month's end."""
    figure, axes = new_chart("ARR by month", subtitle, size)
    if not any(value for _, value in series):
        empty_chart(axes, NO_ARR)
        return figure
    if series:
        xs = [f"{d:%b %y}" for d, _ in series]
        axes.plot(xs, [v for _, v in series], color=BLUE, marker="o", markersize=3)
        axes.tick_params(axis="x", labelrotation=45)
        margins(figure, bottom=0.7)
    _from_zero(axes, [float(v) for _, v in series])
    money_axis(axes.yaxis, currency)
    return figure


def _from_zero(axes: Axes, levels: Sequence[float]) -> None:
    """Start the value axis at zero (a change of 2 % must not look like a collapse), with room
    above the highest level for its value label."""
    highest = max(levels, default=0.0)
    axes.set_ylim(0, highest * 1.12 if highest > 0 else 100_000)  # $1,000 when all is zero


def renewal_forecast(
    quarters: Sequence[QuarterForecast],
    subtitle: str,
    size: tuple[float, float] = (6.4, 3.2),
    currency: str = "USD",
) -> Figure:
    """ARR renewing per quarter: total, weighted by likelihood, committed."""
    figure, axes = new_chart("Renewal forecast", subtitle, size)
    if not any(q.total_cents for q in quarters):
        empty_chart(axes, "No contract ends in these quarters.")
        return figure
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
    money_axis(axes.yaxis, currency)
    axes.legend(fontsize=7, frameon=False)
    return figure


def health_distribution(
    bands: dict[str, int], subtitle: str, size: tuple[float, float] = (6.4, 3.2)
) -> Figure:
    """How many accounts are in each health band."""
    figure, axes = new_chart("Health", subtitle, size)
    keys = ["healthy", "watch", "at_risk"]
    counts = [bands.get(k, 0) for k in keys]
    if not any(counts):
        empty_chart(axes, "No account is scored yet: the app scores every account once a day.")
        return figure
    axes.bar([BAND_LABELS[k] for k in keys], counts, color=[BAND_COLOURS[k] for k in keys])
    for index, count in enumerate(counts):
        axes.annotate(str(count), (index, count), ha="center", va="bottom", fontsize=8)
    return figure


def accounts_at_risk(
    accounts: Sequence[AtRisk],
    subtitle: str,
    size: tuple[float, float] = (6.4, 3.2),
    currency: str = "USD",
) -> Figure:
    """The ten largest accounts at risk, by ARR, each bar labelled with its amount.

    The axis stays linear from zero, so bar lengths compare honestly (a log axis would make
    $5M look like twice $20k). When one account is :data:`BREAK_RATIO` times the next, its bar
    is cut: the axis ends a little beyond the second largest, the cut bar runs off the end with
    a break mark and its amount written on it, and the others stay long enough to compare.
    """
    figure, axes = new_chart("Accounts at risk", subtitle, size)
    top = list(accounts[:10])[::-1]
    if not top:
        empty_chart(axes, "No account is at risk.")
        return figure
    names = [a.name[:28] for a in top]
    values = [float(a.arr_cents) for a in top]
    ordered = sorted(values, reverse=True)
    cut = len(ordered) > 1 and ordered[1] > 0 and ordered[0] > BREAK_RATIO * ordered[1]
    end = ordered[1] * 1.45 if cut else max(ordered[0], 1.0) * 1.22  # room for the labels
    axes.barh(names, [min(v, end) for v in values], color=RED)
    for row, value in enumerate(values):
        shown = money(value, currency, compact=True)
        if value > end:  # the cut bar: a break mark, and its amount on the bar
            for offset in (0.93, 0.96):
                axes.plot([end * offset - end * 0.01, end * offset + end * 0.01],
                          [row - 0.45, row + 0.45], color="white", linewidth=2.5)  # fmt: skip
            axes.annotate(shown, (end * 0.9, row), ha="right", va="center", fontsize=7,
                          color="white", fontweight="bold")  # fmt: skip
        else:
            axes.annotate(shown, (value, row), xytext=(3, 0), fontsize=7,
                          textcoords="offset points", ha="left", va="center")  # fmt: skip
    axes.set_xlim(0, end)
    axes.set_ylim(min(-0.6, len(top) - 5.6), len(top) - 0.4)  # few accounts: slim bars, on top
    if cut:
        axes.set_title(f"{subtitle} · the largest bar is cut", loc="left",
                       fontsize=9 * text_scale(figure), color=GREY)  # fmt: skip
    margins(figure, left=label_room(names))
    money_axis(axes.xaxis, currency)
    axes.grid(axis="x", color="#e6e6e6", linewidth=0.8)
    axes.grid(axis="y", visible=False)
    return figure
