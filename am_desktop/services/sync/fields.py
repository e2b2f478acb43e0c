"""Canonical values for CRM sync: each synced local field, how its stored value and a CRM's
text read in one form, and how a canonical value is stored back (issue 8).

Comparing canonical values is what keeps formatting ("1200" vs "1200.00", an ISO time vs
epoch milliseconds, "ACME.com" vs "acme.com") from looking like a change on either side.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from am_desktop.db.connection import DATETIME_FORMAT

#: Local kind -> synced field -> how its values read ("text", "lower", "domain", "body", "cents",
#: "cents0" (none is 0), "date", "moment", "stage", "currency"). Amounts are minor units of the
#: record's ``currency`` (issue 20): a CRM's amount is scaled by it (``PropertyMap.read``).
KINDS: dict[str, dict[str, str]] = {
    "account": {"name": "text", "domain": "domain", "industry": "text", "currency": "currency"},
    "contact": {
        "first_name": "text",
        "last_name": "text",
        "email": "lower",
        "title": "text",
        "phone": "text",
    },
    "opportunity": {
        "name": "text",
        "amount_cents": "cents0",
        "close_date": "date",
        "stage": "stage",
        "currency": "currency",
    },
    "renewal": {
        "proposed_arr_cents": "cents",
        "close_date": "date",
        "stage": "stage",
        "currency": "currency",
    },
    "note": {"body": "body", "occurred_at": "moment"},
}


#: Fields the local database cannot leave empty: a CRM value that empties one is not taken
#: (the local value is sent back instead).
REQUIRED: dict[str, frozenset[str]] = {
    "account": frozenset({"name", "currency"}),
    "contact": frozenset({"last_name"}),
    "opportunity": frozenset({"name", "stage", "currency"}),
    "renewal": frozenset({"stage", "currency"}),
    "note": frozenset({"occurred_at"}),
}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _lower(value: Any) -> str | None:
    text = _text(value)
    return text.lower() if text else None


def _domain(value: Any) -> str | None:
    """The bare domain, as the app stores it (``https://www.Acme.com/`` -> ``acme.com``)."""
    from am_desktop.domain.values import parse_domain

    text = _text(value)
    if text is None:
        return None
    try:
        return parse_domain(text)
    except ValueError:
        return text.lower()


def _body(value: Any) -> str:
    return "" if value is None else str(value).replace("\r\n", "\n").rstrip()


def _cents(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    try:
        return int((Decimal(str(value).replace(",", "")) * 100).to_integral_value())
    except InvalidOperation:
        return None


def _currency(value: Any) -> str | None:
    text = _text(value)
    return text.upper() if text else None


def _cents0(value: Any) -> int:
    return _cents(value) or 0


def moment_ms(value: Any) -> int | None:
    """Epoch milliseconds from epoch ms, an ISO time (with Z or an offset) or a stored time."""
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # stored times are UTC
    return int(moment.timestamp() * 1000)


def _date(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if text.isdigit():
        return datetime.fromtimestamp(int(text) / 1000, UTC).date().isoformat()
    return text[:10]


CANONICAL: dict[str, Callable[[Any], Any]] = {
    "text": _text,
    "lower": _lower,
    "domain": _domain,
    "body": _body,
    "cents": _cents,
    "cents0": _cents0,
    "date": _date,
    "moment": moment_ms,
    "stage": _text,
    "currency": _currency,
}
#: Kinds of field holding an amount.
AMOUNTS = frozenset({"cents", "cents0"})


def canonical(obj: str, field: str, value: Any) -> Any:
    """A value of a synced field in canonical form."""
    return CANONICAL[KINDS[obj][field]](value)


class RemoteValueError(ValueError):
    """A CRM value this app cannot hold (not a number, out of the allowed range): the record
    carrying it is skipped and reported, never stored or allowed to stop the sync."""


def checked(obj: str, field: str, value: Any) -> Any:
    """A CRM's value in canonical form, held to the same rules as a value typed here (amounts
    up to MAX_MONEY_CENTS, dates within EARLIEST_YEAR–LATEST_YEAR).

    Raises:
        RemoteValueError: the value is not of its kind or is out of range, in words.
    """
    kind = KINDS[obj][field]
    if (
        value is None
        or value == ""
        or kind not in ("cents", "cents0", "date", "moment", "currency")
    ):
        return canonical(obj, field, value)
    shown = str(value)[:40]
    if kind in AMOUNTS:
        return checked_minor(value, "USD")
    if kind == "currency":
        return _checked_currency(value, shown)
    if kind == "date":
        text = str(value).strip()
        if text.isdigit():
            return _within_years(_moment(int(text), shown).date(), shown).isoformat()
        try:
            day = date.fromisoformat(text[:10])
        except ValueError:
            raise RemoteValueError(f"'{shown}' is not a date") from None
        return _within_years(day, shown).isoformat()
    milliseconds = moment_ms(value)
    if milliseconds is None:
        raise RemoteValueError(f"'{shown}' is not a time")
    _within_years(_moment(milliseconds, shown), shown)
    return milliseconds


def _checked_currency(value: Any, shown: str) -> str:
    from am_desktop.domain.money import is_currency, not_a_currency

    code = str(value).strip().upper()
    if not is_currency(code):
        raise RemoteValueError(not_a_currency(shown))
    return code


def checked_minor(value: Any, currency: str) -> int:
    """A CRM's amount (``"1234.5"``, ``1234.5``) in ``currency``'s minor units (JPY none, KWD
    three), rounded to the unit as a CRM's stored decimals may not fit the currency.

    Raises:
        RemoteValueError: not a number, or larger than the largest amount, in words.
    """
    from am_desktop.domain.money import exponent
    from am_desktop.domain.values import MAX_MONEY_CENTS

    shown = str(value)[:40]
    if isinstance(value, bool):
        raise RemoteValueError(f"'{shown}' is not an amount")
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise RemoteValueError(f"'{shown}' is not an amount") from None
    if not amount.is_finite():
        raise RemoteValueError(f"'{shown}' is not a number")
    if abs(amount) > Decimal(MAX_MONEY_CENTS) / 100:
        raise RemoteValueError(
            f"'{shown}' is larger than the largest amount, {MAX_MONEY_CENTS // 100:,}"
        )
    return int(amount.scaleb(exponent(currency)).to_integral_value())


def major(minor: int, currency: str) -> Decimal:
    """Minor units as the exact decimal a CRM writes (120000 JPY -> 120000, EUR -> 1200.00)."""
    from am_desktop.domain.money import exponent

    return Decimal(int(minor)).scaleb(-exponent(currency))


def _moment(milliseconds: int, shown: str) -> datetime:
    try:
        return datetime.fromtimestamp(milliseconds / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        raise RemoteValueError(f"'{shown}' is outside the years this app accepts") from None


def _within_years(day: date, shown: str) -> date:
    from am_desktop.domain.values import within_years

    try:
        return within_years(day, shown)
    except ValueError as error:
        raise RemoteValueError(str(error)) from None


def stored(obj: str, field: str, value: Any) -> Any:
    """A canonical value as the local database stores it."""
    if KINDS[obj][field] == "moment" and value is not None:
        return datetime.fromtimestamp(value / 1000, UTC).strftime(DATETIME_FORMAT)
    return value


def iso_moment(milliseconds: int) -> str:
    """Epoch ms as ISO-8601 UTC with milliseconds (how CRMs write times)."""
    moment = datetime.fromtimestamp(milliseconds / 1000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{milliseconds % 1000:03d}Z"
