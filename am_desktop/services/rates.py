"""The exchange-rate table (issue 20): import from a file, list, and the conversion a report
uses (``domain.fx`` holds the rules).

A rates file has the columns ``date,base,quote,rate`` (1 ``base`` = ``rate`` ``quote``), in
any dialect the other imports read (comma or semicolon, UTF-8 or Windows-1252, .xlsx). Every
row is checked first; a file with an invalid row writes nothing and lists every problem with
its row number. A rate already recorded for the same day and pair is replaced.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from am_desktop.domain import fx, fx_figures
from am_desktop.domain.csv_formats import header_key
from am_desktop.domain.fx_figures import ReportingRates
from am_desktop.domain.values import parse_currency, parse_date
from am_desktop.errors import ImportRejected, RowProblem, ValidationError
from am_desktop.services import summaries
from am_desktop.services.store import Store

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

COLUMNS = ("date", "base", "quote", "rate")
#: How many problems an import lists (the count of invalid rows is always exact).
MAX_LISTED = 200


@dataclass(frozen=True, slots=True)
class RatesImported:
    """What an import did: rates added, replaced (a new value) and left alone (the same)."""

    added: int
    replaced: int
    unchanged: int

    def as_json(self) -> dict[str, int]:
        return {"added": self.added, "replaced": self.replaced, "unchanged": self.unchanged}


def read_rates_file(path: Path) -> list[fx.Rate]:
    """Every rate of the file, checked row by row.

    Raises:
        ValidationError: the file cannot be read or lacks a column.
        ImportRejected: some rows are invalid (every one is listed, up to MAX_LISTED).
    """
    from am_desktop.services.transfer.table_files import open_table

    table = open_table(path)
    header = next(table.records, None)
    if header is None:
        raise ValidationError(f"{path.name} is empty: it has no header row.")
    keys = [header_key(cell) for cell in header]
    missing = [name for name in COLUMNS if header_key(name) not in keys]
    if missing:
        raise ValidationError(
            f"{path.name} has no column for: {', '.join(missing)}. A rates file has the "
            "columns date,base,quote,rate (1 base = rate quote). Nothing was imported."
        )
    where = {name: keys.index(header_key(name)) for name in COLUMNS}
    rates: list[fx.Rate] = []
    problems: list[RowProblem] = []
    rows = bad = 0
    for number, cells in enumerate(table.records, start=2):
        if not "".join(cells).strip():
            continue
        rows += 1
        found = _row(number, cells, where, table.decimal_comma)
        if isinstance(found, fx.Rate):
            rates.append(found)
        else:
            bad += 1
            problems.extend(found)
    if problems:
        raise ImportRejected(
            problems[:MAX_LISTED],
            rows,
            invalid_rows=bad,
            unlisted=max(0, len(problems) - MAX_LISTED),
        )
    if not rates:
        raise ValidationError(
            f"{path.name} has no rows, only a header: there is nothing to import."
        )
    return rates


def _row(
    number: int, cells: list[str], where: dict[str, int], decimal_comma: bool
) -> fx.Rate | list[RowProblem]:
    def cell(name: str) -> str:
        index = where[name]
        return cells[index].strip() if index < len(cells) else ""

    problems: list[RowProblem] = []
    parsed: dict[str, object] = {}

    def read_rate(text: str) -> Decimal:
        return fx.parse_rate(text.replace(",", ".") if decimal_comma else text)

    readers: dict[str, Callable[[str], object]] = {
        "date": parse_date,
        "base": parse_currency,
        "quote": parse_currency,
        "rate": read_rate,
    }
    for name, read in readers.items():
        text = cell(name)
        if not text:
            problems.append(RowProblem(number, name, "is required"))
            continue
        try:
            parsed[name] = read(text)
        except ValueError as error:
            problems.append(RowProblem(number, name, str(error)))
    if not problems and parsed["base"] == parsed["quote"]:
        problems.append(RowProblem(number, "quote", "is the same currency as base"))
    if problems:
        return problems
    day, base, quote, rate = (parsed[name] for name in COLUMNS)
    assert isinstance(day, date) and isinstance(rate, Decimal)
    return fx.Rate(day, str(base), str(quote), rate)


def import_rates(store: Store, path: Path) -> RatesImported:
    """Import a rates file in one transaction (see the module's docstring)."""
    return save_rates(store, read_rates_file(path))


def save_rates(store: Store, rates: Iterable[fx.Rate]) -> RatesImported:
    """Record ``rates``; the last of a file's duplicates (same day and pair) wins."""
    from am_desktop.db.models import ExchangeRate

    latest = {(rate.day, rate.base, rate.quote): rate for rate in rates}
    added = replaced = unchanged = 0
    with store.write() as session:
        for key, rate in latest.items():
            stored = session.get(ExchangeRate, key)
            text = _text(rate.rate)
            if stored is None:
                session.add(ExchangeRate(day=rate.day, base=rate.base, quote=rate.quote, rate=text))
                added += 1
            elif Decimal(stored.rate) != rate.rate:
                stored.rate = text
                replaced += 1
            else:
                unchanged += 1
        if added or replaced:
            session.flush()
            _refresh_converted_arr(session)
    return RatesImported(added, replaced, unchanged)


def _text(rate: Decimal) -> str:
    """A rate as plain decimal text (``1.0841``, never ``1.0841E+0``)."""
    return format(rate.normalize(), "f")


def list_rates(store: Store) -> list[fx.Rate]:
    """Every recorded rate, newest day first, then by pair."""
    from sqlalchemy import select

    from am_desktop.db.models import ExchangeRate

    with store.read() as session:
        rows = session.scalars(
            select(ExchangeRate).order_by(
                ExchangeRate.day.desc(), ExchangeRate.base, ExchangeRate.quote
            )
        )
        return [fx.Rate(row.day, row.base, row.quote, Decimal(row.rate)) for row in rows]


def rate_book(store: Store) -> fx.RateBook:
    """Every recorded rate, ready for look-ups (the table is small: a rate a day a pair)."""
    with store.raw() as connection:
        return rate_book_in(connection)


def rate_book_in(connection: sqlite3.Connection) -> fx.RateBook:
    """:func:`rate_book` on a connection the caller holds."""
    rows = connection.execute("SELECT date, base, quote, rate FROM fx_rate").fetchall()
    return fx.RateBook(
        fx.Rate(date.fromisoformat(day), base, quote, Decimal(rate))
        for day, base, quote, rate in rows
    )


def missing_rate_error(error: fx.MissingRate) -> ValidationError:
    """A missing rate, as the error the user sees (the sentence names currency and day)."""
    return ValidationError(str(error), "currency")


def add_rate(store: Store, day: str, base: str, quote: str, rate: str) -> RatesImported:
    """Record one rate typed by hand, checked as a file's row is (replaces the same day and
    pair's).

    Raises:
        ValidationError: a value is not acceptable (its field is named).
    """
    cells = [day, base, quote, rate]
    found = _row(0, cells, {name: index for index, name in enumerate(COLUMNS)}, False)
    if not isinstance(found, fx.Rate):
        first = found[0]
        raise ValidationError(
            f"{_FIELD_NAMES[first.column or 'rate']} {first.reason}.", first.column
        )
    return save_rates(store, [found])


_FIELD_NAMES = {"date": "The date", "base": "The base currency", "quote": "The quote currency",
                "rate": "The rate"}  # fmt: skip


def delete_rate(store: Store, day: date, base: str, quote: str) -> bool:
    """Forget one recorded rate; False when it was not there (already deleted)."""
    from am_desktop.db.models import ExchangeRate

    with store.write() as session:
        stored = session.get(ExchangeRate, (day, base, quote))
        if stored is None:
            return False
        session.delete(stored)
        session.flush()
        _refresh_converted_arr(session)
        return True


def _refresh_converted_arr(session: Session) -> None:
    """Accounts whose ARR converts a movement in another currency follow the new rates."""
    summaries.refresh(session, date.today(), summaries.foreign_accounts(session))


def reporting_rates(store: Store, target: str, on: date) -> ReportingRates:
    """How each account's currency converts into ``target`` as of ``on`` (the accounts list:
    a currency without a rate is named with its sentence, the others still convert)."""
    with store.raw() as connection:
        currencies = [row[0] for row in connection.execute("SELECT DISTINCT currency FROM account")]
        book = rate_book_in(connection)
    return fx_figures.reporting_rates(book, currencies, target, on)
