"""Quick capture (Ctrl+Shift+N): a small note window, already in the text, from anywhere.

For the account in front; with none in front it first asks which (the fuzzy account palette).
It saves as it goes like any note, and stays on top while the call goes on.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from am_desktop.services import notes
from am_desktop.ui.context import AppContext
from am_desktop.ui.notes.editor import NoteEditor
from am_desktop.ui.plain_text import plain
from am_desktop.ui.tasks import Lane


class QuickCapture(QWidget):
    """A note window for one account."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.context = context
        self.setWindowTitle("Quick note")
        self.resize(560, 420)
        self.heading = plain(QLabel(self))
        self.heading.setObjectName("sectionTitle")
        self.editor = NoteEditor(context, self)
        self.editor.set_templates(context.settings.prefs.note_templates)
        # A quick note is just being typed: its follow-up waits for the account's Notes tab
        # (Ctrl+Shift+M still drafts one), and the small window keeps its width.
        self.editor.follow_up_button.hide()
        hint = QLabel("Saves as you type. Esc closes; the note stays with the account.", self)
        hint.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.editor, 1)
        layout.addWidget(hint)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        self.editor.reload_requested.connect(self._on_editor_reload_requested)

    @classmethod
    def open(cls, context: AppContext, account_id: int | None, parent: QWidget | None) -> None:
        """Open for ``account_id``, or ask which account first."""
        if account_id is not None:
            cls(context, parent).start(account_id)
            return
        from am_desktop.ui.palette import AccountPalette

        palette = AccountPalette(context, parent=parent)
        palette.set_heading("Quick note for which account?")
        palette.account_chosen.connect(lambda chosen: cls(context, parent).start(chosen))
        palette.popup()

    def start(self, account_id: int) -> None:
        """Show the window with a new note for the account, the cursor in the text."""
        self.context.tasks.submit(
            lambda _p: (
                notes.account_people(self.context.store, account_id),
                notes.account_name(self.context.store, account_id),
            ),
            lane=Lane.READ,
            on_done=lambda loaded: self._on_loaded(account_id, *loaded),
        )

    def _on_loaded(self, account_id: int, people: tuple[tuple[int, str], ...], name: str) -> None:
        self.heading.setText(f"Note for {name}")
        self.editor.new_note(account_id, list(people))
        self.place()
        self.show()
        self.raise_()
        self.activateWindow()
        self.editor.body.setFocus()

    def place(self) -> None:
        """Centre the window over the app's window (else on the screen), kept on the screen
        (a new top-level window would open at the screen's top-left corner)."""
        parent = self.parentWidget()
        over = parent.window() if parent is not None else None
        screen = (over.screen() if over is not None else None) or QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 720)
        centre = over.frameGeometry().center() if over is not None else area.center()
        frame = QRect(QPoint(0, 0), self.size().boundedTo(area.size()))
        frame.moveCenter(centre)
        left = max(area.left(), min(frame.left(), area.right() - frame.width()))
        top = max(area.top(), min(frame.top(), area.bottom() - frame.height()))
        self.resize(frame.size())
        self.move(left, top)

    def _on_editor_reload_requested(self, note_id: int) -> None:
        self.context.tasks.submit(
            lambda _p: notes.note_detail(self.context.store, note_id),
            lane=Lane.WRITE,
            on_done=lambda detail: self.editor.show_note(detail, list(detail.people)),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.editor.failure is not None and self.editor.unsaved() is not None:
            # Its saves fail: ask before the window (and the text with it) goes.
            from am_desktop.ui.notes.unsaved_guard import settle

            if not settle(self, self.context, [self.editor]):
                event.ignore()
                return
        self.editor.flush()
        super().closeEvent(event)
