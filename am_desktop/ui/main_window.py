"""The main window: sidebar, views, account workspaces as tabs, menus and status bar."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import QByteArray, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.changes import ChangeSet, Entity, Origin, origin
from am_desktop.domain.portfolio import PortfolioQuery, SavedFilter
from am_desktop.services import portfolio
from am_desktop.ui.accounts_view import AccountsView, AccountTableModel
from am_desktop.ui.bus import ChangeFollower, Level
from am_desktop.ui.context import AppContext
from am_desktop.ui.settings import Layout, Option, Prefs
from am_desktop.ui.sync_status import SyncController
from am_desktop.ui.tasks import Lane
from am_desktop.ui.today import TodayView
from am_desktop.ui.widgets import EmptyState

#: The views of the sidebar: key, label, shortcut, and what the empty state promises.
VIEWS: tuple[tuple[str, str, str, str], ...] = (
    (
        "today",
        "Today",
        "Ctrl+1",
        "Your day at a glance will live here: renewals coming up, check-ins overdue, action "
        "items due and accounts whose health fell. Until then, start from Accounts (Ctrl+2).",
    ),
    ("accounts", "Accounts", "Ctrl+2", ""),
    (
        "renewals",
        "Renewals",
        "Ctrl+3",
        "The renewal timeline will show every contract of the coming months with its notice "
        "deadline and forecast. Import contracts with File → Import CSV to prepare it.",
    ),
    (
        "notes",
        "Notes",
        "Ctrl+4",
        "Every meeting note across your accounts will be listed and searchable here. Notes "
        "imported from CSV are already kept.",
    ),
    (
        "dashboard",
        "Dashboard",
        "Ctrl+5",
        "Portfolio KPIs (NRR, GRR, logo retention, NPS) and business-review charts will appear "
        "here, computed from your ARR ledger.",
    ),
)
#: What the account list and the sidebar's counts show (a note touches its account).
ACCOUNTS_SHOW = (
    Entity.ACCOUNT,
    Entity.CONTRACT,
    Entity.RENEWAL,
    Entity.LEDGER_MOVEMENT,
    Entity.HEALTH_SNAPSHOT,
)
#: What renewal alerts are worked out from.
ALERTS_FROM = (Entity.ACCOUNT, Entity.CONTRACT, Entity.RENEWAL)
_ROLE_VIEW = Qt.ItemDataRole.UserRole + 1
#: When to load the editing machinery after the list first shows (ms).
WARM_UP_DELAY_MS = 300
_ROLE_FILTER = Qt.ItemDataRole.UserRole + 2


class MainWindow(QMainWindow):
    """The application window.

    Args:
        context: the shared services.
        workspace_factory: builds an account workspace tab (kept injectable for tests).
    """

    def __init__(
        self,
        context: AppContext,
        workspace_factory: Callable[[AppContext, int, QUndoStack], QWidget] | None = None,
    ) -> None:
        super().__init__()
        self.context = context
        self.undo_stack = QUndoStack(self)
        self._workspace_factory = workspace_factory
        self._query_generation = 0
        self._warmed = False
        self._workspaces: dict[int, QWidget] = {}
        self.notes_view: Any = None
        self.renewals_view: Any = None
        self.dashboard_view: Any = None
        self.alerts_panel: Any = None
        self._alerts_checked_on: Any = None
        self._alerts_clock = QTimer(self)
        self._alerts_clock.setInterval(60 * 60 * 1000)  # hourly: a new day brings new alerts
        self._search_dialog: Any = None
        self.conflict_dialog: Any = None
        self.setWindowTitle(f"AM Desktop — {context.store.path.name}")
        self.setMinimumSize(900, 560)

        self.model = AccountTableModel(self._fetch_rows, context.today())
        self.model.currency = context.settings.prefs.currency
        self.accounts = AccountsView(self.model)
        self._accounts_follower = ChangeFollower(
            self.accounts, context.data, _concerns_accounts, self._on_accounts_changed
        )
        self.sidebar = QTreeWidget()
        self.sidebar.setHeaderHidden(True)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setRootIsDecorated(False)
        self.sidebar.setIndentation(14)
        self._counts_follower = ChangeFollower(
            self.sidebar, context.data, _concerns_accounts, self._reload_counts
        )
        self.views = QStackedWidget()
        self._view_pages: dict[str, QWidget] = {}
        self._view_items: dict[str, QTreeWidgetItem] = {}
        self._filter_items: dict[SavedFilter, QTreeWidgetItem] = {}
        self._build_views()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.addTab(self.views, "Accounts")
        self.tabs.tabBar().setTabButton(0, self.tabs.tabBar().ButtonPosition.RightSide, None)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([210, 1000])
        self.setCentralWidget(self.splitter)
        self._build_status_bar()
        self._build_menus()
        self._connect_signals()
        self._restore_state()

    # ------------------------------------------------------------------------------ building

    def _build_views(self) -> None:
        for key, label, shortcut, promise in VIEWS:
            page: QWidget
            if key == "accounts":
                page = self.accounts
            elif key == "notes":
                page = self._notes_page = QWidget()  # filled on first show: see _notes_view
                QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
            elif key == "today":
                page = self.today_view = TodayView(self.context)
                self.today_view.open_requested.connect(self._on_today_open_requested)
                self.today_view.demo_requested.connect(self.seed_demo_if_empty)
                self.today_view.import_requested.connect(self.import_csv)
            elif key == "dashboard":
                page = self._dashboard_page = QWidget()  # filled on first show (matplotlib)
                QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
            elif key == "renewals":
                page = self._renewals_page = QWidget()  # filled on first show
                QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
            else:
                page = EmptyState(title=label, text=promise)
            self.views.addWidget(page)
            self._view_pages[key] = page
            item = QTreeWidgetItem(self.sidebar, [label])
            item.setData(0, _ROLE_VIEW, key)
            item.setToolTip(0, f"{label} ({shortcut})")
            self._view_items[key] = item
            if key == "accounts":
                for saved in SavedFilter:
                    child = QTreeWidgetItem(item, [saved.label])
                    child.setData(0, _ROLE_VIEW, key)
                    child.setData(0, _ROLE_FILTER, saved.value)
                    self._filter_items[saved] = child
                item.setExpanded(True)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.sync = SyncController(self.context, self)
        self.sync_label = self.sync.sync_label
        self.pending_label = self.sync.pending_label
        self.conflicts_button = self.sync.conflicts_button
        self.saved_label = QLabel("")
        self.saved_label.setObjectName("muted")
        self.alerts_button = QToolButton(self)
        self.alerts_button.setAutoRaise(True)
        self.alerts_button.setToolTip("Renewals entering the 90/60/30-day bands, notice deadlines")
        self.alerts_button.hide()
        bar.addPermanentWidget(self.alerts_button)
        bar.addPermanentWidget(self.saved_label)
        for widget in self.sync.widgets():
            bar.addPermanentWidget(widget)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.new_account_action = self._action(
            file_menu, "&New account…", "Ctrl+Shift+A", self.new_account
        )
        file_menu.addSeparator()
        self.import_action = self._action(file_menu, "&Import CSV…", "Ctrl+I", self.import_csv)
        self.export_action = self._action(file_menu, "&Export…", "Ctrl+E", self.export_csv)
        self.export_map_action = self._action(
            file_menu, "Export contact &map…", "Ctrl+Shift+E", self.export_contact_map
        )
        self.export_review_action = self._action(
            file_menu, "Export business &review…", "Ctrl+Shift+B", self.export_review
        )
        file_menu.addSeparator()
        self.sync_action = self._action(file_menu, "&Sync now", "Ctrl+Shift+S", self.sync_now)
        self.cancel_sync_action = self._action(file_menu, "Cancel s&ync", None, self.sync.cancel)
        self.cancel_sync_action.setEnabled(False)
        self.conflicts_action = self._action(
            file_menu, "Sync &conflicts…", None, self.show_conflicts
        )
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)

        edit_menu = bar.addMenu("&Edit")
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence("Ctrl+Z"))
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        edit_menu.addSeparator()
        self._action(edit_menu, "&Preferences…", "Ctrl+,", self.show_preferences)

        go_menu = bar.addMenu("&Go")
        self._action(go_menu, "Go to &account…", "Ctrl+K", self.show_palette)
        go_menu.addSeparator()
        for key, label, shortcut, _ in VIEWS:
            self._action(go_menu, label, shortcut, lambda _checked=False, k=key: self.show_view(k))
        go_menu.addSeparator()
        self._action(go_menu, "&Close tab", "Ctrl+W", self.close_current_tab)

        notes_menu = bar.addMenu("&Notes")
        self._action(notes_menu, "&New note", "Ctrl+N", self.new_note)
        self._action(notes_menu, "&Quick note…", "Ctrl+Shift+N", self.quick_note)
        self._action(notes_menu, "&Search notes…", "Ctrl+F", self.search_notes)

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Keyboard shortcuts", "F1", self.show_shortcuts)
        self._action(help_menu, "&About AM Desktop", None, self.show_about)

    def _action(self, menu: Any, text: str, shortcut: Any, slot: Callable[..., Any]) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _connect_signals(self) -> None:
        # sidebar and views
        self.sidebar.currentItemChanged.connect(self._on_sidebar_current_changed)
        self.tabs.tabCloseRequested.connect(self._on_tabs_close_requested)
        # accounts
        self.accounts.query_changed.connect(self._on_accounts_query_changed)
        self.accounts.open_requested.connect(self._on_accounts_open_requested)
        self.accounts.archive_requested.connect(self._on_accounts_archive_requested)
        self.accounts.new_account_requested.connect(self.new_account)
        self.accounts.new_note_requested.connect(self._on_accounts_new_note_requested)
        # shared buses
        self.context.messages.posted.connect(self._on_message_posted)
        self.context.data.changed.connect(self._on_data_changed)
        self.context.settings.changed.connect(self._on_settings_changed)
        # CRM sync
        self.sync.setup_requested.connect(self._on_sync_setup_requested)
        self.sync.conflicts_requested.connect(self.show_conflicts)
        self.sync.started.connect(self._on_sync_started)
        self.sync.finished.connect(self._on_sync_finished)

    # ------------------------------------------------------------------------------ views

    def start(self) -> None:
        """Load the first data (after the window is shown: the first paint comes first)."""
        self.context.messages.flush_to_listeners()
        self.sync.refresh_summary()
        if self.current_view() == "today":
            self.today_view.refresh()  # with the date the window was given, now
        today = self.context.today()
        self.context.tasks.submit(
            lambda _p: portfolio.refresh_if_stale(self.context.store, today),
            lane=Lane.WRITE,
            on_done=lambda _refreshed: self.reload_accounts(),
        )

    def seed_demo_if_empty(self) -> None:
        """``--demo``: fill an empty demo database with the seeded portfolio, in the background."""
        from am_desktop.services.seed import SCALES, seed_database

        store = self.context.store

        def seed_when_empty(progress: Any) -> bool:
            if sum(portfolio.filter_counts(store, self.context.today()).values()):
                return False
            seed_database(store, SCALES["small"], seed=1, progress=progress)
            return True

        self.statusBar().showMessage("Creating the demo portfolio…")
        self.context.tasks.submit(
            seed_when_empty,
            lane=Lane.WRITE,
            on_done=self._on_demo_seeded,
        )

    def _on_demo_seeded(self, seeded: bool) -> None:
        self.statusBar().showMessage("Demo portfolio ready." if seeded else "", 5000)

    def show_view(self, key: str, saved: SavedFilter | None = None) -> None:
        """Show a view of the sidebar (and, for Accounts, a saved filter)."""
        item = self._filter_items[saved] if saved is not None else self._view_items[key]
        self.sidebar.setCurrentItem(item)
        self.tabs.setCurrentIndex(0)

    def current_view(self) -> str:
        """The key of the view shown in the first tab."""
        for key, page in self._view_pages.items():
            if page is self.views.currentWidget():
                return key
        return "accounts"

    def reload_accounts(self) -> None:
        """Run the accounts query again and refresh the sidebar counts."""
        self._on_accounts_query_changed(self.accounts.query)
        self._reload_counts()

    def _reload_counts(self, _changes: object = None) -> None:
        """The number of accounts in each saved filter, beside its name."""
        today = self.context.today()
        self.context.tasks.submit(
            lambda _p: portfolio.filter_counts(self.context.store, today),
            lane=Lane.READ,
            on_done=self._on_counts_ready,
        )

    # ------------------------------------------------------------------------------ actions

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
    def export_csv(self) -> None:
        """File → Export."""
        from am_desktop.ui.dialogs.export_dialog import ExportDialog

        ExportDialog(self.context, parent=self).exec()

    @Slot()
    def export_contact_map(self) -> None:
        """File → Export contact map: the current account's map, as PNG or SVG."""
        workspace = self.tabs.currentWidget()
        contacts = getattr(workspace, "contacts", None)
        if contacts is None:
            self.context.messages.info(
                "Open an account first: its contact map is what gets exported."
            )
            return
        contacts.export_map()

    @Slot()
    def export_review(self) -> None:
        """File → Export business review: the account in front, or the portfolio."""
        account_id = getattr(self.tabs.currentWidget(), "account_id", None)
        self.context.tasks.submit(
            lambda _p: portfolio.account_names(self.context.store),
            lane=Lane.READ,
            on_done=lambda names: self._open_review_dialog(names, account_id),
        )

    def _open_review_dialog(self, names: list[tuple[int, str, Any]], account_id: Any) -> None:
        from am_desktop.ui.dialogs.review_dialog import ReviewDialog

        accounts = sorted(((i, n) for i, n, _d in names), key=lambda p: p[1].casefold())
        ReviewDialog(self.context, accounts, account_id, parent=self).exec()

    @Slot()
    def show_preferences(self) -> None:
        """Edit → Preferences."""
        self.show_preferences_at(None)

    def show_preferences_at(self, section: str | None) -> None:
        """The preferences, opened at a section ("crm") or the first."""
        from am_desktop.ui.dialogs.preferences import PreferencesDialog

        PreferencesDialog(self.context, parent=self, section=section).exec()

    @Slot()
    def sync_now(self) -> None:
        """File → Sync now: one run with the CRM (the preferences first when none is set up)."""
        self.sync.sync_now()

    @Slot()
    def _on_sync_setup_requested(self) -> None:
        self.statusBar().showMessage("Choose a CRM and give its token to sync.", 8000)
        self.show_preferences_at("crm")

    @Slot()
    def _on_sync_started(self) -> None:
        self.sync_action.setEnabled(False)
        self.cancel_sync_action.setEnabled(True)

    @Slot(bool)
    def _on_sync_finished(self, _completed: bool) -> None:
        self.sync_action.setEnabled(True)
        self.cancel_sync_action.setEnabled(False)

    @Slot()
    def show_conflicts(self) -> None:
        """File → Sync conflicts: every open conflict, in a window beside this one."""
        self.show_conflicts_of(None, None)

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
    def show_palette(self) -> None:
        """Ctrl+K: jump to an account by typing part of its name."""
        from am_desktop.ui.palette import AccountPalette

        palette = AccountPalette(self.context, parent=self)
        palette.account_chosen.connect(self.open_account)
        palette.popup()

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

    def open_account(self, account_id: int) -> None:
        """Open (or bring forward) an account's workspace tab."""
        existing = self._workspaces.get(account_id)
        if existing is not None:
            self.tabs.setCurrentWidget(existing)
            return
        factory = self._workspace_factory or _default_workspace
        workspace = factory(self.context, account_id, self.undo_stack)
        self._workspaces[account_id] = workspace
        index = self.tabs.addTab(workspace, getattr(workspace, "title", "Account"))
        title_changed = getattr(workspace, "title_changed", None)
        if title_changed is not None:
            title_changed.connect(
                lambda text, w=workspace: self._on_workspace_title_changed(w, text)
            )
            self._on_workspace_title_changed(workspace, workspace.title)  # type: ignore[attr-defined]
        conflicts_requested = getattr(workspace, "conflicts_requested", None)
        if conflicts_requested is not None:
            conflicts_requested.connect(self.show_conflicts_of)
        self.tabs.setCurrentIndex(index)

    def _on_workspace_title_changed(self, workspace: QWidget, text: str) -> None:
        index = self.tabs.indexOf(workspace)
        if index > 0:
            self.tabs.setTabText(index, text if len(text) <= 28 else text[:27] + "…")
            self.tabs.setTabToolTip(index, text)

    @Slot()
    def close_current_tab(self) -> None:
        """Ctrl+W closes the current account tab (the views stay)."""
        index = self.tabs.currentIndex()
        if index > 0:
            self._on_tabs_close_requested(index)

    # ------------------------------------------------------------------------------ slots

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _on_sidebar_current_changed(self, current: QTreeWidgetItem | None, _previous: Any) -> None:
        if current is None:
            return
        key = current.data(0, _ROLE_VIEW)
        page = self._view_pages[key]
        self.views.setCurrentWidget(page)
        self.tabs.setTabText(0, dict((k, lbl) for k, lbl, _, _ in VIEWS)[key])
        self.tabs.setCurrentIndex(0)
        saved = current.data(0, _ROLE_FILTER)
        if key == "notes":
            self._notes_view().load_accounts()
            self._notes_view().refresh()
        if key == "renewals":
            self._renewals_view().refresh()
        if key == "today":
            self.today_view.refresh()
        if key == "dashboard":
            self._dashboard_view().refresh()
        if key == "accounts":
            self.accounts.set_saved_filter(SavedFilter(saved) if saved else SavedFilter.ALL)
        self.context.settings.state.last_view = key

    @Slot(object)
    def _on_accounts_query_changed(self, query: PortfolioQuery) -> None:
        self._query_generation += 1
        generation = self._query_generation
        today = self.context.today()

        def answered(ids: list[int]) -> None:
            if generation == self._query_generation:  # a newer query is on its way
                self.accounts.show_ids(ids)
                self._warm_up()

        self.context.tasks.submit(
            lambda _p: portfolio.account_ids(self.context.store, query, today),
            lane=Lane.READ,
            on_done=answered,
        )

    def _warm_up(self) -> None:
        """Once the list shows: load SQLAlchemy off the GUI thread, so the first edit does not
        wait a quarter of a second for the import (the list itself never needs it)."""
        if not self._warmed:
            self._warmed = True
            self._take_daily_backup()
            self.check_alerts()
            self._score_health()
            self._alerts_clock.timeout.connect(self._on_alerts_clock)
            self._alerts_clock.start()
            # After the first paint: an import holds the GIL and would stall painting.
            QTimer.singleShot(
                WARM_UP_DELAY_MS,
                lambda: self.context.tasks.submit(
                    partial(self._warm_services, self.model.ids()[:1]),
                    lane=Lane.READ,
                    on_done=self._warm_widgets,
                ),
            )

    def _warm_services(self, ids: list[int], _progress: object) -> None:
        """Off the GUI thread: the ORM and the workspace's queries, compiled once on an
        account, so the first workspace opens as fast as the next."""
        importlib.import_module("am_desktop.services.catalog")
        overview = importlib.import_module("am_desktop.services.workspace")
        graphs = importlib.import_module("am_desktop.services.contact_map")
        notes = importlib.import_module("am_desktop.services.notes")
        if ids:
            store, today = self.context.store, self.context.today()
            overview.account_overview(store, ids[0], today)
            graphs.contact_graph(store, ids[0])
            notes.list_notes(store, notes.NoteFilter(account_id=ids[0]), limit=1)

    def _warm_widgets(self, _result: object) -> None:
        """Back on the GUI thread, idle by now: the workspace's widget code (defining Qt
        classes belongs on this thread)."""
        importlib.import_module("am_desktop.ui.workspace")

    def _take_daily_backup(self) -> None:
        """One copy a day in the 'backups' folder, in the background (PRODUCT.md §6)."""
        from am_desktop.services.store import daily_backup

        keep = self.context.settings.prefs.daily_backups_kept
        today = self.context.today()
        self.context.tasks.submit(
            lambda _p: daily_backup(self.context.store, today, keep), lane=Lane.NET
        )

    @Slot(object)
    def _on_counts_ready(self, counts: dict[SavedFilter, int]) -> None:
        for saved, item in self._filter_items.items():
            item.setText(0, f"{saved.label}  {counts.get(saved, 0):,}")

    @Slot(list)
    def _on_accounts_open_requested(self, ids: list[int]) -> None:
        for account_id in ids[:10]:  # opening hundreds of tabs helps nobody
            self.open_account(account_id)

    @Slot(int)
    def _on_accounts_new_note_requested(self, account_id: int) -> None:
        self.open_account(account_id)
        new_note = getattr(self._workspaces[account_id], "new_note", None)
        if new_note is not None:
            new_note()

    @Slot(list, bool)
    def _on_accounts_archive_requested(self, ids: list[int], archive: bool) -> None:
        from am_desktop.services import catalog
        from am_desktop.ui.commands import ArchiveCommand

        self.undo_stack.push(
            ArchiveCommand(self.context, catalog.accounts, ids, archive)
        )

    @Slot(int)
    def _on_tabs_close_requested(self, index: int) -> None:
        if index <= 0:
            return
        widget = self.tabs.widget(index)
        if widget is None:
            return
        self.tabs.removeTab(index)
        for account_id, workspace in list(self._workspaces.items()):
            if workspace is widget:
                del self._workspaces[account_id]
        widget.deleteLater()

    @Slot(object, str)
    def _on_message_posted(self, level: Level, text: str) -> None:
        if level is Level.ERROR:
            QMessageBox.warning(self, "AM Desktop", text)
        else:
            self.statusBar().showMessage(text, 8000)

    @Slot(object)
    def _on_data_changed(self, changes: ChangeSet) -> None:
        if Origin.USER in changes.origins:  # a sync or an import saves nothing the user typed
            self.saved_label.setText(f"Saved {datetime.now():%H:%M}")
        if self._alerts_checked_on is not None and changes.touches(*ALERTS_FROM):
            self.check_alerts()  # a closed renewal's alert goes at once

    def _on_accounts_changed(self, _changes: ChangeSet) -> None:
        self.model.refresh_rows()
        self.reload_accounts()

    @Slot(object)
    def _on_settings_changed(self, option: Option[Any]) -> None:
        if option is Prefs.currency:
            self.model.currency = self.context.settings.prefs.currency
            self.model.refresh_rows()
        if option in (Prefs.health_weights, Prefs.health_bands):
            self._score_health(force=True)  # new rules: every account scored again now
        if option in (Prefs.currency, Prefs.coverage_senior_level):
            for workspace in self._workspaces.values():
                refresh = getattr(workspace, "refresh", None)
                if refresh is not None:
                    refresh()

    # ------------------------------------------------------------------------------ data

    def _fetch_rows(self, ids: Any) -> Any:
        return portfolio.account_rows(self.context.store, ids, self.context.today())

    # ------------------------------------------------------------------------------ state

    def _restore_state(self) -> None:
        settings = self.context.settings
        geometry = settings.state_bytes(Layout.MAIN_WINDOW_GEOMETRY)
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1366, 768)
        for key, target in (
            (Layout.MAIN_WINDOW_SPLITTER, self.splitter),
            (Layout.ACCOUNTS_HEADER, self.accounts.table.horizontalHeader()),
        ):
            saved = settings.state_bytes(key)
            if saved is not None:
                target.restoreState(saved)
        header = self.accounts.table.horizontalHeader()
        column, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        self.model.sort(column, order)
        last = settings.state.last_view  # the day starts on Today (the default)
        self.show_view(last if last in self._view_pages else "today")

    def save_state(self) -> None:
        """Remember geometry, splitter, columns, sort order and the view."""
        settings = self.context.settings
        settings.set_state_bytes(Layout.MAIN_WINDOW_GEOMETRY, QByteArray(self.saveGeometry()))
        settings.set_state_bytes(Layout.MAIN_WINDOW_SPLITTER, QByteArray(self.splitter.saveState()))
        header = self.accounts.table.horizontalHeader()
        settings.set_state_bytes(Layout.ACCOUNTS_HEADER, QByteArray(header.saveState()))
        settings.state.last_view = self.current_view()
        settings.sync()

    # ------------------------------------------------------------------------------ notes

    def _notes_view(self) -> Any:
        """The Notes view, built the first time it is shown (its code loads the ORM)."""
        if self.notes_view is None:
            from am_desktop.ui.notes.panel import NotesPanel

            self.notes_view = NotesPanel(self.context, None, undo=self.undo_stack)
            layout = self._notes_page.layout()
            assert layout is not None
            layout.addWidget(self.notes_view)
        return self.notes_view

    def _score_health(self, force: bool = False) -> None:
        """Once a day: every account's health score, then the list shows the new bands."""
        today, store = self.context.today(), self.context.store
        weights, bands = (
            self.context.settings.prefs.health_weights,
            self.context.settings.prefs.health_bands,
        )

        def work(_progress: object) -> bool:
            from am_desktop.services import health

            if not force and not health.stale(store, today):
                return False
            with origin(Origin.JOB):
                health.compute_all(store, today, weights=weights, bands=bands)
            return True

        self.context.tasks.submit(work, lane=Lane.WRITE)

    # ------------------------------------------------------------------------------ alerts

    def check_alerts(self) -> None:
        """Work out the renewal alerts (on start-up, then once a day while open)."""
        today = self.context.today()
        self._alerts_checked_on = today
        store = self.context.store

        def work(_progress: object) -> Any:
            from am_desktop.domain.alerts import renewal_alerts
            from am_desktop.services.renewal_queries import upcoming

            return renewal_alerts(upcoming(store, today), today)

        self.context.tasks.submit(
            work, lane=Lane.READ, on_done=lambda alerts: self._on_alerts(alerts, today)
        )

    def _on_alerts(self, alerts: list[Any], today: Any) -> None:
        from am_desktop.ui.renewals.alerts_panel import AlertsPanel

        if self.alerts_panel is None:
            self.alerts_panel = AlertsPanel(self.context.settings, self)
            self.alerts_panel.renewal_opened.connect(self.open_renewal)
            self.alerts_panel.count_changed.connect(self._on_alerts_count_changed)
            self.alerts_button.clicked.connect(self.show_alerts)
        self.alerts_panel.set_alerts(alerts, today)
        if self.alerts_panel.shown():
            self.show_alerts()

    def show_alerts(self) -> None:
        """Show the alerts panel (the bell in the status bar)."""
        if self.alerts_panel is not None and self.alerts_panel.shown():
            self.alerts_panel.place()
            self.alerts_panel.show()

    def _on_alerts_count_changed(self, count: int) -> None:
        self.alerts_button.setText(f"⚑ {count} renewal alert{'s' if count != 1 else ''}")
        self.alerts_button.setVisible(count > 0)

    def _on_alerts_clock(self) -> None:
        if self.context.today() != self._alerts_checked_on:  # a new day while the window is open
            self.check_alerts()
            self._score_health()

    def _dashboard_view(self) -> Any:
        """The Dashboard, built the first time it is shown."""
        if self.dashboard_view is None:
            from am_desktop.ui.dashboard import DashboardView

            self.dashboard_view = DashboardView(self.context)
            layout = self._dashboard_page.layout()
            assert layout is not None
            layout.addWidget(self.dashboard_view)
        return self.dashboard_view

    def _renewals_view(self) -> Any:
        """The Renewals view, built the first time it is shown."""
        if self.renewals_view is None:
            from am_desktop.ui.renewals.view import RenewalsView

            self.renewals_view = RenewalsView(self.context)
            self.renewals_view.renewal_activated.connect(self.open_renewal)
            layout = self._renewals_page.layout()
            assert layout is not None
            layout.addWidget(self.renewals_view)
        return self.renewals_view

    @Slot(str, int, int)
    def _on_today_open_requested(self, kind: str, account_id: int, item_id: int) -> None:
        if kind in ("renewal", "notice"):
            self.open_renewal(account_id, item_id)
        elif kind == "note":
            self.open_note(account_id, item_id)
        else:
            self.open_account(account_id)
            if kind == "health":
                health_of: Any = self._workspaces[account_id]
                if hasattr(health_of, "show_tab"):
                    health_of.show_tab("Health")
            if kind == "issue":
                workspace = self._workspaces[account_id]
                show_tab, issues = (
                    getattr(workspace, "show_tab", None),
                    getattr(workspace, "issues", None),
                )
                if show_tab is not None and issues is not None:
                    show_tab("Issues")
                    issues.select_id(item_id)

    @Slot(int, int)
    def open_renewal(self, account_id: int, renewal_id: int) -> None:
        """Open a renewal in its account's Renewals tab."""
        self.open_account(account_id)
        workspace = self._workspaces[account_id]
        open_renewal = getattr(workspace, "open_renewal", None)
        if open_renewal is not None:
            open_renewal(renewal_id)

    def _notes_panels(self) -> list[Any]:
        panels = [getattr(w, "notes", None) for w in self._workspaces.values()]
        return [p for p in [*panels, self.notes_view] if p is not None]

    @Slot()
    def new_note(self) -> None:
        """Ctrl+N: a note for the account in front, or (in the Notes view) the filtered one."""
        workspace = self.tabs.currentWidget()
        if hasattr(workspace, "new_note"):
            workspace.new_note()
        elif self.current_view() == "notes":
            self._notes_view().new_note()
        else:
            self.quick_note()

    @Slot()
    def quick_note(self) -> None:
        """Ctrl+Shift+N: a small note window for the account in front, or one you pick."""
        from am_desktop.ui.notes.quick_capture import QuickCapture

        workspace = self.tabs.currentWidget()
        account_id = getattr(workspace, "account_id", None)
        QuickCapture.open(self.context, account_id, parent=self)

    @Slot()
    def search_notes(self) -> None:
        """Ctrl+F: search every note."""
        from am_desktop.ui.notes.search import SearchDialog

        if self._search_dialog is None:
            self._search_dialog = SearchDialog(self.context, parent=self)
            self._search_dialog.note_chosen.connect(self.open_note)
        dialog = self._search_dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        dialog.search.setFocus()

    @Slot(int, int)
    def open_note(self, account_id: int, note_id: int) -> None:
        """Open a note in its account's workspace."""
        self.open_account(account_id)
        open_note = getattr(self._workspaces[account_id], "open_note", None)
        if open_note is not None:
            open_note(note_id)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.alerts_panel is not None and self.alerts_panel.isVisible():
            self.alerts_panel.place()

    def closeEvent(self, event: QCloseEvent) -> None:
        for panel in self._notes_panels():
            panel.flush()  # the last keystrokes are saved before the write lane drains
        self.save_state()
        self.sync.cancel()  # a run stopped between requests resumes cleanly next time
        self.sync.timer.stop()
        if self.conflict_dialog is not None:
            self.conflict_dialog.close()
        self.context.tasks.shutdown()
        super().closeEvent(event)


def _concerns_accounts(changes: ChangeSet) -> bool:
    return changes.touches(*ACCOUNTS_SHOW)


def _default_workspace(context: AppContext, account_id: int, undo: QUndoStack) -> QWidget:
    from am_desktop.ui.workspace import AccountWorkspace

    return AccountWorkspace(context, account_id, undo)
