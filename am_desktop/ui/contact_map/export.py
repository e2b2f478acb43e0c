"""The map saved as a picture: the scene drawn on the GUI thread, the file written off it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from am_desktop.domain.contact_graph import ContactGraph
from am_desktop.errors import AppError
from am_desktop.ui.contact_map.banner import Notice
from am_desktop.ui.contact_map.scene import ContactMapScene
from am_desktop.ui.context import AppContext
from am_desktop.ui.tasks import Lane


class MapExport:
    """Saves the map as PNG or SVG.

    Args:
        graph: the graph shown now (its account names the file and the picture).
        owner: the dialog's parent, and the widget the answer is for (dropped once it closed).
    """

    def __init__(
        self,
        context: AppContext,
        scene: ContactMapScene,
        notice: Notice,
        graph: Callable[[], ContactGraph | None],
        owner: QWidget,
    ) -> None:
        self.context, self.scene, self.notice = context, scene, notice
        self._graph, self._owner = graph, owner

    def ask_and_save(self) -> None:
        """Ask where, then save the map as PNG or SVG."""
        graph = self._graph()
        if graph is None or not len(graph):
            return
        suggested = Path.home() / f"{_file_stem(graph.account_name)} contact map.png"
        path, _filter = QFileDialog.getSaveFileName(
            self._owner,
            "Export contact map",
            str(suggested),
            "PNG image (*.png);;SVG drawing (*.svg)",
        )
        if path:
            self.save(Path(path))

    def save(self, path: Path) -> None:
        """Write the map to ``path`` (the suffix picks the format; PNG when there is none).

        The scene is drawn here (it lives on the GUI thread); encoding and writing the file,
        which takes a second for a large PNG, runs in the background.
        """
        from am_desktop.ui.contact_map.render import draw_map, write_drawing

        if path.suffix.lower() not in (".png", ".svg"):
            path = path.with_name(path.name + ".png")
        graph = self._graph()
        try:
            drawing = draw_map(
                self.scene, path, graph.account_name if graph else "", self.context.today()
            )
        except AppError as error:
            self.notice.say(error.user_message)
            return
        self.context.tasks.submit(
            lambda _p: write_drawing(drawing, path),
            lane=Lane.NET,  # file work stays off the database lanes, as the export dialog's
            receiver=self._owner,
            on_done=self._on_saved,
            on_error=self._on_save_failed,
        )

    def _on_saved(self, path: Path) -> None:
        self.context.messages.info(f"Contact map saved to {path}.")

    def _on_save_failed(self, error: BaseException) -> None:
        if isinstance(error, AppError):
            self.notice.say(error.user_message)
        else:
            self.context.messages.failure(error)


def _file_stem(name: str) -> str:
    return "".join(c for c in name if c.isalnum() or c in " -_").strip() or "account"
