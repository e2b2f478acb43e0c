"""The Dashboard's charts read right: ARR from zero, one money unit per axis, small at-risk
accounts still visible beside a dominant one."""

from __future__ import annotations

import re
from datetime import date

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from am_desktop.charts import kpi
from am_desktop.domain.dashboard import AtRisk
from am_desktop.domain.kpis import ArrBridge


def _labels(figure: Figure, axis: str = "y") -> list[str]:
    figure.draw_without_rendering()  # tick labels are set when the figure is drawn
    axes: Axes = figure.axes[0]
    ticks = axes.get_yticklabels() if axis == "y" else axes.get_xticklabels()
    return [t.get_text() for t in ticks]


def _units(labels: list[str]) -> set[str]:
    """The unit of every label but zero: "M", "k" or "" (whole dollars)."""
    return {re.sub(r"[^kM]", "", label) for label in labels if label != "$0"}


def _bridge(start: int, expansion: int, contraction: int, churn: int, new: int) -> ArrBridge:
    return ArrBridge(start, new, expansion, 0, contraction, churn, moved=4)


def test_arr_by_month_starts_at_zero_even_when_arr_barely_moves() -> None:
    series = [(date(2026, m, 1), (1_000_000 + m * 10_000) * 100) for m in range(1, 13)]
    figure = kpi.arr_by_month(series, "2026")
    assert figure.axes[0].get_ylim()[0] == 0


def test_the_bridge_starts_at_zero_and_holds_its_highest_step() -> None:
    figure = kpi.arr_bridge(
        _bridge(5_400_000_00, 314_000_00, 286_000_00, 50_000_00, 513_000_00), ""
    )
    low, high = figure.axes[0].get_ylim()
    assert low == 0 and high > 5_891_000_00


def test_every_tick_of_a_money_axis_shares_one_unit() -> None:
    # From $900k to $1.2M: per-value formatting would mix "$900k" with "$1.20M".
    series = [(date(2026, m, 1), (900_000 + m * 30_000) * 100) for m in range(1, 13)]
    labels = _labels(kpi.arr_by_month(series, "2026"))
    assert labels[0] == "$0" and len(_units(labels)) == 1, labels
    assert _units(labels) == {"M"}
    small = _labels(
        kpi.arr_by_month([(date(2026, 1, 1), 900_00), (date(2026, 2, 1), 1_500_00)], "")
    )
    assert _units(small) == {""}, small  # a small axis in whole dollars, none of it in k


def test_the_bridge_axis_shares_one_unit() -> None:
    labels = _labels(kpi.arr_bridge(_bridge(40_000_00, 9_000_00, 3_000_00, 0, 12_000_00), ""))
    assert _units(labels) == {"k"}, labels


def test_small_accounts_at_risk_stay_readable_beside_a_dominant_one() -> None:
    accounts = [AtRisk(1, "Giant", 30.0, 5_000_000_00)]
    accounts += [AtRisk(i, f"Small {i}", 30.0, 20_000_00) for i in range(2, 11)]
    figure = kpi.accounts_at_risk(accounts, "Largest by ARR")
    axes = figure.axes[0]
    _left, right = axes.get_xlim()
    assert right < 5 * 20_000_00  # the axis fits the small bars: the giant's bar is cut
    texts = [t.get_text() for t in axes.texts]
    assert texts.count("$20k") == 9 and "$5.00M" in texts  # every bar says its amount
    assert _units(_labels(figure, "x")) == {"k"}


def test_charts_without_data_say_so_instead_of_drawing_zeros() -> None:
    from am_desktop.domain.dashboard import QuarterForecast

    def said(figure: Figure) -> list[str]:
        return [t.get_text() for t in figure.axes[0].texts if not figure.axes[0].axison]

    quarter = QuarterForecast(date(2026, 10, 1), date(2026, 12, 31), "Q4 2026", 0, 0, 0, 0)
    assert said(kpi.arr_bridge(ArrBridge(), "")) == [kpi.NO_ARR]
    assert said(kpi.arr_by_month([(date(2026, 1, 31), 0), (date(2026, 2, 28), 0)], "")) == [
        kpi.NO_ARR
    ]
    assert said(kpi.renewal_forecast([quarter], "")) == ["No contract ends in these quarters."]
    assert "scored" in said(kpi.health_distribution({}, ""))[0]
    assert said(kpi.accounts_at_risk([], "")) == ["No account is at risk."]
    assert not said(kpi.arr_bridge(_bridge(100_00, 0, 0, 0, 0), ""))  # data: a chart
