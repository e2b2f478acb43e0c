"""Work the window does on its own, in the background, once the account list first shows:
the day's backup, the day's health scores, and loading the editing code ahead of need."""

from __future__ import annotations

import importlib
import threading
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, QTimer, Slot

from am_desktop.domain.changes import ChangeSet, Entity, Origin, origin
from am_desktop.ui.context import AppContext
from am_desktop.ui.settings import Option, Prefs
from am_desktop.ui.tasks import Lane

#: When to load the editing machinery after the list first shows (ms).
WARM_UP_DELAY_MS = 300
#: How often to look whether a new day started (ms).
NEW_DAY_CHECK_MS = 60 * 60 * 1000


class DailyJobs(QObject):
    """Health scoring (once a day, and at once when its rules change), the daily backup and
    the warm-up after the first paint.

    Args:
        context: the shared services.
    """

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._started = False
        self._scored_on: date | None = None
        self._stopping = threading.Event()  # quitting: the day's backup ends at once
        self._clock = QTimer(self)
        self._clock.setInterval(NEW_DAY_CHECK_MS)
        self._clock.timeout.connect(self._on_clock_timeout)
        context.settings.changed.connect(self._on_settings_changed)
        context.data.changed.connect(self._on_data_changed)

    def start(self, first_ids: list[int]) -> None:
        """The list has shown (once): back up, score, and warm up with its first account."""
        if self._started:
            return
        self._started = True
        self.take_daily_backup()
        self.score_health()
        self._clock.start()
        # After the first paint: an import holds the GIL and would stall painting.
        QTimer.singleShot(WARM_UP_DELAY_MS, self, partial(self._warm_up, first_ids[:1]))

    def score_health(self, force: bool = False) -> None:
        """Every account's health score, unless today's are there (``force``: new rules)."""
        today = self._scored_on = self.context.today()
        store, prefs = self.context.store, self.context.settings.prefs
        weights, bands = prefs.health_weights, prefs.health_bands

        def work(_progress: object) -> bool:
            from am_desktop.services import health

            if not force and not health.stale(store, today):
                return False
            with origin(Origin.JOB):
                health.compute_all(store, today, weights=weights, bands=bands)
            return True

        self.context.tasks.submit(work, lane=Lane.WRITE)

    def take_daily_backup(self) -> None:
        """One copy a day in the 'backups' folder, in the background (PRODUCT.md §6); quitting
        stops it (:meth:`stop`), and a stopped copy leaves nothing behind."""
        from am_desktop.services.backups import take_daily_backup

        keep = self.context.settings.prefs.daily_backups_kept
        today, path, stopping = self.context.today(), self.context.store.path, self._stopping
        self.context.tasks.submit(
            lambda _p: take_daily_backup(path, today, keep, stopping), lane=Lane.NET
        )

    def stop(self) -> None:
        """The window is closing: background copies end now instead of delaying the quit."""
        self._stopping.set()

    @property
    def stopped(self) -> bool:
        """Whether the window closed (a copy still running ends at its next step)."""
        return self._stopping.is_set()

    def _warm_up(self, ids: list[int]) -> None:
        self.context.tasks.submit(
            partial(self._warm_services, ids), lane=Lane.READ, on_done=self._warm_widgets
        )

    def _warm_services(self, ids: list[int], _progress: object) -> None:
        """Off the GUI thread: the ORM and the workspace's queries, compiled once on an
        account, so the first workspace opens as fast as the next; and the charts' library."""
        importlib.import_module("am_desktop.services.catalog")
        overview = importlib.import_module("am_desktop.services.workspace")
        graphs = importlib.import_module("am_desktop.services.contact_map")
        notes = importlib.import_module("am_desktop.services.notes")
        # The Dashboard's and the reviews' charts: matplotlib costs ~0.6 s to load, paid here
        # after the first paint rather than on the first visit to the Dashboard.
        importlib.import_module("am_desktop.charts.kpi")
        importlib.import_module("matplotlib.backends.backend_agg")
        if ids:
            store, today = self.context.store, self.context.today()
            overview.account_overview(store, ids[0], today)
            graphs.contact_graph(store, ids[0])
            notes.list_notes(store, notes.NoteFilter(account_id=ids[0]), limit=1)

    def _warm_widgets(self, _result: object) -> None:
        """Back on the GUI thread, idle by now: the workspace's widget code (defining Qt
        classes belongs on this thread)."""
        importlib.import_module("am_desktop.ui.workspace")

    def score_newcomers(self) -> None:
        """Score the accounts that arrived after today's scoring (the first-start demo, an
        import, a sync), so they do not wait for tomorrow's."""
        today, store, prefs = self.context.today(), self.context.store, self.context.settings.prefs
        weights, bands = prefs.health_weights, prefs.health_bands

        def work(_progress: object) -> int:
            from am_desktop.services import health

            newcomers = health.unscored(store, today)
            if newcomers:
                with origin(Origin.JOB):
                    health.compute_all(
                        store, today, account_ids=newcomers, weights=weights, bands=bands
                    )
            return len(newcomers)

        self.context.tasks.submit(work, lane=Lane.WRITE)

    @Slot(object)
    def _on_data_changed(self, changes: ChangeSet) -> None:
        arrivals = {Origin.IMPORT, Origin.SYNC, Origin.OTHER_PROCESS}
        if self._started and changes.origins & arrivals and changes.touches(Entity.ACCOUNT):
            self.score_newcomers()

    @Slot()
    def _on_clock_timeout(self) -> None:
        if self.context.today() != self._scored_on:  # a new day while the window is open
            self.score_health()

    @Slot(object)
    def _on_settings_changed(self, option: Option[Any]) -> None:
        if option in (Prefs.health_weights, Prefs.health_bands):
            self.score_health(force=True)  # new rules: every account scored again now
