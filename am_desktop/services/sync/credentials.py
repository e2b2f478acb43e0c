"""The CRM token: in the system keyring only, ``$AM_DESKTOP_CRM_TOKEN`` first for scripts
(PRODUCT.md §5; issue 8). Never in the database, the settings, a log line or an exception.

Where the machine has no keyring (a headless server: keyring's "fail" backend), saving says so
and the caller asks for the token each session instead of writing it anywhere.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from am_desktop import system_keyring
from am_desktop.errors import SyncError, SyncErrorKind
from am_desktop.system_keyring import forget_secret, load_secret

__all__ = [
    "ENVIRONMENT",
    "KeyringUnavailable",
    "account_name",
    "forget_secret",
    "forget_token",
    "load_secret",
    "load_token",
    "save_secret",
    "save_token",
]

ENVIRONMENT = "AM_DESKTOP_CRM_TOKEN"


class KeyringUnavailable(SyncError):  # noqa: N818 - reads as what is missing
    """No system keyring to keep the token in."""

    def __init__(self) -> None:
        super().__init__(
            "This computer has no keyring to keep the CRM token in safely: the token is asked "
            "for each session and never written down.",
            SyncErrorKind.AUTH,
        )


def account_name(crm: str, base_url: str) -> str:
    """The keyring entry of a CRM at an address (one token per CRM and host)."""
    return f"{crm}@{urlsplit(base_url).netloc or base_url}"


def save_token(crm: str, base_url: str, token: str) -> None:
    """Keep the token in the system keyring.

    Raises:
        KeyringUnavailable: there is no keyring on this computer.
    """
    save_secret(account_name(crm, base_url), token.strip())


def load_token(crm: str, base_url: str) -> str | None:
    """The token: ``$AM_DESKTOP_CRM_TOKEN``, else the keyring's, else None."""
    from_environment = os.environ.get(ENVIRONMENT, "").strip()
    if from_environment:
        return from_environment
    return load_secret(account_name(crm, base_url))


def forget_token(crm: str, base_url: str) -> None:
    """Remove the saved token (logging out)."""
    forget_secret(account_name(crm, base_url))


def save_secret(entry: str, secret: str) -> None:
    """Keep ``secret`` under ``entry`` in the system keyring (a token, a Salesforce sign-in).

    Raises:
        KeyringUnavailable: there is no keyring on this computer.
    """
    try:
        system_keyring.save_secret(entry, secret)
    except system_keyring.NoKeyring:
        raise KeyringUnavailable from None
