"""An optional file in a form: its path, Choose… and Clear."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QPushButton, QWidget


class FileField(QWidget):
    """A file the user may give or leave out; the path is chosen, never typed half-way.

    Args:
        caption: the file chooser's title ("Choose a PowerPoint template").
        name_filter: what the chooser lists ("PowerPoint (*.pptx)").
        start_in: the folder the chooser opens in when no file is set.

    Signals:
        changed(): a file was chosen or cleared.
    """

    changed = Signal()

    def __init__(
        self, caption: str, name_filter: str, start_in: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.caption, self.name_filter, self.start_in = caption, name_filter, start_in
        self.shown = QLineEdit(self)
        self.shown.setReadOnly(True)
        self.shown.setPlaceholderText("None")
        self.shown.setAccessibleName(caption)
        self.choose_button = QPushButton("Choose…", self)
        self.clear_button = QPushButton("Clear", self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.shown, 1)
        layout.addWidget(self.choose_button)
        layout.addWidget(self.clear_button)
        self.choose_button.clicked.connect(self._on_choose_clicked)
        self.clear_button.clicked.connect(self._on_clear_clicked)
        self.set_path(None)

    def path(self) -> Path | None:
        """The file given, or None."""
        text = self.shown.text()
        return Path(text) if text else None

    def set_path(self, path: Path | None) -> None:
        """Show a file (None: none); a file that no longer exists is shown as none."""
        kept = path if path is not None and path.is_file() else None
        self.shown.setText("" if kept is None else str(kept))
        self.shown.setToolTip("" if kept is None else str(kept))
        self.clear_button.setEnabled(kept is not None)
        self.changed.emit()

    @Slot()
    def _on_choose_clicked(self) -> None:
        current = self.path()
        folder = current.parent if current is not None else self.start_in
        chosen, _filter = QFileDialog.getOpenFileName(
            self, self.caption, str(folder), self.name_filter
        )
        if chosen:
            self.set_path(Path(chosen))

    @Slot()
    def _on_clear_clicked(self) -> None:
        self.set_path(None)
