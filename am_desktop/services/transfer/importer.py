"""CSV import (PRODUCT.md §2): validate every row, then write all of it in one transaction.

The file is streamed twice, a batch of rows at a time, so memory does not grow with it: a
checking pass keeps only what matching needs across batches (each row's key and number, the
problems found, capped) and a writing pass, in the same transaction, writes batch by batch.

- Invalid rows: nothing is written and every problem is listed, unless ``skip_invalid``.
- A row updates the record it matches (external id, else domain or e-mail, else name or the
  kind's natural key) instead of adding a second one; importing a file twice changes nothing.
- A column the file does not have, or an empty cell, leaves the stored value alone; a value
  rewritten unchanged is not an edit (no version bump, nothing to sync).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

from sqlalchemy import Table, delete, func, select
from sqlalchemy.orm import Session

from am_desktop import log
from am_desktop.db.base import Base
from am_desktop.db.deferred_indexes import indexes_built_afterwards
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
from am_desktop.domain import fx
from am_desktop.domain.cancel import CancelToken, Progress, no_progress
from am_desktop.domain.changes import Origin, origin
from am_desktop.domain.enums import MovementType, SurveyKind
from am_desktop.domain.money import minor_units
from am_desktop.domain.values import within_money_bound
from am_desktop.errors import ImportRejected, RowProblem
from am_desktop.services import summaries
from am_desktop.services.store import Store, driver_connection
from am_desktop.services.transfer import bulk
from am_desktop.services.transfer.batches import ProblemList, batches, read_ahead
from am_desktop.services.transfer.csv_reader import SourceFile, SourceRow, open_source
from am_desktop.services.transfer.key_lookup import matching_rows
from am_desktop.services.transfer.seen_keys import SeenKeys

_CHUNK = 500  # SQLite's limit on host parameters is generous, but lists stay short
#: Rows read, checked and written together: large enough for executemany, small in memory.
BATCH_ROWS = 5_000
#: SQLite's page cache while importing: the indexes a file's rows touch, and a bounded
#: part of the memory an import may take whatever the file's size.
IMPORT_CACHE_KIB = 32 * 1024
#: Problems kept to list; a file full of errors has the rest counted, not held.
PROBLEMS_KEPT = 1_000
#: A file this many times its table's rows is a large import: the table's secondary indexes
#: its lookups do not read are built once after the write (sorting once beats keeping them
#: sorted row by row: an ARR file of 200,000 rows writes in half the time).
LARGE_IMPORT_SHARE = 0.25
#: SQLite's page cache, and so its sorter's memory, while those indexes are built.
REBUILD_CACHE_KIB = 4 * 1024
#: Bytes a CSV row takes at least, to guess from a file's size how many rows it brings.
ROW_BYTES_GUESS = 64


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
    #: Problems found beyond those in ``problems`` (only the first ones are kept).
    unlisted_problems: int = 0


@dataclass(slots=True)
class Plan:
    """The writes an import will make."""

    inserts: list[tuple[SourceRow, dict[str, Any]]]
    updates: list[tuple[SourceRow, int, dict[str, Any]]]
    unchanged: list[tuple[SourceRow, int]]

    def drop(self, numbers: set[int]) -> None:
        """Leave out the rows numbered in ``numbers``."""
        self.inserts = [item for item in self.inserts if item[0].number not in numbers]
        self.updates = [item for item in self.updates if item[0].number not in numbers]
        self.unchanged = [item for item in self.unchanged if item[0].number not in numbers]

    def rows(self) -> list[SourceRow]:
        """Every planned row: added, updated or unchanged."""
        return (
            [row for row, _ in self.inserts]
            + [row for row, _, _ in self.updates]
            + [row for row, _ in self.unchanged]
        )

    def known_ids_by_row(self) -> list[tuple[SourceRow, int]]:
        """Each planned row that matches a stored record, with the record's id."""
        return [(row, record_id) for row, record_id, _ in self.updates] + list(self.unchanged)

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
        self.found: dict[str, int | str] = {}  # a file names the same accounts over and over
        rows = session.execute(select(Account.id, Account.name, Account.domain))
        for account_id, name, domain in rows:
            if domain:
                self.by_domain[domain.lower()] = account_id
            self.by_name[name.strip().lower()].append(account_id)

    def find(self, text: str) -> int | str:
        """The account's id, or the reason none is found."""
        found = self.found.get(text)
        if found is None:
            found = self.found[text] = self._find(text)
        return found

    def _find(self, text: str) -> int | str:
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
    #: Indexes the kind's lookups read while the file is written: never dropped for a large
    #: import (every other secondary index of the table is built after it). None: the kind
    #: keeps every index (its lookups were not worked out).
    lookup_indexes: ClassVar[frozenset[str] | None] = None

    def __init__(
        self, session: Session, source: SourceFile, today: date, default_currency: str = "USD"
    ) -> None:
        self.session = session
        self.source = source
        self.today = today
        #: The AM's currency: a new account's when the file has no currency column.
        self.default_currency = default_currency
        self.table: Table = bulk.table_of(self.model)
        #: Whether the kind's records belong to an account (looked up once, not per row).
        self.has_account = "account_id" in self.table.columns
        self.stored: dict[int, dict[str, Any]] = {}
        #: Records from this id on are the import's own: matching never reads them.
        self.id_bound = bulk.next_id(session, self.table)
        self.checking = True
        self.seen = SeenKeys()
        self.matched: dict[int, int] = {}

    # -- passes and batches ----------------------------------------------------------------

    def begin(self, checking: bool) -> None:
        """Start the checking pass or the writing pass over the file."""
        self.checking = checking
        self.seen = SeenKeys()
        self.matched = {}

    def begin_batch(self) -> None:
        """Forget the previous batch's stored records."""
        self.stored.clear()

    def whole_file_rules(self) -> bool:
        """Whether a rule needs every row read before any is written (then the file is
        checked in one pass and written in a second)."""
        return False

    def finish(self, invalid: set[int], skip_invalid: bool) -> list[RowProblem]:
        """Rules across the whole file, once every row was checked (rows in ``invalid``
        left out); the problems found."""
        del invalid, skip_invalid
        return []

    def currency_of(self, row: SourceRow) -> str:
        """The currency of a row's amounts: its own ``currency`` cell, else its account's
        (issue 20)."""
        given = row.values.get("currency")
        if isinstance(given, str):
            return given
        if row.account_id is None:
            return self.default_currency
        known: dict[int, str] = self.__dict__.setdefault("_account_currencies", {})
        if row.account_id not in known:
            found = self.session.scalar(
                select(Account.currency).where(Account.id == row.account_id)
            )
            known[row.account_id] = found or self.default_currency
        return known[row.account_id]

    def in_currency(
        self,
        row: SourceRow,
        values: dict[str, Any],
        column: str,
        field: str,
        stored: str | None = None,
    ) -> None:
        """Set the row's currency (its own, else ``stored``, the record's, else its
        account's) and turn its amount ``field`` (as written) into the currency's minor
        units (JPY has none, KWD three); a problem when it has more decimals."""
        given = row.values.get("currency")
        code = given if isinstance(given, str) else stored or self.currency_of(row)
        values["currency"] = code
        if field in values:
            values[field] = self.minor(row, column, values[field], code)

    def minor(self, row: SourceRow, column: str, amount: Decimal, currency: str) -> int:
        """``amount`` in ``currency``'s minor units; 0 and a problem of the row's ``column``
        when the currency cannot hold it (too many decimals, too large)."""
        try:
            return within_money_bound(minor_units(amount, currency), amount)
        except ValueError as error:
            self.source.problem(row, column, str(error))
            return 0

    def problem(self, number: int, column: str | None, reason: str) -> RowProblem:
        """A problem of row ``number``, naming the column as the file's header writes it."""
        header = self.source.headers.get(column, column) if column else None
        return RowProblem(number, header, reason)

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
        copied = self.copied
        values = {copied[k]: v for k, v in row.values.items() if k in copied}
        if row.account_id is not None and self.has_account:
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
        if self.id_bound == 1:
            return []  # the table was empty: nothing to match (a first import of a kind)
        select_sql = f"SELECT id, {', '.join(columns)} FROM {self.table.name} WHERE id < ?"
        connection = self.session.connection()
        found: list[tuple[Any, ...]] = []
        if by is None:
            found = [tuple(r) for r in connection.exec_driver_sql(select_sql, (self.id_bound,))]
        else:
            # Ordered as the value's index gives them (records sharing a value by id), so a
            # later record wins a tie in the dictionaries built from ``stored`` as it did
            # when these were read 500 values at a time.
            sql = (
                f"SELECT s.id, {', '.join(f's.{c}' for c in columns)} "
                f"FROM {{keys}} AS k CROSS JOIN {self.table.name} AS s ON s.{by} = k.k0 "
                f"WHERE s.id < ? ORDER BY s.{by}, s.id"
            )
            found = matching_rows(self.session, sql, ((v,) for v in values), (self.id_bound,))
        for record in found:
            self.stored[record[0]] = dict(zip(columns, record[1:], strict=True))
        return found

    @staticmethod
    def accounts_of(rows: list[SourceRow]) -> list[int]:
        """The accounts the rows belong to."""
        return [r.account_id for r in rows if r.account_id is not None]

    def plan(self, rows: list[SourceRow]) -> Plan:
        """Match every valid row and work out what changes.

        Repeats are looked for across the batches of the checking pass (the writing pass
        gets only the rows that passed).
        """
        plan = Plan([], [], [])
        matched, checking = self.matched, self.checking
        repeats = self.repeats(rows) if checking else {}
        for row in rows:
            if repeats and row.number in repeats:
                self.source.problem(row, None, repeats[row.number])
                continue
            record_id = self.match(row)
            if checking and record_id is not None and record_id in matched:
                self.source.problem(
                    row, None, f"updates the same record as row {matched[record_id]}"
                )
                continue
            values = self.fields(row)
            if record_id is None:
                plan.inserts.append((row, values))
                continue
            if checking:
                matched[record_id] = row.number
            stored = self.stored[record_id]
            changed = {c: v for c, v in values.items() if bulk.to_db(v) != stored.get(c)}
            if changed:
                plan.updates.append((row, record_id, changed))
            else:
                plan.unchanged.append((row, record_id))
        self.check(plan)
        return plan

    def repeats(self, rows: list[SourceRow]) -> dict[int, str]:
        """Row number -> "repeats row N (…)", for the rows whose record an earlier row of
        the file (in this batch or an earlier one) already names."""
        keys = [self.identity(row) for row in rows]
        firsts = self.seen.first_rows(keys, [row.number for row in rows])
        found: dict[int, str] = {}
        for row, key, earlier in zip(rows, keys, firsts, strict=True):
            if earlier is not None:
                words = "same uid" if isinstance(key, UidKey) else self.key_words
                found[row.number] = f"repeats row {earlier} ({words})"
        return found

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
            "currency",
        )
    }
    key_words = "same external id, domain or name"

    def begin(self, checking: bool) -> None:
        """Every stored account is read once a pass (before the pass writes any)."""
        super().begin(checking)
        self.stored.clear()
        self.loaded = False
        self.ledger_kept = 0
        self.ledger_written = 0
        self.ledger_basis: tuple[dict[int, dict[str, int]], set[int], fx.RateBook] | None = None

    def begin_batch(self) -> None:
        """The accounts read at the pass's start serve every batch."""

    def prepare(self, rows: list[SourceRow]) -> None:
        del rows
        if self.loaded:
            return
        self.loaded = True
        self.load_stored(list(self.copied))
        self.by_external = {s["external_id"]: i for i, s in self.stored.items() if s["external_id"]}
        self.by_domain = {s["domain"]: i for i, s in self.stored.items() if s["domain"]}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        for record_id, stored in self.stored.items():
            self.by_name[stored["name"].lower()].append(record_id)
        self.owners = {"domain": self.by_domain, "external_id": self.by_external}

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
        """A domain or external id may belong to one account only; a new account without a
        currency takes the AM's; a stated ARR must fit its account's currency."""
        for column, owner in self.owners.items():
            for row, record_id, values in self._writes(plan):
                value = values.get(column)
                if value is not None and owner.get(value, record_id) != record_id:
                    name = self.stored[owner[value]]["name"]
                    self.source.problem(row, column, f"'{value}' already belongs to {name}")
        for _, values in plan.inserts:
            values.setdefault("currency", self.default_currency)
        currencies = {row.number: values["currency"] for row, values in plan.inserts}
        for row, record_id in plan.known_ids_by_row():
            currencies[row.number] = (
                row.values.get("currency") or self.stored[record_id]["currency"]
            )
        self.arr_targets = [
            (row, self.minor(row, "arr", row.values["arr"], currencies[row.number]), code)
            for row in plan.rows()
            if "arr" in row.values
            for code in (currencies[row.number],)
        ]

    @staticmethod
    def _writes(plan: Plan) -> list[tuple[SourceRow, int | None, dict[str, Any]]]:
        return [(r, None, v) for r, v in plan.inserts] + list(plan.updates)

    def ledger_plan(self, ids: dict[int, int]) -> list[dict[str, Any]]:
        """Opening balances for accounts whose ledger is empty.

        The ledger is the history of ARR, so a file's ``arr`` never rewrites it: an account
        with movements keeps them, and a differing figure is only counted
        (``ledger_kept``) so the user can import the movements that explain it. The ledger's
        figure is the one rule's (``summaries.arr_in``: its sums per currency, each other
        currency converted into the file's at the latest rate on or before today), so €100
        and $100 are never "200"; a ledger that cannot be valued (no rate) is not counted.
        """
        from am_desktop.services.ledger import SIGNED_CENTS
        from am_desktop.services.rates import rate_book_in
        from am_desktop.services.store import driver_connection

        if self.ledger_basis is None:  # read once a pass, before its writes
            sums: dict[int, dict[str, int]] = defaultdict(dict)
            for account_id, currency, total in self.session.execute(
                select(ArrMovement.account_id, ArrMovement.currency, func.sum(SIGNED_CENTS))
                .where(ArrMovement.occurred_on <= self.today, ArrMovement.archived_at.is_(None))
                .group_by(ArrMovement.account_id, ArrMovement.currency)
            ):
                sums[account_id][currency] = int(total)
            self.ledger_basis = (
                sums,
                set(self.session.scalars(select(ArrMovement.account_id).distinct())),
                rate_book_in(driver_connection(self.session)),
            )
        current, with_history, book = self.ledger_basis
        movements = []
        for row, target, code in self.arr_targets:
            account_id = ids.get(row.number)
            if not row.valid:
                continue  # left out as invalid
            if account_id in with_history:
                ledger = summaries.arr_in(book, current.get(account_id, {}), code, self.today)
                self.ledger_kept += ledger is not None and ledger != target
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
                    "currency": code,
                    "source": "import",
                    "comment": "Opening ARR from an imported accounts file",
                }
            )
        return movements

    def after_write(self, plan: Plan, ids: dict[int, int]) -> None:
        del plan
        movements = self.ledger_plan(ids)
        self.ledger_written += len(movements)
        bulk.insert_rows(self.session, bulk.table_of(ArrMovement), movements)


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
    lookup_indexes = frozenset({"ix_contact_email", "ix_contact_account_id"})
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

    def begin(self, checking: bool) -> None:
        """Reporting lines are gathered while checking, resolved once the whole file is read
        (a manager may come later in the file), and applied while writing."""
        super().begin(checking)
        self.lines = "reports_to" in self.source.columns
        if checking:
            #: Row numbers of new contacts, in order: the n-th gets id ``id_bound + n``.
            self.new_rows = array("q")
            #: e-mail -> (row number, contact id, account id), for the file's people.
            self.people: dict[str, tuple[int, int, int | None]] = {}
            #: (row number, contact id, account id, manager's e-mail) of each reporting line.
            self.pending: list[tuple[int, int, int | None, str]] = []
            self.manager_of: dict[int, int | None] = {}

    def whole_file_rules(self) -> bool:
        """A contact may report to a manager on any later row."""
        return "reports_to" in self.source.columns

    def new_id(self, number: int) -> int:
        """The id the new contact of row ``number`` gets (as the checking pass gave it)."""
        return self.id_bound + bisect_left(self.new_rows, number)

    def check(self, plan: Plan) -> None:
        """While checking, note each row's id and reporting line; while writing, apply them."""
        if not self.lines:
            return
        if self.checking:
            for row, _ in plan.inserts:
                self.new_rows.append(row.number)
        rows = [(row, self.new_id(row.number)) for row, _ in plan.inserts]
        rows += [(row, record_id) for row, record_id, _ in plan.updates] + plan.unchanged
        if self.checking:
            for row, record_id in rows:
                email = row.values.get("email")
                if email is not None:
                    self.people[email] = (row.number, record_id, row.account_id)
                manager = row.values.get("reports_to")
                if manager is not None:
                    self.pending.append((row.number, record_id, row.account_id, manager))
        else:
            self._apply_managers(plan)

    def finish(self, invalid: set[int], skip_invalid: bool) -> list[RowProblem]:
        """Check every reporting line: the manager exists, at the same account, no loops.

        When invalid rows are left out, a line to a left-out manager is invalid too: checked
        again until no more rows drop out.
        """
        if not self.lines:
            return []
        stored = self._stored_people({email for *_, email in self.pending})
        problems: list[RowProblem] = []
        left_out = set(invalid)
        while True:
            found = self._check_lines(stored, left_out)
            problems += found
            if not found or not skip_invalid:
                return problems
            left_out |= {problem.row for problem in found}

    def _check_lines(
        self, stored: dict[str, tuple[int, int | None]], left_out: set[int]
    ) -> list[RowProblem]:
        found: list[RowProblem] = []

        def line_problem(number: int, reason: str) -> RowProblem:
            return self.problem(number, "reports_to", reason)

        manager_of: dict[int, int | None] = {}
        rows_by_id: dict[int, int] = {}
        for number, record_id, account_id, email in self.pending:
            if number in left_out:
                continue
            person = self.people.get(email)
            if person is not None and person[0] not in left_out:
                manager, manager_account = person[1], person[2]
            elif email in stored:
                manager, manager_account = stored[email]
            else:
                found.append(line_problem(number, f"no contact has the e-mail {email}"))
                continue
            if manager == record_id:
                found.append(line_problem(number, "a contact cannot report to themselves"))
            elif manager_account != account_id:
                found.append(line_problem(number, f"{email} works at another account"))
            else:
                manager_of[record_id] = manager
                rows_by_id[record_id] = number
        lines = dict(manager_of)
        for record_id, number in rows_by_id.items():
            seen, current = set(), manager_of.get(record_id)
            while current is not None and current not in seen:
                if current == record_id:
                    found.append(line_problem(number, "makes a reporting loop"))
                    break
                seen.add(current)
                current = self._stored_manager(manager_of, current)
        self.manager_of = lines
        return found

    def _stored_people(self, emails: set[str]) -> dict[str, tuple[int, int | None]]:
        """e-mail -> (contact id, account id) of stored contacts."""
        found: dict[str, tuple[int, int | None]] = {}
        connection = self.session.connection()
        for chunk in _chunks(sorted(emails)):
            sql = (
                "SELECT id, account_id, email FROM contact WHERE id < ? "
                f"AND email IN ({', '.join('?' * len(chunk))})"
            )
            for contact_id, account_id, email in connection.exec_driver_sql(
                sql, (self.id_bound, *chunk)
            ):
                found[email] = (contact_id, account_id)
        return found

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

    def _apply_managers(self, plan: Plan) -> None:
        """Give new contacts their ids and every row its checked reporting line.

        A manager may be written in a later batch than the report: the writing pass defers
        foreign-key checks to the commit.
        """
        manager_of = self.manager_of
        for row, values in plan.inserts:
            values["id"] = self.new_id(row.number)
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

    def fields(self, row: SourceRow) -> dict[str, Any]:
        """A new contract without a currency takes its account's; the ARR is rescaled to it."""
        values = super().fields(row)
        record_id = self.match(row)
        stored = self.stored[record_id]["currency"] if record_id is not None else None
        self.in_currency(row, values, "arr", "arr_cents", stored)
        if stored is not None and "currency" not in row.values:
            del values["currency"]  # a file without the column leaves the contract's alone
        return values

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
            currency = {ids[row.number]: values["currency"] for row, values in plan.inserts}
            renewals = [
                {"contract_id": contract_id, "currency": currency[contract_id]}
                for contract_id in new
            ]
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
    lookup_indexes = frozenset({"ix_arr_movement_account_date"})

    def begin(self, checking: bool) -> None:
        super().begin(checking)
        #: Stored movements an earlier batch of this pass matched: each matches one row.
        self.used: set[int] = set()

    def prepare(self, rows: list[SourceRow]) -> None:
        """Index the live movements the batch could repeat: its accounts, within its dates."""
        self.available: dict[Hashable, list[int]] = defaultdict(list)
        if not rows:
            return
        # Only movements of a row's own account, day and type can be its twin.
        sql = (
            "SELECT m.id, m.account_id, m.occurred_on, m.type, m.amount_cents, m.currency "
            "FROM {keys} AS k CROSS JOIN arr_movement AS m "
            "ON m.account_id = k.k0 AND m.occurred_on = k.k1 AND m.type = k.k2 "
            "WHERE m.archived_at IS NULL AND m.id < ? ORDER BY m.id"
        )
        keys = (
            (row.account_id, row.values["date"].isoformat(), row.values["type"].value)
            for row in rows
            if row.account_id is not None
        )
        for record_id, *key in matching_rows(self.session, sql, keys, (self.id_bound,)):
            if record_id not in self.used:
                self.available[tuple(key)].append(record_id)

    def plan(self, rows: list[SourceRow]) -> Plan:
        plan = Plan([], [], [])
        for row in rows:
            values = self.fields(row)
            values["source"] = "import"
            self.in_currency(row, values, "amount", "amount_cents")
            key = (
                row.account_id,
                values["occurred_on"].isoformat(),
                values["type"].value,
                values["amount_cents"],
                values["currency"],
            )
            twins = self.available.get(key)
            if twins:
                record_id = twins.pop()
                self.used.add(record_id)
                plan.unchanged.append((row, record_id))
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
    default_currency: str = "USD",
) -> ImportSummary:
    """Import a CSV file of ``kind`` (PRODUCT.md §2) as one transaction.

    Args:
        dry_run: validate and count, write nothing.
        skip_invalid: leave invalid rows out instead of refusing the file.
        today: the date ledger movements from an accounts file's ``arr`` are dated.
        mapping: the user's choice of column for some headers (see ``read_csv``).
        default_currency: the AM's currency setting, a new account's currency when the
            file has no currency column (rows of other kinds take their account's).

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
            default_currency=default_currency,
        )


@dataclass(slots=True)
class _Written:
    """What the writing pass did (or, on a dry run, would do)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    movements: int = 0


class _Run:
    """One import's two passes over the file, in one unit of work."""

    def __init__(
        self,
        importer: KindImport,
        open_rows: Callable[[], Iterator[SourceRow]],
        skip_invalid: bool,
        cancel: CancelToken | None,
    ) -> None:
        self.importer = importer
        self.open_rows = open_rows
        self.skip_invalid = skip_invalid
        self.cancel = cancel
        self.problems = ProblemList(PROBLEMS_KEPT)
        self.accounts = AccountIndex(importer.session) if importer.model is not Account else None
        self.total = 0
        #: Whether the file is large beside its table (see LARGE_IMPORT_SHARE).
        self.large = False

    def _batches(self) -> Iterator[list[SourceRow]]:
        for batch in read_ahead(batches(self.open_rows(), BATCH_ROWS)):
            if self.cancel:
                self.cancel.raise_if_cancelled()
            yield batch

    def _resolve_accounts(self, rows: list[SourceRow]) -> None:
        if self.accounts is None:
            return
        source = self.importer.source
        for row in rows:
            if "account" in row.values:
                found = self.accounts.find(row.values["account"])
                if isinstance(found, str):
                    source.problem(row, "account", found)
                else:
                    row.account_id = found

    def run_pass(self, checking: bool, write: bool) -> _Written:
        """One pass over the file, a batch at a time: check, and write what is valid.

        Writing while checking is safe because the whole import is one transaction: once a
        row is invalid and invalid rows are not skipped, writing stops, the rest is only
        checked (to list every problem) and the caller refuses the file, which rolls back.
        The writing pass after a checking pass gets only the rows that passed.
        """
        importer = self.importer
        importer.begin(checking)
        if write:  # a manager may be written in a batch after their report's
            importer.session.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        done = _Written()
        accounts: set[int] = set()
        with self._indexes_deferred(write):
            write = self._run_batches(checking, write, done, accounts)
        if checking:
            self.problems.add(importer.finish(self.problems.rows, self.skip_invalid))
        if write and importer.source.kind in _SUMMARISED:
            summaries.refresh(importer.session, importer.today, accounts)
        if write and isinstance(importer, AccountsImport):
            done.movements = importer.ledger_written
        return done

    @contextmanager
    def _indexes_deferred(self, write: bool) -> Iterator[None]:
        """For a large import, the table's indexes its lookups do not read are built once
        after the batches (in the import's transaction: a failed import rolls back to them)."""
        keep = self.importer.lookup_indexes
        if not (write and self.large) or keep is None:
            yield
            return
        connection = driver_connection(self.importer.session)
        with (
            indexes_built_afterwards(connection, [self.importer.table.name], keep),
            _sorting_cache(connection),
        ):
            yield

    def _run_batches(self, checking: bool, write: bool, done: _Written, accounts: set[int]) -> bool:
        """Check and write the file's batches; whether writing went on to the end."""
        importer, invalid = self.importer, self.problems.rows
        for batch in self._batches():
            if checking:
                self.total += len(batch)
                rows = batch
            else:
                rows = [row for row in batch if row.number not in invalid]
            self._resolve_accounts(rows)
            valid = [row for row in rows if row.valid]
            importer.begin_batch()
            importer.prepare(valid)
            plan = importer.plan(valid)
            if self._drop_invalid(rows, plan, checking):
                write = False  # the file will be refused: only check the rest
            self._count(plan, done)
            if write:
                accounts.update(self._write(plan))
            elif isinstance(importer, AccountsImport):
                done.movements += len(importer.ledger_plan(plan.known_ids()))
        return write

    def _drop_invalid(self, rows: list[SourceRow], plan: Plan, checking: bool) -> bool:
        """Record the batch's problems and leave its invalid rows out of the plan; whether
        the file will be refused (so nothing more is worth writing)."""
        bad = [row for row in rows if row.problems]
        if not bad:
            return False
        self.problems.add(p for row in bad for p in row.problems)
        plan.drop({row.number for row in bad})
        if self.skip_invalid:
            return False
        if not checking:
            self.reject()
        return True

    @staticmethod
    def _count(plan: Plan, done: _Written) -> None:
        done.added += len(plan.inserts)
        done.updated += len(plan.updates)
        done.unchanged += len(plan.unchanged)

    def _write(self, plan: Plan) -> Iterable[int]:
        """Write a batch's plan; the accounts whose summary it changes."""
        ids = self.importer.write(plan)
        kind = self.importer.source.kind
        if kind == "accounts":
            return ids.values()
        return self.importer.accounts_of(plan.rows()) if kind in _SUMMARISED else ()

    def listed_problems(self) -> tuple[RowProblem, ...]:
        """The problems kept, in the order of the file's rows."""
        return tuple(sorted(self.problems.listed, key=lambda problem: problem.row))

    def reject(self) -> None:
        """Refuse the file: nothing is written (the unit of work rolls back)."""
        raise ImportRejected(
            self.listed_problems(),
            self.total,
            invalid_rows=len(self.problems.rows),
            unlisted=self.problems.unlisted,
        )


@contextmanager
def _sorting_cache(connection: Any) -> Iterator[None]:
    """A small page cache once the batches are written, before the indexes are sorted:
    SQLite's sorter takes as much memory again as the cache, which would lift the import's
    peak by a third (the import's cache is set back at its end)."""
    yield
    connection.execute(f"PRAGMA cache_size = -{REBUILD_CACHE_KIB}")


def is_large(path: Path, stored_rows: int) -> bool:
    """Whether a file likely adds at least LARGE_IMPORT_SHARE of its table's rows (guessed
    from its size: reading it to count would cost a pass) and more than a batch."""
    rows = path.stat().st_size // ROW_BYTES_GUESS
    return rows >= BATCH_ROWS and rows >= stored_rows * LARGE_IMPORT_SHARE


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
    default_currency: str,
) -> ImportSummary:
    progress(0, 3, "Reading the file")
    source, rows = open_source(kind, path, mapping)  # a missing column is reported at once
    opened = [rows]

    def open_rows() -> Iterator[SourceRow]:
        return opened.pop() if opened else open_source(kind, path, mapping)[1]

    progress(1, 3, "Checking every row")
    with (
        store.read() if dry_run else store.write(bulk=True) as session,
        bulk.bulk_cache(session, IMPORT_CACHE_KIB),
    ):
        importer = IMPORTERS[kind](session, source, today or date.today(), default_currency)
        run = _Run(importer, open_rows, skip_invalid, cancel)
        run.large = is_large(path, importer.id_bound - 1)
        two_passes = importer.whole_file_rules()
        done = run.run_pass(checking=True, write=not (dry_run or two_passes))
        if run.problems.rows and not skip_invalid:
            run.reject()
        if two_passes:
            if cancel:
                cancel.raise_if_cancelled()
            progress(2, 3, "Checking done, writing" if not dry_run else "Counting")
            done = run.run_pass(checking=False, write=not dry_run)
        kept = importer.ledger_kept if isinstance(importer, AccountsImport) else 0
    summary = ImportSummary(
        kind=kind,
        rows=run.total,
        added=done.added,
        updated=done.updated,
        unchanged=done.unchanged,
        skipped=len(run.problems.rows),
        problems=run.listed_problems(),
        ignored_headers=source.ignored_headers,
        ledger_movements=done.movements,
        ledger_kept=kept,
        dry_run=dry_run,
        unlisted_problems=run.problems.unlisted,
    )
    progress(3, 3, "Done")
    log.io.info("import %s from %s: %s", kind, path, summary)
    return summary
