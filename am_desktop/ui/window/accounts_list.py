"""The account list's controller: the query that picks the ids, the saved filters, the
sidebar's counts, archiving, and keeping both current with the change feed.

The list reads nothing until it is released: when it is first shown, or once the start view
in front of it is on screen (the start view's read goes first and alone)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QUndoStack

from am_desktop.domain.changes import ChangeSet, Entity
from am_desktop.domain.fx_figures import ReportingRates
from am_desktop.domain.portfolio import AccountRow, PortfolioQuery, SavedFilter
from am_desktop.services import portfolio
from am_desktop.ui.accounts_view import REPORTING_COLUMN, AccountsView, AccountTableModel
from am_desktop.ui.bus import ChangeFollower
from am_desktop.ui.context import AppContext
from am_desktop.ui.settings import Option, Prefs
from am_desktop.ui.tasks import Lane
from am_desktop.ui.window.sidebar import Sidebar
from am_desktop.ui.window.views import ViewKey

#: What the account list and the sidebar's counts show (a note touches its account).
ACCOUNTS_SHOW = (
    Entity.ACCOUNT,
    Entity.CONTRACT,
    Entity.RENEWAL,
    Entity.LEDGER_MOVEMENT,
    Entity.HEALTH_SNAPSHOT,
    Entity.EXCHANGE_RATE,  # the reporting figures and the ARR order
)


class AccountsList(QObject):
    """Runs the Accounts view's queries and keeps the list and the sidebar's counts current.

    Args:
        context: the shared services.
        sidebar: where the saved filters are chosen and counted.
        undo: where archiving is recorded.

    Signals:
        first_shown(ids): the list answered for the first time (what to warm up with).
    """

    first_shown = Signal(list)

    def __init__(
        self, context: AppContext, sidebar: Sidebar, undo: QUndoStack, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self._sidebar = sidebar
        self._undo = undo
        self._answered = False
        self._held = True  # until shown or released: the start view reads first
        self._pending: PortfolioQuery | None = None
        self.model = AccountTableModel(self._fetch_rows, context.today())
        self.model.currency = context.settings.prefs.currency
        self.view = AccountsView(self.model)
        self._rows_follower = ChangeFollower(
            self.view, context.data, _concerns_accounts, self._on_accounts_changed
        )
        self._counts_follower = ChangeFollower(
            sidebar, context.data, _concerns_accounts, self._on_counts_changed
        )
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.view.query_changed.connect(self.run_query)
        self.view.archive_requested.connect(self._on_archive_requested)
        self._sidebar.chosen.connect(self._on_sidebar_chosen)
        self.context.settings.changed.connect(self._on_settings_changed)

    @property
    def answered(self) -> bool:
        """Whether the list's first query has answered (it shows its ids, maybe none)."""
        return self._answered

    def release(self) -> None:
        """Let the list read: its query, asked while it was held, runs now (once)."""
        if not self._held:
            return
        self._held = False
        self.run_query(self._pending or self.view.query)

    def reload(self) -> None:
        """Run the current query again and count the saved filters again."""
        self.run_query(self.view.query)
        self.reload_counts()

    @Slot(object)
    def run_query(self, query: PortfolioQuery) -> None:
        """Ask for the ids of ``query`` (a later query's answer wins over this one's); while
        the list is held, only remember it."""
        if self._held:
            self._pending = query
            return
        today, store = self.context.today(), self.context.store
        reporting = self.context.settings.prefs.reporting_currency_or_default

        def work(_progress: object) -> tuple[ReportingRates, list[int]]:
            from am_desktop.services import rates as rate_table

            found = rate_table.reporting_rates(store, reporting, today)
            return found, portfolio.account_ids(store, query, today, found.factors())

        self.context.tasks.submit(
            work,
            lane=Lane.READ,
            on_done=self._on_ids,
            receiver=self,
            supersede=(self, "ids"),
        )

    def reload_counts(self) -> None:
        """Count the accounts of each saved filter, for the sidebar."""
        today, store = self.context.today(), self.context.store
        self.context.tasks.submit(
            lambda _p: portfolio.filter_counts(store, today),
            lane=Lane.READ,
            on_done=self._sidebar.show_counts,
            receiver=self._sidebar,
            supersede=(self, "counts"),
        )

    def _fetch_rows(self, ids: Sequence[int]) -> dict[int, AccountRow]:
        return portfolio.account_rows(self.context.store, ids, self.context.today())

    def _on_ids(self, answer: tuple[ReportingRates, list[int]]) -> None:
        found, ids = answer
        self.model.set_rates(found)
        # A one-currency portfolio has nothing to show beside its figures: no empty column.
        self.view.table.setColumnHidden(REPORTING_COLUMN, not found.needed)
        self.view.show_ids(ids)
        if not self._answered:
            self._answered = True
            self.first_shown.emit(ids)

    def _on_accounts_changed(self, _changes: ChangeSet) -> None:
        self.model.refresh_rows()
        self.run_query(self.view.query)  # the sidebar's own follower counts again

    def _on_counts_changed(self, _changes: ChangeSet) -> None:
        self.reload_counts()

    @Slot(object, object)
    def _on_sidebar_chosen(self, key: ViewKey, saved: SavedFilter | None) -> None:
        if key is ViewKey.ACCOUNTS:
            self.view.set_saved_filter(saved or SavedFilter.ALL)
            self.release()  # shown: it reads now, whatever is still loading

    @Slot(list, bool)
    def _on_archive_requested(self, ids: list[int], archive: bool) -> None:
        from am_desktop.services import catalog
        from am_desktop.ui.commands import ArchiveCommand

        self._undo.push(ArchiveCommand(self.context, catalog.accounts, ids, archive))

    @Slot(object)
    def _on_settings_changed(self, option: Option[Any]) -> None:
        if option is Prefs.currency:
            self.model.currency = self.context.settings.prefs.currency
            self.model.refresh_rows()
        if option in (Prefs.currency, Prefs.reporting_currency):
            self.run_query(self.view.query)  # other rates, and ARR sorts on their figures


def _concerns_accounts(changes: ChangeSet) -> bool:
    return changes.touches(*ACCOUNTS_SHOW)
