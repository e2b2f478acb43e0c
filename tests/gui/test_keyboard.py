"""The keyboard (issue 16, item 15): Tab leaves a table, a focused list shows it, and
Ctrl+PgUp/PgDn step the tabs the focus is in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QPushButton, QTableView, QWidget
from pytestqt.qtbot import QtBot

from am_desktop.services import catalog
from am_desktop.ui.context import AppContext
from am_desktop.ui.main_window import MainWindow
from am_desktop.ui.theme import apply_theme
from am_desktop.ui.window.views import ViewKey
from am_desktop.ui.workspace import AccountWorkspace, WorkspaceTab

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


@pytest.fixture
def window(qtbot: QtBot, context: AppContext) -> Iterator[MainWindow]:
    for name in ("Acme", "Globex"):
        catalog.accounts.create(context.store, {"name": name})
    main = MainWindow(context)
    qtbot.addWidget(main)
    main.show()
    main.activateWindow()
    main.show_view(ViewKey.ACCOUNTS)
    main.start()
    qtbot.waitUntil(lambda: main.model.rowCount() == 2)
    yield main
    main.close()


def focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def test_tab_leaves_a_record_table_for_the_next_widget(
    qtbot: QtBot, context: AppContext, window: MainWindow
) -> None:
    account_id = window.model.ids()[0]
    catalog.risks.create(context.store, {"account_id": account_id, "description": "Budget cut"})
    workspace = window.tabs.open_account(account_id)
    assert isinstance(workspace, AccountWorkspace)
    risks = workspace.overview_tab.risks
    qtbot.waitUntil(lambda: risks.model.rowCount() == 1)
    risks.view.setCurrentIndex(risks.model.index(0, 0))
    focus(qtbot, risks.view)
    QTest.keyClick(risks.view, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not risks.view
    assert risks.view.currentIndex().column() == 0  # it did not walk to the next cell


def test_tab_leaves_the_account_list(qtbot: QtBot, window: MainWindow) -> None:
    table = window.accounts.table
    table.selectRow(0)
    focus(qtbot, table)
    QTest.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table
    assert table.currentIndex().column() == 0  # Tab did not walk to the next cell


def test_no_table_of_the_window_or_a_workspace_traps_tab(window: MainWindow) -> None:
    window.open_account(window.model.ids()[0])
    for key in ViewKey:
        window.show_view(key)
    views = window.findChildren(QAbstractItemView)
    assert len(views) > 10
    trapping = [v.objectName() or type(v.parent()).__name__ for v in views if v.tabKeyNavigation()]
    assert trapping == []


def test_ctrl_page_down_in_a_workspace_steps_its_tabs_not_the_window(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.tabs.open_and_focus(window.model.ids()[0])  # what Ctrl+K → Enter does
    workspace = window.tabs.current_workspace()
    assert isinstance(workspace, AccountWorkspace)
    qtbot.waitUntil(lambda: workspace.isAncestorOf(QApplication.focusWidget()))
    assert workspace.current_tab() is WorkspaceTab.OVERVIEW
    QTest.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier
    )
    assert workspace.current_tab() is WorkspaceTab.CONTACTS
    assert window.tabs.currentWidget() is workspace and window.current_view() is ViewKey.ACCOUNTS
    QTest.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier
    )
    QTest.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier
    )
    assert workspace.current_tab() is WorkspaceTab.HEALTH  # wraps round
    focus(qtbot, workspace.health)  # deeper in a page, the same tabs answer
    window.step_tab(1)
    assert workspace.current_tab() is WorkspaceTab.OVERVIEW


def test_ctrl_page_down_outside_a_workspace_steps_the_windows_tabs(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.open_account(window.model.ids()[0])
    window.show_view(ViewKey.TODAY)
    focus(qtbot, window.sidebar)
    QTest.keyClick(window.sidebar, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 1  # the account's tab; the sidebar's view stays
    assert window.current_view() is ViewKey.TODAY


def test_a_focused_table_shows_a_highlight_border(qtbot: QtBot, qapp: QApplication) -> None:
    sheet, palette, style = qapp.styleSheet(), qapp.palette(), qapp.style().name()
    apply_theme(qapp, dark=True)
    box = QWidget()
    table, other = QTableView(box), QPushButton("Other", box)
    other.move(0, 220)
    table.resize(200, 200)
    qtbot.addWidget(box)
    box.show()
    box.activateWindow()
    try:
        focus(qtbot, other)
        idle = table.grab().toImage().pixelColor(0, 100)
        focus(qtbot, table)
        focused = table.grab().toImage().pixelColor(0, 100)
        assert focused == QColor("#3d6fb4")  # the dark palette's Highlight
        assert idle != focused
    finally:
        box.close()
        qapp.setStyleSheet(sheet)
        qapp.setStyle(style)
        qapp.setPalette(palette)
