"""The contact map's view: zoom (Ctrl+wheel, Ctrl+= / Ctrl+-), pan by dragging the background,
fit to view."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import QGraphicsView, QWidget

from am_desktop.ui.contact_map.items import ContactCard
from am_desktop.ui.contact_map.scene import ContactMapScene

MIN_ZOOM = 0.15
MAX_ZOOM = 3.0
#: A map first opens no smaller: its cards' text is then the size of the window's text.
READABLE_ZOOM = 1.0
_STEP = 1.2


class ContactMapView(QGraphicsView):
    """Shows a :class:`ContactMapScene`.

    Signals:
        zoom_changed(factor): the zoom, 1.0 being 100 %.
    """

    zoom_changed = Signal(float)

    def __init__(self, scene: ContactMapScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.map_scene = scene
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Contact map")

    @property
    def zoom(self) -> float:
        """The current zoom factor."""
        return self.transform().m11()

    def set_zoom(self, factor: float) -> None:
        """Zoom to ``factor`` (kept between 15 % and 300 %)."""
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        scale = factor / self.zoom
        if abs(scale - 1) > 1e-6:
            self.scale(scale, scale)
            self.zoom_changed.emit(self.zoom)

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * _STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / _STEP)

    def fit(self, readable: bool = False) -> None:
        """Show every card; never zoom in past 100 % for a small committee.

        Args:
            readable: never zoom out below :data:`READABLE_ZOOM` either; a large map then
                opens on the top of its chart, names readable, the rest a scroll away.
        """
        rect = self.map_scene.itemsBoundingRect()
        if rect.isEmpty():
            return
        self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        floor = READABLE_ZOOM if readable else MIN_ZOOM
        if self.zoom > 1.0:
            self.set_zoom(1.0)
        elif self.zoom < floor:
            self.set_zoom(floor)
            self.centerOn(rect.center().x(), rect.top() + self.viewport().height() / floor / 2)
            self.zoom_changed.emit(self.zoom)
            return
        self.centerOn(rect.center())
        self.zoom_changed.emit(self.zoom)

    def show_cards(self, ids: list[int]) -> None:
        """Scroll so the given contacts' cards are in view."""
        rect = QRectF()
        for contact_id in ids:
            card = self.map_scene.card(contact_id)
            if card is not None:
                rect = rect.united(card.rect())
        if not rect.isEmpty():
            self.ensureVisible(rect, 40, 40)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.set_zoom(self.zoom * _STEP**steps)
            event.accept()
            return
        super().wheelEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        # Hand-drag pans only from the background; on a card the drag moves the card.
        on_card = isinstance(self.itemAt(event.position().toPoint()), ContactCard)
        self.setDragMode(
            QGraphicsView.DragMode.NoDrag if on_card else QGraphicsView.DragMode.ScrollHandDrag
        )
        super().mousePressEvent(event)
