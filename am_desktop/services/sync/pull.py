"""The pull half of a sync: what changed in the CRM, merged field by field into the local
database (SYNC.md 4.3 and 4.5; issue 8).

Each page is applied in one transaction with its cursor's advance, and the cursor never moves
past a record that could not be applied (it is read again next time). A first pull lists
everything and sets the cursor only once the list is complete.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from am_desktop.db import opener
from am_desktop.domain.sync_merge import Action, FieldMerge, merge_record
from am_desktop.services.store import Store
from am_desktop.services.sync import state as st
from am_desktop.services.sync.connector import Connector, RemoteRecord, aligned, holds_of
from am_desktop.services.sync.fields import KINDS, REQUIRED, RemoteValueError
from am_desktop.services.sync.fields import stored as stored_value
from am_desktop.services.sync.renewal_match import kept_as_opportunity, renewal_to_link
from am_desktop.services.sync.report import SyncReport
from am_desktop.services.sync.reporting_lines import keeps_local_manager

#: Re-read this much before the cursor: the CRM's search index lags its writes.
OVERLAP_MS = 120_000
#: ``sync_link.remote_modified_ms`` of a record linked but never agreed on (matched by its
#: domain or e-mail, or adopted after a create): its differences are asked about, not taken.
NEVER_AGREED = -1


class Puller:
    """Pulls one CRM's changes into the local database."""

    def __init__(self, store: Store, crm: Connector, report: SyncReport, *, dry_run: bool) -> None:
        self.store, self.crm, self.report, self.dry_run = store, crm, report, dry_run
        #: Opportunities won, lost or reopened in the CRM: (id, stage, close date). They go
        #: through the app's own service after the page, so the ARR ledger follows.
        self.decided: list[tuple[int, str, str | None]] = []
        #: Remote type -> the local kinds it holds, in the order they are tried.
        self.holds = holds_of(crm)
        #: Contacts whose manager arrived later in the pull: (contact id, manager's CRM id).
        self.managers_due: list[tuple[int, str]] = []

    def cursor_key(self, remote_type: str) -> str:
        return f"cursor:{self.crm.name}:{remote_type}"

    def pull(self, remote_type: str) -> None:
        """Records read again on purpose, then everything changed since the cursor."""
        objs = self.holds[remote_type]
        with self.store.raw() as connection:
            cursor = st.get_state(connection, self.cursor_key(remote_type))
            marks = ", ".join("?" * len(objs))
            stale = [str(r) for (r,) in connection.execute(
                f"SELECT remote_id FROM sync_link WHERE obj IN ({marks}) AND (remote_modified_ms "
                f"IS NULL OR remote_modified_ms = {NEVER_AGREED})", objs)]  # fmt: skip
        if stale:
            self._apply_pages(remote_type, [list(self.crm.read(remote_type, stale).values())])
        if cursor is None:  # first pull, or the cursor was lost: list everything
            newest = self._apply_pages(remote_type, self.crm.changed(remote_type, None))
            if newest is not None and not self.dry_run:
                with self.store.raw(write=True) as connection:
                    st.set_state(connection, self.cursor_key(remote_type), str(newest))
        else:
            since = max(0, int(cursor) - OVERLAP_MS)
            pages = self.crm.changed(remote_type, since)
            self._apply_pages(remote_type, pages, cursor=int(cursor))
        self._settle_managers()

    def _settle_managers(self) -> None:
        """Reporting lines to managers who arrived after their reports in the same pull."""
        due, self.managers_due = self.managers_due, []
        if not due or self.dry_run:
            return
        with self.store.raw(write=True) as connection, st.applying(connection):
            for contact_id, manager in due:
                self._set_manager(connection, contact_id, manager, retry=False)

    def _take_manager(
        self, connection: sqlite3.Connection, contact_id: int, record: RemoteRecord
    ) -> None:
        """A contact's manager follows the CRM's reporting line (where the CRM has one)."""
        if "reports_to" not in record.links:
            return  # the CRM does not say
        kept = keeps_local_manager(connection, contact_id, record)
        if kept:
            return  # changed here only: ours goes out at the push
        managers = record.links["reports_to"]
        if kept is False and not self._same_manager(connection, contact_id, managers):
            self.report.problems.append(
                f"A contact's manager was changed both here and in the CRM ({record.remote_id}); "
                "the CRM's is kept. Change it again here to send yours."
            )
        if not managers:
            connection.execute(
                "UPDATE contact SET reports_to_id = NULL WHERE id = ?", (contact_id,)
            )
            return
        self._set_manager(connection, contact_id, managers[0], retry=True)

    @staticmethod
    def _same_manager(connection: sqlite3.Connection, contact_id: int, managers: list[str]) -> bool:
        row = connection.execute(
            "SELECT l.remote_id FROM contact c LEFT JOIN sync_link l ON l.obj = 'contact' AND "
            "l.local_id = c.reports_to_id WHERE c.id = ?", (contact_id,)
        ).fetchone()  # fmt: skip
        return (row[0] if row else None) == next(iter(managers), None)

    def _set_manager(
        self, connection: sqlite3.Connection, contact_id: int, manager: str, *, retry: bool
    ) -> None:
        found = st.local_id_of(connection, "contact", manager)
        if found is None:
            if retry:
                self.managers_due.append((contact_id, manager))
            return
        if found != contact_id:
            connection.execute(
                "UPDATE contact SET reports_to_id = ? WHERE id = ? AND reports_to_id IS NOT ?",
                (found, contact_id, found),
            )

    def _apply_pages(
        self,
        remote_type: str,
        pages: Iterable[list[RemoteRecord]],
        *,
        cursor: int | None = None,
    ) -> int | None:
        """Apply pages; with ``cursor``, advance it page by page up to the first record that
        could not be applied. The newest modification time applied."""
        newest: int | None = None
        held = False
        for page in pages:
            if not page:
                continue
            with self.store.raw(write=not self.dry_run) as connection, st.applying(connection):
                for record in page:
                    if not self._apply_safely(connection, remote_type, record):
                        held = True
                    elif not held:
                        newest = max(newest or 0, record.modified_ms)
                if cursor is not None and not held and newest is not None and newest > cursor:
                    cursor = newest
                    st.set_state(connection, self.cursor_key(remote_type), str(cursor))
                if self.dry_run:
                    connection.rollback()
                    connection.execute("BEGIN")
            self._decide()
        return None if held else newest

    def _decide(self) -> None:
        """Win, lose or reopen the opportunities the CRM decided, as the window would: a win
        writes its expansion to the ledger, a reopen archives it. Refused (a win without an
        amount): the stage becomes a conflict to settle here."""
        from datetime import date

        from am_desktop.domain.enums import OpportunityStage
        from am_desktop.errors import AppError
        from am_desktop.services.pipeline import close_opportunity, reopen_opportunity

        decided, self.decided = self.decided, []
        if self.dry_run:
            return
        for local_id, stage, closed_on in decided:
            try:
                if stage in ("won", "lost"):
                    on = date.fromisoformat(closed_on) if closed_on else date.today()
                    close_opportunity(self.store, local_id, won=stage == "won", on=on)
                else:
                    reopen_opportunity(self.store, local_id, OpportunityStage(stage))
            except AppError as error:
                with self.store.raw(write=True) as connection:
                    local = st.local_records(connection, "opportunity", [local_id])[local_id]
                    st.add_conflict(connection, "opportunity", local_id, "stage",
                                    base=local.fields["stage"], local=local.fields["stage"],
                                    remote=stage, kind="refused_here")  # fmt: skip
                self.report.problems.append(
                    f"An opportunity was marked {stage} in the CRM but not here: "
                    f"{error.user_message}"
                )

    def _apply_safely(
        self, connection: sqlite3.Connection, remote_type: str, record: RemoteRecord
    ) -> bool:
        """Apply one record; one the local rules refuse is reported, the rest go on. A record
        with a value this app cannot hold is reported and skipped (the cursor passes it)."""
        connection.execute("SAVEPOINT record")
        try:
            applied = self._apply(connection, remote_type, record)
        except opener.IntegrityError as error:
            connection.execute("ROLLBACK TO record")
            self.report.problems.append(
                f"A CRM {self.holds[remote_type][0]} ({record.remote_id}) could not be stored here "
                f"({_reason(error)}); it is read again at the next sync."
            )
            applied = False
        except RemoteValueError as error:  # theirs to fix: reading it again would not help
            connection.execute("ROLLBACK TO record")
            self.report.problems.append(
                f"A CRM {self.holds[remote_type][0]} ({record.remote_id}) was skipped: {error}. "
                "Correct it in the CRM; it is read again once it changes there."
            )
            applied = True
        connection.execute("RELEASE record")
        return applied

    def _apply(
        self, connection: sqlite3.Connection, remote_type: str, record: RemoteRecord
    ) -> bool:
        """Merge one remote record into the local database (False: left for next time)."""
        objs = self.holds[remote_type]
        linked = st.link_of(connection, objs, record.remote_id)
        agreed = linked[2] if linked else None
        # Already applied (the overlap re-reads it), unless the CRM's times are coarser than its
        # writes: an edit in the agreed second looks the same, so it is merged again.
        seen = agreed is not None and 0 <= record.modified_ms <= agreed
        if seen and (record.modified_ms < (agreed or 0) or self.crm.stamp_ms == 1):
            return True
        first = linked is not None and linked[2] == NEVER_AGREED
        if linked is None:
            linked = self._match(connection, objs, record)
            if linked is None and not record.archived:
                linked = self._match_renewal(connection, remote_type, record)
            first = linked is not None
        if linked is None:
            return True if record.archived else self._create_local(connection, remote_type, record)
        obj, local_id, _ = linked
        local = st.local_records(connection, obj, [local_id]).get(local_id)
        if local is None:
            return True
        if agreed is None or record.modified_ms > agreed:
            self.report.pulled += 1
        changes = st.changes_of(connection, obj, local_id)
        bases = {f: base for f, (base, _seq) in changes.items()}
        currency = bases.get("currency") or local.fields.get("currency")  # the agreed one
        theirs = self.crm.fields(obj, record, strict=True, currency=currency)
        remote = aligned(self.crm, obj, theirs, local.fields, bases)
        edited = (agreed is None or record.modified_ms > agreed
                  or any(local.fields.get(k) != v for k, v in remote.items()))  # fmt: skip
        if local.archived and "archived_at" in changes and edited:  # deleted here, edited there
            st.add_conflict(connection, obj, local_id, None, base=None, local=local.fields,
                            remote=remote, kind="deleted_locally")  # fmt: skip
            st.set_link(connection, obj, local_id, record.remote_id, record.modified_ms)
            return True
        take = self._merge(connection, local, remote, changes, first=first)
        if obj == "opportunity" and "stage" in take:
            closing = take["stage"] in ("won", "lost")
            if closing != (local.fields.get("stage") in ("won", "lost")):
                self.decided.append((local_id, take.pop("stage"),
                                     take.pop("close_date", remote.get("close_date"))))  # fmt: skip
        account = self._account_of(connection, record)
        moved = account is not None and account != local.account_id
        if moved and obj not in ("account", "renewal") and "account_id" not in changes:
            take["account_id"] = account
        st.write_fields(connection, obj, local_id, take)
        st.set_link(connection, obj, local_id, record.remote_id, record.modified_ms)
        if obj == "note":
            self._take_attendees(connection, local_id, record, keep="attendees" in changes)
        if obj == "contact":
            self._take_manager(connection, local_id, record)
        return True

    @staticmethod
    def _take_attendees(
        connection: sqlite3.Connection, note_id: int, record: RemoteRecord, *, keep: bool
    ) -> None:
        """A note's attendees follow its CRM contacts: the missing ones are added, and (unless
        attendees changed here too) synced contacts no longer there are removed. Attendees
        who are not synced contacts stay."""
        if "contact" not in record.links:
            return  # the CRM did not say
        wanted = {
            found
            for remote in record.links["contact"]
            if (found := st.local_id_of(connection, "contact", remote)) is not None
        }
        present = {
            int(contact)
            for (contact,) in connection.execute(
                "SELECT a.contact_id FROM note_attendee a JOIN sync_link l ON l.obj = 'contact' "
                "AND l.local_id = a.contact_id WHERE a.note_id = ?",
                (note_id,),
            )
        }
        connection.executemany(
            "INSERT INTO note_attendee (note_id, contact_id, email) "
            "SELECT ?, id, email FROM contact WHERE id = ? AND NOT EXISTS (SELECT 1 FROM "
            "note_attendee WHERE note_id = ? AND contact_id = ?)",
            [(note_id, c, note_id, c) for c in sorted(wanted - present)],
        )
        if not keep:
            connection.executemany(
                "DELETE FROM note_attendee WHERE note_id = ? AND contact_id = ?",
                [(note_id, c) for c in sorted(present - wanted)],
            )

    def _merge(
        self,
        connection: sqlite3.Connection,
        local: st.LocalRecord,
        remote: dict[str, Any],
        changes: dict[str, tuple[Any, int]],
        *,
        first: bool,
    ) -> dict[str, Any]:
        """Merge field by field; the CRM's values to store here."""
        obj, local_id = local.obj, local.local_id
        bases = {f: base for f, (base, _seq) in changes.items() if f in KINDS[obj]}
        held = st.open_conflict_fields(connection, obj, local_id)
        take: dict[str, Any] = {}
        for merged in merge_record(local.fields, remote, bases):
            if first and merged.action is Action.TAKE_REMOTE:
                self._first_meeting(connection, obj, local_id, merged, take)
            elif merged.field in held:
                self._refresh_conflict(connection, obj, local_id, merged)
            elif (
                merged.action is Action.TAKE_REMOTE
                and merged.remote is None
                and (merged.field in REQUIRED[obj])
            ):
                st.set_base(connection, obj, local_id, merged.field, None)  # ours goes back
            elif merged.action is Action.TAKE_REMOTE:
                take[merged.field] = merged.remote
            elif merged.action is Action.CONVERGED:
                st.clear_change(connection, obj, local_id, merged.field)
            elif merged.action is Action.CONFLICT:
                st.add_conflict(connection, obj, local_id, merged.field, base=merged.base,
                                local=merged.local, remote=merged.remote)  # fmt: skip
        return take

    @staticmethod
    def _first_meeting(
        connection: sqlite3.Connection,
        obj: str,
        local_id: int,
        merged: FieldMerge,
        take: dict[str, Any],
    ) -> None:
        """A record found in both places before they ever agreed: fill what is empty on either
        side, and ask about the rest (no side's value is assumed older)."""
        if merged.local in (None, ""):
            take[merged.field] = merged.remote
        elif merged.remote in (None, ""):
            st.set_base(connection, obj, local_id, merged.field, None)  # mine goes out
        else:
            st.add_conflict(connection, obj, local_id, merged.field, base=None,
                            local=merged.local, remote=merged.remote)  # fmt: skip

    @staticmethod
    def _refresh_conflict(
        connection: sqlite3.Connection, obj: str, local_id: int, merged: FieldMerge
    ) -> None:
        """An open conflict meets the CRM's latest value: still a conflict, or settled."""
        if merged.action in (Action.CONFLICT, Action.TAKE_REMOTE):
            st.add_conflict(connection, obj, local_id, merged.field, base=merged.base,
                            local=merged.local, remote=merged.remote)  # fmt: skip
            return
        if merged.action is Action.CONVERGED:
            st.clear_change(connection, obj, local_id, merged.field)
        # SAME, CONVERGED, or KEEP_LOCAL (theirs is back at the base: mine goes out)
        connection.execute(
            "DELETE FROM sync_conflict WHERE obj = ? AND local_id = ? AND field = ?",
            (obj, local_id, merged.field),
        )

    def _account_of(self, connection: sqlite3.Connection, record: RemoteRecord) -> int | None:
        """The local account a remote record belongs to: its company, else a contact's."""
        for company in record.links.get("account", []):
            found = st.local_id_of(connection, "account", company)
            if found is not None:
                return found
        for contact in record.links.get("contact", []):
            found = st.local_id_of(connection, "contact", contact)
            if found is not None:
                row = connection.execute(
                    "SELECT account_id FROM contact WHERE id = ?", (found,)
                ).fetchone()
                return int(row[0]) if row else None
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
                if value:  # stored lower-case already: the column's index finds it
                    found = next(st.local_by(connection, obj, f"t.{key} = ? AND "
                                             + unlinked.format(obj), [value]), None)  # fmt: skip
            if found is not None:
                st.set_link(connection, obj, found.local_id, record.remote_id, NEVER_AGREED)
                return obj, found.local_id, NEVER_AGREED
        return None

    def _match_renewal(
        self, connection: sqlite3.Connection, remote_type: str, record: RemoteRecord
    ) -> tuple[str, int, int | None] | None:
        """A renewal made in the CRM: the renewal of the account's contract it renews, linked
        (then merged as a first meeting); None where it is not a renewal, or there is no
        such contract here (it becomes an opportunity, and the report says why)."""
        if "renewal" not in self.holds[remote_type]:
            return None
        if self.crm.local_kind(remote_type, record) != "renewal":
            return None
        account = self._account_of(connection, record)
        if account is None:
            return None  # belongs to no company here yet: read again next time
        close = self.crm.fields("renewal", record).get("close_date")
        found = renewal_to_link(connection, account, close)
        if found is None:
            name = self.crm.fields("opportunity", record).get("name")
            self.report.problems.append(kept_as_opportunity(record.remote_id, name))
            return None
        st.set_link(connection, "renewal", found, record.remote_id, NEVER_AGREED)
        return "renewal", found, NEVER_AGREED

    def _create_local(
        self, connection: sqlite3.Connection, remote_type: str, record: RemoteRecord
    ) -> bool:
        """A record the CRM has and we do not: make it (deals become opportunities)."""
        obj = self.holds[remote_type][0]
        account = self._account_of(connection, record)
        currency = _currency_of(connection, account)
        remote = self.crm.fields(obj, record, strict=True, currency=currency)
        values = {f: stored_value(obj, f, v) for f, v in remote.items()}
        if obj != "account" and account is None:
            self.report.problems.append(
                f"A CRM {obj} ({record.remote_id}) belongs to no company "
                "this app knows yet; it is read again at the next sync."
            )
            return False
        now = st.now_text()
        common = {"uid": record.uid or _new_uid(), "version": 1, "created_at": now,
                  "updated_at": now}  # fmt: skip
        row: dict[str, Any]
        if obj == "account":
            row = {**common, "name": values.get("name") or "Unnamed company",
                   "domain": values.get("domain"), "industry": values.get("industry"),
                   "tier": "standard", "checkin_cadence_days": 30}  # fmt: skip
            if values.get("currency"):
                row["currency"] = values["currency"]
        elif obj == "contact":
            row = {**common, "account_id": account, "first_name": values.get("first_name"),
                   "last_name": values.get("last_name") or values.get("first_name")
                   or values.get("email") or "Unnamed", "email": values.get("email"),
                   "title": values.get("title"), "phone": values.get("phone")}  # fmt: skip
        elif obj == "opportunity":
            row = {**common, "account_id": account, "kind": "upsell",
                   "name": values.get("name") or "Deal from the CRM",
                   "amount_cents": values.get("amount_cents") or 0,
                   "stage": values.get("stage") or "identified", "probability": 10,
                   "close_date": values.get("close_date"),
                   "currency": values.get("currency") or currency}  # fmt: skip
        else:
            row = {**common, "account_id": account, "kind": "note",
                   "occurred_at": values.get("occurred_at") or now,
                   "body": values.get("body") or ""}  # fmt: skip
        cursor = connection.execute(
            f"INSERT INTO {obj} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        local_id = int(cursor.lastrowid or 0)
        st.set_link(connection, obj, local_id, record.remote_id, record.modified_ms)
        if obj == "note":
            self._take_attendees(connection, local_id, record, keep=False)
        if obj == "contact":
            self._take_manager(connection, local_id, record)
        self.report.created_locally += 1
        return True

    def pull_deletions(self, remote_type: str) -> None:
        """Records archived in the CRM: archived here too, unless edited here (then ask)."""
        key = f"deleted:{self.crm.name}:{remote_type}"
        with self.store.raw() as connection:
            since = st.get_state(connection, key)
        found = self.crm.deletions(remote_type, int(since) if since else None)
        with self.store.raw(write=not self.dry_run) as connection, st.applying(connection):
            if found.covered_ms is not None:
                st.set_state(connection, key, str(found.covered_ms))
            for obj in self.holds[remote_type]:
                rows = connection.execute(
                    "SELECT local_id, remote_id FROM sync_link WHERE obj = ?", (obj,)
                ).fetchall()
                for local_id, remote_id in rows:
                    gone = remote_id in found.ids or (
                        found.live is not None and remote_id not in found.live
                    )
                    if not gone:
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


def _currency_of(connection: sqlite3.Connection, account: int | None) -> str | None:
    """An account's currency: a CRM record's that does not say its own (issue 20)."""
    if account is None:
        return None
    found = connection.execute("SELECT currency FROM account WHERE id = ?", (account,)).fetchone()
    return None if found is None else str(found[0])


def _reason(error: Exception) -> str:
    text = str(error)
    if "UNIQUE" in text:
        return "another record here already has its " + text.rsplit(".", 1)[-1]
    if "NOT NULL" in text:
        return "it has no " + text.rsplit(".", 1)[-1].replace("_", " ")
    return text


def _new_uid() -> str:
    import uuid

    return str(uuid.uuid4())
