"""HTTP for CRM sync: one httpx client with a timeout on every read and a total deadline on
every answer, retries with
exponential backoff and full jitter for 5xx and network failures, 429 honoured (Retry-After,
else the rate-limit headers), and errors turned into words a user understands (issue 8).

A request that may already have changed something on the server (a create, an update) is not
sent again blindly after a lost answer: it raises ``SyncError(UNCERTAIN)`` and the engine
settles it (a create by looking its uid up). The token is sent in a header and appears in no
message, exception or log line; it comes from a :class:`TokenSource`, asked once for a new one
when the CRM answers 401 ``INVALID_SESSION_ID`` (Salesforce's expired session).

Salesforce answers errors as a list ``[{"message", "errorCode"}]`` and reports its org-wide use
in ``Sforce-Limit-Info: api-usage=N/M`` on every answer: the run stops, in words, before the
allocation is spent (the limit is read from the header, never assumed), and the daily
``REQUEST_LIMIT_EXCEEDED`` stops it; the concurrency kind of it, 503 and ``UNABLE_TO_LOCK_ROW``
are retried with backoff.
"""

from __future__ import annotations

import contextlib
import ipaddress
import random
import re
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from am_desktop import log
from am_desktop.errors import SyncError, SyncErrorKind
from am_desktop.services.sync.tokens import StaticToken, TokenSource

#: Salesforce's answer to a session that expired or was revoked.
INVALID_SESSION = "INVALID_SESSION_ID"
#: A record another transaction holds: safe to send again after a pause.
LOCKED_ROW = "UNABLE_TO_LOCK_ROW"
LIMIT_EXCEEDED = "REQUEST_LIMIT_EXCEEDED"
_USAGE = re.compile(r"api-usage=(\d+)/(\d+)")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard to try: the backoff base and cap in seconds, the attempts in all, the wait for
    any one read (``timeout``) and for a whole answer (``deadline``: a CRM that trickles a byte
    at a time never trips a per-read timeout)."""

    base: float = 1.0
    cap: float = 60.0
    attempts: int = 6
    timeout: float = 30.0
    deadline: float = 60.0
    #: Share of a CRM's reported request allocation left untouched for its other users: the
    #: run stops once less than this is left.
    reserve: float = 0.05


def check_secure(base_url: str) -> None:
    """HTTPS only, except loopback addresses (a local test server).

    Raises:
        SyncError: the address is plain HTTP to another machine, or not an address at all.
    """
    parts = urlsplit(base_url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname:
        host = parts.hostname
        try:
            loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if loopback:
            return
    raise SyncError(
        f"{base_url} is not a secure address: the CRM must be reached over https:// (plain "
        "http:// is allowed only to this computer, for testing).",
        SyncErrorKind.INSECURE,
    )


def error_items(response: httpx.Response) -> list[tuple[str, str]]:
    """An error answer's ``(code, message)`` pairs: HubSpot's one object (its category) or
    Salesforce's list of ``{"errorCode", "message"}``; none when the body is neither."""
    try:
        body = response.json()
    except ValueError:
        return []
    items = body if isinstance(body, list) else [body]
    return [
        (str(item.get("errorCode") or item.get("category") or ""), str(item.get("message") or ""))
        for item in items
        if isinstance(item, dict)
    ]


def _message(response: httpx.Response) -> str:
    return "; ".join(message for _code, message in error_items(response) if message)


def _codes(response: httpx.Response) -> set[str]:
    return {code for code, _message in error_items(response)}


@dataclass(slots=True)
class ApiUsage:
    """The org's requests in the rolling day, as the CRM last reported them."""

    used: int
    limit: int

    @classmethod
    def of(cls, response: httpx.Response) -> ApiUsage | None:
        found = _USAGE.search(response.headers.get("Sforce-Limit-Info", ""))
        return cls(int(found.group(1)), int(found.group(2))) if found else None

    def nearly_spent(self, reserve: float) -> bool:
        return self.limit > 0 and self.limit - self.used <= self.limit * reserve


class CrmHttp:
    """Requests to one CRM with one token source (a plain token is a :class:`StaticToken`)."""

    def __init__(
        self,
        base_url: str,
        token: str | TokenSource,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        cancelled: Callable[[], None] = lambda: None,
    ) -> None:
        check_secure(base_url)
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self._cancelled = cancelled
        self._tokens: TokenSource = StaticToken(token) if isinstance(token, str) else token
        self._client = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers={"Accept": "application/json"},
            timeout=self.policy.timeout,
        )
        self.requests = 0
        #: The CRM's last reported use of its request allocation (Salesforce), if any.
        self.usage: ApiUsage | None = None
        self._sockets: list[socket.socket] = []

    def close(self) -> None:
        self._client.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        idempotent: bool = True,
    ) -> httpx.Response:
        """Send, retrying what is safe to retry; the response of any 2xx or 207.

        Raises:
            SyncError: authentication refused, daily quota used up, the CRM unreachable or
                failing after every retry, or (``idempotent`` False) the answer to a write lost.
        """
        attempt = 0
        renewed = False
        while True:
            attempt += 1
            self._cancelled()
            self._check_allocation()
            started = time.monotonic()
            try:
                response = self._send(method, path, json=json, params=params)
            except httpx.TransportError as error:  # timeouts, resets, proxies, bad protocol
                log.sync.info("%s %s failed: %s (attempt %d)", method, path, type(error).__name__,
                              attempt)  # fmt: skip
                if not idempotent:
                    raise SyncError(
                        "The CRM did not answer a change in time.", SyncErrorKind.UNCERTAIN
                    ) from None
                slow = isinstance(error, httpx.TimeoutException)
                self._back_off(
                    attempt,
                    None,
                    f"The CRM did not answer within {self.policy.deadline:g} seconds"
                    if slow
                    else "The CRM could not be reached",
                )
                continue
            self.requests += 1
            self.usage = ApiUsage.of(response) or self.usage
            log.sync.debug("%s %s -> %d in %.0f ms", method, path, response.status_code,
                           1000 * (time.monotonic() - started))  # fmt: skip
            if response.status_code < 300 or response.status_code == 207:
                return response
            if response.status_code == 401:
                if renewed or not self._renewed(response):
                    raise SyncError(
                        "The CRM refused the access token: log in again (am-desktop crm login, "
                        "or Preferences → CRM).",
                        SyncErrorKind.AUTH,
                    )
                renewed = True
                attempt -= 1  # a new session is not a failed try
                continue
            wait = self._refused(response, idempotent=idempotent)
            if wait is None:
                return response  # 4xx: the caller reads the item-level reason
            self._back_off(attempt, wait[0], wait[1])

    def _renewed(self, response: httpx.Response) -> bool:
        """A new session from the token source after an expired one (INVALID_SESSION_ID)."""
        if INVALID_SESSION not in _codes(response):
            return False
        fresh = self._tokens.renew()
        if fresh:
            log.Redact.remember(fresh)
        return bool(fresh)

    def _refused(
        self, response: httpx.Response, *, idempotent: bool
    ) -> tuple[float | None, str] | None:
        """What to do about a refusal other than 401: (wait or None for a backoff, words to give
        up with) to send again, None to hand the answer to the caller.

        Raises:
            SyncError: a refusal that ends the run (quota, permission, a lost write).
        """
        status, codes = response.status_code, _codes(response)
        if status == 429:
            try:
                body = response.json() if response.content else {}
            except ValueError:
                body = {}
            if isinstance(body, dict) and body.get("policyName") == "DAILY":
                raise SyncError(
                    "The CRM's daily allowance of requests is used up; sync again tomorrow.",
                    SyncErrorKind.QUOTA,
                )
            return self._wait_for(response), "The CRM kept refusing: too many requests"
        if LIMIT_EXCEEDED in codes:
            if "concurren" not in _message(response).lower():
                raise SyncError(
                    "The CRM's daily allowance of API requests is used up "
                    f"({_message(response) or LIMIT_EXCEEDED}); nothing was lost: your "
                    "changes are sent at the next sync, once the allowance is free again.",
                    SyncErrorKind.QUOTA,
                )
            return None, "The CRM kept refusing: too many requests at once"
        if LOCKED_ROW in codes:  # nothing was written: sending it again is safe
            return None, "The CRM kept a record locked"
        if status == 403:
            raise SyncError(
                "The CRM accepted the token but it lacks a permission this sync needs "
                f"({_message(response) or 'forbidden'}): ask your CRM admin to add it.",
                SyncErrorKind.PERMISSION,
            )
        if status >= 500:
            if not idempotent:
                raise SyncError(
                    f"The CRM failed while saving a change ({status}).", SyncErrorKind.UNCERTAIN
                )
            return None, f"The CRM kept failing ({status})"
        return None

    def _send(
        self, method: str, path: str, *, json: Any, params: Mapping[str, Any] | None
    ) -> httpx.Response:
        """One request whose whole answer arrives within the policy's deadline.

        The body is read chunk by chunk against a monotonic deadline (a read of its own still
        waits at most ``timeout``, so the worst case is about deadline + timeout, not forever).
        Headers that trickle in are cut off by a watchdog that shuts the socket at the deadline.

        Raises:
            httpx.TimeoutException: the deadline passed (or a read or connect timed out).
            httpx.TransportError: the connection failed otherwise.
        """
        deadline = time.monotonic() + self.policy.deadline
        wait = min(self.policy.timeout, self.policy.deadline)
        request = self._client.build_request(
            method, path, json=json, params=params, timeout=wait,
            headers={"Authorization": f"Bearer {self._tokens.current()}"},
            extensions={"trace": self._trace},
        )  # fmt: skip
        watchdog = threading.Timer(self.policy.deadline, self._cut_off)
        watchdog.daemon = True
        watchdog.start()
        try:
            streamed = self._client.send(request, stream=True)
            try:
                chunks: list[bytes] = []
                for chunk in streamed.iter_raw():
                    chunks.append(chunk)
                    if time.monotonic() > deadline:
                        break
            finally:
                streamed.close()
        except httpx.TransportError:
            if time.monotonic() <= deadline:
                raise
        finally:
            watchdog.cancel()
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("the whole answer took too long", request=request)
        response = httpx.Response(
            streamed.status_code,
            headers=streamed.headers,
            content=b"".join(chunks),
            request=request,
        )
        response.read()  # decoded (gzip and the like) as an ordinary answer would be
        return response

    def _trace(self, event: str, info: Mapping[str, Any]) -> None:
        """Keep each socket this client opens, for the watchdog to cut off."""
        if event == "connection.connect_tcp.complete" and info.get("return_value") is not None:
            sock = info["return_value"].get_extra_info("socket")
            if isinstance(sock, socket.socket):
                self._sockets = [s for s in self._sockets if s.fileno() != -1] + [sock]

    def _cut_off(self) -> None:
        """The deadline passed mid-request (headers trickling in): shut this client's sockets,
        which wakes the blocked read. One request is in flight at a time, so no other answer
        is lost; idle pooled connections are simply opened again."""
        for sock in list(self._sockets):
            with contextlib.suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)

    def _wait_for(self, response: httpx.Response) -> float | None:
        """Seconds a 429 asks us to wait: Retry-After, else a full rate-limit window when none is
        left, else None (back off)."""
        retry_after = response.headers.get("Retry-After")
        if retry_after:
            try:
                return max(0.0, float(retry_after))
            except ValueError:
                return None
        if response.headers.get("X-HubSpot-RateLimit-Remaining") == "0":
            interval = response.headers.get("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
            try:
                return int(interval) / 1000
            except ValueError:
                return 10.0
        return None

    def _check_allocation(self) -> None:
        """Stop before the org's request allocation is spent (what is left is for its other
        users and integrations); the run resumes where it stopped at the next sync."""
        usage = self.usage
        if usage is not None and usage.nearly_spent(self.policy.reserve):
            raise SyncError(
                f"Sync paused: the CRM org has used {usage.used:,} of its {usage.limit:,} API "
                "requests for the last 24 hours, and the rest is left for its other users. "
                "Nothing was lost: the next sync carries on once requests are free again.",
                SyncErrorKind.QUOTA,
            )

    def back_off(self, attempt: int, giving_up: str) -> None:
        """Wait before trying again what the CRM refused for now (a locked record in a batch);
        SyncError in ``giving_up``'s words once the attempts are spent."""
        self._back_off(attempt, None, giving_up)

    def _back_off(self, attempt: int, wait: float | None, giving_up: str) -> None:
        if attempt >= self.policy.attempts:
            raise SyncError(f"{giving_up}; try again later.", SyncErrorKind.SERVER)
        if wait is None:
            wait = random.uniform(0, min(self.policy.cap, self.policy.base * 2 ** (attempt - 1)))
        log.sync.info("waiting %.2f s before attempt %d", wait, attempt + 1)
        self._sleep(wait)


def json_of(response: httpx.Response) -> Any:
    """The body of an answer, which must be the CRM's JSON (a captive Wi-Fi portal or a proxy
    answers with a web page instead).

    Raises:
        SyncError: the answer is not JSON.
    """
    try:
        return response.json()
    except ValueError:
        raise SyncError(
            "The CRM's address answered with something other than the CRM (a Wi-Fi login page "
            "or a proxy?). Check the connection and the address in Preferences → CRM.",
            SyncErrorKind.NETWORK,
        ) from None


def error_message(response: httpx.Response) -> str:
    """The CRM's own words for a refused request (for an item's error)."""
    return _message(response) or f"refused ({response.status_code})"
