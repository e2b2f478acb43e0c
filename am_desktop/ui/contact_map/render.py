"""The contact map as a PNG or SVG file: the same scene the window shows, drawn whole.

The GUI's File menu and ``am-desktop map ACCOUNT --out FILE`` both come here, so an exported
map looks exactly like the one on screen, with a header (account, date) and a key around it
(legend.py) that the window does not need.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPaintDevice, QPainter, QPalette
from PySide6.QtSvg import QSvgGenerator

from am_desktop.domain.contact_graph import ContactGraph
from am_desktop.domain.formatting import day
from am_desktop.errors import ExportError
from am_desktop.services.files import replacing
from am_desktop.ui.contact_map.legend import MapHeading, MapKey
from am_desktop.ui.contact_map.scene import ContactMapScene

#: What :func:`draw_map` makes: a PNG's image or an SVG's bytes.
Drawing = QImage | bytes

#: The formats an export can take, by file suffix.
FORMATS = {".png": "PNG image", ".svg": "SVG drawing"}

_MARGIN = 32.0
#: PNGs are drawn at twice the screen's scale, so they stay sharp in a slide deck.
_PNG_SCALE = 2.0
#: A PNG wider or taller than this is drawn smaller (a 200-contact map is still readable).
_PNG_MAX_SIDE = 8_000
#: The resolution fonts are measured by on screen and in the PNG (a QImage's default).
_SVG_DPI = 96


def export_map(
    scene: ContactMapScene, path: Path, account_name: str = "", drawn_on: date | None = None
) -> Path:
    """Write the whole map to ``path`` (.png or .svg), atomically, on this thread.

    Raises:
        ExportError: an unknown suffix, or the file could not be written.
    """
    return write_drawing(draw_map(scene, path, account_name, drawn_on), path)


def draw_map(
    scene: ContactMapScene, path: Path, account_name: str = "", drawn_on: date | None = None
) -> Drawing:
    """Draw the whole map for ``path``'s format (on the GUI thread: the scene lives there),
    under a header naming the account and ``drawn_on`` (today by default), above its key.

    Returns:
        The drawing, to be written by :func:`write_drawing` on any thread.

    Raises:
        ExportError: the suffix is neither .png nor .svg.
    """
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"Choose a file name ending in .png or .svg (not {path.name}).")
    heading = MapHeading(account_name, drawn_on or date.today())
    selected = scene.selected_ids()
    scene.select_ids([])
    scene.set_export_mode(True)
    try:
        source = scene.itemsBoundingRect().adjusted(-_MARGIN, -_MARGIN, _MARGIN, _MARGIN)
        if source.isEmpty():
            source = QRectF(0, 0, 320, 120)
        if suffix == ".svg":
            return _svg(scene, source, heading)
        return _png(scene, source, heading)
    finally:
        scene.set_export_mode(False)
        scene.select_ids(selected)


def write_drawing(drawing: Drawing, path: Path) -> Path:
    """Write a drawing to ``path`` atomically (encoding a PNG takes a while: off the GUI thread).

    Raises:
        ExportError: the file could not be written.
    """
    with replacing(path) as temporary:
        if isinstance(drawing, QImage):
            if not drawing.save(str(temporary), "PNG"):  # type: ignore[call-overload]
                raise OSError(5, "the image could not be encoded")
        else:
            temporary.write_bytes(drawing)
    return path


def _key(
    scene: ContactMapScene, source: QRectF, heading: MapHeading, device: QPaintDevice
) -> MapKey:
    return MapKey(scene.palette(), scene.font(), source.size(), heading, device)


def _draw_page(scene: ContactMapScene, painter: QPainter, key: MapKey, source: QRectF) -> None:
    """The page's background, its header and key, and the map in between."""
    painter.fillRect(QRectF(QPointF(0, 0), key.size), _background(scene))
    key.paint(painter)
    scene.render(painter, key.map_rect, source, Qt.AspectRatioMode.KeepAspectRatio)


def _background(scene: ContactMapScene) -> QColor:
    return scene.palette().color(QPalette.ColorRole.Base)


def _svg(scene: ContactMapScene, source: QRectF, heading: MapHeading) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    # At its default 72 dpi a 10 pt font is 10 units tall, a quarter smaller than on screen and
    # in the PNG, where cards and the key are measured: the screen's 96 dpi keeps them alike.
    generator.setResolution(_SVG_DPI)
    key = _key(scene, source, heading, generator)
    generator.setOutputDevice(buffer)
    generator.setSize(key.size.toSize())
    generator.setViewBox(QRectF(QPointF(0, 0), key.size))
    generator.setTitle(
        f"{heading.account_name} – contact map" if heading.account_name else "Contact map"
    )
    generator.setDescription(f"Exported from AM Desktop on {day(heading.drawn_on)}")
    painter = QPainter(generator)
    try:
        _draw_page(scene, painter, key, source)
    finally:
        painter.end()
    return bytes(buffer.data().data())


def _png(scene: ContactMapScene, source: QRectF, heading: MapHeading) -> QImage:
    key = _key(scene, source, heading, QImage(1, 1, QImage.Format.Format_ARGB32_Premultiplied))
    page = key.size
    scale = min(_PNG_SCALE, _PNG_MAX_SIDE / max(page.width(), page.height()))
    size = QSize(round(page.width() * scale), round(page.height() * scale))
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(_background(scene))
    painter = QPainter(image)
    try:
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        painter.scale(scale, scale)
        _draw_page(scene, painter, key, source)
    finally:
        painter.end()
    return image


def export_graph(graph: ContactGraph, today: date, path: Path) -> Path:
    """Lay out and draw a contact graph straight to a file (the command line's ``map``)."""
    scene = ContactMapScene()
    try:
        scene.set_graph(graph, today)
        return export_map(scene, path, graph.account_name, today)
    finally:
        scene.deleteLater()


def graph_png(graph: ContactGraph, today: date) -> bytes:
    """A contact graph laid out and drawn as PNG bytes, for a slide (on the GUI thread)."""
    scene = ContactMapScene()
    try:
        scene.set_graph(graph, today)
        image = draw_map(scene, Path("map.png"), graph.account_name, today)
        assert isinstance(image, QImage)
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]
        return bytes(buffer.data().data())
    finally:
        scene.deleteLater()
