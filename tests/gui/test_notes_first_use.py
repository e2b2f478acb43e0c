"""Notes as a newcomer meets them (issue 16, items 13–14): an untitled note is listed by its
first line, the Notes view says what to do with no note open, the quick note opens over the
window with its account picker saying what it is for, and the shortcuts list says "Undo"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

from am_desktop.domain.note_text import title_from_text
from am_desktop.services import activity, catalog, notes
from am_desktop.ui.context import AppContext
from am_desktop.ui.notes.panel import NotesPanel

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)"
)

BODY = "## Called Ann about the renewal budget for next year and the EMEA roll-out\nSecond line"


@pytest.fixture
def acme(context: AppContext) -> int:
    return catalog.accounts.create(context.store, {"name": "Acme"}).id


def test_a_title_from_the_text_is_its_first_line_cut_at_a_word() -> None:
    assert title_from_text("\n\n  - [ ] Send the deck  \nmore") == "Send the deck"
    assert title_from_text(BODY) == "Called Ann about the renewal budget for next…"
    assert title_from_text("   \n") == ""


def test_an_untitled_note_is_listed_by_its_first_line(
    qtbot: QtBot, context: AppContext, acme: int
) -> None:
    values = {"account_id": acme, "occurred_at": "2026-11-20T10:00Z", "kind": "call"}
    notes.create_note(context.store, {**values, "body": BODY})
    notes.create_note(context.store, {**values, "occurred_at": "2026-11-19T10:00Z", "body": ""})
    panel = NotesPanel(context, acme, undo=QUndoStack())
    qtbot.addWidget(panel)
    panel.refresh()
    listed = [panel.model.index(row, 0).data().split("\n")[0] for row in range(2)]
    assert listed == ["Called Ann about the renewal budget for next…", "Call"]
    with context.store.read() as session:
        (event, _empty) = activity.account_activity(session, acme)
    assert event.title == "Called Ann about the renewal budget for next…"


def test_the_notes_view_says_what_to_do_with_no_note_open(
    qtbot: QtBot, context: AppContext, acme: int
) -> None:
    notes.create_note(context.store, {"account_id": acme, "occurred_at": "2026-11-20T10:00Z"})
    panel = NotesPanel(context, None, undo=QUndoStack())
    qtbot.addWidget(panel)
    panel.load_accounts()
    panel.refresh()
    assert panel.pages.currentWidget() is panel.unselected  # not an empty form dated 2000
    assert panel.unselected.text.text().startswith("Select a note, or choose an account above")
    panel.account_filter.setCurrentIndex(panel.account_filter.findText("Acme"))
    assert panel.unselected.text.text() == "Select a note or press Ctrl+N for a new one."
    panel.list.setCurrentIndex(panel.model.index(0, 0))
    assert panel.pages.currentWidget() is panel.editor


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[QMainWindow]:
    main = QMainWindow()
    qtbot.addWidget(main)
    main.setGeometry(60, 40, 700, 500)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()


def test_the_quick_note_opens_centred_on_the_window(
    qtbot: QtBot, context: AppContext, acme: int, window: QMainWindow
) -> None:
    from am_desktop.ui.notes.quick_capture import QuickCapture

    QuickCapture.open(context, acme, parent=window)
    capture = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QuickCapture))
    qtbot.waitUntil(capture.isVisible)
    offset = capture.frameGeometry().center() - window.frameGeometry().center()
    assert abs(offset.x()) <= 2 and abs(offset.y()) <= 2
    capture.close()


def test_the_quick_notes_account_picker_says_what_it_is_for(
    qtbot: QtBot, context: AppContext, acme: int, window: QMainWindow
) -> None:
    from am_desktop.ui.notes.quick_capture import QuickCapture
    from am_desktop.ui.palette import AccountPalette

    QuickCapture.open(context, None, parent=window)
    palette = next(w for w in QApplication.topLevelWidgets() if isinstance(w, AccountPalette))
    assert palette.heading.isVisibleTo(palette)
    assert palette.heading.text() == "Quick note for which account?"
    palette.close()


def test_the_shortcuts_list_says_undo_whatever_is_to_undo(
    qtbot: QtBot, context: AppContext
) -> None:
    from am_desktop.ui.dialogs.shortcuts import ShortcutsDialog
    from am_desktop.ui.main_window import MainWindow

    main = MainWindow(context)
    qtbot.addWidget(main)
    main.undo_stack.push(QUndoCommand("Close renewal"))
    dialog = ShortcutsDialog(main, parent=main)
    labels = [label for label, _keys in dialog.rows()]
    assert "Undo" in labels and "Redo" in labels
    assert not [label for label in labels if "Close renewal" in label]
    dialog.close()
    main.close()
