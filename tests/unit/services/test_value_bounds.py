"""No row can poison the database (issue 14, items 2–5): out-of-range dates, huge amounts and
control characters are a row problem naming the column, at import and in the window's rules.

The date and money columns are found by asking each column's parser, so a column added to a
format later is covered without touching this file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from am_desktop.domain import values
from am_desktop.domain.csv_formats import FORMATS
from am_desktop.domain.fields import FieldRule
from am_desktop.errors import ImportRejected, ValidationError
from am_desktop.services import catalog, notes, pipeline, renewals
from am_desktop.services.entities import EntityKind
from am_desktop.services.store import Store
from am_desktop.services.transfer.importer import import_csv

TODAY = date(2026, 11, 22)

#: One valid row per kind; each test spoils one cell of it.
VALID_ROWS: dict[str, dict[str, str]] = {
    "accounts": {"name": "Initech", "arr": "1200", "customer_since": "2024-01-01"},
    "contacts": {"account": "acme.com", "last_name": "Low", "email": "cy@acme.com"},
    "contracts": {
        "account": "acme.com",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "arr": "1200.50",
    },
    "arr": {"account": "acme.com", "date": "2025-01-01", "type": "expansion", "amount": "100"},
    "notes": {"account": "acme.com", "occurred_at": "2026-10-01T10:00:00Z", "body": "Call"},
    "surveys": {"account": "acme.com", "date": "2026-06-01", "kind": "nps", "score": "9"},
    "usage": {
        "account": "acme.com",
        "date": "2026-10-01",
        "active_users": "80",
        "licensed_seats": "100",
    },
}

SPECIFIC_DATES = (
    "0999-06-01T09:00:00Z",
    "9999-12-31T23:59:59-01:00",
    "0001-01-01T00:00:00+01:00",
    "0999-06-01",
    "9999-12-31",
)
SPECIFIC_AMOUNTS = ("92233720368547758.07", "99999999999999999999999", "1e30", "NaN", "inf")


def _answers(parse: object, text: str) -> object:
    try:
        return parse(text)  # type: ignore[operator]
    except ValueError:
        return None


def _columns(is_kind: object) -> list[tuple[str, str]]:
    return [
        (kind, column.name)
        for kind, columns in FORMATS.items()
        for column in columns
        if is_kind(column.parse)  # type: ignore[operator]
    ]


DATE_COLUMNS = _columns(lambda parse: isinstance(_answers(parse, "2026-01-02"), date))
MONEY_COLUMNS = _columns(lambda parse: _answers(parse, "12.50") == Decimal("12.50"))
EVERY_COLUMN = [(kind, column) for kind, row in VALID_ROWS.items() for column in row]


def test_the_columns_found_are_the_ones_expected() -> None:
    """Guards the discovery: if it found nothing, the property tests would prove nothing."""
    assert set(DATE_COLUMNS) == {
        ("accounts", "customer_since"),
        ("contracts", "start_date"),
        ("contracts", "end_date"),
        ("arr", "date"),
        ("notes", "occurred_at"),
        ("surveys", "date"),
        ("usage", "date"),
    }
    assert set(MONEY_COLUMNS) == {("accounts", "arr"), ("contracts", "arr"), ("arr", "amount")}
    assert set(DATE_COLUMNS + MONEY_COLUMNS) <= set(EVERY_COLUMN)


# --------------------------------------------------------------------------- strategies

_OFFSETS = st.sampled_from(["", "Z", "+00:00", "+01:00", "-01:00", "+14:00", "-12:00"])
#: Away from the bounds by two days, so no time-zone shift brings them back inside.
_OUTSIDE_DAYS = st.dates(max_value=date(values.EARLIEST_YEAR - 1, 12, 30)) | st.dates(
    min_value=date(values.LATEST_YEAR + 1, 1, 2)
)


@st.composite
def outside_dates(draw: st.DrawFn) -> str:
    """A date, or a date and time with or without an offset, outside the years stored."""
    day = draw(_OUTSIDE_DAYS).isoformat()
    if not draw(st.booleans()):
        return day
    clock = draw(st.times()).isoformat(timespec="seconds")
    return f"{day}T{clock}{draw(_OFFSETS)}"


@st.composite
def huge_amounts(draw: st.DrawFn) -> str:
    """An amount above the bound, written in the ways the parser otherwise accepts."""
    cents = draw(st.integers(min_value=values.MAX_MONEY_CENTS + 100, max_value=10**40))
    units, rest = divmod(cents, 100)
    written = draw(st.sampled_from([f"{units}", f"{units:,}", f"{units}.{rest:02d}"]))
    return draw(st.sampled_from(["", "$", "USD"])) + written


_NOT_AMOUNTS = st.sampled_from(["1e30", "NaN", "nan", "inf", "+inf", "Infinity", "9.2e18"])
_CONTROL = st.sampled_from(
    [chr(c) for c in range(32) if chr(c) not in "\t\n\r" and not chr(c).isspace()] + ["\x7f"]
)


# --------------------------------------------------------------------------- import


def _dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


@pytest.fixture
def book(store: Store) -> Iterator[Store]:
    """A store with one account (acme.com) that every kind's row refers to."""
    catalog.accounts.create(store, {"name": "Acme", "domain": "acme.com"})
    yield store


def _write_row(tmp_path: Path, cells: dict[str, str]) -> Path:
    path = tmp_path / "row.csv"
    quoted = ['"' + cell.replace('"', '""') + '"' for cell in cells.values()]
    path.write_text(",".join(cells) + "\n" + ",".join(quoted) + "\n", encoding="utf-8")
    return path


def _refused(store: Store, db_path: Path, tmp_path: Path, where: tuple[str, str], cell: str) -> str:
    """Import a row of ``kind`` whose ``column`` is ``cell``; the reason given for that column.

    Asserts the file was refused with a problem naming the column and the database unchanged.
    """
    kind, column = where
    before = _dump(db_path)
    path = _write_row(tmp_path, {**VALID_ROWS[kind], column: cell})
    with pytest.raises(ImportRejected) as refused:
        import_csv(store, kind, path, today=TODAY)
    reasons = [p.reason for p in refused.value.problems if p.column == column]
    assert reasons, refused.value.problems
    assert _dump(db_path) == before
    return reasons[0]


@pytest.mark.parametrize("kind", sorted(VALID_ROWS))
def test_the_valid_row_of_each_kind_imports(
    book: Store, db_path: Path, tmp_path: Path, kind: str
) -> None:
    """The control for the tests below: the unspoilt row is accepted."""
    summary = import_csv(book, kind, _write_row(tmp_path, VALID_ROWS[kind]), today=TODAY)
    assert summary.problems == ()


_FIXTURES = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_FIXTURES
@given(where=st.sampled_from(DATE_COLUMNS), cell=outside_dates())
def test_a_date_outside_the_years_stored_is_a_row_problem(
    book: Store, db_path: Path, tmp_path: Path, where: tuple[str, str], cell: str
) -> None:
    reason = _refused(book, db_path, tmp_path, where, cell)
    assert "outside the years 1900–2200" in reason


@_FIXTURES
@given(where=st.sampled_from(MONEY_COLUMNS), cell=huge_amounts() | _NOT_AMOUNTS)
def test_an_amount_beyond_the_bound_is_a_row_problem(
    book: Store, db_path: Path, tmp_path: Path, where: tuple[str, str], cell: str
) -> None:
    reason = _refused(book, db_path, tmp_path, where, cell)
    assert "largest amount" in reason or "is not an amount" in reason


@_FIXTURES
@given(where=st.sampled_from(EVERY_COLUMN), spoil=st.tuples(_CONTROL, st.integers(0, 3)))
def test_a_control_character_in_any_cell_is_a_row_problem(
    book: Store, db_path: Path, tmp_path: Path, where: tuple[str, str], spoil: tuple[str, int]
) -> None:
    (kind, column), (control, at) = where, spoil
    valid = VALID_ROWS[kind][column]
    reason = _refused(book, db_path, tmp_path, where, valid[:at] + control + valid[at:])
    assert f"U+{ord(control):04X}" in reason


@pytest.mark.parametrize("cell", SPECIFIC_DATES)
@pytest.mark.parametrize("where", DATE_COLUMNS, ids="{0[0]}.{0[1]}".format)
def test_the_dates_from_the_issue_are_refused_in_every_date_column(
    book: Store, db_path: Path, tmp_path: Path, where: tuple[str, str], cell: str
) -> None:
    reason = _refused(book, db_path, tmp_path, where, cell)
    assert reason == f"'{cell}' is outside the years 1900–2200"


@pytest.mark.parametrize("cell", SPECIFIC_AMOUNTS)
@pytest.mark.parametrize("where", MONEY_COLUMNS, ids="{0[0]}.{0[1]}".format)
def test_the_amounts_from_the_issue_are_refused_in_every_money_column(
    book: Store, db_path: Path, tmp_path: Path, where: tuple[str, str], cell: str
) -> None:
    reason = _refused(book, db_path, tmp_path, where, cell)
    assert cell in reason


def test_a_nul_inside_a_note_body_is_refused_naming_the_column(
    book: Store, db_path: Path, tmp_path: Path
) -> None:
    reason = _refused(book, db_path, tmp_path, ("notes", "body"), "before\x00after")
    assert reason == "holds a control character (U+0000) at position 7"


def test_the_bounds_themselves_are_accepted(book: Store, tmp_path: Path) -> None:
    cells = {"account": "acme.com", "date": "1900-01-01", "type": "expansion"}
    top = values.format_money(values.MAX_MONEY_CENTS)
    summary = import_csv(book, "arr", _write_row(tmp_path, {**cells, "amount": top}), today=TODAY)
    assert summary.problems == ()
    moment = values.parse_datetime("2200-12-31T23:59:59Z")
    assert moment == datetime(2200, 12, 31, 23, 59, 59, tzinfo=UTC)


# --------------------------------------------------------------------------- the window's rules


def _kinds() -> list[EntityKind]:  # type: ignore[type-arg]
    return [kind for kind in vars(catalog).values() if isinstance(kind, EntityKind)]


def _rules(probe: str, answer: object) -> list[tuple[EntityKind, str]]:  # type: ignore[type-arg]
    def matches(rule: FieldRule) -> bool:
        got = _answers(rule.coerce, probe)
        return got == answer if not isinstance(answer, type) else isinstance(got, answer)

    return [(kind, name) for kind in _kinds() for name, rule in kind.rules.items() if matches(rule)]


DATE_RULES = _rules("2026-01-02", date)
MONEY_RULES = _rules("12.50", 1250)


def test_the_window_rules_found_cover_every_money_field() -> None:
    money = {(kind.noun, name) for kind, name in MONEY_RULES}
    assert money == {
        ("whitespace product", "estimated_arr_cents"),
        ("contract", "arr_cents"),
        ("renewal", "proposed_arr_cents"),
        ("renewal", "outcome_arr_cents"),
        ("opportunity", "amount_cents"),
        ("ARR movement", "amount_cents"),
    }
    assert len(DATE_RULES) >= 14  # every day and moment field of every kind


@given(
    where=st.sampled_from(DATE_RULES),
    given_as=st.sampled_from(["text", "object"]),
    day=_OUTSIDE_DAYS,
)
def test_a_form_refuses_a_date_outside_the_years_in_words(
    where: tuple[EntityKind, str],  # type: ignore[type-arg]
    given_as: str,
    day: date,
) -> None:
    kind, name = where
    value: object = day.isoformat()
    if given_as == "object":
        value = datetime(day.year, day.month, day.day, tzinfo=UTC) if name.endswith("_at") else day
    with pytest.raises(ValidationError) as refused:
        kind.check({name: value}, creating=False)
    assert refused.value.field == name
    assert "outside the years 1900–2200" in refused.value.user_message


@given(
    where=st.sampled_from(MONEY_RULES),
    cents=st.integers(min_value=values.MAX_MONEY_CENTS + 1, max_value=2**70),
    as_text=st.booleans(),
)
def test_a_form_refuses_an_amount_beyond_the_bound_in_words(
    where: tuple[EntityKind, str],  # type: ignore[type-arg]
    cents: int,
    as_text: bool,
) -> None:
    kind, name = where
    value: object = values.format_money(cents) if as_text else cents
    with pytest.raises(ValidationError) as refused:
        kind.check({name: value}, creating=False)
    assert refused.value.field == name
    assert "larger than the largest amount, 100,000,000,000" in refused.value.user_message


@pytest.mark.parametrize("moment", [*SPECIFIC_DATES, datetime(999, 6, 1, 9, tzinfo=UTC)])
def test_a_note_dated_outside_the_years_is_not_saved(
    store: Store, db_path: Path, moment: object
) -> None:
    acme = catalog.accounts.create(store, {"name": "Acme"}).id
    before = _dump(db_path)
    with pytest.raises(ValidationError, match=r"Date and time .* is outside the years"):
        notes.create_note(store, {"account_id": acme, "occurred_at": moment, "body": "x"})
    assert _dump(db_path) == before


def test_a_contract_arr_beyond_the_bound_is_not_saved(store: Store, db_path: Path) -> None:
    acme = catalog.accounts.create(store, {"name": "Acme"}).id
    contract = catalog.contracts.create(
        store,
        {"account_id": acme, "start_date": date(2026, 1, 1), "end_date": date(2026, 12, 31)}
        | {"arr_cents": 100},
    )
    before = _dump(db_path)
    for arr in ("92233720368547758.07", 9_223_372_036_854_775_807):
        with pytest.raises(ValidationError, match=r"ARR .* is larger than the largest amount"):
            catalog.contracts.update(store, contract.id, {"arr_cents": arr})
    with pytest.raises(ValidationError, match="control character"):
        catalog.contracts.update(store, contract.id, {"name": "MSA\x00"})
    assert _dump(db_path) == before


def test_closing_a_renewal_or_opportunity_meets_the_same_rules(store: Store, db_path: Path) -> None:
    acme = catalog.accounts.create(store, {"name": "Acme"}).id
    contract = catalog.contracts.create(
        store,
        {"account_id": acme, "start_date": date(2026, 1, 1), "end_date": date(2026, 12, 31)}
        | {"arr_cents": 100},
    )
    renewal = catalog.renewals.create(store, {"contract_id": contract.id})
    deal = catalog.opportunities.create(
        store, {"account_id": acme, "name": "Upsell", "amount_cents": 100}
    )
    before = _dump(db_path)
    with pytest.raises(ValidationError, match="Outcome ARR"):
        renewals.close_renewal(store, renewal.id, renewed=True, on=TODAY, outcome_arr_cents=10**19)
    with pytest.raises(ValidationError, match="Close date '9999-12-31' is outside"):
        renewals.close_renewal(store, renewal.id, renewed=False, on=date(9999, 12, 31))
    with pytest.raises(ValidationError, match="Close date '0999-06-01' is outside"):
        pipeline.close_opportunity(store, deal.id, won=True, on=date(999, 6, 1))
    assert _dump(db_path) == before
