"""The loopback redirect of a desktop OAuth sign-in (RFC 8252 §7.3): a one-shot HTTP server on
``127.0.0.1`` and an ephemeral port that takes the browser's one ``/callback`` request, answers
it with a plain page, and hands the query parameters to the waiting sign-in.

It listens on the loopback address only (never all interfaces), answers nothing but the
callback path, and stops after the first callback, on cancel or on the deadline.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from am_desktop.errors import Cancelled

CALLBACK_PATH = "/callback"
#: How often the wait looks at the cancel flag (a user's Cancel shows within this).
_POLL_SECONDS = 0.1
_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>AM Desktop</title></head>"
    "<body style='font-family:sans-serif;margin:3em'><h1>{title}</h1><p>{text}</p></body></html>"
)


class RedirectTimedOut(Exception):  # noqa: N818 - reads as what happened
    """No callback came before the deadline (the caller words it)."""


class LoopbackRedirect:
    """Listens for one callback; use as a context manager so the port is always released.

    Args:
        port: 0 for an ephemeral port (RFC 8252); a fixed one for a connected app whose
            callback URL names its port.
    """

    def __init__(self, port: int = 0) -> None:
        self._params: dict[str, str] | None = None
        self._arrived = threading.Event()
        self._server = HTTPServer(("127.0.0.1", port), self._handler_class())
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            args=(_POLL_SECONDS,),  # stops within this once closed
            name="oauth-loopback",
            daemon=True,
        )
        self._thread.start()

    @property
    def redirect_uri(self) -> str:
        """``http://127.0.0.1:PORT/callback``: what the authorize request names."""
        return f"http://127.0.0.1:{self._server.server_port}{CALLBACK_PATH}"

    def wait(self, timeout: float, cancelled: Callable[[], bool] = lambda: False) -> dict[str, str]:
        """The callback's query parameters.

        Raises:
            RedirectTimedOut: nothing came within ``timeout`` seconds.
            Cancelled: ``cancelled()`` turned true while waiting.
        """
        deadline = time.monotonic() + timeout
        while not self._arrived.wait(min(_POLL_SECONDS, max(0.0, deadline - time.monotonic()))):
            if cancelled():
                raise Cancelled
            if time.monotonic() >= deadline:
                raise RedirectTimedOut
        assert self._params is not None
        return self._params

    def close(self) -> None:
        """Stop listening and release the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LoopbackRedirect:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _received(self, params: dict[str, str]) -> bool:
        """Keep the first callback's parameters; False for any later one."""
        if self._arrived.is_set():
            return False
        self._params = params
        self._arrived.set()
        return True

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path != CALLBACK_PATH:
                    self._answer(404, "Not found", "This address only takes the sign-in answer.")
                    return
                params = {key: values[0] for key, values in parse_qs(parts.query).items()}
                if not owner._received(params):
                    self._answer(200, "Already done", "You can close this tab.")
                elif "error" in params:
                    self._answer(
                        200,
                        "Sign-in not completed",
                        "You can close this tab and return to AM Desktop.",
                    )
                else:
                    self._answer(  # the app checks the answer: no success claimed here
                        200,
                        "Back to AM Desktop",
                        "You can close this tab and return to AM Desktop.",
                    )

            def _answer(self, status: int, title: str, text: str) -> None:
                body = _PAGE.format(title=title, text=text).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                """Silent: the request line carries the authorization code."""

        return Handler
