"""One CRM sync run: pull what changed remotely and merge it field by field, notice what the CRM
deleted, then push creates, updates and deletions (PRODUCT.md §5, SYNC.md 4.3–4.5; issue 8).

Every page pulled is applied, and its cursor advanced, in one transaction; every create is
written to the outbox before it is sent and settled by its uid when its answer is lost. So a
run stopped at any point (a crash, a kill, Cancel) resumes without losing or duplicating.
"""

from __future__ import annotations

from am_desktop.domain.cancel import Progress, no_progress
from am_desktop.domain.changes import Origin, origin
from am_desktop.services.store import Store
from am_desktop.services.sync import state as st
from am_desktop.services.sync.connector import OBJECTS, Connector, holds_of
from am_desktop.services.sync.pull import Puller
from am_desktop.services.sync.push import Pusher
from am_desktop.services.sync.report import SyncReport

__all__ = ["SyncEngine", "SyncReport", "last_sync", "pending_changes"]


class SyncEngine:
    """Runs a sync between the local database and one CRM."""

    def __init__(
        self,
        store: Store,
        connector: Connector,
        *,
        progress: Progress = no_progress,
        dry_run: bool = False,
    ) -> None:
        self.store, self.crm, self.progress, self.dry_run = store, connector, progress, dry_run
        self.report = SyncReport()

    def run(self) -> SyncReport:
        """Pull, then push (a dry run only reads what would change and writes nothing)."""
        with origin(Origin.SYNC):
            return self._run()

    def _run(self) -> SyncReport:
        if not self.dry_run:
            with self.store.raw(write=True) as connection:
                st.set_state(connection, "tracking", "1")
        puller = Puller(self.store, self.crm, self.report, dry_run=self.dry_run)
        holds = holds_of(self.crm)
        steps = len(holds) + (0 if self.dry_run else len(OBJECTS))
        for step, remote_type in enumerate(holds):
            self.progress(step, steps, f"Reading {remote_type} from the CRM")
            puller.pull(remote_type)
            puller.pull_deletions(remote_type)
        if not self.dry_run:
            pusher = Pusher(self.store, self.crm, self.report)
            for step, obj in enumerate(OBJECTS, start=len(holds)):
                self.progress(step, steps, "Sending your changes")
                pusher.push_creates(obj)
                pusher.push_updates(obj)
                pusher.push_archives(obj)
            pusher.push_attendees()
            with self.store.raw(write=True) as connection:
                st.set_state(connection, "last_sync", st.now_text())
        with self.store.raw() as connection:
            self.report.conflicts = connection.execute(
                "SELECT count(*) FROM sync_conflict"
            ).fetchone()[0]
        self.report.stage_values = self.crm.stage_values()
        self.progress(steps, steps, "Done")
        return self.report


def pending_changes(store: Store) -> int:
    """Records with changes the CRM has not had yet (0 until sync is first used)."""
    with store.raw() as connection:
        if st.get_state(connection, "tracking") != "1":
            return 0
        changed = connection.execute(
            "SELECT count(*) FROM (SELECT DISTINCT obj, local_id FROM sync_change)"
        ).fetchone()[0]
        new = 0
        for obj in ("account", "contact", "opportunity", "note"):
            new += connection.execute(
                f"SELECT count(*) FROM {obj} t WHERE t.archived_at IS NULL AND NOT EXISTS "
                f"(SELECT 1 FROM sync_link l WHERE l.obj = '{obj}' AND l.local_id = t.id)"
            ).fetchone()[0]
    return int(changed) + int(new)


def last_sync(store: Store) -> str | None:
    """When the last complete run ended (UTC, stored form), or None."""
    with store.raw() as connection:
        return st.get_state(connection, "last_sync")
