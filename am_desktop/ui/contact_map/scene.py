"""The contact map's scene: builds cards and lines from a ContactGraph and turns gestures into
requests (the Orange canvas pattern, STYLE.md 1.5).

The scene never writes: a drag, a drop onto another card or a new influence link becomes a
signal; the contacts tab turns it into an undoable command, and the scene follows the graph
that comes back.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneMouseEvent,
    QGraphicsSimpleTextItem,
    QWidget,
)

from am_desktop.domain.contact_graph import ContactGraph
from am_desktop.domain.graph_layout import Layout, tidy_layout
from am_desktop.domain.ids import ContactId
from am_desktop.ui.contact_map.items import (
    CardLine,
    ContactCard,
    InfluenceArrow,
    ReportsLine,
    arrow_path,
    pen_for_influence,
    pen_for_reports,
)

#: A move smaller than this (scene units) is a click, not a drag.
_DRAG_THRESHOLD = 3.0


class _LinkInteraction:
    """Drawing a new influence link: a dashed arrow from a card follows the pointer."""

    def __init__(self, scene: ContactMapScene, source: ContactCard) -> None:
        self.scene, self.source = scene, source
        self.preview = QGraphicsPathItem()
        self.preview.setPen(pen_for_influence())
        self.preview.setZValue(3)
        scene.addItem(self.preview)

    def move_to(self, point: QPointF) -> None:
        target = self.scene.card_at(point, excluding=(self.source,))
        if target is not None:
            self.preview.setPath(
                arrow_path(self.source.rect(), target.rect().center(), target.rect())
            )
        else:
            self.preview.setPath(arrow_path(self.source.rect(), point))
        self.scene.set_drop_target(target)

    def finish(self, point: QPointF) -> None:
        target = self.scene.card_at(point, excluding=(self.source,))
        self.cancel()
        if target is not None:
            self.scene.link_requested.emit(self.source.contact_id, target.contact_id)

    def cancel(self) -> None:
        self.scene.set_drop_target(None)
        self.scene.removeItem(self.preview)
        self.scene.interaction = None


class ContactMapScene(QGraphicsScene):
    """Cards for an account's contacts, reporting lines as a tree, influence as dashed arrows."""

    #: (old, new): positions of the cards the user dragged, by contact id.
    cards_moved = Signal(object, object)
    #: (contact_id, manager_id): a card was dropped onto another.
    reparent_requested = Signal(int, int)
    #: (from_id, to_id): an influence link was drawn.
    link_requested = Signal(int, int)
    #: (contact_id): a card was double-clicked.
    edit_requested = Signal(int)
    #: (contact_id or None, screen position): the context menu was asked for.
    menu_requested = Signal(object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.graph: ContactGraph | None = None
        self.layout_result: Layout[ContactId] | None = None
        self.interaction: _LinkInteraction | None = None
        self._item_for_node: dict[int, ContactCard] = {}
        self._lines: list[CardLine] = []
        self._pressed: dict[ContactCard, QPointF] = {}
        self._drop_target: ContactCard | None = None
        self._caption = QGraphicsSimpleTextItem()
        self._caption.setZValue(0)
        self.addItem(self._caption)
        self._caption.hide()

    # ------------------------------------------------------------------------------ model

    def set_graph(self, graph: ContactGraph, today: date) -> None:
        """Show ``graph``: cards are kept by contact id, added, updated or removed."""
        self.graph = graph
        if self.interaction is not None and self.interaction.source.contact_id not in graph:
            self.interaction.cancel()  # the contact the link started from is gone (undo)
        layout = tidy_layout(graph.managers(), order=lambda i: graph.node(i).sort_key)
        self.layout_result = layout
        for contact_id in [i for i in self._item_for_node if i not in graph]:
            self.removeItem(self._item_for_node.pop(contact_id))
        for node in graph:
            card = self._item_for_node.get(node.id)
            if card is None:
                card = self._item_for_node[node.id] = ContactCard(node)
                self.addItem(card)
            card.set_node(node, today, graph.cadence_days)
            x, y = node.pinned or layout.positions[node.id]
            card.setPos(round(x), round(y))
        self._rebuild_lines(graph, layout)
        self._place_caption(layout)
        self.setSceneRect(self.itemsBoundingRect().adjusted(-80, -60, 80, 80))

    def _rebuild_lines(self, graph: ContactGraph, layout: Layout[ContactId]) -> None:
        for line in self._lines:
            line.detach()
            self.removeItem(line)
        self._lines = []
        reports_pen = pen_for_reports(self.palette())
        for node in graph:
            manager_id = graph.manager_of(node.id)
            if manager_id is None:
                continue
            manager, card = self._item_for_node[manager_id], self._item_for_node[node.id]
            side = node.id in layout.stacked and node.pinned is None
            line = ReportsLine(manager, card, side=side)
            line.setPen(reports_pen)
            self._lines.append(line)
        influence_pen = pen_for_influence()
        for link in graph.links:
            arrow = InfluenceArrow(
                self._item_for_node[link.from_id], self._item_for_node[link.to_id], link.id
            )
            arrow.setPen(influence_pen)
            arrow.setToolTip(link.note or "Influences (outside the reporting line)")
            self._lines.append(arrow)
        for line in self._lines:
            self.addItem(line)

    def _place_caption(self, layout: Layout[ContactId]) -> None:
        if layout.loose_origin is None or len(layout.loose) == len(layout.positions):
            self._caption.hide()
            return
        font = QFont(self.font())
        font.setPointSizeF(9.5)
        font.setBold(True)
        self._caption.setFont(font)
        self._caption.setBrush(self.palette().color(QPalette.ColorRole.PlaceholderText))
        self._caption.setText("Outside the reporting lines (no manager or reports on record)")
        x, y = layout.loose_origin
        self._caption.setPos(x, y - 26)
        self._caption.show()

    # ------------------------------------------------------------------------------ queries

    def card(self, contact_id: int) -> ContactCard | None:
        """The card of a contact (None when not on the map)."""
        return self._item_for_node.get(contact_id)

    def cards(self) -> list[ContactCard]:
        """Every card."""
        return list(self._item_for_node.values())

    def card_at(
        self, point: QPointF, excluding: Collection[ContactCard] = ()
    ) -> ContactCard | None:
        """The topmost card under a scene point, other than those in ``excluding``."""
        for item in self.items(point):
            if isinstance(item, ContactCard) and item not in excluding:
                return item
        return None

    def selected_ids(self) -> list[int]:
        """The selected contacts, in map order."""
        return [c.contact_id for c in self._item_for_node.values() if c.isSelected()]

    def select_ids(self, ids: list[int]) -> None:
        """Select exactly these contacts' cards."""
        wanted = set(ids)
        self.blockSignals(True)
        try:
            for contact_id, card in self._item_for_node.items():
                card.setSelected(contact_id in wanted)
        finally:
            self.blockSignals(False)
        self.selectionChanged.emit()

    def flag(self, ids: set[int]) -> None:
        """Outline the cards a coverage warning is about."""
        for contact_id, card in self._item_for_node.items():
            if card.flagged != (contact_id in ids):
                card.flagged = contact_id in ids
                card.update()

    def set_export_mode(self, exporting: bool) -> None:
        """Full names on cards (no eliding) and no selection, for PNG and SVG exports."""
        cache = (
            QGraphicsItem.CacheMode.NoCache  # cached pixmaps would put pictures in an SVG
            if exporting
            else QGraphicsItem.CacheMode.DeviceCoordinateCache
        )
        for card in self._item_for_node.values():
            card.full_text = exporting
            card.setCacheMode(cache)
            card.update()

    def set_drop_target(self, card: ContactCard | None) -> None:
        if card is self._drop_target:
            return
        if self._drop_target is not None:
            self._drop_target.drop_target = False
            self._drop_target.update()
        self._drop_target = card
        if card is not None:
            card.drop_target = True
            card.update()

    # ------------------------------------------------------------------------------ gestures

    def start_link(self, contact_id: int) -> None:
        """Begin drawing an influence link from a contact: the next click on a card ends it."""
        source = self._item_for_node.get(contact_id)
        if source is not None:
            self.interaction = _LinkInteraction(self, source)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.interaction is not None:
            if event.button() == Qt.MouseButton.LeftButton:
                self.interaction.finish(event.scenePos())
            else:
                self.interaction.cancel()
            event.accept()
            return
        card = self.card_at(event.scenePos())
        shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        if card is not None and shift and event.button() == Qt.MouseButton.LeftButton:
            self.interaction = _LinkInteraction(self, card)
            self.interaction.move_to(event.scenePos())
            event.accept()
            return
        super().mousePressEvent(event)
        self._pressed = {c: c.pos() for c in self._item_for_node.values() if c.isSelected()}

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.interaction is not None:
            self.interaction.move_to(event.scenePos())
            event.accept()
            return
        super().mouseMoveEvent(event)
        if self._pressed and event.buttons() & Qt.MouseButton.LeftButton:
            single = len(self._pressed) == 1
            self.set_drop_target(self.card_at(event.scenePos(), self._pressed) if single else None)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.interaction is not None:
            if not self.interaction.source.contains(
                self.interaction.source.mapFromScene(event.scenePos())
            ):
                self.interaction.finish(event.scenePos())  # a Shift+drag ends on release
            event.accept()
            return
        super().mouseReleaseEvent(event)
        pressed, self._pressed = self._pressed, {}
        target = self._drop_target
        self.set_drop_target(None)
        moved = {
            card: start
            for card, start in pressed.items()
            if (card.pos() - start).manhattanLength() >= _DRAG_THRESHOLD
        }
        if not moved:
            for card, start in pressed.items():
                card.setPos(start)
            return
        if target is not None and len(moved) == 1:
            ((card, start),) = moved.items()
            card.setPos(start)  # the graph that comes back places it under its new manager
            self.reparent_requested.emit(card.contact_id, target.contact_id)
            return
        old = {card.contact_id: _point(start) for card, start in moved.items()}
        new = {card.contact_id: _point(card.pos()) for card in moved}
        for card in moved:
            card.setPos(*new[card.contact_id])
        self.cards_moved.emit(old, new)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        card = self.card_at(event.scenePos())
        if card is not None:
            self.edit_requested.emit(card.contact_id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event: QGraphicsSceneContextMenuEvent) -> None:
        card = self.card_at(event.scenePos())
        if card is not None and not card.isSelected():
            self.select_ids([card.contact_id])
        self.menu_requested.emit(card.contact_id if card else None, event.screenPos())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.interaction is not None and event.key() == Qt.Key.Key_Escape:
            self.interaction.cancel()
            event.accept()
            return
        super().keyPressEvent(event)


def _point(point: QPointF) -> tuple[float, float]:
    return (float(round(point.x())), float(round(point.y())))
