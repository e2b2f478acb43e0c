"""CSV import (PRODUCT.md §2): validate every row, then write all of it in one transaction.

- Invalid rows: nothing is written and every problem is listed, unless ``skip_invalid``.
- A row updates the record it matches (external id, else domain or e-mail, else name or the
  kind's natural key) instead of adding a second one; importing a file twice changes nothing.
- A column the file does not have, or an empty cell, leaves the stored value alone; a value
  rewritten unchanged is not an edit (no version bump, nothing to sync).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from am_desktop import log
from am_desktop.db.base import Base
from am_desktop.db.models import (
    Account,
    ArrMovement,
    Contact,
    Contract,
    Note,
    NoteAttendee,
    Renewal,
    SurveyResponse,
    UsageSample,
)
from am_desktop.domain.cancel import CancelToken, Progress, no_progress
from am_desktop.domain.changes import Origin, origin
from am_desktop.domain.enums import MovementType, SurveyKind
from am_desktop.errors import ImportRejected, RowProblem
from am_desktop.services import summaries
from am_desktop.services.store import Store
from am_desktop.services.transfer import bulk
from am_desktop.services.transfer.csv_reader import SourceFile, SourceRow, read_csv

_CHUNK = 500  # SQLite's limit on host parameters is generous, but lists stay short


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did (or, on a dry run, would do)."""

    kind: str
    rows: int
    added: int
    updated: int
    unchanged: int
    skipped: int
    problems: tuple[RowProblem, ...]
    ignored_headers: tuple[str, ...]
    ledger_movements: int
    #: Accounts whose stated ARR differs from their ledger, which was kept as it is.
    ledger_kept: int
    dry_run: bool


@dataclass(slots=True)
class Plan:
    """The writes an import will make."""

    inserts: list[tuple[SourceRow, dict[str, Any]]]
    updates: list[tuple[SourceRow, int, dict[str, Any]]]
    unchanged: list[tuple[SourceRow, int]]

    def rows(self) -> list[SourceRow]:
        """Every planned row: added, updated or unchanged."""
        return (
            [row for row, _ in self.inserts]
            + [row for row, _, _ in self.updates]
            + [row for row, _ in self.unchanged]
        )

    def known_ids(self) -> dict[int, int]:
        """Row number -> id of the stored record, for the rows that match one."""
        ids = {row.number: record_id for row, record_id, _ in self.updates}
        ids.update((row.number, record_id) for row, record_id in self.unchanged)
        return ids


class UidKey(NamedTuple):
    """The key of a row that names its record by uid: rows are the same record only by it."""

    uid: str


def _chunks(items: Sequence[Any]) -> list[Sequence[Any]]:
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]


class AccountIndex:
    """Finds an account by name or domain, as the ``account`` column of a file names it."""

    def __init__(self, session: Session) -> None:
        self.by_domain: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        rows = session.execute(select(Account.id, Account.name, Account.domain))
        for account_id, name, domain in rows:
            if domain:
                self.by_domain[domain.lower()] = account_id
            self.by_name[name.strip().lower()].append(account_id)

    def find(self, text: str) -> int | str:
        """The account's id, or the reason none is found."""
        key = text.strip().lower()
        key_as_domain = key.removeprefix("https://").removeprefix("http://").removeprefix("www.")
        found = self.by_domain.get(key_as_domain.rstrip("/"))
        if found is not None:
            return found
        matches = self.by_name.get(key, [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            return f"'{text}' names {len(matches)} accounts; use the account's domain instead"
        return f"no account is named '{text}' or has it as domain; import the accounts first"


class KindImport:
    """How one KIND is matched and written; subclasses fill in the kind's rules."""

    model: ClassVar[type[Base]]
    #: CSV column -> model column, for the values copied as they are.
    copied: ClassVar[dict[str, str]] = {}
    #: Words naming the natural key, for "repeats row N (same …)".
    key_words: ClassVar[str] = "same values"

    def __init__(self, session: Session, source: SourceFile, today: date) -> None:
        self.session = session
        self.source = source
        self.today = today
        self.table: Table = bulk.table_of(self.model)
        self.stored: dict[int, dict[str, Any]] = {}
        self.ledger_movements: list[dict[str, Any]] = []

    # -- hooks ---------------------------------------------------------------------------

    def prepare(self, rows: list[SourceRow]) -> None:
        """Load what matching needs (called once the rows' accounts are known)."""

    def key(self, row: SourceRow) -> Hashable:
        """The row's natural key; two rows with the same key are the same record."""
        raise NotImplementedError

    def identity(self, row: SourceRow) -> Hashable:
        """What makes two rows of a file the same record (the natural key unless overridden)."""
        return self.key(row)

    def match(self, row: SourceRow) -> int | None:
        """The id of the stored record the row updates, or None for a new record."""
        raise NotImplementedError

    def fields(self, row: SourceRow) -> dict[str, Any]:
        """Model column -> value, for the columns the row gives."""
        values = {self.copied[k]: v for k, v in row.values.items() if k in self.copied}
        if row.account_id is not None and "account_id" in self.table.columns:
            values["account_id"] = row.account_id
        return values

    def check(self, plan: Plan) -> None:
        """Rules across rows (uniqueness, reporting lines); add problems to rows."""

    def after_write(self, plan: Plan, ids: dict[int, int]) -> None:
        """Writes that follow the rows' own (attendees, ledger), given row number -> id."""

    # -- the common path -----------------------------------------------------------------

    def load_stored(
        self,
        columns: Sequence[str],
        by: str | None = None,
        values: Sequence[object] = (),
    ) -> list[tuple[Any, ...]]:
        """Stored rows, raw as SQLite holds them, kept in ``self.stored`` for comparing.

        Args:
            columns: the columns to read (the id comes first in each returned row).
            by: read only rows whose column ``by`` is one of ``values`` (else every row).
        """
        select_sql = f"SELECT id, {', '.join(columns)} FROM {self.table.name}"
        connection = self.session.connection()
        found: list[tuple[Any, ...]] = []
        if by is None:
            found = [tuple(r) for r in connection.exec_driver_sql(select_sql)]
        else:
            for chunk in _chunks(sorted(set(values), key=str)):
                marks = ", ".join("?" * len(chunk))
                sql = f"{select_sql} WHERE {by} IN ({marks})"
                found += [tuple(r) for r in connection.exec_driver_sql(sql, tuple(chunk))]
        for record in found:
            self.stored[record[0]] = dict(zip(columns, record[1:], strict=True))
        return found

    @staticmethod
    def accounts_of(rows: list[SourceRow]) -> list[int]:
        """The accounts the rows belong to."""
        return [r.account_id for r in rows if r.account_id is not None]

    def plan(self, rows: list[SourceRow]) -> Plan:
        """Match every valid row and work out what changes."""
        plan = Plan([], [], [])
        seen: dict[Hashable, int] = {}
        matched: dict[int, int] = {}
        for row in rows:
            key = self.identity(row)
            if key in seen:
                words = "same uid" if isinstance(key, UidKey) else self.key_words
                self.source.problem(row, None, f"repeats row {seen[key]} ({words})")
                continue
            seen[key] = row.number
            record_id = self.match(row)
            if record_id is not None and record_id in matched:
                self.source.problem(
                    row, None, f"updates the same record as row {matched[record_id]}"
                )
                continue
            values = self.fields(row)
            if record_id is None:
                plan.inserts.append((row, values))
                continue
            matched[record_id] = row.number
            stored = self.stored[record_id]
            changed = {c: v for c, v in values.items() if bulk.to_db(v) != stored.get(c)}
            if changed:
                plan.updates.append((row, record_id, changed))
            else:
                plan.unchanged.append((row, record_id))
        self.check(plan)
        return plan

    def write(self, plan: Plan) -> dict[int, int]:
        """Insert and update; returns row number -> record id for every planned row."""
        ids = plan.known_ids()
        new_ids = bulk.insert_rows(self.session, self.table, [v for _, v in plan.inserts])
        ids.update(
            (row.number, new_id) for (row, _), new_id in zip(plan.inserts, new_ids, strict=True)
        )
        bulk.update_rows(self.session, self.table, ((i, c) for _, i, c in plan.updates))
        self.after_write(plan, ids)
        return ids


# ------------------------------------------------------------------------------ accounts


class AccountsImport(KindImport):
    model = Account
    copied: ClassVar[dict[str, str]] = {
        c: c
        for c in (
            "name",
            "domain",
            "industry",
            "segment",
            "tier",
            "owner",
            "customer_since",
            "checkin_cadence_days",
            "external_id",
        )
    }
    key_words = "same external id, domain or name"

    def prepare(self, rows: list[SourceRow]) -> None:
        del rows
        self.load_stored(list(self.copied))
        self.by_external = {s["external_id"]: i for i, s in self.stored.items() if s["external_id"]}
        self.by_domain = {s["domain"]: i for i, s in self.stored.items() if s["domain"]}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        for record_id, stored in self.stored.items():
            self.by_name[stored["name"].lower()].append(record_id)

    def key(self, row: SourceRow) -> Hashable:
        values = row.values
        for name in ("external_id", "domain"):
            if name in values:
                return (name, values[name])
        return ("name", values["name"].lower())

    def match(self, row: SourceRow) -> int | None:
        values = row.values
        if "external_id" in values and values["external_id"] in self.by_external:
            return self.by_external[values["external_id"]]
        if "domain" in values and values["domain"] in self.by_domain:
            return self.by_domain[values["domain"]]
        if "external_id" in values or "domain" in values:
            return None  # a new account; a name twin without those ids is another company
        candidates = self.by_name.get(values["name"].lower(), [])
        if len(candidates) > 1:
            self.source.problem(row, "name", "matches several accounts; add their domain")
        return candidates[0] if len(candidates) == 1 else None

    def check(self, plan: Plan) -> None:
        """A domain or external id may belong to one account only."""
        for column in ("domain", "external_id"):
            owner = {s[column]: i for i, s in self.stored.items() if s[column]}
            for row, record_id, values in self._writes(plan):
                value = values.get(column)
                if value is not None and owner.get(value, record_id) != record_id:
                    name = self.stored[owner[value]]["name"]
                    self.source.problem(row, column, f"'{value}' already belongs to {name}")
        self.arr_targets = [(row, row.values["arr"]) for row in plan.rows() if "arr" in row.values]

    @staticmethod
    def _writes(plan: Plan) -> list[tuple[SourceRow, int | None, dict[str, Any]]]:
        return [(r, None, v) for r, v in plan.inserts] + list(plan.updates)

    def ledger_plan(self, ids: dict[int, int]) -> list[dict[str, Any]]:
        """Opening balances for accounts whose ledger is empty.

        The ledger is the history of ARR, so a file's ``arr`` never rewrites it: an account
        with movements keeps them, and a differing figure is only counted
        (``ledger_kept``) so the user can import the movements that explain it.
        """
        from am_desktop.services.ledger import arr_by_account_in

        current = arr_by_account_in(self.session, self.today)
        with_history = set(self.session.scalars(select(ArrMovement.account_id).distinct()))
        movements = []
        self.ledger_kept = 0
        for row, target in self.arr_targets:
            account_id = ids.get(row.number)
            if account_id in with_history:
                self.ledger_kept += current.get(account_id, 0) != target
                continue
            if target == 0:
                continue
            since = row.values.get("customer_since")
            movements.append(
                {
                    "account_id": account_id,
                    "occurred_on": since if since and since <= self.today else self.today,
                    "type": MovementType.NEW,
                    "amount_cents": target,
                    "source": "import",
                    "comment": "Opening ARR from an imported accounts file",
                }
            )
        return movements

    def after_write(self, plan: Plan, ids: dict[int, int]) -> None:
        del plan
        self.ledger_movements = self.ledger_plan(ids)
        bulk.insert_rows(self.session, bulk.table_of(ArrMovement), self.ledger_movements)


# ------------------------------------------------------------------------------ contacts


class ContactsImport(KindImport):
    model = Contact
    copied: ClassVar[dict[str, str]] = {
        c: c
        for c in (
            "first_name",
            "last_name",
            "email",
            "phone",
            "title",
            "role",
            "sentiment",
            "influence",
        )
    }
    key_words = "same e-mail, or same name at the account"
    _columns = (*copied.values(), "account_id", "reports_to_id")

    def prepare(self, rows: list[SourceRow]) -> None:
        emails = sorted(
            {r.values[k] for r in rows for k in ("email", "reports_to") if k in r.values}
        )
        self.load_stored(self._columns, "email", emails)
        # Rows without an e-mail match by name at their account.
        unnamed = [r for r in rows if "email" not in r.values]
        self.load_stored(self._columns, "account_id", self.accounts_of(unnamed))
        self.by_email = {s["email"]: i for i, s in self.stored.items() if s["email"]}
        self.by_name: dict[Hashable, int] = {
            (s["account_id"], (s["first_name"] or "").lower(), s["last_name"].lower()): i
            for i, s in self.stored.items()
        }

    def key(self, row: SourceRow) -> Hashable:
        if "email" in row.values:
            return str(row.values["email"])
        return (
            row.account_id,
            row.values.get("first_name", "").lower(),
            row.values["last_name"].lower(),
        )

    def match(self, row: SourceRow) -> int | None:
        if "email" in row.values:
            return self.by_email.get(row.values["email"])
        return self.by_name.get(self.key(row))

    def plan(self, rows: list[SourceRow]) -> Plan:
        self.next_id = bulk.next_id(self.session, self.table)
        return super().plan(rows)

    def check(self, plan: Plan) -> None:
        """Give new contacts their ids, then resolve and check every reporting line."""
        new_ids = {row.number: self.next_id + n for n, (row, _) in enumerate(plan.inserts)}
        file_ids = {
            row.values["email"]: new_ids.get(row.number, record_id)
            for row, record_id in self._rows_with_ids(plan, new_ids)
            if "email" in row.values
        }
        account_of = {i: s["account_id"] for i, s in self.stored.items()}
        manager_of: dict[int, int | None] = {i: s["reports_to_id"] for i, s in self.stored.items()}
        rows_by_id = {}
        for row, record_id in self._rows_with_ids(plan, new_ids):
            account_of[record_id] = row.account_id
            rows_by_id[record_id] = row
        for row, record_id in self._rows_with_ids(plan, new_ids):
            email = row.values.get("reports_to")
            if email is None:
                continue
            manager = file_ids.get(email, self.by_email.get(email))
            if manager is None:
                self.source.problem(row, "reports_to", f"no contact has the e-mail {email}")
            elif manager == record_id:
                self.source.problem(row, "reports_to", "a contact cannot report to themselves")
            elif account_of.get(manager) != row.account_id:
                self.source.problem(row, "reports_to", f"{email} works at another account")
            else:
                manager_of[record_id] = manager
        for record_id, row in rows_by_id.items():
            seen, current = set(), manager_of.get(record_id)
            while current is not None and current not in seen:
                if current == record_id:
                    self.source.problem(row, "reports_to", "makes a reporting loop")
                    break
                seen.add(current)
                current = self._stored_manager(manager_of, current)
        self._apply_managers(plan, new_ids, manager_of)

    def _stored_manager(self, manager_of: dict[int, int | None], contact_id: int) -> int | None:
        """A contact's manager; contacts the file does not name are read when a line needs them."""
        if contact_id not in manager_of:
            found = (
                self.session.connection()
                .exec_driver_sql("SELECT reports_to_id FROM contact WHERE id = ?", (contact_id,))
                .first()
            )
            manager_of[contact_id] = found[0] if found else None
        return manager_of[contact_id]

    @staticmethod
    def _rows_with_ids(plan: Plan, new_ids: dict[int, int]) -> list[tuple[SourceRow, int]]:
        return (
            [(row, new_ids[row.number]) for row, _ in plan.inserts]
            + [(row, record_id) for row, record_id, _ in plan.updates]
            + list(plan.unchanged)
        )

    def _apply_managers(
        self, plan: Plan, new_ids: dict[int, int], manager_of: dict[int, int | None]
    ) -> None:
        for row, values in plan.inserts:
            values["id"] = new_ids[row.number]
            if "reports_to" in row.values:
                values["reports_to_id"] = manager_of.get(values["id"])
        for row, record_id in list(plan.unchanged):
            if (
                "reports_to" in row.values
                and manager_of.get(record_id) != self.stored[record_id]["reports_to_id"]
            ):
                plan.unchanged.remove((row, record_id))
                plan.updates.append((row, record_id, {"reports_to_id": manager_of[record_id]}))
        for row, record_id, changed in plan.updates:
            if (
                "reports_to" in row.values
                and manager_of.get(record_id) != self.stored[record_id]["reports_to_id"]
            ):
                changed["reports_to_id"] = manager_of[record_id]
        # Managers before their reports: foreign keys are checked row by row.
        depth = {}
        fresh = set(new_ids.values())
        for _row, values in plan.inserts:
            node, steps = values["id"], 0
            while manager_of.get(node) in fresh and steps < len(plan.inserts):
                node, steps = manager_of[node], steps + 1
            depth[values["id"]] = steps
        plan.inserts.sort(key=lambda item: depth[item[1]["id"]])


# ------------------------------------------------------------------------------ contracts


class NaturalKeyImport(KindImport):
    """Records of an account known by a natural key within it (a contract's start, a day).

    A row with a ``uid`` (as export writes) is matched by it alone, since natural keys may
    repeat among stored records; a new uid is kept, so the file imports back one for one.
    """

    #: Stored columns read besides the copied ones.
    extra_columns: ClassVar[tuple[str, ...]] = ("account_id",)

    def stored_key(self, stored: dict[str, Any]) -> Hashable:
        """The natural key of a stored row (raw values), comparable with :meth:`key`."""
        raise NotImplementedError

    def prepare(self, rows: list[SourceRow]) -> None:
        columns = [*self.copied.values(), *self.extra_columns, "uid"]
        plain = [r for r in rows if "uid" not in r.values]
        self.load_stored(columns, "account_id", self.accounts_of(plain))
        self.load_stored(columns, "uid", [r.values["uid"] for r in rows if "uid" in r.values])
        self.by_key = {self.stored_key(s): i for i, s in self.stored.items()}
        self.by_uid = {s["uid"]: i for i, s in self.stored.items()}

    def identity(self, row: SourceRow) -> Hashable:
        return UidKey(row.values["uid"]) if "uid" in row.values else self.key(row)

    def match(self, row: SourceRow) -> int | None:
        if "uid" in row.values:
            return self.by_uid.get(row.values["uid"])
        return self.by_key.get(self.key(row))

    def fields(self, row: SourceRow) -> dict[str, Any]:
        values = super().fields(row)
        if "uid" in row.values:
            values["uid"] = row.values["uid"]
        return values

    def contacts_by_email(self, emails: Iterable[str]) -> dict[tuple[int | None, str], int]:
        """(account id, e-mail) -> contact id, for linking rows to the people they name."""
        found: dict[tuple[int | None, str], int] = {}
        for chunk in _chunks(sorted(set(emails))):
            query = select(Contact.id, Contact.account_id, Contact.email).where(
                Contact.email.in_(chunk)
            )
            for contact_id, account_id, email in self.session.execute(query):
                found[(account_id, email)] = contact_id
        return found


class ContractsImport(NaturalKeyImport):
    model = Contract
    copied: ClassVar[dict[str, str]] = {
        "name": "name",
        "start_date": "start_date",
        "end_date": "end_date",
        "arr": "arr_cents",
        "currency": "currency",
        "auto_renew": "auto_renew",
        "notice_days": "notice_days",
    }
    key_words = "same account, contract name and start date"

    def stored_key(self, stored: dict[str, Any]) -> Hashable:
        return (stored["account_id"], (stored["name"] or "").lower(), stored["start_date"])

    def key(self, row: SourceRow) -> Hashable:
        return (
            row.account_id,
            row.values.get("name", "").lower(),
            row.values["start_date"].isoformat(),
        )

    def check(self, plan: Plan) -> None:
        for row, *_ in plan.inserts + plan.updates:
            if row.values["end_date"] < row.values["start_date"]:
                self.source.problem(row, "end_date", "is before the start date")

    def after_write(self, plan: Plan, ids: dict[int, int]) -> None:
        """Every new contract gets its renewal, not started, as contracts made in the window do."""
        new = [ids[row.number] for row, _ in plan.inserts]
        if new:
            renewals = [{"contract_id": contract_id} for contract_id in new]
            bulk.insert_rows(self.session, bulk.table_of(Renewal), renewals)


# ------------------------------------------------------------------------------ ARR ledger


class ArrImport(KindImport):
    """Movements have no identity of their own: a row matches an identical stored movement,
    each stored one matching at most one row, so a file re-imported adds nothing."""

    model = ArrMovement
    copied: ClassVar[dict[str, str]] = {
        "date": "occurred_on",
        "type": "type",
        "amount": "amount_cents",
    }

    def prepare(self, rows: list[SourceRow]) -> None:
        """Index the live movements the file could repeat: its accounts, within its dates."""
        self.available: dict[Hashable, list[int]] = defaultdict(list)
        if not rows:
            return
        days = [row.values["date"].isoformat() for row in rows]
        connection = self.session.connection()
        for chunk in _chunks(sorted(set(self.accounts_of(rows)))):
            sql = (
                "SELECT id, account_id, occurred_on, type, amount_cents FROM arr_movement "
                "WHERE archived_at IS NULL AND occurred_on BETWEEN ? AND ? "
                f"AND account_id IN ({', '.join('?' * len(chunk))})"
            )
            for record_id, *key in connection.exec_driver_sql(sql, (min(days), max(days), *chunk)):
                self.available[tuple(key)].append(record_id)

    def plan(self, rows: list[SourceRow]) -> Plan:
        plan = Plan([], [], [])
        for row in rows:
            values = self.fields(row)
            values["source"] = "import"
            key = (
                row.account_id,
                values["occurred_on"].isoformat(),
                values["type"].value,
                values["amount_cents"],
            )
            twins = self.available.get(key)
            if twins:
                plan.unchanged.append((row, twins.pop()))
            else:
                plan.inserts.append((row, values))
        return plan


# ------------------------------------------------------------------------------ notes


class NotesImport(NaturalKeyImport):
    model = Note
    copied: ClassVar[dict[str, str]] = {
        "occurred_at": "occurred_at",
        "kind": "kind",
        "title": "title",
        "body": "body",
    }
    key_words = "same account, date and time, and title"

    def stored_key(self, stored: dict[str, Any]) -> Hashable:
        return (stored["account_id"], stored["occurred_at"], (stored["title"] or "").lower())

    def prepare(self, rows: list[SourceRow]) -> None:
        super().prepare(rows)
        self.contacts = self.contacts_by_email(
            e for r in rows for e in r.values.get("attendees", ())
        )

    def key(self, row: SourceRow) -> Hashable:
        return (
            row.account_id,
            bulk.to_db(row.values["occurred_at"]),
            row.values.get("title", "").lower(),
        )

    def check(self, plan: Plan) -> None:
        """A changed list of attendees is an edit of the note."""
        with_attendees = [(r, i) for r, i in plan.unchanged if "attendees" in r.values] + [
            (r, i) for r, i, _ in plan.updates if "attendees" in r.values
        ]
        stored = self._stored_attendees([i for _, i in with_attendees])
        for row, record_id in with_attendees:
            if set(row.values["attendees"]) != stored.get(record_id, set()):
                if (row, record_id) in plan.unchanged:
                    plan.unchanged.remove((row, record_id))
                    plan.updates.append((row, record_id, {}))
                self.attendees_changed.add(record_id)

    def plan(self, rows: list[SourceRow]) -> Plan:
        self.attendees_changed: set[int] = set()
        return super().plan(rows)

    def _stored_attendees(self, note_ids: list[int]) -> dict[int, set[str]]:
        found: dict[int, set[str]] = defaultdict(set)
        for chunk in _chunks(sorted(note_ids)):
            query = (
                select(NoteAttendee.note_id, NoteAttendee.email, Contact.email)
                .outerjoin(Contact, Contact.id == NoteAttendee.contact_id)
                .where(NoteAttendee.note_id.in_(chunk))
            )
            for note_id, own_email, contact_email in self.session.execute(query):
                if own_email or contact_email:
                    found[note_id].add(own_email or contact_email)
        return found

    def after_write(self, plan: Plan, ids: dict[int, int]) -> None:
        """Attendees of new notes and of notes whose list changed; last touch and contact."""
        for chunk in _chunks(sorted(self.attendees_changed)):
            self.session.execute(delete(NoteAttendee).where(NoteAttendee.note_id.in_(chunk)))
        attendees: list[dict[str, Any]] = []
        touched: dict[int, datetime] = {}
        contacted: dict[int, datetime] = {}
        for row, *_ in plan.inserts + plan.updates:
            note_id, when = ids[row.number], row.values["occurred_at"]
            if row.account_id is not None:
                touched[row.account_id] = max(when, touched.get(row.account_id, when))
            if note_id in self.stored and note_id not in self.attendees_changed:
                continue
            for email in row.values.get("attendees", ()):
                contact_id = self.contacts.get((row.account_id, email))
                attendees.append({"note_id": note_id, "contact_id": contact_id, "email": email})
                if contact_id is not None:
                    contacted[contact_id] = max(when, contacted.get(contact_id, when))
        bulk.insert_rows(self.session, bulk.table_of(NoteAttendee), attendees)
        bulk.advance_timestamps(self.session, "account", "last_touch_at", touched)
        bulk.advance_timestamps(self.session, "contact", "last_contacted_at", contacted)


# ------------------------------------------------------------------------------ surveys, usage


class SurveysImport(NaturalKeyImport):
    model = SurveyResponse
    copied: ClassVar[dict[str, str]] = {
        "date": "responded_on",
        "kind": "kind",
        "score": "score",
        "contact_email": "contact_email",
        "comment": "comment",
    }
    key_words = "same account, date, kind and respondent"

    extra_columns = ("account_id", "contact_id")

    def stored_key(self, stored: dict[str, Any]) -> Hashable:
        kind, email = stored["kind"], stored["contact_email"] or ""
        return (stored["account_id"], stored["responded_on"], kind, email)

    def prepare(self, rows: list[SourceRow]) -> None:
        super().prepare(rows)
        self.contacts = self.contacts_by_email(
            r.values["contact_email"] for r in rows if "contact_email" in r.values
        )

    def key(self, row: SourceRow) -> Hashable:
        v = row.values
        return (row.account_id, v["date"].isoformat(), v["kind"].value, v.get("contact_email", ""))

    def fields(self, row: SourceRow) -> dict[str, Any]:
        values = super().fields(row)
        email = row.values.get("contact_email")
        if email is not None:
            values["contact_id"] = self.contacts.get((row.account_id, email))
        return values

    def check(self, plan: Plan) -> None:
        for row, *_ in plan.inserts + plan.updates + plan.unchanged:
            kind: SurveyKind = row.values["kind"]
            low, high = kind.score_range
            if not low <= row.values["score"] <= high:
                self.source.problem(
                    row, "score", f"a {kind.label} score is between {low} and {high}"
                )


class UsageImport(NaturalKeyImport):
    model = UsageSample
    copied: ClassVar[dict[str, str]] = {
        "date": "sampled_on",
        "active_users": "active_users",
        "licensed_seats": "licensed_seats",
    }
    key_words = "same account and date"

    def stored_key(self, stored: dict[str, Any]) -> Hashable:
        return (stored["account_id"], stored["sampled_on"])

    def key(self, row: SourceRow) -> Hashable:
        return (row.account_id, row.values["date"].isoformat())


#: Kinds whose rows change an account's summary (ARR, next renewal).
_SUMMARISED = frozenset({"accounts", "arr", "contracts"})

IMPORTERS: dict[str, type[KindImport]] = {
    "accounts": AccountsImport,
    "contacts": ContactsImport,
    "contracts": ContractsImport,
    "arr": ArrImport,
    "notes": NotesImport,
    "surveys": SurveysImport,
    "usage": UsageImport,
}


# ------------------------------------------------------------------------------ the action


def _plan_all(
    importer: KindImport, source: SourceFile, skip_invalid: bool
) -> tuple[Plan, list[SourceRow]]:
    """Resolve accounts and plan; when skipping, drop invalid rows and plan again."""
    if importer.model is not Account:
        accounts = AccountIndex(importer.session)
        for row in source.rows:
            if "account" in row.values:
                found = accounts.find(row.values["account"])
                if isinstance(found, str):
                    source.problem(row, "account", found)
                else:
                    row.account_id = found
    rows = [row for row in source.rows if row.valid]
    importer.prepare(rows)
    while True:
        plan = importer.plan(rows)
        invalid = [row for row in rows if not row.valid]
        if not invalid:
            return plan, [row for row in source.rows if not row.valid]
        if not skip_invalid:
            return plan, [row for row in source.rows if not row.valid]
        rows = [row for row in rows if row.valid]


def import_csv(
    store: Store,
    kind: str,
    path: Path,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    today: date | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    mapping: Mapping[str, str | None] | None = None,
) -> ImportSummary:
    """Import a CSV file of ``kind`` (PRODUCT.md §2) as one transaction.

    Args:
        dry_run: validate and count, write nothing.
        skip_invalid: leave invalid rows out instead of refusing the file.
        today: the date ledger movements from an accounts file's ``arr`` are dated.
        mapping: the user's choice of column for some headers (see ``read_csv``).

    Raises:
        ImportRejected: some rows are invalid (and ``skip_invalid`` is off); nothing written.
        ValidationError: the file cannot be read or lacks a required column.
    """
    with bulk.no_garbage_collection(), origin(Origin.IMPORT):
        return _import(
            store,
            kind,
            path,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            today=today,
            progress=progress,
            cancel=cancel,
            mapping=mapping,
        )


def _import(
    store: Store,
    kind: str,
    path: Path,
    *,
    dry_run: bool,
    skip_invalid: bool,
    today: date | None,
    progress: Progress,
    cancel: CancelToken | None,
    mapping: Mapping[str, str | None] | None,
) -> ImportSummary:
    progress(0, 3, "Reading the file")
    source = read_csv(kind, path, mapping)
    if cancel:
        cancel.raise_if_cancelled()
    progress(1, 3, "Checking every row")
    with store.read() if dry_run else store.write(bulk=True) as session, bulk.bulk_cache(session):
        importer = IMPORTERS[kind](session, source, today or date.today())
        plan, invalid = _plan_all(importer, source, skip_invalid)
        problems = tuple(p for row in invalid for p in row.problems)
        if invalid and not skip_invalid:
            raise ImportRejected(problems, len(source.rows))
        if cancel:
            cancel.raise_if_cancelled()
        movements = kept = 0
        if dry_run:
            if isinstance(importer, AccountsImport):
                movements = len(importer.ledger_plan(plan.known_ids()))
        else:
            progress(2, 3, "Writing")
            ids = importer.write(plan)
            if kind in _SUMMARISED:
                accounts = ids.values() if kind == "accounts" else importer.accounts_of(plan.rows())
                summaries.refresh(session, importer.today, accounts)
            movements = len(importer.ledger_movements)
        if isinstance(importer, AccountsImport):
            kept = importer.ledger_kept
    summary = ImportSummary(
        kind=kind,
        rows=len(source.rows),
        added=len(plan.inserts),
        updated=len(plan.updates),
        unchanged=len(plan.unchanged),
        skipped=len(invalid),
        problems=problems,
        ignored_headers=source.ignored_headers,
        ledger_movements=movements,
        ledger_kept=kept,
        dry_run=dry_run,
    )
    progress(3, 3, "Done")
    log.io.info("import %s from %s: %s", kind, path, summary)
    return summary
