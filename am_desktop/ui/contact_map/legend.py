"""What an exported contact map carries around the cards: a header and a key.

A map pasted into a slide or an e-mail has no tooltips and no window title, so the picture
names the account and the day it was drawn, and explains the colours, badges and marks.
Only exports draw this; the window has its own title, tooltips and banner.

The page is laid out in scene units (pixels at 100 %); the PNG scales the whole page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QLineF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPaintDevice, QPainter, QPalette, QPen

from am_desktop.domain.contact_graph import ROLE_ORDER
from am_desktop.domain.enums import ContactRole, Sentiment
from am_desktop.domain.formatting import day
from am_desktop.ui.contact_map.items import (
    QUIET_COLOUR,
    SENTIMENT_COLOURS,
    arrow_path,
    draw_clock,
    draw_influence,
    draw_role_badge,
    pen_for_influence,
    pen_for_reports,
    role_badge_size,
)

#: Space around the page's edge, and between the header, the map and the key.
_PAD = 24.0
#: Space between two entries of the key, and before a group's heading.
_ENTRY_GAP = 18.0
_GROUP_GAP = 34.0
#: Space between two rows of the key.
_ROW_GAP = 6.0
#: A symbol's distance from its label.
_LABEL_GAP = 7.0
#: The key under the map is at least this wide (a small map's page widens to it).
_MIN_ROW_WIDTH = 760.0
#: The key beside a tall map: a column this wide.
_COLUMN_WIDTH = 300.0
#: A map taller than wide by this factor gets its key at the right.
_TALL = 1.15

#: Draws a symbol into its box.
_Symbol = Callable[[QPainter, QRectF], None]


@dataclass(frozen=True, slots=True)
class MapHeading:
    """What the header says: whose map (empty: "Contact map" alone) and when it was drawn."""

    account_name: str
    drawn_on: date


@dataclass(frozen=True, slots=True)
class _Entry:
    """One item of the key: a symbol and (unless the symbol is its own label) a label."""

    symbol: _Symbol
    symbol_width: float
    label: str = ""


@dataclass(frozen=True, slots=True)
class _Placed:
    """An entry or a group heading at its place on the page."""

    rect: QRectF
    entry: _Entry | None = None
    heading: str = ""


class MapKey:
    """The header and key of one exported map, laid out around a map of ``map_size``.

    Args:
        map_size: the scene area drawn (scene units).
        metrics_device: the device the page is painted on (fonts measure by its resolution).
    """

    def __init__(
        self,
        palette: QPalette,
        font: QFont,
        map_size: QSizeF,
        heading: MapHeading,
        metrics_device: QPaintDevice,
    ) -> None:
        self.palette, self._device = palette, metrics_device
        size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
        self.text_font = QFont(font)
        self.text_font.setPointSizeF(size)
        self.bold_font = QFont(self.text_font)
        self.bold_font.setBold(True)
        self.title_font = QFont(self.bold_font)
        self.title_font.setPointSizeF(size * 1.5)
        drawn = day(heading.drawn_on)
        self.title = heading.account_name or "Contact map"
        self.subtitle = f"Contact map · drawn {drawn}" if heading.account_name else drawn
        self.row_height = max(
            self._metrics(self.text_font).height() + 6,
            role_badge_size(ContactRole.CHAMPION, self.bold_font).height() + 2,
        )
        self._layout(map_size)

    # ------------------------------------------------------------------------------ layout

    def _metrics(self, font: QFont) -> QFontMetricsF:
        return QFontMetricsF(font, self._device)

    def _layout(self, map_size: QSizeF) -> None:
        title_height = self._metrics(self.title_font).height()
        self.header_height = _PAD + title_height + self._metrics(self.text_font).height() + 8
        self.title_rect = QRectF(_PAD, _PAD, 0, title_height)
        tall = map_size.height() > map_size.width() * _TALL
        if tall:
            placed, legend_height = self._flow(_COLUMN_WIDTH, headings_on_own_line=True)
            width = map_size.width() + _COLUMN_WIDTH + _PAD
            height = max(map_size.height(), legend_height + _PAD)
            self.map_rect = QRectF(QPointF(0, self.header_height), map_size)
            origin = QPointF(map_size.width(), self.header_height + _PAD / 2)
            self.rule = QLineF(
                origin.x() - _PAD / 2, self.header_height,
                origin.x() - _PAD / 2, self.header_height + height,
            )  # fmt: skip
            self.size = QSizeF(width, self.header_height + height)
        else:
            width = max(map_size.width(), _MIN_ROW_WIDTH)
            placed, legend_height = self._flow(width - 2 * _PAD, headings_on_own_line=False)
            left = (width - map_size.width()) / 2
            self.map_rect = QRectF(QPointF(left, self.header_height), map_size)
            origin = QPointF(_PAD, self.map_rect.bottom() + _PAD / 2)
            self.rule = QLineF(_PAD, self.map_rect.bottom(), width - _PAD, self.map_rect.bottom())
            self.size = QSizeF(width, origin.y() + legend_height + _PAD)
        self.placed = [_Placed(p.rect.translated(origin), p.entry, p.heading) for p in placed]

    def _flow(self, width: float, *, headings_on_own_line: bool) -> tuple[list[_Placed], float]:
        """The key's entries, left to right, wrapping at ``width``; its height."""
        placed: list[_Placed] = []
        x = y = 0.0
        bold = self._metrics(self.bold_font)
        step = self.row_height + _ROW_GAP
        for heading, entries in self._groups():
            heading_width = bold.horizontalAdvance(heading) + _LABEL_GAP
            first = entries[0]
            first_width = self._entry_width(first)
            if placed and (
                headings_on_own_line or x + _GROUP_GAP + heading_width + first_width > width
            ):
                x, y = 0.0, y + step + (_ROW_GAP if headings_on_own_line else 0)
            elif placed:
                x += _GROUP_GAP
            placed.append(_Placed(QRectF(x, y, heading_width, self.row_height), heading=heading))
            x += heading_width
            if headings_on_own_line:
                x, y = 0.0, y + step
            for entry in entries:
                entry_width = self._entry_width(entry)
                if x > 0 and x + entry_width > width:
                    x, y = 0.0, y + step
                placed.append(_Placed(QRectF(x, y, entry_width, self.row_height), entry))
                x += entry_width + _ENTRY_GAP
        return placed, y + self.row_height

    def _entry_width(self, entry: _Entry) -> float:
        if not entry.label:
            return entry.symbol_width
        label = self._metrics(self.text_font).horizontalAdvance(entry.label)
        return entry.symbol_width + _LABEL_GAP + label

    # ------------------------------------------------------------------------------ entries

    def _groups(self) -> list[tuple[str, list[_Entry]]]:
        sentiments: list[Sentiment | None] = [*Sentiment, None]
        roles: list[ContactRole | None] = [*ROLE_ORDER, None]
        return [
            (
                "Sentiment (card edge):",
                [_Entry(_swatch(s), 14, s.label if s else "Unknown") for s in sentiments],
            ),
            (
                "Role:",
                [
                    _Entry(_badge(r, self.bold_font), role_badge_size(r, self.bold_font).width())
                    for r in roles
                ],
            ),
            (
                "Marks:",
                [
                    _Entry(self._influence_symbol, 52, "Influence (3 of 5)"),
                    _Entry(self._reports_symbol, 34, "Reports to"),
                    _Entry(_influence_arrow, 40, "Sways (outside the reporting line)"),
                    _Entry(_clock, 14, "Not contacted within the cadence"),
                ],
            ),
        ]

    def _influence_symbol(self, painter: QPainter, box: QRectF) -> None:
        draw_influence(painter, box, self.palette.color(QPalette.ColorRole.PlaceholderText), 3)

    def _reports_symbol(self, painter: QPainter, box: QRectF) -> None:
        painter.setPen(pen_for_reports(self.palette))
        middle = box.center().x()
        painter.drawLine(QPointF(middle, box.top() + 3), QPointF(middle, box.center().y()))
        painter.drawLine(
            QPointF(box.left() + 2, box.center().y()), QPointF(box.right() - 2, box.center().y())
        )
        for x in (box.left() + 2, box.right() - 2):
            painter.drawLine(QPointF(x, box.center().y()), QPointF(x, box.bottom() - 3))

    # ------------------------------------------------------------------------------ painting

    def paint(self, painter: QPainter) -> None:
        """Draw the header and the key (the map itself goes into :attr:`map_rect`)."""
        painter.save()
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            text = self.palette.color(QPalette.ColorRole.Text)
            muted = self.palette.color(QPalette.ColorRole.PlaceholderText)
            left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            full_width = self.size.width() - 2 * _PAD
            painter.setFont(self.title_font)
            painter.setPen(text)
            title = QRectF(self.title_rect.topLeft(), QSizeF(full_width, self.title_rect.height()))
            painter.drawText(title, left, self.title)
            painter.setFont(self.text_font)
            painter.setPen(muted)
            subtitle_height = self._metrics(self.text_font).height()
            painter.drawText(
                QRectF(_PAD, title.bottom(), full_width, subtitle_height), left, self.subtitle
            )
            painter.setPen(QPen(self.palette.color(QPalette.ColorRole.Mid), 1))
            painter.drawLine(self.rule)
            for item in self.placed:
                self._paint_item(painter, item, text, muted)
        finally:
            painter.restore()

    def _paint_item(self, painter: QPainter, item: _Placed, text: QColor, muted: QColor) -> None:
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        if item.entry is None:
            painter.setFont(self.bold_font)
            painter.setPen(muted)
            painter.drawText(item.rect, left, item.heading)
            return
        entry = item.entry
        symbol = QRectF(item.rect.left(), item.rect.top(), entry.symbol_width, item.rect.height())
        painter.save()
        entry.symbol(painter, symbol)
        painter.restore()
        if entry.label:
            painter.setFont(self.text_font)
            painter.setPen(text)
            label = item.rect.adjusted(entry.symbol_width + _LABEL_GAP, 0, 0, 0)
            painter.drawText(label, left, entry.label)


def _swatch(sentiment: Sentiment | None) -> _Symbol:
    def draw(painter: QPainter, box: QRectF) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(SENTIMENT_COLOURS[sentiment]))
        swatch = QRectF(0, 0, box.width(), box.width())
        swatch.moveCenter(box.center())
        painter.drawRoundedRect(swatch, 3, 3)

    return draw


def _badge(role: ContactRole | None, font: QFont) -> _Symbol:
    def draw(painter: QPainter, box: QRectF) -> None:
        height = role_badge_size(role, font).height()
        draw_role_badge(painter, QPointF(box.left(), box.center().y() - height / 2), role, font)

    return draw


def _influence_arrow(painter: QPainter, box: QRectF) -> None:
    painter.setPen(pen_for_influence())
    start = QPointF(box.left() + 2, box.center().y())
    painter.drawPath(arrow_path(QRectF(start, QSizeF()), QPointF(box.right() - 2, start.y())))


def _clock(painter: QPainter, box: QRectF) -> None:
    draw_clock(painter, box.center(), QColor(QUIET_COLOUR))
