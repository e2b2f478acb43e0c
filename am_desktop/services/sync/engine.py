"""One CRM sync run: pull what changed remotely and merge it field by field, notice what the CRM
deleted, then push creates, updates and deletions (PRODUCT.md §5, SYNC.md 4.3–4.5; issue 8).

Every page pulled is applied, and its cursor advanced, in one transaction; every create is
written to the outbox before it is sent and settled by its uid when its answer is lost. So a
run stopped at any point (a crash, a kill, Cancel) resumes without losing or duplicating.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from am_desktop import log
from am_desktop.domain.cancel import Progress, no_progress
from am_desktop.domain.sync_merge import Action, merge_record
from am_desktop.errors import SyncError, SyncErrorKind
from am_desktop.services.store import Store
from am_desktop.services.sync import state as st
from am_desktop.services.sync.connector import OBJECTS, Connector, CreateItem, RemoteRecord
from am_desktop.services.sync.fields import KINDS
from am_desktop.services.sync.fields import stored as stored_value

#: Re-read this much before the cursor: the CRM's search index lags its writes.
OVERLAP_MS = 120_000
#: Remote type -> the local kinds it holds, in the order they are tried.
HOLDS = {"companies": ("account",), "contacts": ("contact",),
         "deals": ("opportunity", "renewal"), "notes": ("note",)}  # fmt: skip
_BATCH = 100


@dataclass
class SyncReport:
    """What a run did, for the status bar and the command line."""

    pulled: int = 0
    created_locally: int = 0
    pushed: int = 0
    created_remotely: int = 0
    archived: int = 0
    conflicts: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"pulled {self.pulled}, pushed {self.pushed + self.created_remotely}, "
            f"{self.conflicts} in conflict"
        )


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
        """Pull, then push (a dry run only pulls what would change and writes nothing)."""
        with self.store.raw(write=not self.dry_run) as connection:
            if not self.dry_run:
                st.set_state(connection, "tracking", "1")
        types = list(HOLDS)
        for step, remote_type in enumerate(types):
            self.progress(step, len(types) * 2, f"Reading {remote_type} from the CRM")
            self._pull(remote_type)
            self._pull_deletions(remote_type)
        if not self.dry_run:
            for step, obj in enumerate(OBJECTS):
                self.progress(len(types) + step, len(types) * 2, "Sending your changes")
                self._push_creates(obj)
                self._push_updates(obj)
                self._push_archives(obj)
            with self.store.raw(write=True) as connection:
                st.set_state(connection, "last_sync", st.now_text())
        with self.store.raw() as connection:
            self.report.conflicts = connection.execute(
                "SELECT count(*) FROM sync_conflict"
            ).fetchone()[0]
        self.progress(1, 1, "Done")
        return self.report

    # -- pull ------------------------------------------------------------------------------

    def _cursor_key(self, remote_type: str) -> str:
        return f"cursor:{self.crm.name}:{remote_type}"

    def _pull(self, remote_type: str) -> None:
        with self.store.raw() as connection:
            cursor = st.get_state(connection, self._cursor_key(remote_type))
            marks = ", ".join("?" * len(HOLDS[remote_type]))
            stale = [str(r) for (r,) in connection.execute(
                f"SELECT remote_id FROM sync_link WHERE obj IN ({marks}) AND "
                "remote_modified_ms IS NULL", HOLDS[remote_type])]  # fmt: skip
        if stale:  # records to read again whatever the cursor (a settled conflict)
            pages = [list(self.crm.read(remote_type, stale).values())]
            self._apply_pages(remote_type, pages, cursor, advance=False)
        self._apply_pages(remote_type, self.crm.changed(remote_type, self._since(cursor)), cursor)

    @staticmethod
    def _since(cursor: str | None) -> int | None:
        return max(0, int(cursor) - OVERLAP_MS) if cursor else None

    def _apply_pages(
        self,
        remote_type: str,
        pages: Iterable[list[RemoteRecord]],
        cursor: str | None,
        *,
        advance: bool = True,
    ) -> None:
        """Apply pages of remote records, each in one transaction with the cursor's advance."""
        for page in pages:
            if not page:
                continue
            with self.store.raw(write=not self.dry_run) as connection, st.applying(connection):
                for record in page:
                    self._apply(connection, remote_type, record)
                newest = max(r.modified_ms for r in page)
                if advance and (not cursor or newest > int(cursor)):
                    cursor = str(newest)
                    st.set_state(connection, self._cursor_key(remote_type), cursor)
                if self.dry_run:
                    connection.rollback()
                    connection.execute("BEGIN")

    def _apply(
        self, connection: sqlite3.Connection, remote_type: str, record: RemoteRecord
    ) -> None:
        """Merge one remote record into the local database."""
        objs = HOLDS[remote_type]
        linked = st.link_of(connection, objs, record.remote_id)
        if linked and linked[2] is not None and record.modified_ms <= linked[2]:
            return  # already applied (the overlap re-reads it)
        if linked is None:
            linked = self._match(connection, objs, record)
        if linked is None:
            if not record.archived:
                self._create_local(connection, remote_type, record)
            return
        obj, local_id, _ = linked
        self.report.pulled += 1
        local = st.local_records(connection, obj, [local_id]).get(local_id)
        if local is None:
            return
        changes = st.changes_of(connection, obj, local_id)
        held = st.open_conflict_fields(connection, obj, local_id)
        remote = self.crm.fields(obj, record)
        bases = {f: base for f, (base, _seq) in changes.items() if f in KINDS[obj]}
        take: dict[str, Any] = {}
        for merged in merge_record(local.fields, remote, bases):
            if merged.action is Action.TAKE_REMOTE and merged.field not in held:
                take[merged.field] = merged.remote
            elif merged.action is Action.CONVERGED:
                st.clear_change(connection, obj, local_id, merged.field)
            elif merged.action is Action.CONFLICT:
                st.add_conflict(connection, obj, local_id, merged.field, base=merged.base,
                                local=merged.local, remote=merged.remote)  # fmt: skip
        account = self._account_of(connection, record)
        moved = account is not None and account != local.account_id
        if moved and obj not in ("account", "renewal") and "account_id" not in changes:
            take["account_id"] = account
        st.write_fields(connection, obj, local_id, take)
        st.set_link(connection, obj, local_id, record.remote_id, record.modified_ms)

    def _account_of(self, connection: sqlite3.Connection, record: RemoteRecord) -> int | None:
        for company in record.links.get("companies", []):
            found = st.local_id_of(connection, "account", company)
            if found is not None:
                return found
        return None

    def _match(
        self, connection: sqlite3.Connection, objs: Sequence[str], record: RemoteRecord
    ) -> tuple[str, int, int | None] | None:
        """A local record this remote one is: by our uid, else by domain or e-mail."""
        unlinked = "NOT EXISTS (SELECT 1 FROM sync_link l WHERE l.obj = '{}' AND l.local_id = t.id)"
        for obj in objs:
            found = None
            if record.uid:
                found = next(st.local_by(connection, obj, "t.uid = ?", [record.uid]), None)
            if found is None and obj in ("account", "contact"):
                key = "domain" if obj == "account" else "email"
                value = self.crm.fields(obj, record).get(key)
                if value:
                    # stored lower-case already: the column's index finds it
                    found = next(st.local_by(connection, obj, f"t.{key} = ? AND "
                                             + unlinked.format(obj), [value]), None)  # fmt: skip
            if found is not None:
                st.set_link(connection, obj, found.local_id, record.remote_id, None)
                return obj, found.local_id, None
        return None

    def _create_local(
        self, connection: sqlite3.Connection, remote_type: str, record: RemoteRecord
    ) -> None:
        """A record the CRM has and we do not: make it (deals become opportunities)."""
        obj = HOLDS[remote_type][0]
        values = self.crm.fields(obj, record)
        account = self._account_of(connection, record)
        if obj != "account" and account is None:
            self.report.problems.append(
                f"A {remote_type[:-1]} in the CRM ({record.remote_id}) belongs to no company "
                "this app knows; it was left out."
            )
            return
        now = st.now_text()
        stored = {f: stored_value(obj, f, v) for f, v in values.items()}
        common = {"uid": record.uid or _new_uid(), "version": 1, "created_at": now,
                  "updated_at": now}  # fmt: skip
        if obj == "account":
            row = {**common, "name": stored.get("name") or "Unnamed company",
                   "domain": stored.get("domain"), "industry": stored.get("industry"),
                   "tier": "standard", "checkin_cadence_days": 30}  # fmt: skip
        elif obj == "contact":
            row = {**common, "account_id": account, "first_name": stored.get("first_name"),
                   "last_name": stored.get("last_name") or stored.get("first_name")
                   or stored.get("email") or "Unnamed", "email": stored.get("email"),
                   "title": stored.get("title"), "phone": stored.get("phone")}  # fmt: skip
        elif obj == "opportunity":
            row = {**common, "account_id": account, "kind": "upsell",
                   "name": record.props.get("dealname") or "Deal from the CRM",
                   "amount_cents": stored.get("amount_cents") or 0,
                   "stage": stored.get("stage") or "identified", "probability": 10,
                   "close_date": stored.get("close_date")}  # fmt: skip
        else:
            row = {**common, "account_id": account, "kind": "note",
                   "occurred_at": stored.get("occurred_at") or now,
                   "body": stored.get("body") or ""}  # fmt: skip
        columns = ", ".join(row)
        cursor = connection.execute(
            f"INSERT INTO {obj} ({columns}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        st.set_link(
            connection, obj, int(cursor.lastrowid or 0), record.remote_id, record.modified_ms
        )
        self.report.created_locally += 1

    def _pull_deletions(self, remote_type: str) -> None:
        """Records archived in the CRM: archived here too, unless edited here (then ask)."""
        archived = self.crm.archived_ids(remote_type)
        if not archived:
            return
        with self.store.raw(write=not self.dry_run) as connection, st.applying(connection):
            for obj in HOLDS[remote_type]:
                rows = connection.execute(
                    "SELECT local_id, remote_id FROM sync_link WHERE obj = ?", (obj,)
                ).fetchall()
                for local_id, remote_id in rows:
                    if remote_id not in archived:
                        continue
                    local = st.local_records(connection, obj, [local_id]).get(local_id)
                    if local is None or local.archived:
                        continue
                    if st.changes_of(connection, obj, local_id):
                        st.add_conflict(
                            connection, obj, local_id, None, base=None, local=local.fields,
                            remote=None, kind="deleted_remotely",
                        )  # fmt: skip
                        continue
                    connection.execute(f"UPDATE {obj} SET archived_at = ? WHERE id = ?",
                                       (st.now_text(), local_id))  # fmt: skip
                    self.report.archived += 1
            if self.dry_run:
                connection.rollback()
                connection.execute("BEGIN")

    # -- push ------------------------------------------------------------------------------

    def _push_creates(self, obj: str) -> None:
        remote_type = self.crm.remote_type(obj)
        self._settle_outbox(obj, remote_type)
        while True:
            with self.store.raw(write=True) as connection:
                candidates = list(st.local_by(
                    connection, obj,
                    "t.archived_at IS NULL AND NOT EXISTS (SELECT 1 FROM sync_link l WHERE "
                    f"l.obj = '{obj}' AND l.local_id = t.id) AND NOT EXISTS (SELECT 1 FROM "
                    f"sync_outbox o WHERE o.obj = '{obj}' AND o.local_id = t.id) "
                    f"ORDER BY t.id LIMIT {_BATCH}", []))  # fmt: skip
                made = [self._create_item(connection, r) for r in candidates]
                items = [i for i in made if i is not None]
                skipped = len(candidates) - len(items)
                connection.executemany(
                    "INSERT INTO sync_outbox (obj, local_id, attempts) VALUES (?, ?, 1)",
                    [(obj, i.local_id) for i in items],
                )
            if not items:
                if skipped:
                    self.report.problems.append(f"Some {obj} records wait for their company.")
                return
            try:
                results = self.crm.create(obj, items)
            except SyncError as error:
                if error.kind is not SyncErrorKind.UNCERTAIN:
                    raise
                self._settle_outbox(obj, remote_type)  # the answer was lost: look them up
                continue
            with self.store.raw(write=True) as connection:
                for result in results:
                    if result.ok and result.remote_id:
                        st.set_link(connection, obj, result.local_id, result.remote_id,
                                    result.modified_ms)  # fmt: skip
                        self.report.created_remotely += 1
                    else:
                        self.report.problems.append(f"{obj} {result.local_id}: {result.message}")
                connection.execute("DELETE FROM sync_outbox WHERE obj = ?", (obj,))
            if any(not r.ok for r in results):
                return  # refused items stay unsent; the next run tries them again

    def _settle_outbox(self, obj: str, remote_type: str) -> None:
        """Creates sent without a stored answer: adopt the ones the CRM has (found by uid)."""
        with self.store.raw() as connection:
            waiting = connection.execute(
                "SELECT o.local_id, t.uid FROM sync_outbox o JOIN "
                f"{obj} t ON t.id = o.local_id WHERE o.obj = ?",
                (obj,),
            ).fetchall()
        if not waiting:
            return
        found = self.crm.find_by_uid(remote_type, [uid for _id, uid in waiting])
        with self.store.raw(write=True) as connection:
            for local_id, uid in waiting:
                if uid in found:
                    remote = found[uid]
                    st.set_link(connection, obj, local_id, remote.remote_id, remote.modified_ms)
                    self.report.created_remotely += 1
            connection.execute("DELETE FROM sync_outbox WHERE obj = ?", (obj,))
        log.sync.info("settled %d lost creates of %s (%d found)", len(waiting), obj, len(found))

    def _create_item(
        self, connection: sqlite3.Connection, record: st.LocalRecord
    ) -> CreateItem | None:
        links: dict[str, list[str]] = {}
        fields = dict(record.fields)
        if record.obj != "account":
            company = st.remote_id_of(connection, "account", record.account_id)
            if company is None:
                return None
            links["companies"] = [company]
        if record.obj == "note":
            contacts = [
                remote
                for (contact_id,) in connection.execute(
                    "SELECT contact_id FROM note_attendee WHERE note_id = ? AND contact_id IS "
                    "NOT NULL", (record.local_id,))
                if (remote := st.remote_id_of(connection, "contact", int(contact_id)))
            ]  # fmt: skip
            if contacts:
                links["contacts"] = contacts
        if record.obj == "renewal":
            name = connection.execute(
                "SELECT a.name || ' renewal ' || c.end_date FROM renewal r JOIN contract c ON "
                "c.id = r.contract_id JOIN account a ON a.id = c.account_id WHERE r.id = ?",
                (record.local_id,),
            ).fetchone()
            fields["name"] = name[0] if name else "Renewal"
        return CreateItem(record.local_id, record.uid, fields, links)

    def _push_updates(self, obj: str) -> None:
        with self.store.raw() as connection:
            rows = connection.execute(
                "SELECT c.local_id, c.field, l.remote_id FROM sync_change c JOIN sync_link l "
                "ON l.obj = c.obj AND l.local_id = c.local_id WHERE c.obj = ? AND c.field <> "
                "'archived_at' AND NOT EXISTS (SELECT 1 FROM sync_conflict k WHERE k.obj = c.obj "
                "AND k.local_id = c.local_id AND (k.field IS NULL OR k.field = c.field))",
                (obj,),
            ).fetchall()
        by_record: dict[int, str] = {int(local): str(remote) for local, _f, remote in rows}
        if not by_record:
            return
        remote_type = self.crm.remote_type(obj)
        ids = list(by_record)
        for start in range(0, len(ids), _BATCH):
            chunk = ids[start : start + _BATCH]
            current = self.crm.read(remote_type, [by_record[i] for i in chunk])
            sending: list[tuple[int, str, dict[str, Any]]] = []
            sent_seqs: dict[int, dict[str, int]] = defaultdict(dict)
            with self.store.raw(write=True) as connection:
                locals_ = st.local_records(connection, obj, chunk)
                for local_id in chunk:
                    local, remote_id = locals_.get(local_id), by_record[local_id]
                    remote = current.get(remote_id)
                    if local is None or remote is None:
                        continue
                    outgoing = self._plan_update(connection, local, remote_id, remote,
                                                 sent_seqs[local_id])  # fmt: skip
                    if outgoing:
                        sending.append((local_id, remote_id, outgoing))
            if not sending:
                continue
            results = self.crm.update(obj, sending)
            with self.store.raw(write=True) as connection:
                for result in results:
                    if not result.ok:
                        self.report.problems.append(f"{obj} {result.local_id}: {result.message}")
                        continue
                    for name, seq in sent_seqs[result.local_id].items():
                        st.clear_change(connection, obj, result.local_id, name, seq)
                    connection.execute(
                        "UPDATE sync_link SET remote_modified_ms = ? "
                        "WHERE obj = ? AND local_id = ?",
                        (result.modified_ms, obj, result.local_id),
                    )
                    self.report.pushed += 1

    def _plan_update(
        self,
        connection: sqlite3.Connection,
        local: st.LocalRecord,
        remote_id: str,
        remote: RemoteRecord,
        seqs: dict[str, int],
    ) -> dict[str, Any]:
        """The changed fields to send: those the CRM still has at their base (a field it
        changed too becomes a conflict; one it already has is done)."""
        obj, local_id = local.obj, local.local_id
        changes = st.changes_of(connection, obj, local_id)
        if "account_id" in changes:
            self._relink(connection, obj, local, remote_id, changes["account_id"])
        theirs = self.crm.fields(obj, remote)
        outgoing: dict[str, Any] = {}
        for name, (base, seq) in changes.items():
            if name not in KINDS[obj]:
                continue
            mine = local.fields.get(name)
            if name in theirs and theirs[name] == mine:
                st.clear_change(connection, obj, local_id, name, seq)
            elif name not in theirs or theirs[name] == base:
                outgoing[name] = mine
                seqs[name] = seq
            else:
                st.add_conflict(connection, obj, local_id, name, base=base, local=mine,
                                remote=theirs[name])  # fmt: skip
                self.report.conflicts += 1
        return outgoing

    def _relink(
        self,
        connection: sqlite3.Connection,
        obj: str,
        local: st.LocalRecord,
        remote_id: str,
        change: tuple[Any, int],
    ) -> None:
        """The record moved to another account: move its company association."""
        base, seq = change
        new = st.remote_id_of(connection, "account", local.account_id)
        if new is None:
            return  # the new company is not in the CRM yet: the next run moves it
        old = st.remote_id_of(connection, "account", int(base)) if base is not None else None
        self.crm.relink(obj, remote_id, "account", old, new)
        st.clear_change(connection, obj, local.local_id, "account_id", seq)

    def _push_archives(self, obj: str) -> None:
        with self.store.raw() as connection:
            rows = connection.execute(
                "SELECT c.local_id, l.remote_id, l.remote_modified_ms FROM sync_change c "
                "JOIN sync_link l ON l.obj = c.obj AND l.local_id = c.local_id "
                f"JOIN {obj} t ON t.id = c.local_id WHERE c.obj = ? AND c.field = 'archived_at' "
                "AND t.archived_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sync_conflict k "
                "WHERE k.obj = c.obj AND k.local_id = c.local_id AND k.field IS NULL)",
                (obj,),
            ).fetchall()
        if not rows:
            return
        remote_type = self.crm.remote_type(obj)
        current = self.crm.read(remote_type, [str(r[1]) for r in rows])
        gone: list[str] = []
        with self.store.raw(write=True) as connection:
            for local_id, remote_id, agreed in rows:
                remote = current.get(str(remote_id))
                if remote is not None and agreed is not None and remote.modified_ms > agreed:
                    local = st.local_records(connection, obj, [local_id])[local_id]
                    st.add_conflict(
                        connection, obj, local_id, None, base=None, local=local.fields,
                        remote=self.crm.fields(obj, remote), kind="deleted_locally",
                    )  # fmt: skip
                    self.report.conflicts += 1
                    continue
                gone.append(str(remote_id))
                connection.execute(
                    "DELETE FROM sync_change WHERE obj = ? AND local_id = ?", (obj, local_id)
                )
            if gone:
                self.crm.archive(remote_type, gone)
                self.report.pushed += len(gone)


def _new_uid() -> str:
    import uuid

    return str(uuid.uuid4())


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
    with store.raw() as connection:
        return st.get_state(connection, "last_sync")
