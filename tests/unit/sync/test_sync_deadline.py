"""A CRM that trickles its answer a byte at a time (issue 14 item 21): each request has a
total deadline, so the run reports a timeout in words instead of waiting for minutes."""

from __future__ import annotations

import socketserver
import threading
import time
from collections.abc import Iterator

import pytest

from am_desktop.errors import SyncError
from am_desktop.services.sync.http import CrmHttp, RetryPolicy

#: How often the trickling server sends its next byte (well inside any one read's timeout).
DRIP_SECONDS = 0.1


class _Trickle(socketserver.BaseRequestHandler):
    """Answers with good headers at once (or, ``slow_headers``, a byte at a time), then one
    byte of a long body every DRIP_SECONDS."""

    server: _TrickleServer

    def handle(self) -> None:
        self.server.connections += 1
        self.request.recv(65536)
        head = (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
        )
        try:
            if self.server.slow_headers:  # the slow CRM, not the test, waits
                for byte in head:
                    if self.server.stopping.wait(DRIP_SECONDS):
                        return
                    self.request.sendall(bytes([byte]))
            else:
                self.request.sendall(head)
            while not self.server.stopping.wait(DRIP_SECONDS):
                self.request.sendall(b" ")
        except OSError:
            return  # the client gave up and closed the connection


class _TrickleServer(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Trickle)
        self.stopping = threading.Event()
        self.connections = 0
        self.slow_headers = False


@pytest.fixture
def trickling() -> Iterator[_TrickleServer]:
    server = _TrickleServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.stopping.set()
    server.shutdown()
    server.server_close()


def test_a_trickling_answer_is_cut_off_at_the_deadline_and_retried(
    trickling: _TrickleServer,
) -> None:
    host, port = trickling.server_address[:2]
    policy = RetryPolicy(base=0.001, cap=0.01, attempts=2, timeout=5, deadline=1.0)
    http = CrmHttp(f"http://{host!s}:{port}", "token", policy=policy, sleep=lambda _s: None)
    started = time.monotonic()
    try:
        with pytest.raises(SyncError, match="did not answer within 1 seconds"):
            http.request("GET", "/crm/v3/objects/companies")
    finally:
        http.close()
    elapsed = time.monotonic() - started
    assert trickling.connections == 2  # the existing retry policy: attempted again, then told
    assert elapsed < 2 * 1.0 + 2  # each attempt stopped near its deadline, not after 10,000 s


def test_headers_that_trickle_are_cut_off_at_the_deadline_too(
    trickling: _TrickleServer,
) -> None:
    trickling.slow_headers = True
    host, port = trickling.server_address[:2]
    policy = RetryPolicy(base=0.001, cap=0.01, attempts=2, timeout=5, deadline=1.0)
    http = CrmHttp(f"http://{host!s}:{port}", "token", policy=policy, sleep=lambda _s: None)
    started = time.monotonic()
    try:
        with pytest.raises(SyncError, match="did not answer within 1 seconds"):
            http.request("GET", "/crm/v3/objects/companies")
    finally:
        http.close()
    assert trickling.connections == 2
    assert time.monotonic() - started < 2 * 1.0 + 2


def test_a_change_that_trickles_is_uncertain_not_resent(trickling: _TrickleServer) -> None:
    host, port = trickling.server_address[:2]
    policy = RetryPolicy(base=0.001, cap=0.01, attempts=3, timeout=5, deadline=1.0)
    http = CrmHttp(f"http://{host!s}:{port}", "token", policy=policy, sleep=lambda _s: None)
    try:
        with pytest.raises(SyncError, match="did not answer a change in time"):
            http.request(
                "POST", "/crm/v3/objects/companies/batch/create", json={}, idempotent=False
            )
    finally:
        http.close()
    assert trickling.connections == 1


def test_the_deadline_is_a_minute_unless_told() -> None:
    assert RetryPolicy().deadline == 60.0
