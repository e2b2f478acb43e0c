"""The contact map's items: a card per contact, reporting lines and influence arrows."""

from __future__ import annotations

import functools
import html
import math
from datetime import date
from typing import Any

from PySide6.QtCore import QLineF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from am_desktop.domain.contact_graph import ContactNode
from am_desktop.domain.enums import ContactRole, Sentiment
from am_desktop.domain.graph_layout import LayoutMetrics, reports_route
from am_desktop.ui import format as fmt

METRICS = LayoutMetrics()

#: Sentiment colours, from green (advocate) to red (detractor); grey when unknown.
SENTIMENT_COLOURS: dict[Sentiment | None, str] = {
    Sentiment.ADVOCATE: "#1e8e3e",
    Sentiment.SUPPORTER: "#7cb342",
    Sentiment.NEUTRAL: "#8d99a6",
    Sentiment.SKEPTIC: "#f29900",
    Sentiment.DETRACTOR: "#d93025",
    None: "#b0b7bf",
}

#: Role badges: decision roles in deep colours, supporting roles lighter.
ROLE_COLOURS: dict[ContactRole, str] = {
    ContactRole.ECONOMIC_BUYER: "#5b2c83",
    ContactRole.DECISION_MAKER: "#3949ab",
    ContactRole.TECHNICAL_BUYER: "#00796b",
    ContactRole.CHAMPION: "#2e7d32",
    ContactRole.COACH: "#00838f",
    ContactRole.INFLUENCER: "#1565c0",
    ContactRole.PROCUREMENT: "#6d4c41",
    ContactRole.BLOCKER: "#c62828",
    ContactRole.USER: "#546e7a",
}

#: The clock mark of a contact not contacted within the cadence.
QUIET_COLOUR = "#e37400"
#: The outline of cards a coverage warning is about (the warning sign's red).
_FLAG_COLOUR = "#b3261e"
_RADIUS = 7.0
_STRIPE = 6.0
_PAD = 10.0


class ContactCard(QGraphicsItem):
    """One contact: name, title, role badge, sentiment colour, influence and a quiet marker.

    The card keeps its lines to other cards in step while it is dragged.
    """

    Type = 65536 + 1  # QGraphicsItem.UserType + 1 (the stubs lack UserType)

    def __init__(self, node: ContactNode) -> None:
        super().__init__()
        self.node = node
        self.lines: list[CardLine] = []
        self.quiet_days: int | None = None
        self.cadence_days = 0
        self.drop_target = False
        self.quiet = False
        self.flagged = False
        #: Exports draw full names however long; the screen elides them.
        self.full_text = False
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        )
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setZValue(1)
        # Dragging repaints whatever the moving lines cross: cached cards keep that at frame
        # rate on a 200-contact map (the benchmark's drag figure).
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptHoverEvents(True)

    def type(self) -> int:
        return int(self.Type)

    @property
    def contact_id(self) -> int:
        return self.node.id

    def set_node(self, node: ContactNode, today: date, cadence_days: int) -> None:
        """Show a newer copy of the contact."""
        self.node = node
        self.cadence_days = cadence_days
        self.quiet_days = node.days_since_contact(today)
        quiet = node.is_quiet(today, cadence_days)
        self.setToolTip(self._tooltip(today, quiet))
        self.quiet = quiet
        self.update()

    def _tooltip(self, today: date, quiet: bool) -> str:
        node = self.node
        lines = [f"<b>{html.escape(node.name)}</b>"]
        if node.title:
            lines.append(html.escape(node.title))
        facts = [
            node.role.label if node.role else "No role set",
            node.sentiment.label if node.sentiment else "Sentiment unknown",
        ]
        if node.influence:
            facts.append(f"influence {node.influence}/5")
        if node.relationship_strength:
            facts.append(f"relationship {node.relationship_strength}/5")
        lines.append(" · ".join(facts))
        contacted = fmt.ago(today, node.last_contacted_at)
        if node.is_new(today, self.cadence_days):
            contacted = "not yet (new contact)"
        lines.append(f"Last contacted: {contacted}")
        if quiet:
            lines.append(
                f"<span style='color:{QUIET_COLOUR}'>Not contacted within the "
                f"{self.cadence_days}-day check-in cadence.</span>"
            )
        lines.append("<i>Double-click to edit · drag onto a card to change the manager</i>")
        return "<br>".join(lines)

    def boundingRect(self) -> QRectF:
        return QRectF(-2, -2, METRICS.card_width + 4, METRICS.card_height + 4)

    def rect(self) -> QRectF:
        """The card in scene coordinates."""
        return QRectF(self.pos(), self.boundingRect().size()).adjusted(2, 2, -2, -2)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for line in self.lines:
                line.follow()
        return super().itemChange(change, value)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        del option, widget
        palette = self.scene().palette() if self.scene() else QPalette()
        node = self.node
        width, height = METRICS.card_width, METRICS.card_height
        body = QRectF(0, 0, width, height)
        sentiment = QColor(SENTIMENT_COLOURS[node.sentiment])
        base = palette.color(QPalette.ColorRole.Base)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)

        outline = QPen(palette.color(QPalette.ColorRole.Mid), 1)
        if self.isSelected():
            outline = QPen(palette.color(QPalette.ColorRole.Highlight), 2.5)
        elif self.flagged:
            outline = QPen(QColor(_FLAG_COLOUR), 2.5)
        if self.drop_target:
            outline = QPen(palette.color(QPalette.ColorRole.Highlight), 2.5, Qt.PenStyle.DashLine)
        painter.setPen(outline)
        painter.setBrush(_mix(base, sentiment, 0.10))
        painter.drawRoundedRect(body, _RADIUS, _RADIUS)

        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(sentiment)
        painter.drawPath(_stripe_path())

        text_left = _STRIPE + _PAD
        text_width = width - text_left - _PAD - (16 if self.quiet else 0)
        text = palette.color(QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        name_font, title_font, _badge = self.fonts()
        name_height = QFontMetricsF(name_font).height() + 2
        title_height = QFontMetricsF(title_font).height() + 2
        name_box = QRectF(text_left, 6, text_width, name_height)
        self._draw_text(painter, name_font, text, node.name, name_box)
        self._draw_text(
            painter,
            title_font,
            muted,
            node.title or "No title",
            QRectF(text_left, name_box.bottom(), text_width, title_height),
        )
        badge_height = QFontMetricsF(self.fonts()[2]).height() + 4
        self._draw_badge(painter, QPointF(text_left, height - badge_height - 5))
        self._draw_influence(painter, QRectF(width - _PAD - 52, height - 22, 52, 12), muted)
        if self.quiet:
            draw_clock(painter, QPointF(width - _PAD - 6, 14), QColor(QUIET_COLOUR))

    def fonts(self) -> tuple[QFont, QFont, QFont]:
        """The name's, the title's and the role badge's fonts: the app's own size (the map
        opens at 100 %, so a card reads like the rest of the window)."""
        base = self.scene().font() if self.scene() else QFont()
        size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
        name, title, badge = QFont(base), QFont(base), QFont(base)
        for font in (name, title, badge):
            font.setPointSizeF(size)
        name.setBold(True)
        badge.setBold(True)
        return name, title, badge

    def _draw_text(
        self, painter: QPainter, font: QFont, colour: QColor, text: str, box: QRectF
    ) -> None:
        metrics = QFontMetricsF(font)
        if self.full_text:
            while metrics.horizontalAdvance(text) > box.width() and font.pointSizeF() > 5:
                font.setPointSizeF(font.pointSizeF() - 0.5)
                metrics = QFontMetricsF(font)
        else:
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, box.width())
        painter.setFont(font)
        painter.setPen(colour)
        painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)

    def _draw_badge(self, painter: QPainter, origin: QPointF) -> None:
        draw_role_badge(painter, origin, self.node.role, self.fonts()[2])

    def _draw_influence(self, painter: QPainter, box: QRectF, colour: QColor) -> None:
        draw_influence(painter, box, colour, self.node.influence or 0)


def role_badge_size(role: ContactRole | None, font: QFont) -> QSizeF:
    """The size of a role's badge (the exported map's legend lays badges out by it)."""
    return QFontMetricsF(font).size(0, _badge_label(role)) + QSizeF(14, 4)


def draw_role_badge(
    painter: QPainter, origin: QPointF, role: ContactRole | None, font: QFont
) -> None:
    """A role as a coloured pill with its label; a dotted outline when no role is set."""
    label = _badge_label(role)
    box = QRectF(origin, role_badge_size(role, font))
    painter.setPen(Qt.PenStyle.NoPen if role else QPen(QColor("#9aa0a6"), 1, Qt.PenStyle.DotLine))
    painter.setBrush(QColor(ROLE_COLOURS[role]) if role else Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(box, box.height() / 2, box.height() / 2)
    painter.setFont(font)
    painter.setPen(QColor("#ffffff") if role else QColor("#9aa0a6"))
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)


def _badge_label(role: ContactRole | None) -> str:
    return role.label if role else "No role"


def draw_influence(painter: QPainter, box: QRectF, colour: QColor, influence: int) -> None:
    """Influence 1-5 as five dots (filled up to the value)."""
    step = box.width() / 5
    for index in range(5):
        centre = QPointF(box.left() + step * (index + 0.5), box.center().y())
        painter.setPen(QPen(colour, 1))
        painter.setBrush(colour if index < influence else Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, 3.2, 3.2)


class CardLine(QGraphicsPathItem):
    """A line between two cards that follows them while they are dragged."""

    def __init__(self, start: ContactCard, end: ContactCard, z: float) -> None:
        super().__init__()
        self.start, self.end = start, end
        self.setZValue(z)
        for card in (start, end):
            card.lines.append(self)

    def detach(self) -> None:
        """Stop following the cards (the line is being removed)."""
        for card in (self.start, self.end):
            if self in card.lines:
                card.lines.remove(self)

    def follow(self) -> None:
        """Redraw between the cards' current positions."""
        raise NotImplementedError


class ReportsLine(CardLine):
    """A solid line from a manager's card (``start``) down to a report's card (``end``)."""

    def __init__(self, manager: ContactCard, report: ContactCard, *, side: bool) -> None:
        super().__init__(manager, report, 0)
        self.side = side
        self.follow()

    def follow(self) -> None:
        points = reports_route(
            _rect_tuple(self.start.rect()),
            _rect_tuple(self.end.rect()),
            bus_drop=METRICS.level_gap / 2,
            gutter=METRICS.sibling_gap,
            side=self.side,
        )
        path = QPainterPath(QPointF(*points[0]))
        for point in points[1:]:
            path.lineTo(QPointF(*point))
        self.setPath(path)


class InfluenceArrow(CardLine):
    """A dashed arrow: ``start`` sways ``end`` outside the reporting line."""

    def __init__(self, source: ContactCard, target: ContactCard, link_id: int) -> None:
        super().__init__(source, target, 0.5)
        self.link_id = link_id
        self.follow()

    def follow(self) -> None:
        target = self.end.rect()
        self.setPath(arrow_path(self.start.rect(), target.center(), target))


def arrow_path(source: QRectF, target_point: QPointF, target: QRectF | None = None) -> QPainterPath:
    """A line from the edge of ``source`` towards a point (or a card's edge) with an arrowhead."""
    centre_line = QLineF(source.center(), target_point)
    start = _edge_point(source, centre_line)
    end = target_point
    if target is not None:
        end = _edge_point(target, QLineF(target_point, source.center()))
    line = QLineF(start, end)
    path = QPainterPath(start)
    path.lineTo(end)
    if line.length() > 12:
        angle = math.radians(-line.angle())
        for turn in (math.pi * 5 / 6, -math.pi * 5 / 6):
            tip = QPointF(
                end.x() + 10 * math.cos(angle + turn), end.y() + 10 * math.sin(angle + turn)
            )
            path.moveTo(end)
            path.lineTo(tip)
    return path


def _edge_point(rect: QRectF, line: QLineF) -> QPointF:
    """Where ``line`` (starting inside ``rect``) leaves it."""
    corners = [rect.topLeft(), rect.topRight(), rect.bottomRight(), rect.bottomLeft()]
    for index, corner in enumerate(corners):
        side = QLineF(corner, corners[(index + 1) % 4])
        kind, point = line.intersects(side)
        if kind == QLineF.IntersectionType.BoundedIntersection:
            return point
    return line.p1()


@functools.cache
def _stripe_path() -> QPainterPath:
    """The sentiment stripe: the card's left edge, following its rounded corners."""
    stripe = QPainterPath()
    stripe.addRoundedRect(QRectF(0, 0, _STRIPE * 2, METRICS.card_height), _RADIUS, _RADIUS)
    clip = QPainterPath()
    clip.addRect(QRectF(0, 0, _STRIPE, METRICS.card_height))
    return stripe.intersected(clip)


def draw_clock(painter: QPainter, centre: QPointF, colour: QColor) -> None:
    """A small clock: the contact has gone quiet."""
    painter.setPen(QPen(colour, 1.6))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(centre, 6, 6)
    painter.drawLine(centre, centre + QPointF(0, -3.8))
    painter.drawLine(centre, centre + QPointF(2.8, 1.2))


def _mix(base: QColor, tint: QColor, amount: float) -> QColor:
    return QColor(
        round(base.red() + (tint.red() - base.red()) * amount),
        round(base.green() + (tint.green() - base.green()) * amount),
        round(base.blue() + (tint.blue() - base.blue()) * amount),
    )


def _rect_tuple(rect: QRectF) -> tuple[float, float, float, float]:
    return (rect.x(), rect.y(), rect.width(), rect.height())


def pen_for_reports(palette: QPalette) -> QPen:
    """Reporting lines: solid, in the palette's mid tone."""
    colour = palette.color(QPalette.ColorRole.PlaceholderText)
    return QPen(colour, 1.4)


def pen_for_influence() -> QPen:
    """Influence links: dashed, in a colour apart from the reporting lines."""
    pen = QPen(QColor("#7e57c2"), 1.6, Qt.PenStyle.DashLine)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen
