"""The contact map as a PNG or SVG file: the same scene the window shows, drawn whole.

The GUI's File menu and ``am-desktop map ACCOUNT --out FILE`` both come here, so an exported
map looks exactly like the one on screen.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtSvg import QSvgGenerator

from am_desktop.domain.contact_graph import ContactGraph
from am_desktop.errors import ExportError
from am_desktop.services.files import replacing
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


def export_map(scene: ContactMapScene, path: Path, title: str = "") -> Path:
    """Write the whole map to ``path`` (.png or .svg), atomically, on this thread.

    Raises:
        ExportError: an unknown suffix, or the file could not be written.
    """
    return write_drawing(draw_map(scene, path, title), path)


def draw_map(scene: ContactMapScene, path: Path, title: str = "") -> Drawing:
    """Draw the whole map for ``path``'s format (on the GUI thread: the scene lives there).

    Returns:
        The drawing, to be written by :func:`write_drawing` on any thread.

    Raises:
        ExportError: the suffix is neither .png nor .svg.
    """
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"Choose a file name ending in .png or .svg (not {path.name}).")
    selected = scene.selected_ids()
    scene.select_ids([])
    scene.set_export_mode(True)
    try:
        source = scene.itemsBoundingRect().adjusted(-_MARGIN, -_MARGIN, _MARGIN, _MARGIN)
        if source.isEmpty():
            source = QRectF(0, 0, 320, 120)
        if suffix == ".svg":
            return _svg(scene, source, title)
        return _png(scene, source)
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


def _background(scene: ContactMapScene) -> QColor:
    return scene.palette().color(QPalette.ColorRole.Base)


def _svg(scene: ContactMapScene, source: QRectF, title: str) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(round(source.width()), round(source.height())))
    generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
    generator.setTitle(title or "Contact map")
    generator.setDescription("Exported from AM Desktop")
    painter = QPainter(generator)
    try:
        painter.fillRect(QRectF(0, 0, source.width(), source.height()), _background(scene))
        scene.render(painter, QRectF(0, 0, source.width(), source.height()), source)
    finally:
        painter.end()
    return bytes(buffer.data().data())


def _png(scene: ContactMapScene, source: QRectF) -> QImage:
    scale = min(_PNG_SCALE, _PNG_MAX_SIDE / max(source.width(), source.height()))
    size = QSize(round(source.width() * scale), round(source.height() * scale))
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(_background(scene))
    painter = QPainter(image)
    try:
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        target = QRectF(0, 0, size.width(), size.height())
        scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)
    finally:
        painter.end()
    return image


def export_graph(graph: ContactGraph, today: date, path: Path) -> Path:
    """Lay out and draw a contact graph straight to a file (the command line's ``map``)."""
    scene = ContactMapScene()
    try:
        scene.set_graph(graph, today)
        return export_map(scene, path, f"{graph.account_name}: contact map")
    finally:
        scene.deleteLater()


def graph_png(graph: ContactGraph, today: date) -> bytes:
    """A contact graph laid out and drawn as PNG bytes, for a slide (on the GUI thread)."""
    scene = ContactMapScene()
    try:
        scene.set_graph(graph, today)
        image = draw_map(scene, Path("map.png"))
        assert isinstance(image, QImage)
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]
        return bytes(buffer.data().data())
    finally:
        scene.deleteLater()
