"""The window's view registry: one spec per key, each view built once, on first show."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from am_desktop.ui.context import AppContext
from am_desktop.ui.main_window import MainWindow
from am_desktop.ui.window.views import (
    DASHBOARD,
    NOTES,
    RENEWALS,
    TODAY,
    VIEWS,
    ViewHost,
    ViewKey,
    ViewSpec,
    ViewStack,
)
from tests.support.fresh_window import last_line_of_fresh_window


class Page(QWidget):
    """A view that counts how often it was shown."""

    def __init__(self) -> None:
        super().__init__()
        self.shows = 0

    def on_shown(self) -> None:
        self.shows += 1


class Host:
    """Nothing the test views ask for (they build themselves)."""

    context: AppContext
    undo_stack: QUndoStack


def test_every_key_has_one_spec_with_its_own_shortcut() -> None:
    assert [spec.key for spec in VIEWS] == list(ViewKey)
    assert [spec.shortcut for spec in VIEWS] == [f"Ctrl+{n}" for n in range(1, 7)]


def test_each_view_is_built_once_on_its_first_show(qtbot: QtBot) -> None:
    built: list[ViewKey] = []

    def factory(key: ViewKey) -> ViewSpec[Page]:
        def build(_host: ViewHost) -> Page:
            built.append(key)
            return Page()

        return ViewSpec(key, key.value.title(), "", build)

    specs = [factory(key) for key in ViewKey]
    stack = ViewStack(Host(), specs)  # type: ignore[arg-type]  # the factories ask nothing
    qtbot.addWidget(stack)
    assert built == [] and stack.current_key() is None
    assert all(stack.built(spec) is None for spec in specs)
    for _ in range(2):
        for spec in specs:
            shown = stack.show_view(spec.key)
            assert stack.current_key() is spec.key and stack.currentWidget() is shown
    assert built == list(ViewKey)  # once each, in the order first shown
    assert all(stack.view(spec).shows == 2 for spec in specs)  # on_shown on every show
    assert stack.count() == len(specs)


def test_a_spec_from_elsewhere_is_refused(qtbot: QtBot) -> None:
    mine = ViewSpec(ViewKey.TODAY, "Today", "Ctrl+1", lambda _h: Page())
    stack = ViewStack(Host(), [mine])  # type: ignore[arg-type, list-item]
    qtbot.addWidget(stack)
    with pytest.raises(KeyError):
        stack.view(ViewSpec(ViewKey.TODAY, "Other", "", lambda _h: Page()))


def test_the_window_builds_the_heavy_views_only_when_shown(window: MainWindow) -> None:
    assert window.current_view() is ViewKey.TODAY  # the default first view
    assert window.views.built(TODAY) is not None
    assert [window.views.built(s) for s in (RENEWALS, NOTES, DASHBOARD)] == [None] * 3
    window.show_view(ViewKey.NOTES)
    notes = window.views.built(NOTES)
    assert notes is not None and window.tabs.tabText(0) == "Notes"
    window.show_view(ViewKey.TODAY)
    window.show_view(ViewKey.NOTES)
    assert window.notes_view is notes  # shown again, not built again
    assert window.views.built(DASHBOARD) is None


def test_an_unknown_remembered_view_starts_on_today(qtbot: QtBot, context: AppContext) -> None:
    context.settings.state.last_view = "reports"  # a view of some other version
    main = MainWindow(context)
    qtbot.addWidget(main)
    assert main.current_view() is ViewKey.TODAY
    main.close()


def test_nothing_heavy_loads_before_the_first_paint(tmp_path: Path) -> None:
    """SQLAlchemy, matplotlib and the lazy views' modules wait until they are needed."""
    body = (
        "window.show(); app.processEvents()\n"
        "heavy = ('sqlalchemy', 'matplotlib', 'am_desktop.ui.notes.panel',\n"
        "         'am_desktop.ui.dashboard', 'am_desktop.ui.renewals.view')\n"
        "print([m for m in heavy if m in sys.modules])\n"
        "window.context.tasks.shutdown()\n"
    )
    assert last_line_of_fresh_window(body, tmp_path) == "[]"


def test_the_go_menu_and_the_shortcuts_dialog_follow_the_registry(window: MainWindow) -> None:
    from am_desktop.ui.dialogs.shortcuts import ShortcutsDialog

    dialog = ShortcutsDialog(window)
    keys = dict(dialog.rows())
    assert [keys[spec.label] for spec in VIEWS] == [f"Ctrl+{n}" for n in range(1, 7)]
    for action, shortcut in (
        ("Go to account…", "Ctrl+K"),
        ("New note", "Ctrl+N"),
        ("Quick note…", "Ctrl+Shift+N"),
        ("Search notes…", "Ctrl+F"),
        ("Close tab", "Ctrl+W"),
        ("Sync now", "Ctrl+Shift+S"),
    ):
        assert keys[action] == shortcut
    dialog.deleteLater()
