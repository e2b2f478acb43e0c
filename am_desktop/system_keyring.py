"""Secrets in the system keyring (service ``am-desktop``): the CRM token, the database key.

Qt-free and below both the sync and the database layers, so each keeps its own words for
"there is no keyring" while sharing how one is reached.
"""

from __future__ import annotations

import contextlib

SERVICE = "am-desktop"


class NoKeyring(Exception):  # noqa: N818 - reads as what is missing
    """This computer has no usable keyring (keyring's fail or null backend, or it refused)."""


def keyring_available() -> bool:
    """Whether a real keyring backend exists (not keyring's fail or null backend)."""
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    return not isinstance(backend, fail.Keyring) and "null" not in type(backend).__module__


def save_secret(entry: str, secret: str) -> None:
    """Keep ``secret`` under ``entry`` in the system keyring.

    Raises:
        NoKeyring: there is no keyring on this computer, or it refused.
    """
    import keyring
    from keyring.errors import KeyringError

    if not keyring_available():
        raise NoKeyring
    try:
        keyring.set_password(SERVICE, entry, secret)
    except KeyringError:
        raise NoKeyring from None


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
