"""The renewal timeline (issue 16, item 17): only a bar or a marker opens a renewal, the
stages have a legend, month labels never touch, and zoom keeps its anchor in place."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from itertools import pairwise

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from am_desktop.domain.enums import RenewalStage
from am_desktop.services import catalog
from am_desktop.ui.context import AppContext
from am_desktop.ui.renewals.timeline import HEADER_HEIGHT, LABEL_WIDTH, ROW_HEIGHT, RenewalTimeline
from am_desktop.ui.renewals.view import RenewalsView
from tests.gui.conftest import TODAY

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


@pytest.fixture
def view(qtbot: QtBot, context: AppContext) -> Iterator[RenewalsView]:
    account = catalog.accounts.create(context.store, {"name": "Acme"}).id
    end = TODAY + timedelta(days=100)
    contract = catalog.contracts.create(
        context.store,
        {"account_id": account, "name": "Platform", "start_date": TODAY - timedelta(days=20),
         "end_date": end, "arr_cents": 10_000_00, "notice_days": 30},
    )  # fmt: skip
    catalog.renewals.create(context.store, {"contract_id": contract.id, "stage": "proposal"})
    widget = RenewalsView(context)
    qtbot.addWidget(widget)
    widget.resize(1366 - 210, 700)
    widget.show()
    widget.refresh()
    qtbot.waitUntil(lambda: len(widget.timeline.lines) == 1)
    widget.timeline.verticalScrollBar().setValue(0)
    yield widget
    widget.close()


def row_y() -> int:
    return int(HEADER_HEIGHT + ROW_HEIGHT / 2)


def chart_x(timeline: RenewalTimeline, days_from_today: int) -> int:
    return round(LABEL_WIDTH + timeline.scale.x(TODAY + timedelta(days=days_from_today)))


def opened_by_click(qtbot: QtBot, timeline: RenewalTimeline, x: int, y: int) -> bool:
    opened: list[tuple[int, int]] = []
    timeline.renewal_activated.connect(lambda a, r: opened.append((a, r)))
    QTest.mouseClick(timeline.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    return bool(opened)


def test_only_a_bar_or_a_marker_opens_the_renewal(qtbot: QtBot, view: RenewalsView) -> None:
    timeline = view.timeline
    y = row_y()
    assert not opened_by_click(qtbot, timeline, chart_x(timeline, 160), y)  # after the bar
    assert not opened_by_click(qtbot, timeline, chart_x(timeline, 40), y - 10)  # above it
    assert not opened_by_click(qtbot, timeline, 100, y)  # the row's name
    assert opened_by_click(qtbot, timeline, chart_x(timeline, 40), y)  # the bar
    assert opened_by_click(qtbot, timeline, chart_x(timeline, 101) + 3, y)  # the renewal dot
    assert opened_by_click(qtbot, timeline, chart_x(timeline, 70), y)  # the notice diamond
    assert timeline.row_hit(chart_x(timeline, 160), y) is None


def test_the_legend_names_every_stage_in_its_colour(view: RenewalsView) -> None:
    legend = view.stage_legend.text()
    for stage in RenewalStage:
        assert stage.label in legend
    assert "#4f86c6" in legend  # Proposal's bar colour
    assert view.stage_legend.isVisible()


def test_plus_keeps_today_where_it_is(view: RenewalsView) -> None:
    timeline = view.timeline
    before, per_day = timeline.scale.x(TODAY), timeline.scale.px_per_day
    for _ in range(4):
        QTest.keyClick(timeline, Qt.Key.Key_Plus)
    assert timeline.scale.px_per_day == pytest.approx(per_day * 1.25**4)
    assert abs(timeline.scale.x(TODAY) - before) <= 1.5
    QTest.keyClick(timeline, Qt.Key.Key_Minus)
    assert abs(timeline.scale.x(TODAY) - before) <= 1.5


def instant(timeline: RenewalTimeline, x: float) -> float:
    """The moment (days after TODAY, with the fraction) drawn at chart x."""
    scale = timeline.scale
    return (scale.start - TODAY).days + x / scale.px_per_day + scale.shift


def test_ctrl_wheel_keeps_the_moment_under_the_mouse(view: RenewalsView) -> None:
    timeline = view.timeline
    mouse = QPointF(LABEL_WIDTH + 700.3, row_y())
    anchor = mouse.x() - LABEL_WIDTH
    per_day, before = timeline.scale.px_per_day, instant(timeline, anchor)
    for steps in (1, 1, 1, -1, 2):
        wheel = QWheelEvent(
            mouse, timeline.viewport().mapToGlobal(mouse), QPoint(), QPoint(0, 120 * steps),
            Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
            Qt.ScrollPhase.NoScrollPhase, False,
        )  # fmt: skip
        QApplication.sendEvent(timeline.viewport(), wheel)
    assert timeline.scale.px_per_day == pytest.approx(per_day * 1.25**4)
    moved_px = abs(instant(timeline, anchor) - before) * timeline.scale.px_per_day
    assert moved_px <= 1.0


@pytest.mark.parametrize("zoom_out", [0, 40], ids=["default", "narrowest"])
def test_month_labels_never_touch(view: RenewalsView, zoom_out: int) -> None:
    timeline = view.timeline
    for _ in range(zoom_out):
        timeline.zoom(0.8)
    labels = timeline.month_labels(timeline.chart_width)
    assert len(labels) >= 4
    rects = [rect for _text, rect in labels]
    assert all(not a.intersects(b) and b.left() - a.right() >= 8 for a, b in pairwise(rects))
    texts = [text for text, _rect in labels]
    assert any(text[-4:].isdigit() for text in texts)  # the year is named
    if zoom_out:
        assert len(texts) < len(list(timeline.scale.months(timeline.chart_width)))  # thinned


def test_labels_are_thinned_at_the_widest_span_too(view: RenewalsView) -> None:
    view.spans.button(24).click()
    timeline = view.timeline
    rects = [rect for _text, rect in timeline.month_labels(timeline.chart_width)]
    assert all(not a.intersects(b) for a, b in pairwise(rects))
