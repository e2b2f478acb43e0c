"""The push half of a sync: creates, updates and deletions sent to the CRM (SYNC.md 4.4;
issue 8).

No request is made while the database is locked for writing: each step plans in one
transaction, talks to the CRM, then records the outcome in another, so the account manager's
saves never wait on the network. After a write, what was sent becomes the new base, and any
edit made while it was on its way stays to be sent.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from am_desktop import log
from am_desktop.db import opener
from am_desktop.errors import SyncError, SyncErrorKind
from am_desktop.services.store import Store
from am_desktop.services.sync import state as st
from am_desktop.services.sync.connector import Connector, CreateItem, RemoteRecord, aligned
from am_desktop.services.sync.fields import AMOUNTS, KINDS
from am_desktop.services.sync.fields import stored as stored_value
from am_desktop.services.sync.report import SyncReport
from am_desktop.services.sync.reporting_lines import manager_to_send

BATCH = 100
#: Creates whose answer was lost this many times in one run wait for the next run.
MAX_UNCERTAIN = 3
#: The condition that a record's account is already in the CRM (its parent must exist first).
_PARENT_LINKED = {
    "account": "1",
    # A contact waits for its manager (a live one) to be in the CRM: its reporting line goes
    # with it.
    "contact": "EXISTS (SELECT 1 FROM sync_link p WHERE p.obj = 'account' AND p.local_id = "
    "t.account_id) AND (t.reports_to_id IS NULL OR EXISTS (SELECT 1 FROM sync_link m WHERE "
    "m.obj = 'contact' AND m.local_id = t.reports_to_id) OR NOT EXISTS (SELECT 1 FROM contact "
    "b WHERE b.id = t.reports_to_id AND b.archived_at IS NULL AND b.id <> t.id))",
    "renewal": "EXISTS (SELECT 1 FROM sync_link p WHERE p.obj = 'account' "
    "AND p.local_id = c.account_id)",
}
_PARENT_DEFAULT = (
    "EXISTS (SELECT 1 FROM sync_link p WHERE p.obj = 'account' AND p.local_id = t.account_id)"
)


class Pusher:
    """Sends local changes to one CRM."""

    def __init__(self, store: Store, crm: Connector, report: SyncReport) -> None:
        self.store, self.crm, self.report = store, crm, report

    # -- creates ---------------------------------------------------------------------------

    def push_creates(self, obj: str) -> None:
        """Every live record not yet in the CRM whose account is, a batch at a time."""
        self._settle_outbox(obj)
        uncertain = 0
        while True:
            with self.store.raw(write=True) as connection:
                items = self._next_creates(connection, obj)
                if items and st.get_state(connection, f"outbox_since:{obj}") is None:
                    st.set_state(connection, f"outbox_since:{obj}", str(_now_ms()))
                connection.executemany(
                    "INSERT INTO sync_outbox (obj, local_id, attempts) VALUES (?, ?, 1) "
                    "ON CONFLICT (obj, local_id) DO UPDATE SET attempts = attempts + 1",
                    [(obj, i.local_id) for i in items],
                )
            if not items:
                return
            try:
                results = self.crm.create(obj, items)
            except SyncError as error:
                if error.kind is not SyncErrorKind.UNCERTAIN:
                    raise
                uncertain += 1
                self._settle_outbox(obj)  # the answer was lost: look them up
                if uncertain >= MAX_UNCERTAIN:
                    raise SyncError(
                        "The CRM kept failing while saving new records; the next sync tries "
                        "again (nothing is lost or sent twice).",
                        SyncErrorKind.SERVER,
                    ) from None
                continue
            sent = {item.local_id: item.fields for item in items}
            refused = False
            with self.store.raw(write=True) as connection:
                for result in results:
                    if result.ok and result.remote_id:
                        self._linked(
                            connection, obj, result.local_id, remote_id=result.remote_id,
                            modified=result.modified_ms, sent=sent[result.local_id],
                        )  # fmt: skip
                    else:
                        refused = True
                        self.report.problems.append(f"{obj} {result.local_id}: {result.message}")
                _outbox_done(connection, obj)
            if refused:
                return  # refused items stay unsent; the next run tries them again

    def _next_creates(self, connection: sqlite3.Connection, obj: str) -> list[CreateItem]:
        parent = _PARENT_LINKED.get(obj, _PARENT_DEFAULT)
        candidates = st.local_by(
            connection, obj,
            f"t.archived_at IS NULL AND {parent} AND NOT EXISTS (SELECT 1 FROM sync_link l "
            f"WHERE l.obj = '{obj}' AND l.local_id = t.id) AND NOT EXISTS (SELECT 1 FROM "
            f"sync_outbox o WHERE o.obj = '{obj}' AND o.local_id = t.id) "
            f"ORDER BY t.id LIMIT {BATCH}", [],
        )  # fmt: skip
        return [self._create_item(connection, record) for record in candidates]

    def _linked(
        self,
        connection: sqlite3.Connection,
        obj: str,
        local_id: int,
        *,
        remote_id: str,
        modified: int | None,
        sent: Mapping[str, Any],
    ) -> None:
        """Store a created record's link; a field edited since it was sent stays to be sent."""
        connection.execute("SAVEPOINT link")
        try:
            st.set_link(connection, obj, local_id, remote_id, modified)
        except opener.IntegrityError:
            connection.execute("ROLLBACK TO link")
            connection.execute("RELEASE link")
            self.report.problems.append(
                f"{obj} {local_id} is the same CRM record as another one here (the same "
                "e-mail?); merge the two, then sync again."
            )
            return
        connection.execute("RELEASE link")
        self.report.created_remotely += 1
        local = st.local_records(connection, obj, [local_id]).get(local_id)
        for field, value in sent.items():
            if local is not None and field in KINDS[obj] and local.fields.get(field) != value:
                st.set_base(connection, obj, local_id, field, stored_value(obj, field, value))

    def _settle_outbox(self, obj: str) -> None:
        """Creates sent without a stored answer: adopt the ones the CRM has (found by uid,
        or by who made them and their natural key)."""
        with self.store.raw() as connection:
            ids = [int(r[0]) for r in connection.execute(
                "SELECT local_id FROM sync_outbox WHERE obj = ?", (obj,))]  # fmt: skip
            records = st.local_records(connection, obj, ids)
            waiting = [self._create_item(connection, records[i]) for i in ids if i in records]
            since = st.get_state(connection, f"outbox_since:{obj}")
        if not waiting:
            return
        found = self.crm.find_created(obj, waiting, int(since) if since else None)
        with self.store.raw(write=True) as connection:
            for item in waiting:
                if item.local_id in found:
                    remote = found[item.local_id]
                    self._linked(
                        connection, obj, item.local_id, remote_id=remote.remote_id,
                        modified=remote.modified_ms, sent=self.crm.fields(obj, remote),
                    )  # fmt: skip
            _outbox_done(connection, obj)
        log.sync.info("settled %d lost creates of %s (%d found)", len(waiting), obj, len(found))

    def _create_item(self, connection: sqlite3.Connection, record: st.LocalRecord) -> CreateItem:
        links: dict[str, list[str]] = {}
        fields = dict(record.fields)
        if record.obj != "account":
            company = st.remote_id_of(connection, "account", record.account_id)
            links["account"] = [company] if company else []
        if record.obj == "note":
            contacts = [
                remote
                for (contact_id,) in connection.execute(
                    "SELECT contact_id FROM note_attendee WHERE note_id = ? AND contact_id IS "
                    "NOT NULL", (record.local_id,))
                if (remote := st.remote_id_of(connection, "contact", int(contact_id)))
            ]  # fmt: skip
            if contacts:
                links["contact"] = contacts
        if record.obj == "note":  # a Task's Subject and subtype
            fields["title"], fields["kind"] = connection.execute(
                "SELECT title, kind FROM note WHERE id = ?", (record.local_id,)
            ).fetchone()
        if record.obj == "contact":
            manager = connection.execute(
                "SELECT l.remote_id FROM contact c JOIN sync_link l ON l.obj = 'contact' "
                "AND l.local_id = c.reports_to_id WHERE c.id = ?", (record.local_id,),
            ).fetchone()  # fmt: skip
            if manager:
                links["reports_to"] = [str(manager[0])]
        if record.obj == "renewal":  # a name, and the day a CRM that needs one closes it by
            named = connection.execute(
                "SELECT a.name || ' renewal ' || c.end_date, c.end_date FROM renewal r JOIN "
                "contract c ON c.id = r.contract_id JOIN account a ON a.id = c.account_id "
                "WHERE r.id = ?",
                (record.local_id,),
            ).fetchone()
            fields["name"] = named[0] if named else "Renewal"
            if named:
                fields["contract_end"] = named[1]
        return CreateItem(record.local_id, record.uid, fields, links)

    # -- updates ---------------------------------------------------------------------------

    def push_updates(self, obj: str) -> None:
        """Changed fields the CRM still has at their base; conflicts for the others."""
        with self.store.raw() as connection:
            rows = connection.execute(
                "SELECT DISTINCT c.local_id, l.remote_id FROM sync_change c JOIN sync_link l "
                "ON l.obj = c.obj AND l.local_id = c.local_id WHERE c.obj = ? AND c.field <> "
                "'archived_at' AND NOT EXISTS (SELECT 1 FROM sync_conflict k WHERE k.obj = c.obj "
                "AND k.local_id = c.local_id AND (k.field IS NULL OR k.field = c.field))",
                (obj,),
            ).fetchall()
        by_record = {int(local): str(remote) for local, remote in rows}
        remote_type = self.crm.remote_type(obj)
        ids = list(by_record)
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            current = self.crm.read(remote_type, [by_record[i] for i in chunk])
            sending: list[tuple[int, str, dict[str, Any]]] = []
            moves: list[tuple[int, str, str | None, str, int]] = []
            managers: list[tuple[int, str, str | None, int]] = []
            with self.store.raw(write=True) as connection:
                records = st.local_records(connection, obj, chunk)
                for local_id in chunk:
                    local, remote = records.get(local_id), current.get(by_record[local_id])
                    if local is None:
                        continue
                    if remote is None:  # gone from the CRM (merged away, or purged): ask
                        st.add_conflict(
                            connection, obj, local_id, None, base=None, local=local.fields,
                            remote=None, kind="deleted_remotely",
                        )  # fmt: skip
                        continue
                    outgoing, move = self._plan(connection, local, remote)
                    if outgoing:
                        sending.append((local_id, by_record[local_id], outgoing))
                    if move is not None:
                        moves.append((local_id, by_record[local_id], *move))
                    line = (
                        manager_to_send(connection, local_id, remote) if obj == "contact" else None
                    )
                    if line is not None:
                        managers.append((local_id, by_record[local_id], *line))
            self._move(obj, moves)
            self._send_managers(managers)
            if sending:
                results = self.crm.update(obj, sending)
                self._updated(obj, sending, results, current, by_record)

    def _plan(
        self, connection: sqlite3.Connection, local: st.LocalRecord, remote: RemoteRecord
    ) -> tuple[dict[str, Any], tuple[str | None, str, int] | None]:
        """The fields to send (those the CRM still has at their base), and an account move."""
        obj, local_id = local.obj, local.local_id
        changes = st.changes_of(connection, obj, local_id)
        held = st.open_conflict_fields(connection, obj, local_id)
        bases = {f: base for f, (base, _seq) in changes.items()}
        read = self.crm.fields(obj, remote, currency=_agreed_currency(local, bases))
        theirs = aligned(self.crm, obj, read, local.fields, bases)
        outgoing: dict[str, Any] = {}
        withheld = set(held)
        for name, (base, seq) in changes.items():
            if name not in KINDS[obj] or name in held:
                continue
            mine = local.fields.get(name)
            if name in theirs and theirs[name] == mine:
                st.clear_change(connection, obj, local_id, name, seq)
            elif name not in theirs or theirs[name] == base:
                outgoing[name] = mine
            else:
                withheld.add(name)
                st.add_conflict(connection, obj, local_id, name, base=base, local=mine,
                                remote=theirs[name])  # fmt: skip
        _with_money(local, outgoing, withheld)
        if set(outgoing) == {"currency"} and "currency" not in theirs:
            # A CRM record without a currency (a one-currency org, a HubSpot company) and no
            # amount to rewrite in the new one: nothing to send.
            st.clear_change(connection, obj, local_id, "currency", changes["currency"][1])
            outgoing.clear()
        move = None
        if "account_id" in changes:
            base, seq = changes["account_id"]
            new = st.remote_id_of(connection, "account", local.account_id)
            old = st.remote_id_of(connection, "account", int(base)) if base is not None else None
            if new is not None:  # else the new company is not in the CRM yet: next run
                move = (old, new, seq)
        return outgoing, move

    def _move(self, obj: str, moves: list[tuple[int, str, str | None, str, int]]) -> None:
        """Records that moved to another account: their company association follows."""
        done = []
        for local_id, remote_id, old, new, seq in moves:
            self.crm.relink(obj, remote_id, "account", old, new)
            done.append((local_id, seq))
        if done:
            with self.store.raw(write=True) as connection:
                for local_id, seq in done:
                    st.clear_change(connection, obj, local_id, "account_id", seq)

    def _send_managers(self, lines: list[tuple[int, str, str | None, int]]) -> None:
        """Contacts whose manager changed here: the CRM's reporting line follows."""
        for local_id, remote_id, manager, seq in lines:
            self.crm.set_links("contact", remote_id, "reports_to", {manager} if manager else set())
            with self.store.raw(write=True) as connection:
                st.clear_change(connection, "contact", local_id, "reports_to_id", seq)
            self.report.pushed += 1

    def _updated(
        self,
        obj: str,
        sending: list[tuple[int, str, dict[str, Any]]],
        results: list[Any],
        before: Mapping[str, RemoteRecord],
        by_record: Mapping[int, str],
    ) -> None:
        """What was sent is the new base; an edit made meanwhile stays to be sent. The link
        keeps the time read before the write, so a colleague's edit in between is pulled."""
        sent = {local_id: fields for local_id, _remote, fields in sending}
        with self.store.raw(write=True) as connection:
            records = st.local_records(connection, obj, list(sent))
            for result in results:
                if not result.ok:
                    self.report.problems.append(f"{obj} {result.local_id}: {result.message}")
                    continue
                local = records.get(result.local_id)
                for field, value in sent[result.local_id].items():
                    if local is not None and local.fields.get(field) == value:
                        st.clear_change(connection, obj, result.local_id, field)
                    else:
                        st.set_base(connection, obj, result.local_id, field,
                                    stored_value(obj, field, value))  # fmt: skip
                read = before.get(by_record[result.local_id])
                connection.execute(
                    "UPDATE sync_link SET remote_modified_ms = ? WHERE obj = ? AND local_id = ?",
                    (read.modified_ms if read else None, obj, result.local_id),
                )
                self.report.pushed += 1

    def push_attendees(self) -> None:
        """Notes whose attendees changed here: their contact associations follow (attendees
        who are not synced contacts, or only an e-mail address, stay local)."""
        with self.store.raw() as connection:
            rows = connection.execute(
                "SELECT c.local_id, c.seq, l.remote_id FROM sync_change c JOIN sync_link l "
                "ON l.obj = 'note' AND l.local_id = c.local_id WHERE c.obj = 'note' "
                "AND c.field = 'attendees' AND NOT EXISTS (SELECT 1 FROM sync_conflict k "
                "WHERE k.obj = 'note' AND k.local_id = c.local_id AND k.field IS NULL)"
            ).fetchall()
            plans = [
                (int(local_id), int(seq), str(remote_id), _attendee_ids(connection, local_id))
                for local_id, seq, remote_id in rows
            ]
        for local_id, seq, remote_id, wanted in plans:
            self.crm.set_links("note", remote_id, "contact", wanted)
            with self.store.raw(write=True) as connection:
                st.clear_change(connection, "note", local_id, "attendees", seq)
            self.report.pushed += 1

    # -- deletions -------------------------------------------------------------------------

    def push_archives(self, obj: str) -> None:
        """Records archived here: archived in the CRM, unless edited there since (then ask)."""
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
        gone: list[tuple[int, str]] = []
        with self.store.raw(write=True) as connection:
            for local_id, remote_id, agreed in rows:
                remote = current.get(str(remote_id))
                if remote is not None and agreed is not None and remote.modified_ms > agreed:
                    local = st.local_records(connection, obj, [local_id])[local_id]
                    st.add_conflict(
                        connection, obj, local_id, None, base=None, local=local.fields,
                        remote=self.crm.fields(obj, remote), kind="deleted_locally",
                    )  # fmt: skip
                else:
                    gone.append((local_id, str(remote_id)))
        if not gone:
            return
        self.crm.archive(remote_type, [remote_id for _local, remote_id in gone])
        with self.store.raw(write=True) as connection:
            connection.executemany(
                "DELETE FROM sync_change WHERE obj = ? AND local_id = ?",
                [(obj, local_id) for local_id, _remote in gone],
            )
        self.report.pushed += len(gone)


def _agreed_currency(local: st.LocalRecord, bases: Mapping[str, Any]) -> str | None:
    """The currency the CRM's amounts were written in, where the CRM does not say: the agreed
    one while a currency changed here is on its way, else the record's."""
    return bases.get("currency") or local.fields.get("currency")


def _with_money(local: st.LocalRecord, outgoing: dict[str, Any], withheld: set[str | None]) -> None:
    """A record's currency and its amounts travel together: a CRM reads each amount in the
    currency beside it. When one of them goes, the others go too (an amount rewritten in a new
    currency's units); while one of them waits on a conflict, none goes."""
    if "currency" not in local.fields:
        return
    money = {"currency"} | {f for f, kind in KINDS[local.obj].items() if kind in AMOUNTS}
    if money & withheld:
        for name in money:
            outgoing.pop(name, None)
    elif money & set(outgoing):
        for name in money:
            if local.fields.get(name) is not None:
                outgoing.setdefault(name, local.fields[name])


def _now_ms() -> int:
    import time

    return int(time.time() * 1000)


def _outbox_done(connection: sqlite3.Connection, obj: str) -> None:
    """No create of ``obj`` is in flight any more."""
    connection.execute("DELETE FROM sync_outbox WHERE obj = ?", (obj,))
    connection.execute("DELETE FROM sync_state WHERE key = ?", (f"outbox_since:{obj}",))


def _attendee_ids(connection: sqlite3.Connection, note_id: int) -> set[str]:
    """The CRM ids of a note's attendees who are synced contacts."""
    return {
        str(remote)
        for (remote,) in connection.execute(
            "SELECT l.remote_id FROM note_attendee a JOIN sync_link l ON l.obj = 'contact' "
            "AND l.local_id = a.contact_id WHERE a.note_id = ?",
            (note_id,),
        )
    }
