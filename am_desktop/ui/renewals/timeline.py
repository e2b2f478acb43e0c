"""The renewal timeline: one row per contract, bars across the months, renewal and notice
markers, a today line and the 90/60/30-day bands (issue 6).

It paints only the rows and days in view (the maths is in ``domain/timeline.py``), so 10,000
contracts scroll as smoothly as ten. Ctrl+wheel zooms around the mouse and +/- around today,
Shift+wheel or ←/→ scroll in time, Home goes back to today; a click on a bar or a marker opens
the renewal (the row's background is only a row).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from am_desktop.domain.enums import RenewalStage
from am_desktop.domain.timeline import BANDS, Scale, add_months, group_rows, visible_rows
from am_desktop.services.renewal_queries import RenewalRow
from am_desktop.ui import format as fmt

ROW_HEIGHT = 24.0
HEADER_HEIGHT = 26.0
LABEL_WIDTH = 250.0
#: The time the horizontal scroll bar covers, around today (months).
BEFORE_MONTHS, AFTER_MONTHS = 12, 36

#: Bar colours by stage: open stages from grey to green as they advance; closed ones muted.
STAGE_COLOURS: dict[RenewalStage, str] = {
    RenewalStage.NOT_STARTED: "#9aa5b1",
    RenewalStage.DISCOVERY: "#7fa7d9",
    RenewalStage.PROPOSAL: "#4f86c6",
    RenewalStage.NEGOTIATION: "#8e6ac8",
    RenewalStage.COMMITTED: "#3a9a5b",
    RenewalStage.RENEWED: "#b7d8c2",
    RenewalStage.CHURNED: "#e0b4b4",
}
_RISK = "#d93025"
_NOTICE = "#e37400"
_BAND_ALPHAS = {90: 18, 60: 30, 30: 46}
#: How near (px) a click must fall to a renewal or notice marker to hit it.
MARKER_REACH = 7.0
#: Month labels are thinned to every 1st, 2nd, 3rd… month so this much space parts them (px).
LABEL_GAP = 8.0
_LABEL_STEPS = (1, 2, 3, 4, 6, 12)


def stage_legend_html() -> str:
    """The stages and their bar colours, as one line of rich text (the timeline's legend)."""
    swatches = " &nbsp; ".join(
        f"<span style='color:{colour}'>■</span>&nbsp;{html.escape(stage.label)}"
        for stage, colour in STAGE_COLOURS.items()
    )
    return f"Stage: &nbsp;{swatches}"


@dataclass(frozen=True, slots=True)
class _Shapes:
    """Where a contract's bar and markers are drawn in its row (chart coordinates)."""

    bar: QRectF | None
    renewal: QPointF | None
    notice: QPointF | None


@dataclass(frozen=True, slots=True)
class _Line:
    """A row of the timeline: a group's heading or a contract."""

    heading: str | None = None
    row: RenewalRow | None = None


def group_key(row: RenewalRow, group_by: str) -> str:
    """What a row is grouped under ("" when not grouped)."""
    if group_by == "tier":
        return row.tier.label
    if group_by == "owner":
        return row.owner or "No owner"
    return ""


class RenewalTimeline(QAbstractScrollArea):
    """A Gantt-like view of contracts and their renewals.

    Signals:
        renewal_activated(account_id, renewal_id): a bar was clicked.
    """

    renewal_activated = Signal(int, int)

    def __init__(self, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.today = today or date.today()
        self.months = 12
        self.group_by = "none"
        self.rows: list[RenewalRow] = []
        self.lines: list[_Line] = []
        self.scale = Scale.fitting(add_months(self.today, -1), self.months, 800.0)
        self._sized = False
        self._pressed: RenewalRow | None = None
        self.viewport().setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.horizontalScrollBar().valueChanged.connect(self._on_horizontal_scrolled)
        self.verticalScrollBar().valueChanged.connect(self.viewport().update)
        self.setAccessibleName("Renewal timeline")

    # ------------------------------------------------------------------------------ data

    def set_rows(self, rows: list[RenewalRow], today: date) -> None:
        """Show these contracts (any order: grouped, then by end date)."""
        self.today = today
        self.rows = rows
        self._arrange()
        self.scroll_to_current()

    def scroll_to_current(self) -> None:
        """Scroll down past the contracts that ended before the view starts."""
        for index, line in enumerate(self.lines):
            if line.row is not None and line.row.end_date >= self.scale.start:
                self.verticalScrollBar().setValue(int(max(0, index - 1) * ROW_HEIGHT))
                return

    def set_group_by(self, group_by: str) -> None:
        """Group rows by "tier", "owner" or "none"."""
        self.group_by = group_by
        self._arrange()

    def _arrange(self) -> None:
        order = sorted(
            self.rows,
            key=lambda r: (group_key(r, self.group_by), r.end_date, r.account, r.contract_id),
        )
        self.lines = []
        keys = [group_key(r, self.group_by) for r in order]
        starts = dict(group_rows(keys)) if self.group_by != "none" else {}
        for index, row in enumerate(order):
            if index in starts:
                self.lines.append(_Line(heading=starts[index]))
            self.lines.append(_Line(row=row))
        self._update_scroll_bars()
        self.viewport().update()

    # ------------------------------------------------------------------------------ time

    @property
    def chart_width(self) -> float:
        return max(100.0, self.viewport().width() - LABEL_WIDTH)

    def set_span(self, months: int) -> None:
        """Show ``months`` across the width, from a month before today."""
        self.months = months
        self.scale = Scale.fitting(add_months(self.today, -1), months, self.chart_width)
        self._update_scroll_bars()
        self.viewport().update()

    def go_to_today(self) -> None:
        """Scroll back so today is near the left."""
        self.scale = Scale(add_months(self.today, -1), self.scale.px_per_day)
        self._update_scroll_bars()
        self.viewport().update()

    def zoom(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom in time keeping the instant at ``anchor_x`` (chart coordinates) in place; by
        default today, or the middle when today is out of view."""
        if anchor_x is None:
            today = self.scale.x(self.today)
            anchor_x = today if 0 <= today <= self.chart_width else self.chart_width / 2
        zoomed = self.scale.zoomed(factor, anchor_x)
        days = self.chart_width / zoomed.px_per_day
        if 30 <= days <= 365 * 5:
            self.scale = zoomed
            self._update_scroll_bars()
            self.viewport().update()

    def scroll_days(self, days: int) -> None:
        """Move the view ``days`` later (or earlier)."""
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + days)

    def _range_start(self) -> date:
        return add_months(self.today, -BEFORE_MONTHS)

    def _update_scroll_bars(self) -> None:
        start = self._range_start()
        total = (add_months(self.today, AFTER_MONTHS) - start).days
        visible = int(self.chart_width / self.scale.px_per_day)
        bar = self.horizontalScrollBar()
        bar.blockSignals(True)
        bar.setRange(0, max(0, total - visible))
        bar.setPageStep(max(1, visible))
        bar.setSingleStep(7)
        wanted = (self.scale.start - start).days
        bar.setValue(wanted)
        bar.blockSignals(False)
        if bar.value() != wanted:  # clamped to the range: the fraction of a day goes too
            self.scale = Scale(start + timedelta(days=bar.value()), self.scale.px_per_day)
        height = self.viewport().height() - HEADER_HEIGHT
        vertical = self.verticalScrollBar()
        vertical.setRange(0, max(0, int(len(self.lines) * ROW_HEIGHT - height)))
        vertical.setPageStep(max(1, int(height)))
        vertical.setSingleStep(int(ROW_HEIGHT))

    def _on_horizontal_scrolled(self, value: int) -> None:
        start = self._range_start() + timedelta(days=value)
        self.scale = Scale(start, self.scale.px_per_day, self.scale.shift)
        self.viewport().update()

    # ------------------------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        painter = QPainter(self.viewport())
        palette = self.palette()
        width, height = float(self.viewport().width()), float(self.viewport().height())
        painter.fillRect(QRectF(0, 0, width, height), palette.color(QPalette.ColorRole.Base))
        chart = self.chart_width
        painter.save()
        painter.translate(LABEL_WIDTH, 0)
        painter.setClipRect(QRectF(0, 0, chart, height))
        self._paint_bands(painter, chart, height)
        top = self.verticalScrollBar().value()
        window = visible_rows(len(self.lines), ROW_HEIGHT, top, height - HEADER_HEIGHT)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for index in range(window.first, window.last):
            y = HEADER_HEIGHT + index * ROW_HEIGHT - top
            line = self.lines[index]
            if line.row is not None:
                self._paint_bar(painter, line.row, y, chart)
        self._paint_today(painter, height)
        painter.restore()
        self._paint_labels(painter, window.first, window.last, top, height)
        self._paint_header(painter, chart, width)
        if not self.lines:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                QRectF(0, HEADER_HEIGHT, width, height - HEADER_HEIGHT),
                Qt.AlignmentFlag.AlignCenter,
                "No contracts in this span. Add contracts in an account's Renewals tab, "
                "or import a contracts CSV.",
            )
        painter.end()

    def _paint_bands(self, painter: QPainter, chart: float, height: float) -> None:
        for days, _label in BANDS:
            span = self.scale.span(self.today, self.today + timedelta(days=days), chart)
            if span is not None:
                colour = QColor(_RISK)
                colour.setAlpha(_BAND_ALPHAS[days])
                painter.fillRect(QRectF(span[0], HEADER_HEIGHT, span[1] - span[0], height), colour)

    def _paint_today(self, painter: QPainter, height: float) -> None:
        x = self.scale.x(self.today)
        painter.setPen(QPen(QColor(_RISK), 1.5))
        painter.drawLine(QPointF(x, HEADER_HEIGHT - 4), QPointF(x, height))

    def shapes(self, row: RenewalRow, y: float, chart: float) -> _Shapes:
        """Where a row's bar, renewal marker and notice marker are (None: out of view)."""
        span = self.scale.span(row.start_date, row.end_date, chart)
        bar = None
        if span is not None:
            bar = QRectF(span[0], y + 6, max(2.0, span[1] - span[0]), ROW_HEIGHT - 12)
        middle = y + ROW_HEIGHT / 2
        end_x = self.scale.x(row.end_date + timedelta(days=1))
        renewal = QPointF(end_x, middle) if 0 <= end_x <= chart else None
        notice = None
        deadline = row.notice_deadline
        if deadline is not None and not row.stage.is_closed:
            x = self.scale.x(deadline)
            notice = QPointF(x, middle) if 0 <= x <= chart else None
        return _Shapes(bar, renewal, notice)

    def _paint_bar(self, painter: QPainter, row: RenewalRow, y: float, chart: float) -> None:
        shapes = self.shapes(row, y, chart)
        closed = row.stage.is_closed
        if shapes.bar is not None:
            at_risk = not closed and row.likelihood < 50
            painter.setPen(QPen(QColor(_RISK), 1.6) if at_risk else Qt.PenStyle.NoPen)
            painter.setBrush(QColor(STAGE_COLOURS[row.stage]))
            painter.drawRoundedRect(shapes.bar, 3, 3)
        if shapes.renewal is not None:
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Text), 1))
            painter.setBrush(QColor("#ffffff") if closed else QColor(STAGE_COLOURS[row.stage]))
            painter.drawEllipse(shapes.renewal, 5, 5)
        if shapes.notice is not None:
            late = row.notice_deadline is not None and row.notice_deadline < self.today
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(_RISK if late else _NOTICE))
            x, middle = shapes.notice.x(), shapes.notice.y()
            painter.drawPolygon(
                QPolygonF(
                    [
                        QPointF(x, middle - 6),
                        QPointF(x + 5, middle),
                        QPointF(x, middle + 6),
                        QPointF(x - 5, middle),
                    ]
                )
            )

    def _paint_labels(
        self, painter: QPainter, first: int, last: int, top: float, height: float
    ) -> None:
        palette = self.palette()
        painter.fillRect(
            QRectF(0, 0, LABEL_WIDTH, height), palette.color(QPalette.ColorRole.AlternateBase)
        )
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawLine(QPointF(LABEL_WIDTH - 0.5, 0), QPointF(LABEL_WIDTH - 0.5, height))
        font = QFont(self.font())
        bold = QFont(font)
        bold.setBold(True)
        metrics = QFontMetricsF(font)
        painter.setClipRect(QRectF(0, HEADER_HEIGHT, LABEL_WIDTH, height))
        for index in range(first, last):
            y = HEADER_HEIGHT + index * ROW_HEIGHT - top
            line = self.lines[index]
            box = QRectF(8, y, LABEL_WIDTH - 14, ROW_HEIGHT)
            if line.heading is not None:
                painter.setFont(bold)
                painter.setPen(palette.color(QPalette.ColorRole.Text))
                painter.drawText(box, Qt.AlignmentFlag.AlignVCenter, line.heading)
                continue
            assert line.row is not None
            painter.setFont(font)
            painter.setPen(palette.color(QPalette.ColorRole.Text))
            text = f"{line.row.account} — {line.row.contract}"
            elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, box.width())
            painter.drawText(box, Qt.AlignmentFlag.AlignVCenter, elided)
        painter.setClipping(False)

    def _paint_header(self, painter: QPainter, chart: float, width: float) -> None:
        palette = self.palette()
        painter.fillRect(
            QRectF(0, 0, width, HEADER_HEIGHT), palette.color(QPalette.ColorRole.Window)
        )
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(
            QRectF(8, 0, LABEL_WIDTH - 10, HEADER_HEIGHT),
            Qt.AlignmentFlag.AlignVCenter,
            "Account — contract",
        )
        for _month, x in self.scale.months(chart):
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
            painter.drawLine(
                QPointF(LABEL_WIDTH + x, HEADER_HEIGHT - 6), QPointF(LABEL_WIDTH + x, HEADER_HEIGHT)
            )
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        for label, rect in self.month_labels(chart):
            painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter, label)

    def month_labels(self, chart: float) -> list[tuple[str, QRectF]]:
        """The month labels along the top and where each goes (viewport coordinates): every
        month when there is room, else every 2nd, 3rd… so none touches the next. January and
        the first label name their year."""
        metrics = QFontMetricsF(self.font())
        months = list(self.scale.months(chart))
        for step in _LABEL_STEPS:
            labels: list[tuple[str, QRectF]] = []
            for month, x in months:
                if (month.month - 1) % step:
                    continue
                text = f"{month:%b %Y}" if month.month == 1 or not labels else f"{month:%b}"
                width = metrics.horizontalAdvance(text)
                labels.append((text, QRectF(LABEL_WIDTH + x + 3, 2, width, HEADER_HEIGHT - 8)))
            rects = [rect for _text, rect in labels]
            if all(b.left() - a.right() >= LABEL_GAP for a, b in pairwise(rects)):
                return labels
        return labels[:1]

    # ------------------------------------------------------------------------------ input

    def line_at(self, y: float) -> _Line | None:
        """The line under a viewport y."""
        index = self._index_at(y)
        return self.lines[index] if index is not None else None

    def _index_at(self, y: float) -> int | None:
        if y < HEADER_HEIGHT:
            return None
        index = int((y - HEADER_HEIGHT + self.verticalScrollBar().value()) // ROW_HEIGHT)
        return index if 0 <= index < len(self.lines) else None

    def row_hit(self, x: float, y: float) -> RenewalRow | None:
        """The contract whose bar or marker is under a viewport point (None: background)."""
        index = self._index_at(y)
        row = self.lines[index].row if index is not None else None
        if index is None or row is None or x < LABEL_WIDTH:
            return None
        top = HEADER_HEIGHT + index * ROW_HEIGHT - self.verticalScrollBar().value()
        point = QPointF(x - LABEL_WIDTH, y)
        shapes = self.shapes(row, top, self.chart_width)
        for marker in (shapes.renewal, shapes.notice):
            if marker is not None and QLineF(marker, point).length() <= MARKER_REACH:
                return row
        if shapes.bar is not None and shapes.bar.adjusted(0, -2, 0, 2).contains(point):
            return row
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        position = event.position()
        self._pressed = self.row_hit(position.x(), position.y())
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        position = event.position()
        hit = self.row_hit(position.x(), position.y())
        if event.button() == Qt.MouseButton.LeftButton and hit is not None and hit == self._pressed:
            self.renewal_activated.emit(hit.account_id, hit.renewal_id)
        self._pressed = None
        super().mouseReleaseEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        position = event.position()
        if self.row_hit(position.x(), position.y()) is not None:
            self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.viewport().unsetCursor()
        super().mouseMoveEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            line = self.line_at(event.pos().y())
            if line is not None and line.row is not None:
                QToolTip.showText(event.globalPos(), self._tooltip(line.row), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def _tooltip(self, row: RenewalRow) -> str:
        deadline = row.notice_deadline
        lines = [
            f"<b>{html.escape(row.account)}</b> — {html.escape(row.contract)}",
            f"{fmt.day(row.start_date)} to {fmt.day(row.end_date)} "
            f"({fmt.days_from(self.today, row.end_date)})",
            f"{fmt.money(row.arr_cents, row.currency)} · {row.stage.label} · {row.likelihood}%",
        ]
        if deadline is not None:
            lines.append(f"Notice by {fmt.day(deadline)} ({fmt.days_from(self.today, deadline)})")
        lines.append("<i>Click its bar to open the renewal</i>")
        return "<br>".join(lines)

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        steps = (delta.y() or delta.x()) / 120  # Shift turns the wheel sideways on macOS
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(1.25**steps, event.position().x() - LABEL_WIDTH)
            event.accept()
        elif event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.scroll_days(int(-steps * 14))
            event.accept()
        else:
            super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(1.25)
        elif key == Qt.Key.Key_Minus:
            self.zoom(0.8)
        elif key == Qt.Key.Key_Left:
            self.scroll_days(-14)
        elif key == Qt.Key.Key_Right:
            self.scroll_days(14)
        elif key == Qt.Key.Key_Home:
            self.go_to_today()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._sized:  # the first real width fits the span; later ones keep the zoom
            self._sized = True
            self.scale = Scale.fitting(self.scale.start, self.months, self.chart_width)
        self._update_scroll_bars()
