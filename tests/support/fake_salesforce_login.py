"""A local stand-in for Salesforce's OAuth endpoints (issue 18): authorize (the browser's page,
answered at once with a redirect, as if the user had signed in and chosen Allow or Deny), token
(authorization_code with the PKCE verifier checked against the challenge; refresh_token with
optional rotation and revocation), userinfo and revoke. Stdlib only; the org's instance is this
same server.
"""

from __future__ import annotations

import json
import secrets
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from am_desktop.services.sync import credentials
from am_desktop.services.sync.salesforce_auth import challenge_of

CONSUMER_KEY = "3MVG9-test-consumer-key"


class FakeSalesforceLogin:
    """Start with :meth:`start`, stop with :meth:`stop`; ``url`` is the login and instance URL.

    Attributes:
        decision: "allow" or "deny" (what the user chooses on the authorize page).
        forge_state: the redirect carries another state than the one sent.
        rotate: each refresh hands out a new refresh token and revokes the old one.
        issued: every token handed out (tests look for them where they must not be).
        grants: the token endpoint's grant types, in order.
    """

    def __init__(self, consumer_key: str = CONSUMER_KEY) -> None:
        self.consumer_key = consumer_key
        self.decision = "allow"
        self.forge_state = False
        self.rotate = False
        self.issued: list[str] = []
        self.grants: list[str] = []
        self._codes: dict[str, tuple[str, str]] = {}  # code -> (challenge, redirect_uri)
        self._refresh: set[str] = set()
        self._access: set[str] = set()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def revoke_all(self) -> None:
        """An administrator revokes every refresh token (or it expires)."""
        with self._lock:
            self._refresh.clear()

    def valid_refresh_tokens(self) -> set[str]:
        with self._lock:
            return set(self._refresh)

    def _new(self, kind: str) -> str:
        # Tokens look like Salesforce's ("00D…!AQ…"); a code stays readable in a URL, so a
        # logged callback address would show it.
        separator = "-" if kind == "code" else "!"
        token = f"{kind}{separator}{secrets.token_urlsafe(24)}"
        self.issued.append(token)
        return token

    # -- endpoints ---------------------------------------------------------------------------

    def _authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], str]:
        if query.get("client_id") != self.consumer_key:
            return (
                400,
                {},
                "<html><body>OAUTH_EC_APP_NOT_FOUND: error=invalid_client_id</body></html>",
            )
        redirect = query.get("redirect_uri", "")
        if (
            query.get("response_type") != "code"
            or query.get("code_challenge_method") != "S256"
            or not query.get("code_challenge")
            or not redirect.startswith("http://127.0.0.1:")
        ):
            return 400, {}, "<html><body>invalid request</body></html>"
        state = "forged-state" if self.forge_state else query.get("state", "")
        if self.decision == "deny":
            answer = {
                "error": "access_denied",
                "error_description": "end-user denied authorization",
                "state": state,
            }
        else:
            code = self._new("code")
            with self._lock:
                self._codes[code] = (query["code_challenge"], redirect)
            answer = {"code": code, "state": state}
        return 302, {"Location": f"{redirect}?{urlencode(answer)}"}, ""

    def _token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        grant = form.get("grant_type", "")
        self.grants.append(grant)
        if form.get("client_id") != self.consumer_key:
            return 400, {
                "error": "invalid_client_id",
                "error_description": "client identifier invalid",
            }
        with self._lock:
            if grant == "authorization_code":
                challenge, redirect = self._codes.pop(form.get("code", ""), ("", ""))
                verifier = form.get("code_verifier", "")
                if not challenge or redirect != form.get("redirect_uri"):
                    return 400, {
                        "error": "invalid_grant",
                        "error_description": "invalid authorization code",
                    }
                if not verifier or challenge_of(verifier) != challenge:
                    return 400, {
                        "error": "invalid_grant",
                        "error_description": "authentication failure",
                    }
                refresh = self._new("refresh")
                self._refresh.add(refresh)
            elif grant == "refresh_token":
                old = form.get("refresh_token", "")
                if old not in self._refresh:
                    return 400, {
                        "error": "invalid_grant",
                        "error_description": "expired access/refresh token",
                    }
                refresh = ""
                if self.rotate:
                    self._refresh.discard(old)
                    refresh = self._new("refresh")
                    self._refresh.add(refresh)
            else:
                return 400, {"error": "unsupported_grant_type"}
            access = self._new("access")
            self._access.add(access)
        answer = {"access_token": access, "instance_url": self.url, "token_type": "Bearer",
                  "id": f"{self.url}/id/00D000000000001/005000000000001"}  # fmt: skip
        if refresh:
            answer["refresh_token"] = refresh
        return 200, answer

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if parts.path == "/services/oauth2/authorize":
                    status, headers, body = fake._authorize(query)
                    self._send(status, body.encode(), "text/html", headers)
                elif parts.path == "/services/oauth2/userinfo":
                    bearer = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if bearer not in fake._access:
                        self._json(
                            401, [{"errorCode": "INVALID_SESSION_ID", "message": "Session expired"}]
                        )
                        return
                    self._json(200, {"name": "Ann Lee", "preferred_username": "ann@acme.example"})
                else:
                    self._json(404, [{"errorCode": "NOT_FOUND", "message": "not found"}])

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                path = urlsplit(self.path).path
                if path == "/services/oauth2/token":
                    self._json(*fake._token(form))
                elif path == "/services/oauth2/revoke":
                    with fake._lock:
                        fake._refresh.discard(form.get("token", ""))
                    self._send(200, b"", "text/plain", {})
                else:
                    self._json(404, [{"errorCode": "NOT_FOUND", "message": "not found"}])

            def _json(self, status: int, body: Any) -> None:
                self._send(status, json.dumps(body).encode(), "application/json", {})

            def _send(self, status: int, body: bytes, kind: str, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

        return Handler


class Browser:
    """The user's browser in a test: opens the authorize page and follows its redirect back to
    the app's loopback callback (``pages`` holds what each visit showed). It uses urllib, which
    logs nothing: the log a test inspects is the app's alone."""

    def __init__(self) -> None:
        self.pages: list[str] = []
        self.opened: list[str] = []

    def __call__(self, url: str) -> bool:
        self.opened.append(url)
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # follows the redirect
                self.pages.append(response.read().decode())
        except urllib.error.HTTPError as error:  # Salesforce's own error page
            self.pages.append(error.read().decode())
        return True


def never_comes_back(url: str) -> bool:
    """A browser whose user walks away."""
    return True


@pytest.fixture
def salesforce() -> Iterator[FakeSalesforceLogin]:
    """A fake Salesforce login service, running for the test."""
    server = FakeSalesforceLogin()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def no_script_token(monkeypatch: pytest.MonkeyPatch) -> None:
    """No $AM_DESKTOP_CRM_TOKEN from the environment: sign-in is what is tested."""
    monkeypatch.delenv(credentials.ENVIRONMENT, raising=False)
