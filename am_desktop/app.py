"""The composition root: logging, the QApplication, the database, the window.

Only this module wires everything together; it is imported when the window is wanted, so the
command-line tools never pay for Qt.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from am_desktop.db.location import (
    APP_NAME,
    DEMO_DB_FILENAME,
    make_private_dir,
    resolve_db_path,
    user_data_dir,
)
from am_desktop.errors import AppError, ExportError
from am_desktop.log import install_redaction
from am_desktop.resources import ICON, resources_folder

if TYPE_CHECKING:
    from am_desktop.ui.window.databases import Databases, Opening
    from am_desktop.ui.window.restoring import RestoreNotice

log = logging.getLogger("am_desktop")


PROG_NAME = "am-desktop"


def log_file_path() -> Path:
    """Where the app writes its log (the crash dialog points here)."""
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)) / "am-desktop.log"


def setup_logging() -> Path | None:
    """A rotating private log file; None when it cannot be written (the app still runs)."""
    path = log_file_path()
    try:
        make_private_dir(path.parent)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    install_redaction()
    return path


def run_gui(db: str | None, *, demo: bool) -> int:
    """Open the main window on the database (or the demo database) and run until the user
    quits; a window that asks to switch between the user's database and the demo is closed
    (its work flushed as quitting does) and the next one opens on the other file."""
    from am_desktop.platform_check import missing_libraries_message

    if (missing := missing_libraries_message()) is not None:  # before Qt aborts on its own
        print(missing, file=sys.stderr)
        return 1
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from am_desktop.ui import crash
    from am_desktop.ui.theme import apply_theme
    from am_desktop.ui.window.databases import Databases, first_opening, next_opening

    log_path = setup_logging()
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setOrganizationName("am-desktop")
    app.setApplicationName("am-desktop")
    app.setApplicationDisplayName("AM Desktop")
    app.setDesktopFileName("am-desktop")  # the .desktop entry: the icon on Wayland docks
    app.setWindowIcon(QIcon(str(resources_folder() / ICON)))  # none if the file is missing
    apply_theme(app)
    crash.install(log_path)
    # "Open my own database" from the demo goes to the file the user would start on.
    databases = Databases(own=resolve_db_path(db), demo=user_data_dir() / DEMO_DB_FILENAME)
    opening: Opening | None = first_opening(databases, demo=demo)
    notice: RestoreNotice | None = None
    while opening is not None:
        try:
            window = build_window(opening.path, databases, demo=opening.demo)
        except AppError as error:
            QMessageBox.critical(None, "AM Desktop cannot open its database", error.user_message)
            return 1
        if notice is not None:
            notice.post(window.context.messages)
            notice = None
        code, asked = _run_window(app, window)
        opening = next_opening(asked, code)
        if opening is not None:  # the process goes on: nothing of this window may outlive it
            window.context.tasks.close()
            window.deleteLater()
        window.context.close()  # the window drained its writes when it closed
        window.context.settings.sync()  # nothing of the settings is left to a destructor
        if opening is not None and opening.restore is not None:
            from am_desktop.ui.window.restoring import restore_between_windows

            notice = restore_between_windows(opening.path, opening.restore)
            opening = replace(opening, restore=None)
        if opening is not None and opening.encrypt is not None:
            from am_desktop.ui.window.encryption_run import change_encryption

            change_encryption(opening.path, encrypt=opening.encrypt)  # the file is closed now
            opening = replace(opening, encrypt=None)
    exit_now(code)
    return code  # pragma: no cover - exit_now does not return


def _run_window(app: Any, window: Any) -> tuple[int, Opening | None]:
    """Show ``window`` and run the event loop until it closes.

    Returns:
        The loop's exit code, and the database the window asked to switch to (None: the
        user quit).
    """
    from PySide6.QtCore import QTimer

    asked = follow_requests(window)
    _let_the_start_read_finish(window)
    window.show()
    QTimer.singleShot(0, window.start)
    if os.environ.get("AM_DESKTOP_STARTUP_PROBE"):  # packaging's smoke test times start-up
        QTimer.singleShot(0, lambda: _probe_startup(app, window))
    if window.demo:
        QTimer.singleShot(0, window.seed_demo_if_empty)
    code = app.exec()
    return code, (asked[0] if asked else None)


def follow_requests(window: Any) -> list[Opening]:
    """Close ``window`` when it asks to switch databases, to restore a backup or to encrypt
    or decrypt its file, noting the next opening in the list returned (left empty when the
    window stays open)."""
    from am_desktop.ui.window.databases import Opening

    asked: list[Opening] = []

    def switch_for(opening: Opening) -> None:
        asked[:] = [opening]
        if not window.close():  # unsaved text the user chose to keep: no switch
            asked.clear()

    window.switch_requested.connect(lambda path, demo: switch_for(Opening(path, demo)))
    window.restore_requested.connect(
        lambda backup: switch_for(Opening(window.context.store.path, window.demo, backup))
    )
    window.encryption_requested.connect(
        lambda encrypt: switch_for(
            Opening(window.context.store.path, window.demo, encrypt=bool(encrypt))
        )
    )
    return asked


def exit_now(code: int) -> None:
    """End the process once the window closed and the database is released: logs and
    standard streams flushed, without the interpreter's teardown (a third of a second of
    freeing Qt and library objects nobody will use) or waiting for a read still running."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed or gone: nothing to say
            stream.flush()
    os._exit(code)


def _probe_startup(app: Any, window: Any) -> None:
    """Print the monotonic time at which the start view was painted with its data, then quit."""
    _wait(app, lambda: window.start_view_painted_at is not None, seconds=30)
    print(window.start_view_painted_at or time.monotonic(), flush=True)
    window.close()
    app.quit()


#: How long the window waits, unshown, for its start view's early read (seconds).
START_READ_PATIENCE_S = 0.2


def _let_the_start_read_finish(window: Any) -> None:
    """Give the start view's read the interpreter to itself for a moment before the window
    shows: painting an empty frame first competes with it (the GIL, two paints instead of
    one), so the filled view comes later. Bounded: a slow disk shows the window anyway."""
    from concurrent.futures import wait

    reads = getattr(window, "early_reads", [])
    if reads:
        wait(reads, timeout=START_READ_PATIENCE_S)


def _read_start_view_early(store: Any, last_view: str) -> dict[tuple[str, date], Any]:
    """Start reading Today's lists on a thread of its own while the window's code loads and
    its widgets are built (a tenth of a second on a large portfolio, mostly in SQLite, which
    lets the interpreter go on). Only when the window opens on Today, as it does by default.
    """
    import threading
    from concurrent.futures import Future

    if last_view not in ("", "today"):
        return {}
    day = date.today()
    future: Future[Any] = Future()

    def read() -> None:
        from am_desktop.services.today import today_lists

        try:
            future.set_result(today_lists(store, day))
        except BaseException as error:  # handed to whoever takes the result
            future.set_exception(error)

    threading.Thread(target=read, name="start-view-read", daemon=True).start()
    return {("today", day): future}


def build_window(  # type: ignore[no-untyped-def]  # MainWindow, imported lazily
    path: Path, databases: Databases | None = None, *, demo: bool = False
):
    """The main window on the database at ``path``, with real background threads; given
    ``databases``, it can ask to switch between the user's and the demo's."""
    from am_desktop.services.store import open_store
    from am_desktop.ui.settings import AppSettings

    store = open_store(path, check_budget_s=0)  # checked on the write lane after the paint
    settings = AppSettings()
    early = _read_start_view_early(store, settings.state.last_view)

    from am_desktop.ui.bus import DataBus, MessageBus
    from am_desktop.ui.context import AppContext
    from am_desktop.ui.main_window import MainWindow
    from am_desktop.ui.tasks import ThreadTaskRunner

    messages = MessageBus()
    tasks = ThreadTaskRunner(default_error=messages.failure)
    context = AppContext(store, tasks, messages, DataBus(), settings)
    context.prefetched.update(early)
    window = MainWindow(context, databases=databases, demo=demo)
    window.early_reads = list(early.values())
    return window


# ------------------------------------------------------------------------------ self-test


def _wait(app: object, condition: Callable[[], bool], seconds: float = 20.0) -> bool:
    from PySide6.QtWidgets import QApplication

    assert isinstance(app, QApplication)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.01)
    return False


def self_test_database(db: Path | None, folder: Path) -> Path:
    """The database the self-test works on, in ``folder``: a copy of ``db`` when it exists
    (its data is tested; the user's file is only read), else a new one."""
    from am_desktop.db.backup import copy_by_reading

    path = folder / "self-test.sqlite3"
    if db is None:
        return path
    if not db.exists():
        print(f"{db} does not exist; testing on a new database (nothing is created there).")
        return path
    print(f"testing on a copy of {db} (the file itself is not changed)")
    return copy_by_reading(db, path)


def run_self_test(db: str | None) -> int:
    """Build the window offscreen on a seeded database, open every view and a workspace.

    Works on a copy of ``db`` (or a new database), so the user's file is never written.

    Returns:
        0 when every check passed, 1 otherwise (each check is printed).
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from am_desktop.services.portfolio import is_empty
    from am_desktop.services.seed import SCALES, seed_database
    from am_desktop.services.store import open_store
    from am_desktop.ui.theme import apply_theme
    from am_desktop.ui.window.views import ViewKey
    from am_desktop.ui.workspace.tabs import WorkspaceTab

    app = QApplication.instance() or QApplication(sys.argv)
    apply_theme(app)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory(prefix="am-self-test-") as folder:
        os.environ.setdefault("XDG_CONFIG_HOME", folder)  # never touch the user's settings
        path = self_test_database(Path(db) if db else None, Path(folder))
        store = open_store(path)
        if is_empty(store):
            seed_database(store, SCALES["small"], seed=1)
        store.close()
        window = build_window(path)
        window.resize(1366, 768)
        window.show()
        window.start()
        checks: list[tuple[str, bool]] = []
        checks.append(("account list filled", _wait(app, lambda: window.model.rowCount() > 0)))
        for key in ViewKey:
            window.show_view(key)
            checks.append((f"view {key} shown", window.current_view() is key))
            if key is ViewKey.NOTES:
                checks.append(
                    ("notes listed", _wait(app, lambda: window.notes_view.model.rowCount() > 0))
                )
            if key is ViewKey.DASHBOARD:
                checks.append(
                    (
                        "dashboard charts drawn",
                        _wait(app, window.dashboard_view.ready),
                    )
                )
        ids = window.model.ids()
        if ids:
            window.open_account(ids[0])
            workspace = window.tabs.currentWidget()
            checks.append(
                ("account workspace filled", _wait(app, lambda: workspace.overview is not None))
            )
            workspace.show_tab(WorkspaceTab.CONTACTS)
            checks.append(
                ("contact map drawn", _wait(app, lambda: bool(workspace.contacts.scene.cards())))
            )
        window.close()
        window.context.close()
    failed = [name for name, ok in checks if not ok]
    for name, ok in checks:
        print(f"{'ok  ' if ok else 'FAIL'} {name}")
    print("self-test passed" if not failed else f"self-test failed: {', '.join(failed)}")
    return 1 if failed else 0


def contact_map_png(store: Any, account_id: int) -> bytes | None:
    """An account's contact map as PNG bytes for a review deck (None: no contacts yet), drawn
    offscreen as the window draws it."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from datetime import date

    from PySide6.QtWidgets import QApplication

    from am_desktop.services.contact_map import contact_graph
    from am_desktop.ui.contact_map.render import graph_png

    graph = contact_graph(store, account_id)
    if not len(graph):
        return None
    _app = QApplication.instance() or QApplication([PROG_NAME])
    return graph_png(graph, date.today())


def export_contact_map(store: Any, account: str, out: Path) -> Any:
    """Draw an account's contact map to ``out`` (.svg or .png) without a window.

    Args:
        store: an open Store.
        account: the account's name or web domain.

    Returns:
        The ContactGraph drawn.
    """
    # Drawing to a file needs no screen; a display setting without a display would abort.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from datetime import date

    from PySide6.QtWidgets import QApplication

    from am_desktop.services.contact_map import contact_graph
    from am_desktop.services.portfolio import find_account
    from am_desktop.ui.contact_map.render import export_graph

    graph = contact_graph(store, find_account(store, account))
    if not len(graph):
        raise ExportError(
            f"{graph.account_name} has no contacts yet, so there is no map to draw. "
            "Add them in the window or import a contacts CSV first."
        )
    _app = QApplication.instance() or QApplication([PROG_NAME])
    export_graph(graph, date.today(), out)
    return graph
