"""What the local CRM stand-ins share: the answer they give and the HTTP/1.1 server that serves
it from a daemon thread (keep-alive, quiet, a dropped connection on request). Standard library.

A fake passes an object with ``_dispatch(method, target, headers, raw) -> Reply``.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol, Self, cast


@dataclass(slots=True)
class Reply:
    status: int
    body: Any = None  # JSON-able, str (sent as text/plain) or None (no body)
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # close the socket without answering


class Dispatcher(Protocol):
    def _dispatch(self, method: str, target: str, auth: str | None, raw: bytes) -> Reply: ...


class Host:
    """A running server: ``start()`` gives the base URL, ``stop()`` ends it."""

    def __init__(self, fake: Dispatcher, name: str) -> None:
        self.fake, self.name = fake, name
        self.url = ""
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        if self._server is None:
            self._server = _Server(self.fake)
            self._thread = threading.Thread(
                target=self._server.serve_forever, args=(0.05,), name=self.name, daemon=True
            )
            self._thread.start()
            self.url = f"http://127.0.0.1:{self._server.server_port}"
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(5)
            self._server = self._thread = None


class Served:
    """A fake that serves itself: ``start()`` (its base URL), ``stop()``, or ``with``."""

    _host: Host
    url: str

    def start(self) -> str:
        """Serve on 127.0.0.1 at a free port from a daemon thread; returns the base URL."""
        self.url = self._host.start()
        return self.url

    def stop(self) -> None:
        self._host.stop()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, fake: Dispatcher) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: clients that hang up mid-answer are expected (dropped-connection faults)."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: httpx reuses one connection per worker
    disable_nagle_algorithm = True  # headers and body go out in two writes; do not wait 40 ms

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: each fake keeps its own request log."""

    def _serve(self) -> None:
        method = self.command
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length > 0 else b""
        fake = cast(_Server, self.server).fake
        reply = fake._dispatch(method, self.path, self.headers.get("Authorization"), raw)
        if reply.drop:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        if reply.body is None:
            payload, kind = b"", ""
        elif isinstance(reply.body, str):
            payload, kind = reply.body.encode(), "text/plain; charset=utf-8"
        else:
            payload = json.dumps(reply.body, separators=(",", ":")).encode()
            kind = "application/json;charset=utf-8"
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.status != 204:
            if kind:
                self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if payload:
            self.wfile.write(payload)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve  # noqa: N815 (http.server names)
