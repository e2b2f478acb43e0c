"""The data bus carries the store's change feed to the GUI thread; followers keep widgets
current at once while shown and catch up when shown again."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QLabel, QTabWidget
from pytestqt.qtbot import QtBot

from am_desktop.domain.changes import ChangeSet, Entity, Origin
from am_desktop.services import catalog
from am_desktop.services.store import Store
from am_desktop.ui.bus import ChangeFollower, DataBus


def test_a_burst_of_commits_from_a_worker_reaches_the_gui_thread_as_one_change(
    qtbot: QtBot, store: Store
) -> None:
    bus = DataBus(debounce_ms=50, watch_ms=0)
    bus.follow(store)
    heard: list[tuple[ChangeSet, bool]] = []
    bus.changed.connect(
        lambda c: heard.append((c, QThread.currentThread() is QApplication.instance().thread()))  # type: ignore[union-attr]
    )

    def write() -> None:
        for name in ("Acme", "Globex", "Initech"):
            catalog.accounts.create(store, {"name": name})

    worker = threading.Thread(target=write)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(heard))
    (changes, on_gui_thread), *more = heard
    assert on_gui_thread and more == []
    assert len(changes.ids_of(Entity.ACCOUNT)) == 3
    bus.stop()
    catalog.accounts.create(store, {"name": "After"})  # no longer followed
    assert len(heard) == 1


def test_a_follower_refreshes_a_shown_widget_at_once_and_a_hidden_one_when_shown(
    qtbot: QtBot,
) -> None:
    bus = DataBus(debounce_ms=None, watch_ms=0)
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    shown, hidden = QLabel("shown"), QLabel("hidden")
    tabs.addTab(shown, "Shown")
    tabs.addTab(hidden, "Hidden")
    tabs.show()
    qtbot.waitExposed(tabs)
    refreshed: dict[str, list[ChangeSet]] = {"shown": [], "hidden": []}
    for name, widget in (("shown", shown), ("hidden", hidden)):
        ChangeFollower(widget, bus, lambda c: c.touches(Entity.NOTE), refreshed[name].append)
    bus.changed.emit(ChangeSet.of_rows([(Entity.CONTACT, 1, 1)], Origin.USER))
    assert refreshed == {"shown": [], "hidden": []}  # not what either shows
    for note in (1, 2):
        bus.changed.emit(ChangeSet.of_rows([(Entity.NOTE, note, 1)], Origin.USER))
    assert [c.ids_of(Entity.NOTE) for c in refreshed["shown"]] == [{1}, {2}]
    assert refreshed["hidden"] == []
    tabs.setCurrentWidget(hidden)
    qtbot.waitUntil(lambda: bool(refreshed["hidden"]))
    (caught_up,) = refreshed["hidden"]
    assert caught_up.ids_of(Entity.NOTE) == {1, 2}  # both changes, one read
    tabs.close()


def test_another_process_is_noticed_by_the_watch(qtbot: QtBot, store: Store) -> None:
    import sqlite3

    bus = DataBus(debounce_ms=None, watch_ms=50)
    bus.follow(store)
    heard: list[ChangeSet] = []
    bus.changed.connect(heard.append)
    catalog.accounts.create(store, {"name": "Ours"})
    assert not heard[-1].everything  # our own write, by record
    other = sqlite3.connect(store.path)  # as another process would: its own connection
    other.execute("UPDATE account SET industry = 'Retail'")
    other.commit()
    other.close()
    qtbot.waitUntil(lambda: heard[-1].everything)
    assert heard[-1].origins == {Origin.OTHER_PROCESS}
    bus.stop()


def test_a_follower_cleared_by_the_cycle_collector_ignores_the_widgets_last_events(
    qtbot: QtBot,
) -> None:
    """A follower and its widget refer to each other; tearing a window down, Python's cycle
    collector may clear the follower's attributes while Qt still delivers the widget's events
    (seen as "'ChangeFollower' object has no attribute '_widget'" from its event filter)."""
    bus = DataBus(debounce_ms=None, watch_ms=0)
    label = QLabel("followed")
    qtbot.addWidget(label)
    refreshed: list[ChangeSet] = []
    follower = ChangeFollower(label, bus, lambda _c: True, refreshed.append)
    bus.changed.emit(ChangeSet.of_rows([(Entity.NOTE, 1, 1)], Origin.USER))  # stale: hidden
    follower.__dict__.clear()  # what the collector's clear does to it
    label.show()  # the Show event reaches the filter; pytest-qt fails on an exception there
    bus.changed.emit(ChangeSet.of_rows([(Entity.NOTE, 2, 1)], Origin.USER))
    qtbot.waitExposed(label)
    assert refreshed == []
