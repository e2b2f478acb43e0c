"""The window's tabs: one workspace per account, released when closed; the views tab stays."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from am_desktop.ui.context import AppContext
from am_desktop.ui.main_window import MainWindow
from am_desktop.ui.window.workspace_tabs import TITLE_CHARS, WorkspaceTabs


class FakeWorkspace(QWidget):
    """Records what the tabs ask of a workspace."""

    title_changed = Signal(str)
    conflicts_requested = Signal(str, int)

    def __init__(self, _context: AppContext, account_id: int, _undo: QUndoStack) -> None:
        super().__init__()
        self.account_id = account_id
        self.title = f"Account {account_id}"
        self.asked: list[tuple[str, int]] = []

    def new_note(self) -> None:
        self.asked.append(("new_note", self.account_id))

    def open_note(self, note_id: int) -> None:
        self.asked.append(("open_note", note_id))

    def open_renewal(self, renewal_id: int) -> None:
        self.asked.append(("open_renewal", renewal_id))


@pytest.fixture
def tabs(qtbot: QtBot, context: AppContext) -> Iterator[WorkspaceTabs]:
    undo = QUndoStack()
    widget = WorkspaceTabs(context, undo, QWidget(), FakeWorkspace)  # type: ignore[arg-type]
    qtbot.addWidget(widget)
    yield widget


def fake(widget: QWidget | None) -> FakeWorkspace:
    assert isinstance(widget, FakeWorkspace)
    return widget


def test_opening_an_account_twice_brings_its_one_tab_forward(tabs: WorkspaceTabs) -> None:
    first = tabs.open_account(7)
    tabs.open_account(8)
    assert tabs.open_account(7) is first
    assert tabs.count() == 3 and tabs.currentWidget() is first
    assert tabs.tabText(1) == "Account 7"


def test_a_long_name_is_cut_in_the_tab_and_whole_in_its_tooltip(tabs: WorkspaceTabs) -> None:
    workspace = fake(tabs.open_account(7))
    name = "The Very Long Name of a Holding Company Ltd"
    workspace.title_changed.emit(name)
    text = tabs.tabText(1)
    assert len(text) == TITLE_CHARS and text.endswith("…") and tabs.tabToolTip(1) == name


def test_closing_a_tab_releases_its_workspace(qtbot: QtBot, tabs: WorkspaceTabs) -> None:
    workspace = tabs.open_account(7)
    gone: list[bool] = []
    workspace.destroyed.connect(lambda: gone.append(True))
    tabs.close_tab(tabs.indexOf(workspace))
    assert tabs.workspace(7) is None and tabs.count() == 1
    qtbot.waitUntil(lambda: gone == [True], timeout=2000)  # deleteLater: at the next loop
    assert tabs.open_account(7) is not workspace  # a fresh one


def test_the_views_tab_cannot_be_closed(tabs: WorkspaceTabs) -> None:
    tabs.close_current()
    tabs.close_tab(0)
    assert tabs.count() == 1


def test_requests_reach_the_accounts_workspace(tabs: WorkspaceTabs) -> None:
    tabs.open_note(7, 31)
    tabs.open_renewal(7, 5)
    tabs.open_from_today("notice", 8, 6)
    assert fake(tabs.workspace(7)).asked == [("open_note", 31), ("open_renewal", 5)]
    assert fake(tabs.workspace(8)).asked == [("open_renewal", 6)]
    assert tabs.new_note_in_front() and tabs.account_in_front() == 8
    tabs.setCurrentIndex(0)
    assert not tabs.new_note_in_front() and tabs.account_in_front() is None


def test_ctrl_w_closes_the_account_tab_and_leaves_the_views(
    qtbot: QtBot, context: AppContext
) -> None:
    window = MainWindow(context, workspace_factory=FakeWorkspace)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    close_tab = _action(window, "Ctrl+W")
    window.open_account(7)
    assert window.tabs.count() == 2
    close_tab.trigger()
    assert window.tabs.count() == 1 and window.tabs.currentIndex() == 0
    close_tab.trigger()  # on the views: nothing to close
    assert window.tabs.count() == 1 and window.tabs.widget(0) is window.views
    window.close()


def _action(window: MainWindow, keys: str) -> Any:
    wanted = QKeySequence(keys)
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        for action in menu.actions() if menu is not None else []:  # type: ignore[union-attr]
            if action.shortcut() == wanted:
                return action
    raise AssertionError(f"no menu action on {keys}")
