"""Field rules: turn what a form, a file or a caller gives into the stored value.

A rule accepts either text (as typed or read from a CSV cell) or the stored type itself (a
``date``, cents as ``int``, an enum member) and returns the stored value, or raises
``ValueError`` with a reason. Services and import use the same rules.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from am_desktop.domain import values
from am_desktop.domain.enums import Choice, parse_choice

Coerce = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class FieldRule:
    """How one field is checked.

    Args:
        coerce: turns a given value into the stored one, or raises ``ValueError``.
        required: an empty value is refused (else empty means "no value").
        label: the field's name in messages ("Check-in cadence").
    """

    coerce: Coerce
    required: bool = False
    label: str = ""

    def apply(self, value: object) -> object:
        """The stored value for ``value``; empty text and None become None unless required."""
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.required:
                raise ValueError("is required")
            return None
        return self.coerce(value)


def _text_or(kind: type, parse: Callable[[str], Any]) -> Coerce:
    def coerce(value: object) -> Any:
        if isinstance(value, str):
            return parse(value)
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            return value
        raise ValueError(f"expects {kind.__name__}, got {type(value).__name__}")

    return coerce


def text(max_length: int = 200) -> Coerce:
    """One line of text, trimmed."""

    def coerce(value: object) -> str:
        if not isinstance(value, str):
            raise ValueError(f"expects text, got {type(value).__name__}")
        return values.clean_text(value, max_length)

    return coerce


def long_text(max_length: int = 1_000_000) -> Coerce:
    """Multi-line text (Markdown bodies, descriptions); line breaks kept, ends trimmed."""

    def coerce(value: object) -> str:
        if not isinstance(value, str):
            raise ValueError(f"expects text, got {type(value).__name__}")
        result = values.refuse_control_characters(value).replace("\r\n", "\n").strip()
        if len(result) > max_length:
            raise ValueError(f"is longer than {max_length} characters")
        return result

    return coerce


def choice(kind: type[Choice]) -> Coerce:
    """A member of ``kind``, from the member or from text."""

    def coerce(value: object) -> Choice:
        if isinstance(value, kind):
            return value
        if isinstance(value, str):
            return parse_choice(kind, value)
        raise ValueError(f"expects one of {', '.join(m.value for m in kind)}")

    return coerce


def whole_number(low: int, high: int) -> Coerce:
    """An ``int`` in ``low..high``."""

    def check(number: int) -> int:
        if not low <= number <= high:
            raise ValueError(f"{number} is outside {low}–{high}")
        return number

    def coerce(value: object) -> int:
        return check(_text_or(int, lambda t: values.parse_int(t, low, high))(value))

    return coerce


def money(minimum: int = 0) -> Coerce:
    """Cents as ``int`` (never float), or an amount written as text; at least ``minimum``.

    At most ``values.MAX_MONEY_CENTS`` either way, however the amount is given.
    """

    def coerce(value: object) -> int:
        cents = values.within_money_bound(_text_or(int, values.parse_money_cents)(value))
        if cents < minimum:
            raise ValueError("must be more than zero" if minimum > 0 else "must not be negative")
        return int(cents)

    return coerce


def percent() -> Coerce:
    """0–100 as ``int``, or text such as ``80%``."""

    def coerce(value: object) -> int:
        number = _text_or(int, values.parse_percent)(value)
        if not 0 <= number <= 100:
            raise ValueError(f"{number} is outside 0–100 %")
        return int(number)

    return coerce


def coordinate() -> Coerce:
    """A map position (``float``)."""

    def coerce(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError("expects a number")
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a number") from None
        if not math.isfinite(number):
            raise ValueError(f"'{value}' is not a finite number")
        return number

    return coerce


def reference() -> Coerce:
    """The id of another record."""
    return _text_or(int, lambda t: values.parse_int(t, 1, 2**62))


def day() -> Coerce:
    """A ``date`` within ``values.EARLIEST_YEAR``–``LATEST_YEAR`` (a ``datetime`` is refused)."""

    def coerce(value: object) -> date:
        if isinstance(value, datetime):
            raise ValueError("expects a date without a time")
        day: date = _text_or(date, values.parse_date)(value)
        return values.within_years(day)

    return coerce


def moment() -> Coerce:
    """An aware UTC ``datetime`` within ``values.EARLIEST_YEAR``–``LATEST_YEAR``."""

    def coerce(value: object) -> datetime:
        if isinstance(value, datetime):
            return values.to_utc_within_years(value)
        return _text_or(datetime, values.parse_datetime)(value)  # type: ignore[no-any-return]

    return coerce


email: Coerce = _text_or(str, values.parse_email)
phone: Coerce = _text_or(str, values.parse_phone)
domain: Coerce = _text_or(str, values.parse_domain)
currency: Coerce = _text_or(str, values.parse_currency)
boolean: Coerce = _text_or(bool, values.parse_bool)
