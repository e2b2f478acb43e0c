"""Signing in to Salesforce (PRODUCT.md §5, SYNC.md §2; issue 18): the OAuth 2.0 web-server
flow with PKCE through a loopback redirect and the system browser (RFC 8252), no client secret.

The consumer key and the login address (production, sandbox or a My Domain) are settings. The
sign-in gives an access token (kept in memory only), a refresh token and the org's instance
URL. The refresh token is kept in the system keyring with what renewing needs (consumer key,
login address) under the instance's entry; a :class:`SalesforceSession` is the connector's
:class:`~am_desktop.services.sync.tokens.TokenSource`: ``renew()`` trades the refresh token for
a new access token and, when Salesforce rotates the refresh token, keeps the new one BEFORE the
new access token is used. No token appears in a log line, an exception or a repr.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import threading
import webbrowser
from collections.abc import Callable, MutableMapping
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from am_desktop import log
from am_desktop.errors import Cancelled, SyncError, SyncErrorKind, ValidationError
from am_desktop.services.sync import credentials
from am_desktop.services.sync.http import check_secure
from am_desktop.services.sync.loopback import CALLBACK_PATH, LoopbackRedirect, RedirectTimedOut
from am_desktop.services.sync.tokens import StaticToken, TokenSource

PRODUCTION = "https://login.salesforce.com"
SANDBOX = "https://test.salesforce.com"
#: The loopback port of the callback URL: Salesforce wants the URL registered in the
#: connected app, port included, so it is fixed (a setting) rather than ephemeral.
CALLBACK_PORT = 7717
#: How long the browser has to come back before the sign-in gives up.
SIGN_IN_MINUTES = 5
#: Every sign-in request's wait for an answer, in seconds.
HTTP_TIMEOUT = 30.0
CRM = "salesforce"
SIGN_IN_AGAIN = (
    "Salesforce no longer accepts this sign-in (it was revoked or has expired): sign in again "
    "(Edit → Preferences → CRM → Sign in with Salesforce, or `am-desktop crm login --crm "
    "salesforce`)."
)


def check_login_url(url: str) -> str:
    """The login address as ``scheme://host[:port]``: https only (plain http to this computer
    for tests), no path.

    Raises:
        SyncError: not secure (kind INSECURE).
        ValidationError: not a site address.
    """
    text = url.strip().rstrip("/")
    scheme, colon, rest = text.partition(":")
    if colon and scheme.isalpha():
        text = f"{scheme.lower()}:{rest}"
    check_secure(text)
    parts = urlsplit(text)
    if parts.path or parts.query or parts.fragment or parts.username:
        raise ValidationError(
            "The login address is a site's address alone, such as https://login.salesforce.com "
            "or https://yourcompany.my.salesforce.com.",
            "login_url",
        )
    return f"{parts.scheme}://{parts.netloc.lower()}"


def check_consumer_key(key: str) -> str:
    """The consumer key without spaces around it.

    Raises:
        ValidationError: empty, or not one word.
    """
    key = key.strip()
    if not key or any(c.isspace() for c in key):
        raise ValidationError(
            "Enter the consumer key of your company's Salesforce connected app (Salesforce "
            "Setup → App Manager → the app → Consumer Key).",
            "consumer_key",
        )
    return key


@dataclass(frozen=True, slots=True)
class SalesforceApp:
    """Which connected app signs in, where, and the loopback port its callback URL names
    (Salesforce matches the registered callback URL exactly, port included)."""

    consumer_key: str
    login_url: str = PRODUCTION
    callback_port: int = CALLBACK_PORT

    @classmethod
    def of(
        cls, consumer_key: str, login_url: str = PRODUCTION, callback_port: int = CALLBACK_PORT
    ) -> SalesforceApp:
        return cls(check_consumer_key(consumer_key), check_login_url(login_url), callback_port)

    @property
    def callback_url(self) -> str:
        """The callback URL to register in the connected app."""
        return callback_url(self.callback_port)

    def endpoint(self, name: str) -> str:
        return f"{self.login_url}/services/oauth2/{name}"


@dataclass(frozen=True, slots=True)
class Pkce:
    """A PKCE pair (RFC 7636): the verifier stays here, the S256 challenge goes to the browser."""

    verifier: str = field(repr=False)
    challenge: str

    @classmethod
    def new(cls) -> Pkce:
        verifier = secrets.token_urlsafe(64)  # 86 characters of the unreserved set
        return cls(verifier, challenge_of(verifier))


def challenge_of(verifier: str) -> str:
    """S256: base64url(sha256(verifier)) without padding."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorize_url(app: SalesforceApp, redirect_uri: str, state: str, challenge: str) -> str:
    """The page the browser opens to sign in and allow access."""
    query = urlencode(
        {
            "response_type": "code",
            "client_id": app.consumer_key,
            "redirect_uri": redirect_uri,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "state": state,
        }
    )
    return f"{app.endpoint('authorize')}?{query}"


# ---------------------------------------------------------------------------------- keeping


@dataclass(frozen=True, slots=True)
class SavedSignIn:
    """What outlives the process: the refresh token and what renewing it needs."""

    refresh_token: str = field(repr=False)
    instance_url: str
    consumer_key: str
    login_url: str

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> SavedSignIn | None:
        try:
            data = json.loads(text)
            return cls(**{k: str(data[k]) for k in cls.__dataclass_fields__})
        except (ValueError, TypeError, KeyError):
            return None

    @property
    def app(self) -> SalesforceApp:
        return SalesforceApp(self.consumer_key, self.login_url)


def entry_of(instance_url: str) -> str:
    """The keyring entry of the sign-in to an org (never the entry of an access token)."""
    return credentials.account_name(f"{CRM}-sign-in", instance_url)


class SignInKeeper:
    """Where a sign-in is kept between runs: the system keyring, or (no keyring) ``memory``
    for this session only, never a file.

    Args:
        memory: the window's ``session_tokens``; None keeps nothing when there is no keyring.
    """

    def __init__(self, memory: MutableMapping[str, str] | None = None) -> None:
        self._memory = memory

    def keep(self, saved: SavedSignIn) -> bool:
        """Keep it; True when the keyring has it, False when only memory (or nothing) does."""
        entry = entry_of(saved.instance_url)
        try:
            credentials.save_secret(entry, saved.to_json())
        except credentials.KeyringUnavailable:
            if self._memory is not None:
                self._memory[entry] = saved.to_json()
            return False
        if self._memory is not None:
            self._memory.pop(entry, None)  # the keyring's copy is the one now
        return True

    def load(self, instance_url: str) -> SavedSignIn | None:
        """This session's memory first, then the keyring."""
        entry = entry_of(instance_url.rstrip("/"))
        text = (self._memory or {}).get(entry) or credentials.load_secret(entry)
        return SavedSignIn.from_json(text) if text else None

    def drop(self, instance_url: str) -> None:
        """Forget it (signed out, or revoked)."""
        entry = entry_of(instance_url.rstrip("/"))
        if self._memory is not None:
            self._memory.pop(entry, None)
        credentials.forget_secret(entry)


# ---------------------------------------------------------------------------------- the session


class SalesforceSession:
    """A :class:`TokenSource` for one org: the access token in memory, renewed with the refresh
    token; a rotated refresh token is kept before the new access token is handed out.

    Args:
        saved: the refresh token and what renewing needs.
        access_token: the access token a sign-in just gave (None: renew on first use).
        keeper: where a rotated refresh token goes (the keyring by default).
        client: the HTTP client (tests); the session makes its own otherwise.
    """

    __slots__ = ("_access", "_client", "_keeper", "_lock", "_saved", "kept_in_memory")

    def __init__(
        self,
        saved: SavedSignIn,
        access_token: str | None = None,
        *,
        keeper: SignInKeeper | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        self._saved = saved
        self._access = access_token
        self._keeper = keeper or SignInKeeper()
        self._client = client
        self._lock = threading.Lock()
        #: True once the keyring could not keep a refresh token (it then lives in memory).
        self.kept_in_memory = False
        log.Redact.remember(saved.refresh_token)
        if access_token:
            log.Redact.remember(access_token)

    @property
    def instance_url(self) -> str:
        """The org's API address (``https://yourcompany.my.salesforce.com``): not a secret."""
        return self._saved.instance_url

    @property
    def saved(self) -> SavedSignIn:
        return self._saved

    def current(self) -> str:
        if self._access is None:
            renewed = self.renew()
            if renewed is None:  # pragma: no cover - renew raises instead
                raise SyncError(SIGN_IN_AGAIN, SyncErrorKind.AUTH)
            return renewed
        return self._access

    def renew(self) -> str | None:
        """A new access token from the refresh token.

        Raises:
            SyncError: the refresh token was revoked or expired (AUTH, "sign in again"; the
                kept sign-in is forgotten), or Salesforce could not be reached.
        """
        with self._lock:
            app = self._saved.app
            try:
                answer = _post_form(
                    self._client,
                    app.endpoint("token"),
                    {
                        "grant_type": "refresh_token",
                        "refresh_token": self._saved.refresh_token,
                        "client_id": app.consumer_key,
                    },
                )
            except _OAuthRefused as refused:
                if refused.error in ("invalid_grant", "inactive_user", "inactive_org"):
                    self._keeper.drop(self._saved.instance_url)
                    raise SyncError(SIGN_IN_AGAIN, SyncErrorKind.AUTH) from None
                raise SyncError(_token_error_words(refused.error), SyncErrorKind.AUTH) from None
            access = _text(answer, "access_token")
            log.Redact.remember(access)
            rotated = str(answer.get("refresh_token") or "")
            instance = str(answer.get("instance_url") or self._saved.instance_url).rstrip("/")
            if rotated and rotated != self._saved.refresh_token:
                log.Redact.remember(rotated)
                fresh = SavedSignIn(rotated, instance, app.consumer_key, app.login_url)
                # Kept first: a crash right after this still leaves a token that works.
                self.kept_in_memory = not self._keeper.keep(fresh)
                self._saved = fresh
            log.sync.info("Salesforce: access token renewed for %s", self._saved.instance_url)
            self._access = access
            return access

    def keep(self) -> bool:
        """Keep the sign-in (after signing in); False when there is no keyring to keep it in
        (it is then kept in memory where the keeper has some, and this session still works)."""
        self.kept_in_memory = not self._keeper.keep(self._saved)
        return not self.kept_in_memory

    def __repr__(self) -> str:  # never shows a token
        return f"SalesforceSession(instance_url={self.instance_url!r})"


def token_source(
    instance_url: str, memory: MutableMapping[str, str] | None = None
) -> TokenSource | None:
    """What a Salesforce connector at ``instance_url`` sends: ``$AM_DESKTOP_CRM_TOKEN`` (an access
    token, for scripts) first, else the kept sign-in, else None (sign in first).

    Args:
        memory: the window's ``session_tokens`` (a sign-in kept there where there is no keyring).
    """
    scripted = os.environ.get(credentials.ENVIRONMENT, "").strip()
    if scripted:
        log.Redact.remember(scripted)
        return StaticToken(scripted)
    keeper = SignInKeeper(memory)
    saved = keeper.load(instance_url)
    return None if saved is None else SalesforceSession(saved, keeper=keeper)


# ---------------------------------------------------------------------------------- signing in


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A finished sign-in: the session, who signed in (words, "" when unknown), and whether
    the keyring keeps it (False: memory only, until the app quits)."""

    session: SalesforceSession
    user: str
    kept: bool


def callback_url(port: int) -> str:
    """``http://127.0.0.1:PORT/callback``: the callback URL a connected app registers."""
    return f"http://127.0.0.1:{port}{CALLBACK_PATH}"


def _listening(port: int) -> LoopbackRedirect:
    """The loopback listener, or a sentence when another program holds the port."""
    try:
        return LoopbackRedirect(port)
    except OSError:
        raise SyncError(
            f"Another program is using port {port} on this computer, so Salesforce cannot "
            "hand the sign-in back. Close it, or choose another callback port in Preferences → "
            "CRM and register that callback URL in the connected app.",
            SyncErrorKind.AUTH,
        ) from None


def sign_in(
    app: SalesforceApp,
    *,
    open_browser: Callable[[str], object] = webbrowser.open,
    show_url: Callable[[str], None] | None = None,
    timeout: float = SIGN_IN_MINUTES * 60,
    cancelled: Callable[[], bool] = lambda: False,
    keeper: SignInKeeper | None = None,
    client: httpx.Client | None = None,
    port: int | None = None,
) -> SignedIn:
    """Sign in through the system browser and keep the sign-in.

    Args:
        app: the consumer key and login address.
        open_browser: opens a URL (``webbrowser.open``; the window passes QDesktopServices).
        show_url: also told the URL (the terminal prints it for a machine without a browser).
        timeout: seconds the browser has to come back.
        cancelled: polled while waiting; True stops the sign-in (raises Cancelled).
        keeper: where the sign-in is kept (the keyring by default).
        client: the HTTP client (tests).
        port: the loopback port (None: the app's callback port; 0: an ephemeral one).

    Raises:
        SyncError: refused, timed out, or Salesforce unreachable, in words.
        Cancelled: ``cancelled()`` turned true.
    """
    pkce, state = Pkce.new(), secrets.token_urlsafe(24)
    with _listening(app.callback_port if port is None else port) as redirect:
        url = authorize_url(app, redirect.redirect_uri, state, pkce.challenge)
        log.sync.info("Salesforce sign-in at %s: waiting for the browser", app.login_url)
        if show_url is not None:
            show_url(url)
        open_browser(url)
        try:
            params = redirect.wait(timeout, cancelled)
        except RedirectTimedOut:
            minutes = max(1, round(timeout / 60))
            raise SyncError(
                f"The browser did not come back within {minutes} minute"
                f"{'s' if minutes != 1 else ''}, so the sign-in was stopped: sign in again and "
                "finish in the browser (if it showed an error, check the consumer key and the "
                "login address).",
                SyncErrorKind.AUTH,
            ) from None
        redirect_uri = redirect.redirect_uri
    if not secrets.compare_digest(params.get("state", ""), state):
        raise SyncError(
            "The browser's answer did not belong to this sign-in, so it was refused: sign in "
            "again.",
            SyncErrorKind.AUTH,
        )
    if "error" in params:
        raise SyncError(_authorize_error_words(params["error"], redirect_uri), SyncErrorKind.AUTH)
    code = params.get("code", "")
    if not code:
        raise SyncError("Salesforce answered without a sign-in code: sign in again.",
                        SyncErrorKind.AUTH)  # fmt: skip
    if cancelled():
        raise Cancelled
    log.Redact.remember(code)
    try:
        answer = _post_form(
            client,
            app.endpoint("token"),
            {
                "grant_type": "authorization_code",
                "code": code,
                "client_id": app.consumer_key,
                "redirect_uri": redirect_uri,
                "code_verifier": pkce.verifier,
            },
        )
    except _OAuthRefused as refused:
        raise SyncError(_token_error_words(refused.error, signing_in=True),
                        SyncErrorKind.AUTH) from None  # fmt: skip
    session = _session_from(answer, app, keeper, client)
    kept = session.keep()
    user = who_is_signed_in(session, client)
    log.sync.info("Salesforce sign-in done for %s", session.instance_url)
    return SignedIn(session, user, kept)


def _session_from(
    answer: dict[str, Any],
    app: SalesforceApp,
    keeper: SignInKeeper | None,
    client: httpx.Client | None,
) -> SalesforceSession:
    access = _text(answer, "access_token")
    log.Redact.remember(access)
    refresh = str(answer.get("refresh_token") or "")
    if not refresh:
        raise SyncError(
            "Salesforce signed in but gave no refresh token, so the app could not stay signed "
            "in: the connected app needs the scope “Perform requests at any time (refresh_token, "
            "offline_access)”.",
            SyncErrorKind.PERMISSION,
        )
    log.Redact.remember(refresh)
    instance = _text(answer, "instance_url").rstrip("/")
    check_secure(instance)
    saved = SavedSignIn(refresh, instance, app.consumer_key, app.login_url)
    return SalesforceSession(saved, access, keeper=keeper, client=client)


def who_is_signed_in(session: SalesforceSession, client: httpx.Client | None = None) -> str:
    """ "Ann Lee (ann@acme.com)" from the org's userinfo, or "" when it does not say."""
    try:
        response = _request(
            client,
            "GET",
            f"{session.instance_url}/services/oauth2/userinfo",
            headers={"Authorization": f"Bearer {session.current()}"},
        )
        info = response.json() if response.status_code == 200 else {}
    except (httpx.HTTPError, ValueError, SyncError):
        return ""
    if not isinstance(info, dict):
        return ""
    name = str(info.get("name") or "")
    login = str(info.get("preferred_username") or info.get("email") or "")
    if name and login:
        return f"{name} ({login})"
    return name or login


def sign_out(
    instance_url: str,
    memory: MutableMapping[str, str] | None = None,
    client: httpx.Client | None = None,
) -> None:
    """Forget the org's sign-in, after asking Salesforce to revoke it (best effort: offline,
    it is still forgotten here)."""
    keeper = SignInKeeper(memory)
    saved = keeper.load(instance_url)
    if saved is not None:
        revoke(saved, client)
    keeper.drop(instance_url)


def revoke(saved: SavedSignIn, client: httpx.Client | None = None) -> None:
    """Ask Salesforce to revoke a refresh token (best effort: offline, nothing is said)."""
    try:
        _request(client, "POST", saved.app.endpoint("revoke"), data={"token": saved.refresh_token})
    except (httpx.HTTPError, SyncError):
        log.sync.info("Salesforce: the sign-in could not be revoked online")


# ---------------------------------------------------------------------------------- HTTP


class _OAuthRefused(Exception):  # noqa: N818 - internal, turned into words
    """The token endpoint answered an OAuth error (``error`` is its code, never a token)."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


def _request(client: httpx.Client | None, method: str, url: str, **kwargs: Any) -> httpx.Response:
    try:
        if client is not None:
            return client.request(method, url, **kwargs)
        with httpx.Client(timeout=HTTP_TIMEOUT) as own:
            return own.request(method, url, **kwargs)
    except httpx.TransportError:
        host = urlsplit(url).netloc
        raise SyncError(
            f"Salesforce could not be reached at {host}: check the connection and the login "
            "address.",
            SyncErrorKind.NETWORK,
        ) from None


def _post_form(client: httpx.Client | None, url: str, form: dict[str, str]) -> dict[str, Any]:
    """POST a form to the token endpoint; its JSON answer, or _OAuthRefused in its words."""
    response = _request(client, "POST", url, data=form, headers={"Accept": "application/json"})
    try:
        answer = response.json()
    except ValueError:
        raise SyncError(
            f"{urlsplit(url).netloc} answered with a web page, not Salesforce's sign-in service "
            f"(HTTP {response.status_code}): check the login address.",
            SyncErrorKind.SERVER,
        ) from None
    if not isinstance(answer, dict):
        raise SyncError("Salesforce's sign-in service gave an answer the app cannot read.",
                        SyncErrorKind.SERVER)  # fmt: skip
    if response.status_code != 200 or "error" in answer:
        raise _OAuthRefused(str(answer.get("error") or f"HTTP {response.status_code}"))
    return answer


def _text(answer: dict[str, Any], key: str) -> str:
    value = answer.get(key)
    if not isinstance(value, str) or not value:
        raise SyncError(f"Salesforce's sign-in answer had no {key.replace('_', ' ')}.",
                        SyncErrorKind.SERVER)  # fmt: skip
    return value


_CONSUMER_KEY_WORDS = (
    "Salesforce does not know this consumer key: check it in Edit → Preferences → CRM (Salesforce "
    "Setup → App Manager → the connected app → Consumer Key) and the login address."
)


def _authorize_error_words(error: str, redirect_uri: str) -> str:
    if error == "access_denied":
        return (
            "Access was not allowed in the browser, so nothing was connected. Sign in again "
            "and choose Allow to connect AM Desktop to Salesforce."
        )
    if error in ("invalid_client_id", "invalid_client", "OAUTH_EC_APP_NOT_FOUND"):
        return _CONSUMER_KEY_WORDS
    if error == "redirect_uri_mismatch":
        return (
            "The connected app does not accept this computer's sign-in address "
            f"({redirect_uri}): ask your Salesforce administrator to add "
            "http://127.0.0.1/callback to its callback URLs."
        )
    return f"Salesforce refused the sign-in ({error}): sign in again."


def _token_error_words(error: str, *, signing_in: bool = False) -> str:
    if error in ("invalid_client_id", "invalid_client"):
        return _CONSUMER_KEY_WORDS
    if error == "invalid_app_access":
        return "Your Salesforce administrator has not allowed your user to use this connected app."
    if error in ("inactive_user", "inactive_org"):
        return "This Salesforce user or org is not active: ask your Salesforce administrator."
    if error == "invalid_grant" and signing_in:
        return (
            "Salesforce refused the sign-in (it took too long or was already used): sign in again."
        )
    if error == "invalid_grant":
        return SIGN_IN_AGAIN
    return f"Salesforce refused the sign-in ({error}): sign in again."
