"""Argument types for the command line that say what they allow.

A number or date out of range is refused while the arguments are read (exit status 2, with the
usage line), instead of overflowing later in a date sum or an SQLite integer.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date

#: Dates the commands accept: what a portfolio can sensibly span.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2200, 12, 31)
#: The largest id SQLite stores.
LARGEST_ID = 2**63 - 1


def whole_number(low: int, high: int, what: str) -> Callable[[str], int]:
    """An argument type for a whole number from ``low`` to ``high`` (``what`` names it)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"{what} must be a whole number from {low:,} to {high:,}, not “{text}”"
            )
        return value

    parse.__name__ = what  # argparse names the type in some messages
    return parse


def day(text: str) -> date:
    """An argument type for a day written as YYYY-MM-DD, from 1900 to 2200."""
    from am_desktop.domain.values import parse_date

    try:
        value = parse_date(text)
    except (ValueError, OverflowError):
        value = None
    if value is None or not FIRST_DAY <= value <= LAST_DAY:
        raise argparse.ArgumentTypeError(
            f"a date such as 2026-01-31, from {FIRST_DAY.year} to {LAST_DAY.year}, "
            f"is wanted, not “{text}”"
        )
    return value


def currency_code(text: str) -> str:
    """An argument type for an ISO 4217 currency code (``eur`` is read as EUR)."""
    from am_desktop.domain.values import parse_currency

    try:
        return parse_currency(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def reporting_currency(given: str | None) -> str:
    """``--currency``, else the reporting currency setting, else the AM's currency setting."""
    return given or _currency_setting("reporting_currency", "currency")


def default_currency() -> str:
    """The AM's currency setting: what a file without a currency column is in."""
    return _currency_setting("currency")


def _currency_setting(*keys: str) -> str:
    """The first of the ``prefs`` settings ``keys`` that holds a currency code, else USD.

    The settings file is read as the INI file it is (where Qt's ``IniFormat``/``UserScope``
    keeps it), without loading Qt: a command stays light.
    """
    import configparser
    import os
    import sys
    from pathlib import Path

    from am_desktop.domain.values import parse_currency

    if sys.platform == "win32":
        folder = Path(os.environ.get("APPDATA", Path.home()))
    else:
        folder = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(folder / "am-desktop" / "am-desktop.ini", encoding="utf-8")
    except (configparser.Error, OSError, UnicodeDecodeError):
        return "USD"  # an unreadable file: the window says why; the default here
    for key in keys:
        try:
            return parse_currency(parser.get("prefs", key, fallback=""))
        except ValueError:
            continue
    return "USD"
