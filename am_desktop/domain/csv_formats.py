"""The CSV contracts of PRODUCT.md §2: columns of every KIND, their rules and header aliases.

Headers are matched loosely ("First Name" = "first_name") and through the aliases that
Salesforce and HubSpot exports use. Cells are parsed by the same value rules as everywhere;
numbers in a file whose decimal mark is a comma (semicolon-separated) by their comma variant.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from am_desktop.domain import values
from am_desktop.domain.enums import (
    ContactRole,
    MovementType,
    NoteKind,
    Segment,
    Sentiment,
    SurveyKind,
    Tier,
    parse_choice,
)

KINDS = ("accounts", "contacts", "contracts", "arr", "notes", "surveys", "usage")

#: A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class CsvColumn:
    """One column of a CSV format.

    Args:
        name: the canonical header.
        parse: turns a non-empty cell into its value, or raises ``ValueError``.
        required: the column must be present and its cells non-empty.
        aliases: other headers accepted for it (CRM exports).
        comma_parse: the parser for a file whose decimal mark is a comma (a number column);
            None: ``parse`` whatever the file.
    """

    name: str
    parse: Callable[[str], Any]
    required: bool = False
    aliases: tuple[str, ...] = ()
    comma_parse: Callable[[str], Any] | None = None

    def parser(self, *, decimal_comma: bool) -> Callable[[str], Any]:
        """How this column's cells are read in a file with (or without) decimal commas."""
        return self.comma_parse if decimal_comma and self.comma_parse else self.parse


def header_key(header: str) -> str:
    """The loose form of a header: "Company name " -> "company name", "first_name" too."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", header.lower()).split())


def _choice(kind: Any) -> Callable[[str], Any]:
    return lambda text: parse_choice(kind, text)


def _text(max_length: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        # values.required_text, flattened: this runs for most cells of every import.
        value = " ".join(text.split())
        if len(value) > max_length:
            raise ValueError(f"is longer than {max_length} characters")
        return value  # never empty: the reader skips blank cells

    return parse


def _long_text(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


def _whole(low: int, high: int, *, decimal_comma: bool = False) -> Callable[[str], int]:
    return lambda text: values.parse_int(text, low, high, decimal_comma=decimal_comma)


def _amount_comma(text: str) -> Decimal:
    return values.parse_amount(text, decimal_comma=True)


def _positive(parse: Callable[[str], Decimal]) -> Callable[[str], Decimal]:
    def positive(text: str) -> Decimal:
        amount = parse(text)
        if amount == 0:
            raise ValueError("is zero; a movement amount must be more than zero")
        return amount

    return positive


def _whole_column(
    name: str, low: int, high: int, required: bool = False, aliases: tuple[str, ...] = ()
) -> CsvColumn:
    """A whole-number column, read with either decimal mark."""
    parse, comma_parse = _whole(low, high), _whole(low, high, decimal_comma=True)
    return CsvColumn(name, parse, required, aliases, comma_parse)


def _money_column(name: str, required: bool = False, aliases: tuple[str, ...] = ()) -> CsvColumn:
    """An amount column, read exactly as written with either decimal mark (a ``Decimal``:
    the importer turns it into the minor units of the row's currency)."""
    return CsvColumn(name, values.parse_amount, required, aliases, _amount_comma)


#: ``influence`` in words, as CRMs and spreadsheets write it: the three words span the 1-5
#: scale of the contact map's dots (PRODUCT.md §2, README "Import").
INFLUENCE_WORDS = {"low": 1, "medium": 3, "high": 5}


def _influence(text: str) -> int:
    word = " ".join(text.lower().split())
    if word in INFLUENCE_WORDS:
        return INFLUENCE_WORDS[word]
    try:
        return values.parse_int(text, 1, 5)
    except ValueError:
        raise ValueError(
            f"'{text.strip()}' is not an influence: write 1–5, low, medium or high"
        ) from None


def _emails(text: str) -> tuple[str, ...]:
    parts = [p for p in re.split(r"[;,]", text) if p.strip()]
    return tuple(dict.fromkeys(values.parse_email(p) for p in parts))


def _uid(text: str) -> str:
    try:
        return str(uuid.UUID(text.strip()))
    except ValueError:
        raise ValueError("is not a uid (a UUID such as the one an export writes)") from None


#: The record's own identity, written by export so that rows whose natural key repeats (two
#: notes at the same minute with the same title) still import back one for one.
_UID = CsvColumn("uid", _uid)

_ACCOUNT_REF = CsvColumn(
    "account",
    _text(253),
    required=True,
    aliases=("Account Name", "Company name", "Company", "Associated Company"),
)

FORMATS: dict[str, tuple[CsvColumn, ...]] = {
    "accounts": (
        CsvColumn("name", _text(200), True, ("Account Name", "Company name", "Company")),
        CsvColumn("domain", values.parse_domain, aliases=("Website", "Company Domain Name")),
        CsvColumn("industry", _text(100)),
        CsvColumn("segment", _choice(Segment), aliases=("Account Segment", "Customer Segment")),
        CsvColumn("tier", _choice(Tier), aliases=("Account Tier", "Customer Tier")),
        CsvColumn("owner", _text(100), aliases=("Account Owner", "Company owner")),
        _money_column("arr", aliases=("Annual Revenue", "AnnualRevenue")),
        CsvColumn(
            "customer_since",
            values.parse_date,
            aliases=("Became a Customer Date", "Customer Since Date"),
        ),
        _whole_column(
            "checkin_cadence_days",
            1,
            3650,
            aliases=("Check-in Cadence", "Check in cadence (days)"),
        ),
        CsvColumn("external_id", _text(100), aliases=("Account ID", "Record ID", "Company ID")),
        CsvColumn("currency", values.parse_currency, aliases=("Account Currency",)),
    ),
    "contacts": (
        _ACCOUNT_REF,
        CsvColumn("first_name", _text(100), aliases=("Firstname", "Given Name")),
        CsvColumn("last_name", _text(100), True, ("Lastname", "Surname")),
        CsvColumn("email", values.parse_email, aliases=("Email Address", "E-mail")),
        CsvColumn("phone", _text(50), aliases=("Phone Number", "Business Phone")),
        CsvColumn("title", _text(200), aliases=("Job Title", "Jobtitle")),
        CsvColumn("role", _choice(ContactRole), aliases=("Contact Role", "Buying Role")),
        CsvColumn("sentiment", _choice(Sentiment)),
        CsvColumn("influence", _influence),
        CsvColumn("reports_to", values.parse_email, aliases=("Reports To Email", "Manager Email")),
    ),
    "contracts": (
        _ACCOUNT_REF,
        CsvColumn("name", _text(200), aliases=("Contract Name", "Contract Number")),
        CsvColumn("start_date", values.parse_date, True, ("Contract Start Date",)),
        CsvColumn("end_date", values.parse_date, True, ("Contract End Date",)),
        _money_column("arr", True, ("Annual Contract Value", "ACV")),
        CsvColumn("currency", values.parse_currency, aliases=("Contract Currency",)),
        CsvColumn(
            "auto_renew", values.parse_bool, aliases=("Auto Renewal", "Renews Automatically")
        ),
        _whole_column(
            "notice_days",
            0,
            3650,
            aliases=("Owner Expiration Notice", "Notice Period (Days)", "Notice Period"),
        ),
        _UID,
    ),
    "arr": (
        _ACCOUNT_REF,
        CsvColumn("date", values.parse_date, True, ("Movement Date", "Close Date")),
        CsvColumn("type", _choice(MovementType), True, ("Movement Type",)),
        CsvColumn(
            "amount",
            _positive(values.parse_amount),
            True,
            ("Movement Amount",),
            _positive(_amount_comma),
        ),
        CsvColumn("currency", values.parse_currency, aliases=("Movement Currency",)),
    ),
    "notes": (
        _ACCOUNT_REF,
        CsvColumn(
            "occurred_at",
            values.parse_datetime,
            True,
            ("Activity Date", "Date", "Created Date", "Timestamp"),
        ),
        CsvColumn("kind", _choice(NoteKind), aliases=("Activity Type", "Type")),
        CsvColumn("title", _text(200), aliases=("Subject",)),
        CsvColumn("body", _long_text, aliases=("Note Body", "Description", "Comments")),
        CsvColumn("attendees", _emails, aliases=("Attendee Emails",)),
        _UID,
    ),
    "surveys": (
        _ACCOUNT_REF,
        CsvColumn("date", values.parse_date, True, ("Response Date", "Submission Date")),
        CsvColumn("kind", _choice(SurveyKind), True, ("Survey Type",)),
        _whole_column("score", 0, 10, True, ("Rating", "NPS Score")),
        CsvColumn("contact_email", values.parse_email, aliases=("Email", "Respondent Email")),
        CsvColumn("comment", _long_text, aliases=("Feedback", "Comments")),
        _UID,
    ),
    "usage": (
        _ACCOUNT_REF,
        CsvColumn("date", values.parse_date, True, ("Usage Date", "Sample Date")),
        _whole_column("active_users", 0, 10_000_000, True, ("Monthly Active Users", "MAU")),
        _whole_column("licensed_seats", 0, 10_000_000, True, ("Seats", "Licenses")),
        _UID,
    ),
}


def neutralise_formula(cell: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with ``'`` (OWASP advice)."""
    return "'" + cell if cell.startswith(FORMULA_PREFIXES) else cell


def restore_formula_guard(cell: str) -> str:
    """Undo :func:`neutralise_formula`, so an exported file imports back unchanged."""
    if len(cell) > 1 and cell[0] == "'" and cell[1:].startswith(FORMULA_PREFIXES):
        return cell[1:]
    return cell
