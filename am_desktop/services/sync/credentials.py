"""The CRM token: in the system keyring only, ``$AM_DESKTOP_CRM_TOKEN`` first for scripts
(PRODUCT.md §5; issue 8). Never in the database, the settings, a log line or an exception.

Where the machine has no keyring (a headless server: keyring's "fail" backend), saving says so
and the caller asks for the token each session instead of writing it anywhere.
"""

from __future__ import annotations

import contextlib
import os
from urllib.parse import urlsplit

from am_desktop.errors import SyncError, SyncErrorKind

ENVIRONMENT = "AM_DESKTOP_CRM_TOKEN"
SERVICE = "am-desktop"


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


def keyring_available() -> bool:
    """Whether a real keyring backend exists (not keyring's fail or null backend)."""
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    return not isinstance(backend, fail.Keyring) and "null" not in type(backend).__module__


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
    import keyring
    from keyring.errors import KeyringError

    if not keyring_available():
        raise KeyringUnavailable
    try:
        keyring.set_password(SERVICE, entry, secret)
    except KeyringError:
        raise KeyringUnavailable from None


def load_secret(entry: str) -> str | None:
    """The keyring's secret under ``entry``, or None (none saved, or no keyring)."""
    if not keyring_available():
        return None
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, entry)
    except KeyringError:
        return None


def forget_secret(entry: str) -> None:
    """Remove the keyring's secret under ``entry`` (nothing happens when there is none)."""
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    with contextlib.suppress(PasswordDeleteError, KeyringError):
        keyring.delete_password(SERVICE, entry)
