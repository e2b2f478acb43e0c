"""Rules for single values: text, e-mail, web domain, dates, money, scores.

Every parser takes what a person or a file wrote and returns the stored form, or raises
``ValueError`` with a reason a person understands. Import, services and (later) the GUI
share these, so a value is judged the same way wherever it enters.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TypeVar

from am_desktop.domain.money import is_currency, not_a_currency

_Day = TypeVar("_Day", date, datetime)

#: The years a stored date may fall in, for every date and date-time column of every kind.
#: Dates outside are slips (``0999`` for ``1999``) or placeholders (``9999-12-31`` for "never");
#: near the ends of Python's calendar a time-zone shift raises OverflowError, and SQLite orders
#: and formats years below 1000 wrongly, so such values are refused where they enter.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200

#: The largest amount stored, in minor units: 10^13 cents = 100 billion in the main unit, far
#: above any real contract in any currency we show. SQLite keeps integers in 64 bits
#: (about 9.2 x 10^18), so a sum of up to 900,000 such amounts still fits; larger values made
#: totals fail with "integer overflow" long after the row was accepted.
MAX_MONEY_CENTS = 10**13

#: Control characters refused in text: C0 and DEL, except tab, line feed and carriage return.
#: SQLite's text functions stop at NUL, and the others are invisible garbage from binary files.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class OutOfRangeError(ValueError):
    """A well-written value outside what is stored (a year or an amount too large)."""


CURRENCY_SYMBOLS = "$€£¥"
_MONEY = re.compile(
    r"""^(?P<digits>\d{1,3}(?:,\d{3})+|\d+)   # 1200 or 1,200 (comma only as thousands separator)
        (?:\.(?P<cents>\d{1,2}))?$            # optional .5 or .50""",
    re.VERBOSE,
)
#: The same in a file whose decimal mark is a comma (semicolon-separated, as a European Excel
#: writes it): ``1.234,56`` or ``1234,56``.
_MONEY_DECIMAL_COMMA = re.compile(
    r"""^(?P<digits>\d{1,3}(?:\.\d{3})+|\d+)  # 1200 or 1.200 (point only as thousands separator)
        (?:,(?P<cents>\d{1,2}))?$             # optional ,5 or ,50""",
    re.VERBOSE,
)
#: Amounts of a file, whose currency may have up to four decimals (KWD 1.250, CLF 1.2500):
#: as ``_MONEY`` and ``_MONEY_DECIMAL_COMMA`` with more decimals; the currency judges them.
_AMOUNT = re.compile(_MONEY.pattern.replace(r"\d{1,2}", r"\d{1,4}"), re.VERBOSE)
_AMOUNT_DECIMAL_COMMA = re.compile(
    _MONEY_DECIMAL_COMMA.pattern.replace(r"\d{1,2}", r"\d{1,4}"), re.VERBOSE
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: A phone number: digits and the usual separators, then perhaps an extension (x 12, ext. 12).
_PHONE = re.compile(r"^\+?[\d\s()./-]*\d[\d\s()./-]*(?:(?:x|ext\.?)\s*\d+)?$", re.IGNORECASE)
PHONE_MAX_LENGTH = 50
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def refuse_control_characters(text: str) -> str:
    """``text`` unchanged, or ``ValueError`` if it holds a control character (NUL, ESC…)."""
    found = _CONTROL.search(text)
    if found:
        code = f"U+{ord(found.group()):04X}"
        raise ValueError(f"holds a control character ({code}) at position {found.start() + 1}")
    return text


def clean_text(text: str, max_length: int = 200) -> str:
    """Trim and collapse a one-line text; refuse one longer than ``max_length``."""
    value = " ".join(refuse_control_characters(text).split())
    if len(value) > max_length:
        raise ValueError(f"is longer than {max_length} characters")
    return value


def required_text(text: str, max_length: int = 200) -> str:
    """Like :func:`clean_text`, but an empty value is refused."""
    value = clean_text(text, max_length)
    if not value:
        raise ValueError("is required")
    return value


def parse_email(text: str) -> str:
    """Lower-cased e-mail address; refuse anything that is not ``name@host.tld``."""
    value = text.strip().lower()
    if value.startswith("mailto:"):
        value = value[len("mailto:") :]
    if not _EMAIL.match(value) or len(value) > 254:
        raise ValueError(f"'{text.strip()}' is not an e-mail address")
    return value


def parse_phone(text: str) -> str:
    """A phone number as written, spaces collapsed; refuse an e-mail address or words.

    Digits, spaces and + ( ) - . / are kept as the user wrote them; "x" or "ext" may
    introduce an extension.
    """
    value = " ".join(text.split())
    if "@" in value:
        raise ValueError(f"'{value}' is an e-mail address, not a phone number")
    if not _PHONE.match(value):
        raise ValueError(
            f"'{value}' is not a phone number: use digits, spaces and + ( ) - . /, "
            "and x or ext before an extension"
        )
    if len(value) > PHONE_MAX_LENGTH:
        raise ValueError(f"is longer than {PHONE_MAX_LENGTH} characters")
    return value


def parse_domain(text: str) -> str:
    """The bare web domain: ``https://www.Acme.com/about`` -> ``acme.com``."""
    value = text.strip().lower()
    value = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value)
    value = value.split("/", 1)[0].split("?", 1)[0].split(":", 1)[0].rstrip(".")
    value = value.removeprefix("www.")
    if not _DOMAIN.match(value):
        raise ValueError(f"'{text.strip()}' is not a web domain such as acme.com")
    return value


def within_years(day: _Day, shown: str | None = None) -> _Day:
    """``day`` unchanged if its year is within EARLIEST_YEAR–LATEST_YEAR, else ``ValueError``.

    Args:
        shown: how the value was written, for the message (else its ISO form).
    """
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise OutOfRangeError(
            f"'{shown or day.isoformat()}' is outside the years {EARLIEST_YEAR}–{LATEST_YEAR}"
        )
    return day


def parse_date(text: str) -> date:
    """An ISO 8601 date (``2026-11-22``); a date-time is accepted and its date kept."""
    value = text.strip()
    if len(value) > 10 and value[10] in "T ":
        try:
            return parse_datetime(value).date()
        except OutOfRangeError:
            raise
        except ValueError:
            raise ValueError(f"'{value}' is not a date written as YYYY-MM-DD") from None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a date written as YYYY-MM-DD") from None
    return within_years(day, value)


def parse_datetime(text: str) -> datetime:
    """An ISO 8601 date-time, returned in UTC; without an offset it is taken as UTC.

    A bare date means midnight UTC of that day.
    """
    value = text.strip()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"'{value}' is not a date and time written as YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        ) from None
    return to_utc_within_years(moment, value)


def to_utc_within_years(moment: datetime, shown: str | None = None) -> datetime:
    """:func:`to_utc`, refusing a moment outside the allowed years (before or after the shift).

    The local year is checked first: near year 1 or 9999 the shift itself overflows.
    """
    return within_years(to_utc(within_years(moment, shown)), shown)


def parse_money_cents(text: str, *, decimal_comma: bool = False) -> int:
    """A non-negative amount in minor units (cents): ``1,200.50`` or ``$1200`` -> 120050.

    Commas are accepted only as thousands separators and a point only as the decimal mark;
    anything else (``1.200,50``, ``1e3``, three decimals) is refused rather than guessed.
    With ``decimal_comma`` the two swap roles (``1.200,50 €`` -> 120050) and ``1,200.50`` is
    refused: a file says which mark it uses by its separator, never cell by cell.
    """
    raw, digits, fraction = _amount_parts(text, decimal_comma, max_decimals=2)
    cents = int(digits or "0") * 100 + int(fraction.ljust(2, "0"))
    if cents > MAX_MONEY_CENTS:
        raise _too_large(raw)
    return cents


def parse_amount(text: str, *, decimal_comma: bool = False) -> Decimal:
    """A non-negative amount as written, exactly, with up to four decimals: ``1,234.567``
    -> ``Decimal("1234.567")``. A file's amount is judged by its currency only once the
    row's currency is known (``money.minor_units``): three decimals are right for KWD and
    wrong for EUR, and so is its size (``within_money_bound`` of its minor units). The same
    marks as :func:`parse_money_cents`."""
    _, digits, fraction = _amount_parts(text, decimal_comma, max_decimals=4)
    return Decimal(f"{digits or '0'}.{fraction}" if fraction else digits or "0")


def _amount_parts(text: str, decimal_comma: bool, max_decimals: int) -> tuple[str, str, str]:
    """The amount as written, its whole digits (no separators, no leading zeros) and its
    decimals, or ``ValueError`` in words."""
    raw = text.strip()
    value = raw.replace(" ", "").replace("\u00a0", "")
    value = value.lstrip(CURRENCY_SYMBOLS).rstrip(CURRENCY_SYMBOLS)
    if len(value) > 3 and value[:3].isalpha() and value[:3].isupper():
        value = value[3:]  # "USD1200"
    if value.startswith("-"):
        raise ValueError(f"'{raw}' is negative; amounts are written as positive numbers")
    if max_decimals > 2:
        pattern = _AMOUNT_DECIMAL_COMMA if decimal_comma else _AMOUNT
    else:
        pattern = _MONEY_DECIMAL_COMMA if decimal_comma else _MONEY
    match = pattern.match(value)
    if not match and decimal_comma:
        raise ValueError(
            f"'{raw}' is not an amount; write it like 1200, 1.200,50 or 1200,50 € "
            "(a comma for decimals, points only between thousands, as in this "
            "semicolon-separated file)"
        )
    if not match:
        raise ValueError(
            f"'{raw}' is not an amount; write it like 1200, 1,200.50 or $1200 "
            "(a point for decimals, commas only between thousands)"
        )
    digits = match["digits"].replace("." if decimal_comma else ",", "").lstrip("0")
    if len(digits) > len(str(MAX_MONEY_CENTS)):  # far too large: no need to convert it
        raise _too_large(raw)
    return raw, digits, match["cents"] or ""


def within_money_bound(cents: int, shown: object = None) -> int:
    """``cents`` unchanged if its size is at most MAX_MONEY_CENTS, else ``ValueError``.

    Args:
        shown: the amount as written, for the message (else the cents with two decimals).
    """
    if abs(cents) > MAX_MONEY_CENTS:
        raise _too_large(format_money(cents) if shown is None else str(shown))
    return cents


def _too_large(shown: str) -> OutOfRangeError:
    return OutOfRangeError(
        f"'{shown}' is larger than the largest amount, {MAX_MONEY_CENTS // 100:,}"
    )


def format_money(cents: int, places: int = 2) -> str:
    """Minor units as a plain decimal for files: 120050 -> "1200.50", 120000 -> "1200";
    ``places`` is the currency's exponent (0 for JPY, 3 for KWD)."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), int(10**places))
    return f"{sign}{units}" if rest == 0 else f"{sign}{units}.{rest:0{places}d}"


def parse_currency(text: str) -> str:
    """An ISO 4217 code, upper-cased (``eur`` -> EUR); ``EURO`` or ``XYZ`` is refused."""
    value = text.strip().upper()
    if not _CURRENCY.match(value) or not is_currency(value):
        raise ValueError(not_a_currency(text.strip()))
    return value


def parse_int(text: str, low: int, high: int, *, decimal_comma: bool = False) -> int:
    """A whole number between ``low`` and ``high``, both included (``1,000`` allowed).

    With ``decimal_comma`` (a semicolon-separated file) ``1.000`` is a thousand instead.
    """
    value = text.strip()
    value = value.replace(".", "").replace(",", ".") if decimal_comma else value.replace(",", "")
    try:
        number = int(value)
    except ValueError:
        try:
            as_float = float(value)
        except ValueError:
            raise ValueError(f"'{text.strip()}' is not a whole number") from None
        if not as_float.is_integer():
            raise ValueError(f"'{text.strip()}' is not a whole number") from None
        number = int(as_float)
    if not low <= number <= high:
        raise ValueError(f"{number} is outside {low}–{high}")
    return number


def parse_percent(text: str) -> int:
    """A likelihood or probability: ``80``, ``80%`` or ``0.8`` -> 80."""
    value = text.strip().rstrip("%").strip()
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"'{text.strip()}' is not a percentage") from None
    if 0 < number < 1 and "." in value:
        number *= 100
    if not 0 <= number <= 100:
        raise ValueError(f"{text.strip()} is outside 0–100 %")
    return round(number)


_TRUE = {"true", "yes", "y", "1", "on", "x"}
_FALSE = {"false", "no", "n", "0", "off"}


def parse_bool(text: str) -> bool:
    """Yes/no in the spellings spreadsheets use."""
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"'{text.strip()}' is not yes or no")


def to_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; naive values are taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``1 account``, ``2 accounts``, ``1,200 files``: a number with its noun agreed."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"
