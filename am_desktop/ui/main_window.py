"""The main window: the frame that holds the parts in ``ui/window/`` (sidebar, views,
workspace tabs, account list, alerts, daily jobs, menus, status bar, sync), and the commands
its menus run.
"""

from __future__ import annotations

import time
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QToolButton,
)

from am_desktop.domain.changes import Origin, origin
from am_desktop.domain.portfolio import SavedFilter
from am_desktop.services import portfolio
from am_desktop.services.store import verify_file
from am_desktop.ui.accounts_view import AccountsView, AccountTableModel
from am_desktop.ui.capture.drop import dropped_paths
from am_desktop.ui.context import AppContext
from am_desktop.ui.settings import Layout
from am_desktop.ui.sync_status import SyncController
from am_desktop.ui.tasks import QUIT_READS_WAIT_MS, Lane
from am_desktop.ui.tasks_view.reminders import TaskReminders, TrayNotice
from am_desktop.ui.window.accounts_list import AccountsList
from am_desktop.ui.window.actions import ActionKey, build_menus
from am_desktop.ui.window.alerts import RenewalAlerts
from am_desktop.ui.window.daily_jobs import DailyJobs
from am_desktop.ui.window.databases import Databases
from am_desktop.ui.window.geometry import (
    Placement,
    apply_placement,
    available_screens,
    current_placement,
    restored_placement,
)
from am_desktop.ui.window.next_frame import after_next_frame
from am_desktop.ui.window.sidebar import Sidebar
from am_desktop.ui.window.status import StatusLine
from am_desktop.ui.window.tab_keys import step_tab, tabs_holding
from am_desktop.ui.window.views import (
    ACCOUNTS,
    DASHBOARD,
    NOTES,
    RENEWALS,
    TODAY,
    VIEWS,
    ViewKey,
    ViewStack,
)
from am_desktop.ui.window.workspace_tabs import WorkspaceFactory, WorkspaceTabs

#: The application's display name (app.py sets it; window titles end with it).
APP_NAME = "AM Desktop"
#: The demo window's title: its file name would not say what it is.
DEMO_TITLE = f"Demo portfolio — {APP_NAME}"
#: How often start() looks whether the start view shows its data (ms), and how long the rest
#: of the start's work waits for it at most (s).
START_VIEW_POLL_MS = 10
START_VIEW_PATIENCE_S = 5.0
#: How long the status bar shows the day's task reminder (ms).
TASK_REMINDER_MS = 60_000
#: What the demo window's status bar keeps saying.
DEMO_NOTICE = "Demo portfolio: your own database is unchanged."

if TYPE_CHECKING:
    from concurrent.futures import Future

    from am_desktop.services.store import Store
    from am_desktop.ui.calendar.folder_watch import CalendarFolderWatcher
    from am_desktop.ui.capture.dialog import CaptureDialog
    from am_desktop.ui.dashboard import DashboardView
    from am_desktop.ui.dialogs.conflict_dialog import ConflictDialog
    from am_desktop.ui.notes.panel import NotesPanel
    from am_desktop.ui.notes.search import SearchDialog
    from am_desktop.ui.renewals.alerts_panel import AlertsPanel
    from am_desktop.ui.renewals.view import RenewalsView
    from am_desktop.ui.today import TodayView


class MainWindow(QMainWindow):
    """The application window.

    Args:
        context: the shared services.
        workspace_factory: builds an account workspace tab (kept injectable for tests).
        databases: the user's file and the demo's, between which the window asks to switch
            (None: it cannot, as in the self-test).
        demo: whether ``context.store`` is the demo portfolio.
    """

    #: Close this window and open one on this file (Path), the demo when the bool is True;
    #: ``app.run_gui`` does it, the window only asks.
    switch_requested = Signal(object, bool)
    #: Close this window, restore this backup (Path) over its database, and reopen on it;
    #: ``app.run_gui`` does it once the window has closed and let go of the file.
    restore_requested = Signal(object)
    #: Close this window, encrypt (True) or decrypt (False) its file, and open it again;
    #: ``app.run_gui`` does it once nothing has the file open.
    encryption_requested = Signal(bool)
    #: The start view is on screen with its data; the rest of the start's work begins.
    after_start = Signal()

    def __init__(
        self,
        context: AppContext,
        workspace_factory: WorkspaceFactory | None = None,
        *,
        databases: Databases | None = None,
        demo: bool = False,
    ) -> None:
        super().__init__()
        self.context = context
        self.databases = databases
        self.demo = demo
        self._built_on = context.today()  # the day the start view is first read for
        self._start_asked = 0.0  # when start() was called (monotonic seconds)
        self._after_start_done = False
        #: When the start view was first painted with its data (monotonic seconds), or None.
        self.start_view_painted_at: float | None = None
        #: The start view's reads begun before the window (app.build_window): it shows once
        #: they are done, or after a moment.
        self.early_reads: list[Future[Any]] = []
        self.undo_stack = QUndoStack(self)
        self._search_dialog: SearchDialog | None = None
        self.conflict_dialog: ConflictDialog | None = None
        #: The last e-mail/contact capture's dialog (progress, then its result).
        self.capture_dialog: CaptureDialog | None = None
        self.setAcceptDrops(True)  # .eml and .vcf files dropped anywhere (issue 19)
        self.calendar_watch: CalendarFolderWatcher | None = None  # made after the start
        self.setWindowTitle(DEMO_TITLE if demo else window_title(context.store.path.name))
        self.setMinimumSize(900, 560)
        self.sidebar = Sidebar(VIEWS)
        self.accounts_list = AccountsList(context, self.sidebar, self.undo_stack, self)
        self.views = ViewStack(self, VIEWS)
        self.views.view(ACCOUNTS)  # exists already (queried at start): the stack holds it now
        self.tabs = WorkspaceTabs(context, self.undo_stack, self.views, workspace_factory)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)  # the sidebar keeps its labels' width
        self.splitter.setSizes([210, 1000])
        self.setCentralWidget(self.splitter)
        self.sync = SyncController(context, self)
        self.alerts = RenewalAlerts(context, self)
        self.jobs = DailyJobs(context, self)
        self.status = StatusLine(context, self, [self.alerts.button], self.sync.widgets())
        self.task_reminders, self.tray_notice = TaskReminders(context, self), TrayNotice(self)
        self._actions = build_menus(self, self, self.undo_stack)
        self._actions[ActionKey.OWN_DATABASE].setVisible(demo)
        self.demo_notice = self._demo_notice() if demo else None
        self._connect_signals()
        self._restore_state()

    def _connect_signals(self) -> None:
        # sidebar and tabs
        self.sidebar.chosen.connect(self._on_sidebar_chosen)
        self.tabs.conflicts_requested.connect(self.show_conflicts_of)
        # accounts
        self.accounts.open_requested.connect(self.tabs.open_accounts)
        self.accounts.new_account_requested.connect(self.new_account)
        self.accounts.new_note_requested.connect(self.tabs.new_note_for)
        self.accounts_list.first_shown.connect(self._on_accounts_first_shown)
        # alerts
        self.alerts.renewal_opened.connect(self.tabs.open_renewal)
        # CRM sync
        self.sync.setup_requested.connect(self._on_sync_setup_requested)
        self.sync.conflicts_requested.connect(self.show_conflicts)
        self.sync.started.connect(self._on_sync_started)
        self.sync.finished.connect(self._on_sync_finished)
        # tasks due: the sidebar's count, the day's reminder
        self.task_reminders.counted.connect(
            lambda due: self.sidebar.show_view_count(ViewKey.TASKS, due)
        )
        self.task_reminders.reminded.connect(self._on_tasks_reminded)
        self.tray_notice.clicked.connect(self._on_tray_clicked)

    # ------------------------------------------------------------------------------ parts

    @property
    def accounts(self) -> AccountsView:
        """The Accounts view (its list)."""
        return self.accounts_list.view

    @property
    def model(self) -> AccountTableModel:
        """The account list's model."""
        return self.accounts_list.model

    @property
    def today_view(self) -> TodayView:
        """The Today view (built if it never was)."""
        return self.views.view(TODAY)

    @property
    def renewals_view(self) -> RenewalsView:
        """The Renewals view (built if it never was)."""
        return self.views.view(RENEWALS)

    @property
    def notes_view(self) -> NotesPanel:
        """The Notes view (built if it never was)."""
        return self.views.view(NOTES)

    @property
    def dashboard_view(self) -> DashboardView:
        """The Dashboard (built if it never was)."""
        return self.views.view(DASHBOARD)

    @property
    def alerts_panel(self) -> AlertsPanel | None:
        """The renewal alerts' panel, once the first alerts were worked out."""
        return self.alerts.panel

    @property
    def alerts_button(self) -> QToolButton:
        """The status bar's bell (renewal alerts)."""
        return self.alerts.button

    @property
    def sync_label(self) -> QLabel:
        """The status bar's sync state."""
        return self.sync.sync_label

    @property
    def pending_label(self) -> QLabel:
        """The status bar's count of changes not yet in the CRM."""
        return self.sync.pending_label

    @property
    def conflicts_button(self) -> QToolButton:
        """The status bar's sync conflicts button."""
        return self.sync.conflicts_button

    @property
    def sync_action(self) -> QAction:
        """File → Sync now."""
        return self._actions[ActionKey.SYNC]

    @property
    def cancel_sync_action(self) -> QAction:
        """File → Cancel sync."""
        return self._actions[ActionKey.CANCEL_SYNC]

    @property
    def own_database_action(self) -> QAction:
        """File → Open my own database (on the demo portfolio only)."""
        return self._actions[ActionKey.OWN_DATABASE]

    @property
    def export_map_action(self) -> QAction:
        """File → Export contact map."""
        return self._actions[ActionKey.EXPORT_MAP]

    # ------------------------------------------------------------------------------ views

    def start(self) -> None:
        """Load the first data (after the window is shown: the first paint comes first).

        The start view's read goes first and alone; everything else the window does at start
        (the account list, the sidebar's counts, the sync summary, the file check, the cached
        figures, alerts, backup, health scores, warm-ups) waits until it is on screen."""
        self._start_asked = time.monotonic()
        self.context.messages.flush_to_listeners()
        if self.context.today() != self._built_on:  # past midnight since it was read
            self.views.show_view(self.current_view())
        self._after_start_view_when_ready()

    def _after_start_view_when_ready(self) -> None:
        """Run the after-start work once the start view shows its data (looked at each turn
        of the event loop; a view that never fills does not hold it back for long)."""
        waited_s = time.monotonic() - self._start_asked
        if self.start_view_ready() or waited_s > START_VIEW_PATIENCE_S:
            after_next_frame(self.views.currentWidget() or self, self._start_view_painted)
        else:
            QTimer.singleShot(START_VIEW_POLL_MS, self._after_start_view_when_ready)

    def _start_view_painted(self) -> None:
        self.start_view_painted_at = time.monotonic()
        self.after_start_view()

    def after_start_view(self) -> None:
        """The start view is on screen: the rest of the start's work, in the background."""
        if self._after_start_done:
            return
        self._after_start_done = True
        self.after_start.emit()
        self.accounts_list.release()  # its first answer starts the alerts and daily jobs
        self.sync.refresh_summary()
        self.task_reminders.start()
        today, store = self.context.today(), self.context.store
        # First on the write lane, so no write precedes it: a damaged file refuses them all.
        self.context.tasks.submit(lambda _p: verify_file(store), lane=Lane.WRITE)
        self.context.tasks.submit(
            partial(_refresh_summaries, store, today),
            lane=Lane.WRITE,
            on_done=lambda _refreshed: self.accounts_list.reload(),
        )
        from am_desktop.ui.notes.recovery_offer import offer_recovered

        offer_recovered(self, self.context, lambda said: self.status.show_message(said, 10_000))
        from am_desktop.ui.calendar.folder_watch import CalendarFolderWatcher

        self.calendar_watch = CalendarFolderWatcher(self.context, self)  # issue 19

    def show_view(self, key: ViewKey, saved: SavedFilter | None = None) -> None:
        """Show a view of the sidebar (and, for Accounts, a saved filter)."""
        self.sidebar.select(key, saved)
        self.tabs.setCurrentIndex(0)

    def start_view_ready(self) -> bool:
        """Whether the view in front shows its data (the start-up probe waits for this)."""
        widget = self.views.currentWidget()
        ready = getattr(widget, "ready", None)
        if callable(ready):
            return bool(ready())
        return self.current_view() is not ViewKey.ACCOUNTS or self.accounts_list.answered

    def current_view(self) -> ViewKey:
        """The key of the view shown in the first tab."""
        return self.views.current_key() or ViewKey.ACCOUNTS

    def open_demo(self) -> None:
        """The welcome's demo button: ask to open the demo portfolio's own database (the
        user's stays as it is); on the demo itself, fill it if it is still empty."""
        if self.demo:
            self.seed_demo_if_empty()
        elif self.databases is not None:
            self.switch_requested.emit(self.databases.demo, True)
        else:
            self.context.messages.info("The demo portfolio opens with am-desktop --demo.")

    @Slot()
    def open_own_database(self) -> None:
        """File → Open my own database: back from the demo to the file the app started on."""
        if self.databases is not None:
            self.switch_requested.emit(self.databases.own, False)

    def seed_demo_if_empty(self) -> None:
        """The demo's window: fill its empty database with the seeded portfolio, in the
        background (the status bar says so)."""
        from am_desktop.services.seed import SCALES, seed_database

        store, today = self.context.store, self.context.today()

        def seed_when_empty(progress: Any) -> bool:
            if sum(portfolio.filter_counts(store, today).values()):
                return False
            seed_database(store, SCALES["small"], seed=1, progress=progress)
            return True

        self.status.show_message("Creating the demo portfolio…", 0)
        self.context.tasks.submit(seed_when_empty, lane=Lane.WRITE, on_done=self._on_demo_seeded)

    # ------------------------------------------------------------------------------ workspaces

    def open_account(self, account_id: int) -> None:
        """Open (or bring forward) an account's workspace tab."""
        self.tabs.open_account(account_id)

    # ------------------------------------------------------------------------------ commands

    @Slot()
    def new_account(self) -> None:
        """Ask for a new account's details and create it."""
        from am_desktop.ui.dialogs.account_dialog import AccountDialog

        dialog = AccountDialog(self.context, None, self.undo_stack, parent=self)
        if dialog.exec() and dialog.saved_id is not None:
            self.open_account(dialog.saved_id)

    @Slot()
    def import_csv(self) -> None:
        """File → Import CSV."""
        from am_desktop.ui.dialogs.import_dialog import ImportDialog

        ImportDialog(self.context, parent=self).exec()

    @Slot()
    def import_mail_contacts(self) -> None:
        """File → Import e-mail/contacts…: .eml files as e-mail notes, .vcf as contacts."""
        names, _filter = QFileDialog.getOpenFileNames(
            self,
            "Import e-mail or contacts",
            "",
            "E-mail and contact cards (*.eml *.vcf);;All files (*)",
        )
        if names:
            self.capture_files([Path(name) for name in names])

    def capture_files(self, paths: list[Path]) -> None:
        """Import .eml/.vcf files (and folders of them), showing progress and the result."""
        from am_desktop.ui.capture.dialog import CaptureDialog

        if self.capture_dialog is not None and self.capture_dialog.result_ is not None:
            self.capture_dialog.deleteLater()  # the previous one, done (one running stays)
        dialog = CaptureDialog(self.context, paths, parent=self)
        self.capture_dialog = dialog
        dialog.open()
        dialog.start()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_paths(event.mimeData())
        if not paths:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        self.capture_files(paths)

    def import_calendar(self) -> None:
        """File → Import calendar: an .ics file's meetings become planned notes."""
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        from am_desktop.ui.calendar.import_dialog import CalendarImportDialog

        chosen, _filter = QFileDialog.getOpenFileName(
            self, "Import calendar", str(Path.home()), "Calendar files (*.ics);;All files (*)"
        )
        if not chosen:
            return
        dialog = CalendarImportDialog(self.context, Path(chosen), parent=self)
        dialog.start()  # at once when the address is known; else it asks for it first
        dialog.exec()

    @Slot()
    def export_csv(self) -> None:
        """File → Export."""
        from am_desktop.ui.dialogs.export_dialog import ExportDialog

        ExportDialog(self.context, parent=self).exec()

    @Slot()
    def export_contact_map(self) -> None:
        """File → Export contact map: the current account's map, as PNG or SVG."""
        workspace = self.tabs.current_workspace()
        if workspace is None:
            self.context.messages.info(
                "Open an account first: its contact map is what gets exported."
            )
            return
        workspace.contacts.export_map()

    @Slot()
    def export_review(self) -> None:
        """File → Export business review: the account in front, or the portfolio."""
        account_id, store = self.tabs.account_in_front(), self.context.store
        self.context.tasks.submit(
            lambda _p: portfolio.account_names(store),
            lane=Lane.READ,
            on_done=lambda names: self._open_review_dialog(names, account_id),
        )

    @Slot()
    def show_preferences(self) -> None:
        """Edit → Preferences."""
        self.show_preferences_at(None)

    def show_preferences_at(self, section: str | None) -> None:
        """The preferences, opened at a section ("crm") or the first."""
        from am_desktop.ui.dialogs.preferences import PreferencesDialog

        dialog = PreferencesDialog(self.context, parent=self, section=section)
        dialog.exec()
        if dialog.encryption_change is not None:  # confirmed: done between two windows
            self.encryption_requested.emit(dialog.encryption_change)

    @Slot()
    def sync_now(self) -> None:
        """File → Sync now: one run with the CRM (the preferences first when none is set up)."""
        self.sync.sync_now()

    @Slot()
    def show_conflicts(self) -> None:
        """File → Sync conflicts: every open conflict, in a window beside this one."""
        self.show_conflicts_of(None, None)

    @Slot(str, int)
    def show_conflicts_of(self, obj: str | None, local_id: int | None) -> None:
        """The sync conflicts of one record (every one when None), beside this window."""
        from am_desktop.ui.dialogs.conflict_dialog import ConflictDialog

        if self.conflict_dialog is not None:
            self.conflict_dialog.close()
            self.conflict_dialog.deleteLater()
        self.conflict_dialog = ConflictDialog(self.context, obj, local_id, parent=self)
        self.conflict_dialog.show()  # a new window: shown on top, no raise_() needed
        self.conflict_dialog.activateWindow()

    @Slot()
    def show_backups(self) -> None:
        """File → Backups…: list, take and restore backups of this window's database."""
        from am_desktop.ui.dialogs.backups_dialog import BackupsDialog

        dialog = BackupsDialog(self.context, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.restore_chosen.connect(self.restore_requested)
        dialog.open()  # window-modal, without a nested event loop

    @Slot()
    def show_palette(self) -> None:
        """Ctrl+K: jump to an account by typing part of its name."""
        from am_desktop.ui.palette import AccountPalette

        palette = AccountPalette(self.context, parent=self)
        palette.account_chosen.connect(self.tabs.open_and_focus)
        palette.popup()

    def step_tab(self, step: int) -> None:
        """Ctrl+PgDn / Ctrl+PgUp: the next or previous tab where the focus is."""
        step_tab(tabs_holding(self.focusWidget(), self.tabs), step)

    @Slot()
    def new_note(self) -> None:
        """Ctrl+N: a note for the account in front, or (in the Notes view) the filtered one."""
        if self.tabs.new_note_in_front():
            return
        if self.current_view() is ViewKey.NOTES:
            self.notes_view.new_note()
        else:
            self.quick_note()

    @Slot()
    def show_brief(self) -> None:
        """Notes → Pre-call brief: the brief of the account in front (issue 19)."""
        workspace = self.tabs.current_workspace()
        if workspace is None:
            self.status.show_message("Open an account to see its pre-call brief.", 5000)
            return
        workspace.header.show_brief()

    @Slot()
    def quick_note(self) -> None:
        """Ctrl+Shift+N: a small note window for the account in front, or one you pick."""
        from am_desktop.ui.notes.quick_capture import QuickCapture

        QuickCapture.open(self.context, self.tabs.account_in_front(), parent=self)

    @Slot()
    def search_notes(self) -> None:
        """Ctrl+F: search every note."""
        from am_desktop.ui.notes.search import SearchDialog

        if self._search_dialog is None:
            self._search_dialog = SearchDialog(self.context, parent=self)
            self._search_dialog.note_chosen.connect(self.tabs.open_note)
        dialog = self._search_dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        dialog.search.setFocus()

    @Slot()
    def show_shortcuts(self) -> None:
        """Help → Keyboard shortcuts."""
        from am_desktop.ui.dialogs.shortcuts import ShortcutsDialog

        ShortcutsDialog(self, parent=self).exec()

    @Slot()
    def show_about(self) -> None:
        """Help → About."""
        from am_desktop import __version__

        QMessageBox.about(
            self,
            "About AM Desktop",
            f"<b>AM Desktop {__version__}</b><br>Your accounts, renewals and notes, offline."
            f"<br><br>Database: {self.context.store.path}",
        )

    # ------------------------------------------------------------------------------ state

    def _restore_state(self) -> None:
        settings = self.context.settings
        saved_placement = Placement.from_text(settings.state.window_placement)
        placement = restored_placement(saved_placement, available_screens(), self.minimumSize())
        apply_placement(self, placement)
        header = self.accounts.table.horizontalHeader()
        for key, target in (
            (Layout.MAIN_WINDOW_SPLITTER, self.splitter),
            (Layout.ACCOUNTS_HEADER, header),
        ):
            saved = settings.state_bytes(key)
            if saved is not None:
                target.restoreState(saved)
        self.accounts.widen_narrow_columns()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        last = settings.state.last_view  # the day starts on Today (the default)
        self.show_view(ViewKey(last) if last in set(ViewKey) else ViewKey.TODAY)

    def save_state(self) -> None:
        """Remember geometry, splitter, columns, sort order and the view."""
        settings = self.context.settings
        settings.state.window_placement = current_placement(self).to_text()
        settings.set_state_bytes(Layout.MAIN_WINDOW_SPLITTER, QByteArray(self.splitter.saveState()))
        header = self.accounts.table.horizontalHeader()
        settings.set_state_bytes(Layout.ACCOUNTS_HEADER, QByteArray(header.saveState()))
        settings.state.last_view = self.current_view().value
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        from am_desktop.ui.notes.editor import NoteEditor
        from am_desktop.ui.notes.unsaved_guard import may_close

        # The last keystrokes are saved before the write lane drains; text that cannot be
        # saved is asked about, and kept for the next start, never dropped silently.
        editors = [panel.editor for panel in self._notes_panels()]
        editors += [e for e in self.findChildren(NoteEditor) if e not in editors]
        if not may_close(self, self.context, editors):
            event.ignore()
            return
        self.save_state()
        self.jobs.stop()  # the day's backup is not waited for
        self.sync.cancel()  # a run stopped between requests resumes cleanly next time
        self.sync.timer.stop()
        if self.conflict_dialog is not None:
            self.conflict_dialog.close()
        self.context.tasks.shutdown(reads_ms=QUIT_READS_WAIT_MS)
        super().closeEvent(event)

    def _demo_notice(self) -> QLabel:
        """The demo window's lasting word in the status bar, with the way back."""
        notice = QLabel(f'{DEMO_NOTICE} <a href="own">Open my own database</a>', self)
        notice.setObjectName("demoNotice")
        notice.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        notice.linkActivated.connect(lambda _link: self.open_own_database())
        self.statusBar().insertPermanentWidget(0, notice)
        return notice

    def _notes_panels(self) -> list[NotesPanel]:
        notes_view = self.views.built(NOTES)
        panels = [workspace.notes for workspace in self.tabs.workspaces()]
        return panels + ([notes_view] if notes_view is not None else [])

    # ------------------------------------------------------------------------------ slots

    @Slot(object, object)
    def _on_sidebar_chosen(self, key: ViewKey, _saved: SavedFilter | None) -> None:
        self.views.show_view(key)
        self.tabs.show_views(self.views.spec(key).label)
        self.context.settings.state.last_view = key.value

    @Slot(list)
    def _on_accounts_first_shown(self, ids: list[int]) -> None:
        self.alerts.start()
        self.jobs.start(ids)

    def _on_demo_seeded(self, seeded: bool) -> None:
        self.status.show_message("Demo portfolio ready." if seeded else "", 5000)

    def _on_tasks_reminded(self, text: str, _count: int) -> None:
        """The day's reminder: in the tray where there is one, else in the status bar (the
        sidebar's Tasks count says it too); never a dialog."""
        if not self.tray_notice.show("Tasks due today", text):
            self.status.show_message(f"{text} See Tasks (Ctrl+6).", TASK_REMINDER_MS)

    def _on_tray_clicked(self) -> None:
        self.show_view(ViewKey.TASKS)
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()

    def _open_review_dialog(
        self, names: list[tuple[int, str, str | None]], account_id: int | None
    ) -> None:
        from am_desktop.ui.dialogs.review_dialog import ReviewDialog

        ReviewDialog(self.context, names, account_id, parent=self).exec()

    @Slot()
    def _on_sync_setup_requested(self) -> None:
        self.status.show_message("Choose a CRM and give its token to sync.")
        self.show_preferences_at("crm")

    @Slot()
    def _on_sync_started(self) -> None:
        self.sync_action.setEnabled(False)
        self.cancel_sync_action.setEnabled(True)

    @Slot(bool)
    def _on_sync_finished(self, _completed: bool) -> None:
        self.sync_action.setEnabled(True)
        self.cancel_sync_action.setEnabled(False)


def window_title(file_name: str) -> str:
    """ "file — AM Desktop": ending with the application's display name, Qt adds it no more."""
    return f"{file_name} — {APP_NAME}"


def _refresh_summaries(store: Store, today: date, _progress: object) -> bool:
    """The accounts' cached figures brought to today: the app's own job, not a user's edit."""
    with origin(Origin.JOB):
        return portfolio.refresh_if_stale(store, today)
