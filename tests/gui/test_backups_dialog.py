"""File → Backups…: the list, "Back up now", and a restore that reopens the window on the
restored file (issue 21 item 3)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from am_desktop.app import follow_requests
from am_desktop.services import backups, catalog
from am_desktop.services.store import open_store
from am_desktop.ui.context import AppContext
from am_desktop.ui.dialogs.backups_dialog import BackupsDialog, restore_words
from am_desktop.ui.main_window import MainWindow
from am_desktop.ui.window.databases import Opening
from am_desktop.ui.window.restoring import restore_between_windows

# Offscreen, a dialog's and the restore's progress window's size hints go nowhere.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def _open_dialog(window: MainWindow, qtbot: QtBot) -> BackupsDialog:
    menu_action = next(
        action
        for action in window.findChildren(type(window.menuBar().actions()[0]))
        if action.text() == "&Backups…"
    )
    menu_action.trigger()
    dialog = window.findChild(BackupsDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    return dialog


def _names(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [name for (name,) in connection.execute("SELECT name FROM account ORDER BY name")]
    finally:
        connection.close()


def test_no_backups_yet_shows_the_empty_state_then_back_up_now_lists_one(
    window: MainWindow, qtbot: QtBot
) -> None:
    dialog = _open_dialog(window, qtbot)
    assert dialog.pages.currentWidget() is dialog.empty
    assert "No backups yet" in dialog.empty.text()
    assert not dialog.restore_button.isEnabled()
    dialog.back_up_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=2000)
    assert dialog.pages.currentWidget() is dialog.table
    assert dialog.table.item(0, 2).text() == "manual"
    assert dialog.table.item(0, 1).text().endswith("KB")
    assert dialog.state.text().startswith("Backed up")
    dialog.close()


def test_the_list_is_newest_first_and_says_why(
    window: MainWindow, qtbot: QtBot, context: AppContext
) -> None:
    path = context.store.path
    backups.take_daily_backup(path, context.today(), keep=7)
    backups.back_up_now(path)
    dialog = _open_dialog(window, qtbot)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=2000)
    assert [dialog.table.item(row, 2).text() for row in range(2)] == ["manual", "daily"]
    dialog.close()


def test_a_restore_asks_then_the_window_reopens_on_the_restored_file(
    window: MainWindow, qtbot: QtBot, context: AppContext
) -> None:
    path = context.store.path
    catalog.accounts.create(context.store, {"name": "Acme"})
    backups.back_up_now(path)
    catalog.accounts.create(context.store, {"name": "Globex"})
    asked = follow_requests(window)
    dialog = _open_dialog(window, qtbot)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=2000)
    questions: list[str] = []
    dialog.confirm = lambda _parent, info: questions.append(restore_words(info)) or False
    dialog.table.selectRow(0)
    dialog.restore_button.click()  # declined: nothing happens
    assert questions and "The current data is backed up first" in questions[0]
    assert "the window reopens" in questions[0] and asked == []
    dialog.confirm = lambda _parent, _info: True
    with qtbot.waitSignal(window.restore_requested, timeout=2000):
        dialog.restore_button.click()
    chosen = dialog.found[0].path
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)
    assert asked == [Opening(path, False, chosen)]
    context.close()  # as run_gui does once the window closed
    notice = restore_between_windows(path, chosen)
    assert not notice.failed and "What it replaced is kept as" in notice.text
    assert _names(path) == ["Acme"]
    reopened = open_store(path)
    try:
        assert [a.name for a in catalog.accounts.find(reopened, name="Globex")] == []
    finally:
        reopened.close()


def test_a_damaged_backup_is_refused_in_the_dialog_and_nothing_changes(
    window: MainWindow, qtbot: QtBot, context: AppContext
) -> None:
    path = context.store.path
    catalog.accounts.create(context.store, {"name": "Acme"})
    made = backups.back_up_now(path).path
    made.write_bytes(b"not a database")
    asked = follow_requests(window)
    dialog = _open_dialog(window, qtbot)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=2000)
    dialog.confirm = lambda _parent, _info: True
    dialog.table.selectRow(0)
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: "is damaged" in dialog.state.text(), timeout=2000)
    assert "your data is unchanged" in dialog.state.text()
    assert asked == [] and window.isVisible() and dialog.restore_button.isEnabled()
    dialog.close()


def test_closing_the_window_stops_the_days_backup_and_keeps_nothing_of_it(
    window: MainWindow, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from am_desktop.db import backup

    assert not window.jobs.stopped
    window.close()
    assert window.jobs.stopped
    monkeypatch.setattr(backup, "STEP_PAGES", 1)
    stop = threading.Event()
    stop.set()
    path = context.store.path
    assert backups.take_daily_backup(path, context.today(), keep=7, stop=stop) is None
    assert backups.list_backups(path) == []
    assert not [p for p in backups.backup_folder(path).iterdir() if p.suffix == ".partial"]
