"""Where a CRM connection's access token comes from (issue 18).

HubSpot and scripted runs hand the app one token that never changes (:class:`StaticToken`).
Salesforce hands out short-lived access tokens and a refresh token: when a call answers 401
``INVALID_SESSION_ID`` the HTTP layer asks its :class:`TokenSource` to :meth:`renew` and sends
the call once more with the new token. A token source keeps tokens in memory only; whatever
must outlive the process (a refresh token) lives in the system keyring, never elsewhere.
"""

from __future__ import annotations

from typing import Protocol


class TokenSource(Protocol):
    """The access token to send, and a way to get a new one when the CRM refuses it."""

    def current(self) -> str:
        """The access token to send now."""
        ...

    def renew(self) -> str | None:
        """A fresh access token after the CRM refused :meth:`current`; None when there is no
        way to get one (the caller then reports that the sign-in has expired)."""
        ...


class StaticToken:
    """One token for the whole run (HubSpot's private-app token, ``$AM_DESKTOP_CRM_TOKEN``)."""

    __slots__ = ("_token",)

    def __init__(self, token: str) -> None:
        self._token = token

    def current(self) -> str:
        return self._token

    def renew(self) -> str | None:
        return None

    def __repr__(self) -> str:  # never shows the token
        return "StaticToken(…)"
