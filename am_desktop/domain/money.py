"""Money in several currencies (issue 20): every amount is an integer count of its currency's
minor units, whose size is the currency's ISO 4217 exponent — JPY has none (¥1,200 is 1200),
most have two (€12.50 is 1250), a few have three (KWD 1.250 is 1250).

Nothing here converts: conversion needs a rate and lives in ``domain.fx``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

#: ISO 4217 currencies whose minor unit is not a hundredth (every other code has two decimals).
EXPONENTS: dict[str, int] = {
    # none
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    # three
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    # four
    "CLF": 4, "UYW": 4,
}  # fmt: skip

DEFAULT_EXPONENT = 2

#: The ISO 4217 codes (current ones, the funds and X codes, and HRK and SLL, which CRMs still
#: hold in old records): a code outside it is a typo ("EURO", "UDS"), never a currency.
# fmt: off
CODES: frozenset[str] = frozenset({
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP",
    "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP",
    "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HRK", "HTG", "HUF", "IDR",
    "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW",
    "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA",
    "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD",
    "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG",
    "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE",
    "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP",
    "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED",
    "VES", "VND", "VUV", "WST", "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XCG",
    "XDR", "XOF", "XPD", "XPF", "XPT", "XSU", "XTS", "XUA", "XXX", "YER", "ZAR", "ZMW", "ZWG",
    "ZWL",
})
# fmt: on


def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 currency code (upper case, as stored)."""
    return code in CODES


def not_a_currency(text: str) -> str:
    """What to say of a code that is not a currency (the same words everywhere)."""
    return f"'{text}' is not a currency code (ISO 4217, e.g. EUR)"


def exponent(currency: str) -> int:
    """How many decimals the currency's minor unit has (``JPY`` 0, ``EUR`` 2, ``KWD`` 3)."""
    return EXPONENTS.get(currency, DEFAULT_EXPONENT)


def minor_per_major(currency: str) -> int:
    """Minor units in one unit of the currency: 1 for JPY, 100 for EUR, 1000 for KWD."""
    return int(10 ** exponent(currency))


def to_major(minor: int, currency: str) -> float:
    """An amount as a number of whole units, for JSON (``1250`` EUR -> 12.5; ``1250`` JPY ->
    1250.0)."""
    return minor / minor_per_major(currency)


def minor_from_cents(cents: int, currency: str) -> int:
    """An amount read as if it had two decimals (``12.50`` -> 1250), in the currency's own
    minor units (JPY ``1200`` -> 1200; KWD ``1.25`` -> 1250).

    Raises:
        ValueError: the amount has decimals the currency does not have (``JPY 12.50``).
    """
    places = exponent(currency)
    if places >= 2:
        return cents * int(10 ** (places - 2))
    whole, rest = divmod(cents, int(10 ** (2 - places)))
    if rest:
        raise ValueError(f"{currency} amounts have {_decimals(places)}; this one has more")
    return whole


def minor_units(amount: Decimal, currency: str) -> int:
    """An amount as written (``Decimal("1234.567")``) in the currency's minor units (KWD:
    1234567); trailing zeros are no decimals (``1200.00`` JPY is 1200).

    Raises:
        ValueError: the amount has more decimals than the currency has (``1234.5`` JPY).
    """
    places = exponent(currency)
    scaled = amount.scaleb(places)
    if scaled != scaled.to_integral_value():
        written = -amount.normalize().as_tuple().exponent  # type: ignore[operator]
        raise ValueError(
            f"'{amount}' has {_decimals(int(written))} but {currency} amounts have "
            f"{_decimals(places)}"
        )
    return int(scaled)


def _decimals(places: int) -> str:
    return "no decimals" if places == 0 else f"{places} decimal{'s' if places > 1 else ''}"


@dataclass(frozen=True, slots=True)
class Money:
    """An amount with its currency: ``minor`` units of ``currency`` (never a float)."""

    minor: int
    currency: str

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency} unconverted")
        return Money(self.minor + other.minor, self.currency)

    def as_json(self) -> dict[str, object]:
        """``{"amount": 12.5, "currency": "EUR"}``."""
        return {"amount": to_major(self.minor, self.currency), "currency": self.currency}
