"""Start-up order (issue 17): the start view's data is read first and alone; the account
list, alerts, the daily backup and health scoring wait until it is on screen."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from am_desktop.services import catalog
from am_desktop.ui.context import AppContext
from am_desktop.ui.main_window import MainWindow
from am_desktop.ui.window.accounts_list import AccountsList
from am_desktop.ui.window.alerts import RenewalAlerts
from am_desktop.ui.window.daily_jobs import DailyJobs
from am_desktop.ui.window.views import ViewKey
from tests.gui.conftest import TODAY
from tests.support.fresh_window import last_line_of_fresh_window


def _spy(
    monkeypatch: pytest.MonkeyPatch,
    owner: type,
    name: str,
    seen: list[tuple[str, bool]],
    ready: Callable[[], bool],
) -> None:
    """Record each call of ``owner.name`` with whether the start view was filled by then."""
    original = getattr(owner, name)

    def spy(self: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append((name, ready()))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(owner, name, spy)


def test_the_start_view_is_read_first_and_the_rest_waits_until_it_is_filled(
    qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = catalog.accounts.create(context.store, {"name": "Acme", "domain": "acme.com"})
    catalog.contracts.create(
        context.store,
        {
            "account_id": account.id,
            "start_date": TODAY - timedelta(days=300),
            "end_date": TODAY + timedelta(days=30),
            "arr_cents": 100_000,
        },
    )
    windows: list[MainWindow] = []
    seen: list[tuple[str, bool]] = []

    def ready() -> bool:
        return bool(windows) and windows[0].start_view_ready()

    for owner, name in (
        (DailyJobs, "take_daily_backup"),
        (DailyJobs, "score_health"),
        (RenewalAlerts, "check"),
        (AccountsList, "_on_ids"),
    ):
        _spy(monkeypatch, owner, name, seen, ready)
    window = MainWindow(context)
    windows.append(window)
    qtbot.addWidget(window)
    window.show()
    assert window.current_view() is ViewKey.TODAY
    assert window.today_view.lists is not None  # Today read at once (work runs inline here)
    assert seen == [] and window.model.rowCount() == 0  # nothing else read yet
    with qtbot.waitSignal(window.after_start):
        window.start()
    qtbot.waitUntil(lambda: len({name for name, _ready in seen}) == 4)
    assert all(was_ready for _name, was_ready in seen), seen
    assert window.model.rowCount() == 1
    backups = context.store.path.parent / "backups"
    assert list(backups.glob(f"*-daily-{TODAY.isoformat()}.sqlite3"))
    window.close()


def test_the_account_list_reads_at_once_when_it_is_shown_first(
    qtbot: QtBot, context: AppContext
) -> None:
    catalog.accounts.create(context.store, {"name": "Acme", "domain": "acme.com"})
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show_view(ViewKey.ACCOUNTS)
    assert window.start_view_ready() and window.model.rowCount() == 1
    window.close()


def test_nothing_heavy_is_loaded_when_the_start_view_is_filled(tmp_path: Path) -> None:
    """With real threads: when Today shows its lists, SQLAlchemy, matplotlib and the
    editing code are still to come (the after-start work loads them)."""
    body = (
        "heavy = ('sqlalchemy', 'matplotlib', 'am_desktop.ui.workspace',\n"
        "         'am_desktop.services.sync.record_state', 'am_desktop.db.models')\n"
        "def report():\n"
        "    print(window.start_view_ready(), [m for m in heavy if m in sys.modules])\n"
        "    app.quit()\n"
        "window.after_start.connect(report)\n"
        "window.show()\n"
        "window.start()\n"
        "app.exec()\n"
        "window.context.tasks.shutdown()\n"
    )
    assert last_line_of_fresh_window(body, tmp_path) == "True []"


def test_the_after_start_work_waits_for_the_filled_start_view_to_be_painted(
    qtbot: QtBot, context: AppContext
) -> None:
    """A zero-delay timer would run before Qt's pending paint: the work (and its threads)
    would delay the frame the user waits for. It runs once the start view was painted."""
    from PySide6.QtCore import QEvent, QObject

    catalog.accounts.create(context.store, {"name": "Acme", "domain": "acme.com"})
    window = MainWindow(context)
    qtbot.addWidget(window)
    events: list[str] = []

    class Painted(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: ARG002
            if event.type() == QEvent.Type.Paint and window.start_view_ready():
                events.append("painted")
            return False

    spy = Painted(window)
    for child in window.today_view.findChildren(QWidget):
        child.installEventFilter(spy)
    window.after_start.connect(lambda: events.append("after start"))
    window.show()
    window.start()
    assert "after start" not in events  # not at once, even with the view already filled
    qtbot.waitUntil(lambda: "after start" in events)
    assert "painted" in events[: events.index("after start")]


def test_after_next_frame_still_runs_when_no_frame_comes(qtbot: QtBot) -> None:
    """A hidden window paints nothing: the work is not held back for ever."""
    from am_desktop.ui.window.next_frame import after_next_frame

    hidden = QWidget()
    qtbot.addWidget(hidden)
    ran: list[bool] = []
    after_next_frame(hidden, lambda: ran.append(True))
    assert not ran
    qtbot.waitUntil(lambda: ran == [True])


def test_todays_lists_are_read_early_and_only_when_the_window_opens_on_today(
    context: AppContext,
) -> None:
    """The start view's read begins while the window's code loads; the view takes it once."""
    from datetime import date

    from am_desktop.app import _read_start_view_early
    from am_desktop.services.today import today_lists

    catalog.accounts.create(context.store, {"name": "Acme", "domain": "acme.com"})
    assert _read_start_view_early(context.store, "accounts") == {}
    early = _read_start_view_early(context.store, "")
    ((name, day), future) = next(iter(early.items()))
    assert (name, day) == ("today", date.today())
    assert future.result(timeout=30) == today_lists(context.store, day)
    context.prefetched.update(early)
    assert context.take_prefetched("today", day) is future
    assert context.take_prefetched("today", day) is None  # later reads are made afresh


def test_the_calendar_folder_watch_made_after_start_loads_no_import_code() -> None:
    """The watcher is made on the GUI thread right after the start view is painted: its
    module must not bring SQLAlchemy or icalendar (a 0.3 s stall there, shown by a profile)."""
    code = (
        "import sys\n"
        "import am_desktop.ui.calendar.folder_watch\n"
        "print([m for m in ('sqlalchemy', 'icalendar', 'recurring_ical_events') "
        "if m in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
        check=True,
    )
    assert done.stdout.strip() == "[]"


def test_the_window_shows_once_its_start_read_is_done_or_a_moment_has_passed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Painting an empty frame would compete with the start read: the window waits for it,
    but never longer than its patience (a read that never ends still lets the window show)."""
    from concurrent.futures import Future
    from types import SimpleNamespace

    import am_desktop.app as app_module

    done: Future[int] = Future()
    done.set_result(1)
    failed: Future[int] = Future()
    failed.set_exception(RuntimeError("the read failed"))
    app_module._let_the_start_read_finish(SimpleNamespace(early_reads=[done, failed]))

    monkeypatch.setattr(app_module, "START_READ_PATIENCE_S", 0.01)
    never: Future[int] = Future()
    app_module._let_the_start_read_finish(SimpleNamespace(early_reads=[never]))
    assert not never.done()  # it returned without the read
    app_module._let_the_start_read_finish(SimpleNamespace())  # not on Today: nothing to wait
