"""The CRM commands, the token's safety (keyring only, never in the database or the log), the
https rule, and a sync process killed mid-push then resumed (issue 8)."""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from am_desktop import cli, log
from am_desktop.errors import SyncError
from am_desktop.services import catalog
from am_desktop.services.store import open_store
from am_desktop.services.sync import credentials
from am_desktop.services.sync.http import check_secure
from tests.support.fake_hubspot import FakeHubSpot

TOKEN = "pat-na1-secret-token-1234"


@pytest.fixture
def hubspot() -> Iterator[FakeHubSpot]:
    server = FakeHubSpot(TOKEN)
    server.start()
    yield server
    server.stop()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_login_keeps_the_token_in_the_keyring_and_sync_uses_it(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    hubspot: FakeHubSpot,
    tmp_path: Path,
) -> None:
    monkeypatch.delenv(credentials.ENVIRONMENT, raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(TOKEN + "\n"))
    code, _, err = run(capsys, "crm", "login", "--crm", "hubspot", "--base-url", hubspot.url)
    assert code == 0 and "keyring" in err and TOKEN not in err
    assert credentials.load_token("hubspot", hubspot.url) == TOKEN
    db = str(tmp_path / "am.sqlite3")
    store = open_store(Path(db))
    catalog.accounts.create(store, {"name": "Acme", "domain": "acme.com"})
    store.close()
    code, out, _ = run(capsys, "sync", "--crm", "hubspot", "--base-url", hubspot.url, "--db", db)
    assert code == 0 and "pushed 1" in out and "conflicts 0" in out
    assert TOKEN.encode() not in Path(db).read_bytes()  # never in the database
    code, out, _ = run(capsys, "conflicts", "--json", "--db", db)
    assert code == 0 and json.loads(out) == []


def test_sync_without_a_token_says_how_to_log_in(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(credentials.ENVIRONMENT, raising=False)
    code, _, err = run(capsys, "sync", "--crm", "hubspot", "--base-url", "http://127.0.0.1:9",
                       "--db", str(tmp_path / "x.sqlite3"))  # fmt: skip
    assert code == 1 and "crm login" in err


def test_plain_http_to_another_machine_is_refused() -> None:
    check_secure("https://api.example.com")
    check_secure("http://127.0.0.1:8080")
    check_secure("http://localhost:8080")
    with pytest.raises(SyncError, match="https://"):
        check_secure("http://api.example.com")


def test_without_a_keyring_the_user_is_told_and_nothing_is_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", fail.Keyring)
    monkeypatch.delenv(credentials.ENVIRONMENT, raising=False)
    with pytest.raises(credentials.KeyringUnavailable, match="asked for each session"):
        credentials.save_token("hubspot", "https://api.hubapi.com", TOKEN)
    assert credentials.load_token("hubspot", "https://api.hubapi.com") is None
    monkeypatch.setenv(credentials.ENVIRONMENT, "from-env")
    assert credentials.load_token("hubspot", "https://api.hubapi.com") == "from-env"


def test_the_token_never_reaches_the_log(caplog: pytest.LogCaptureFixture) -> None:
    handler = logging.StreamHandler(io.StringIO())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        log.install_redaction()
        log.Redact.remember(TOKEN)
        logger = logging.getLogger("am_desktop.sync")
        logger.warning("sending Authorization: Bearer %s to %s", "abc.def-123", "x")
        logger.warning("token was %s", TOKEN)
        try:
            raise RuntimeError(f"failed with {TOKEN}")
        except RuntimeError:
            logger.exception("boom")
        text = handler.stream.getvalue()  # type: ignore[attr-defined]
    finally:
        root.removeHandler(handler)
    assert "abc.def-123" not in text and TOKEN not in text
    assert text.count("[hidden]") >= 3 and "RuntimeError" in text


def test_a_sync_killed_mid_push_resumes_without_loss_or_duplicates(
    hubspot: FakeHubSpot, tmp_path: Path
) -> None:
    db = tmp_path / "am.sqlite3"
    store = open_store(db)
    account = catalog.accounts.create(store, {"name": "Acme", "domain": "acme.com"}).id
    for n in range(250):
        catalog.contacts.create(store, {"account_id": account, "last_name": f"Person {n}",
                                        "email": f"p{n}@acme.com"})  # fmt: skip
    store.close()
    # Each batch of contacts takes a second to arrive: the kill lands with one on its way.
    hubspot.add_faults([{"method": "POST", "path_regex": "/contacts/batch/create", "times": 99,
                         "delay_ms": 1000}])  # fmt: skip
    env = {**os.environ, credentials.ENVIRONMENT: TOKEN}
    child = subprocess.Popen(
        [sys.executable, "-m", "am_desktop", "sync", "--crm", "hubspot", "--base-url",
         hubspot.url, "--db", str(db)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    batch = "/contacts/batch/create"
    assert hubspot.wait_until(
        lambda: len(hubspot.records("contacts")) >= 100 and hubspot.in_flight(batch) > 0
    )
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert hubspot.wait_until(lambda: hubspot.in_flight(batch) == 0)  # its answer went nowhere
    created_before = len(hubspot.records("contacts"))
    assert 100 <= created_before < 250  # killed mid-push, with an answer lost
    import httpx

    httpx.delete(f"{hubspot.url}/__admin/faults")  # the network is fine again
    os.environ[credentials.ENVIRONMENT] = TOKEN
    try:
        code = cli.main(["sync", "--crm", "hubspot", "--base-url", hubspot.url, "--db", str(db)])
    finally:
        del os.environ[credentials.ENVIRONMENT]
    assert code == 0
    remote = hubspot.records("contacts")
    uids = [r["properties"]["am_uid"] for r in remote]
    assert len(remote) == 250 and len(set(uids)) == 250  # none lost, none twice
    store = open_store(db)
    with store.raw() as connection:
        linked = connection.execute(
            "SELECT count(*) FROM sync_link WHERE obj = 'contact'"
        ).fetchone()[0]
    store.close()
    assert linked == 250
