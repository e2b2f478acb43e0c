"""A chart on screen: a matplotlib ``Figure`` drawn to an image on a worker, shown here.

The same chart functions draw the exported files (``charts``), so the screen and the deck never
disagree. Drawing a figure costs 30–90 ms, too long for the GUI thread: the widget keeps the
function that builds its figure for a size, asks a worker to draw it whenever the data or the
widget's size changes, and until the new image arrives paints the last one stretched. A newer
request wins over an older one still on its way (the runner drops superseded answers).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QImage, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QApplication, QWidget

from am_desktop.ui.tasks import Lane, TaskRunner

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Builds the figure for a size in inches (at 100 dots an inch).
FigureFactory = Callable[[tuple[float, float]], "Figure"]
#: Logical pixels per inch of the figures on screen.
SCREEN_DPI = 100


def render(factory: FigureFactory, width: int, height: int, ratio: float) -> QImage:
    """Draw the figure at ``width`` by ``height`` logical pixels and a pixel ratio (any thread)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = factory((max(width, 50) / SCREEN_DPI, max(height, 50) / SCREEN_DPI))
    figure.set_dpi(SCREEN_DPI * ratio)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()  # type: ignore[no-untyped-call]
    pixels = canvas.buffer_rgba()  # type: ignore[no-untyped-call]
    rows, columns = pixels.shape[0], pixels.shape[1]
    image = QImage(bytes(pixels), columns, rows, QImage.Format.Format_RGBA8888).copy()
    image.setDevicePixelRatio(ratio)
    return image


class ChartView(QWidget):
    """Shows one chart; right-click copies it."""

    #: The newest image is on screen.
    rendered = Signal()

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.factory: FigureFactory | None = None
        self.image: QImage | None = None
        self._drawing = False  # a requested image has not arrived yet
        self._resized = QTimer(self, singleShot=True, interval=150)
        self._resized.timeout.connect(self.redraw)
        self.setMinimumHeight(280)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        copy = QAction("Copy chart", self)
        copy.triggered.connect(self.copy)
        self.addAction(copy)
        self.setToolTip("Right-click to copy the chart")

    def sizeHint(self) -> QSize:
        return QSize(640, 320)

    @property
    def current(self) -> bool:
        """Whether the image on screen is the newest asked for."""
        drawing = self._drawing or self._resized.isActive()
        return not drawing and self.image is not None

    def show_chart(self, factory: FigureFactory, image: QImage | None = None) -> None:
        """Show the chart ``factory`` builds; ``image`` when a worker already drew it."""
        self.factory = factory
        if image is not None and self._fits(image):
            self._show(factory, image)
        else:
            self.redraw()

    def redraw(self) -> None:
        """Draw the chart again at the widget's size, on a worker."""
        if self.factory is None:
            return
        factory, width, height = self.factory, self.width(), self.height()
        ratio = self.devicePixelRatioF()
        self._drawing = True
        self.tasks.submit(
            lambda _progress: render(factory, width, height, ratio),
            lane=Lane.READ,
            receiver=self,
            on_done=lambda image: self._show(factory, image),
            supersede=(self, "image"),
        )

    def copy(self) -> None:
        """Put the chart on the clipboard as an image (for slides and mails)."""
        if self.image is not None:
            QApplication.clipboard().setImage(self.image)

    def _fits(self, image: QImage) -> bool:
        return image.deviceIndependentSize().toSize() == self.size()

    def _show(self, factory: FigureFactory, image: Any) -> None:
        if factory is not self.factory:
            return  # another chart was shown since, with an image drawn elsewhere
        self.image, self._drawing = image, False
        self.update()
        self.rendered.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.factory is not None:
            self._resized.start()  # not current until the redraw at this size arrives

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        if self.image is None:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Drawing the chart…")
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(self.rect(), self.image)
