"""Money in several currencies (issue 20): every amount is an integer count of its currency's
minor units, whose size is the currency's ISO 4217 exponent — JPY has none (¥1,200 is 1200),
most have two (€12.50 is 1250), a few have three (KWD 1.250 is 1250).

Nothing here converts: conversion needs a rate and lives in ``domain.fx``.
"""

from __future__ import annotations

from dataclasses import dataclass

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
