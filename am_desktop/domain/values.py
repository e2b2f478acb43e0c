"""Rules for single values: text, e-mail, web domain, dates, money, scores.

Every parser takes what a person or a file wrote and returns the stored form, or raises
``ValueError`` with a reason a person understands. Import, services and (later) the GUI
share these, so a value is judged the same way wherever it enters.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

CURRENCY_SYMBOLS = "$€£¥"
_MONEY = re.compile(
    r"""^(?P<digits>\d{1,3}(?:,\d{3})+|\d+)   # 1200 or 1,200 (comma only as thousands separator)
        (?:\.(?P<cents>\d{1,2}))?$            # optional .5 or .50""",
    re.VERBOSE,
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def clean_text(text: str, max_length: int = 200) -> str:
    """Trim and collapse a one-line text; refuse one longer than ``max_length``."""
    value = " ".join(text.split())
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


def parse_domain(text: str) -> str:
    """The bare web domain: ``https://www.Acme.com/about`` -> ``acme.com``."""
    value = text.strip().lower()
    value = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value)
    value = value.split("/", 1)[0].split("?", 1)[0].split(":", 1)[0].rstrip(".")
    value = value.removeprefix("www.")
    if not _DOMAIN.match(value):
        raise ValueError(f"'{text.strip()}' is not a web domain such as acme.com")
    return value


def parse_date(text: str) -> date:
    """An ISO 8601 date (``2026-11-22``); a date-time is accepted and its date kept."""
    value = text.strip()
    try:
        if len(value) > 10 and value[10] in "T ":
            return parse_datetime(value).date()
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a date written as YYYY-MM-DD") from None


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
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def parse_money_cents(text: str) -> int:
    """A non-negative amount in minor units (cents): ``1,200.50`` or ``$1200`` -> 120050.

    Commas are accepted only as thousands separators and a point only as the decimal mark;
    anything else (``1.200,50``, ``1e3``, three decimals) is refused rather than guessed.
    """
    raw = text.strip()
    value = raw.replace(" ", "").replace("\u00a0", "")
    value = value.lstrip(CURRENCY_SYMBOLS).rstrip(CURRENCY_SYMBOLS)
    if len(value) > 3 and value[:3].isalpha() and value[:3].isupper():
        value = value[3:]  # "USD1200"
    if value.startswith("-"):
        raise ValueError(f"'{raw}' is negative; amounts are written as positive numbers")
    match = _MONEY.match(value)
    if not match:
        raise ValueError(
            f"'{raw}' is not an amount; write it like 1200, 1,200.50 or $1200 "
            "(a point for decimals, commas only between thousands)"
        )
    units = int(match["digits"].replace(",", ""))
    cents = int((match["cents"] or "0").ljust(2, "0"))
    return units * 100 + cents


def format_money(cents: int) -> str:
    """Minor units as a plain decimal for files: 120050 -> "1200.50", 120000 -> "1200"."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    return f"{sign}{units}" if rest == 0 else f"{sign}{units}.{rest:02d}"


def parse_currency(text: str) -> str:
    """A three-letter ISO 4217 code, upper-cased."""
    value = text.strip().upper()
    if not _CURRENCY.match(value):
        raise ValueError(f"'{text.strip()}' is not a currency code such as USD or EUR")
    return value


def parse_int(text: str, low: int, high: int) -> int:
    """A whole number between ``low`` and ``high``, both included (``1,000`` allowed)."""
    value = text.strip().replace(",", "")
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
