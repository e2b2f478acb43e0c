"""Salesforce's sessions, limits and refusals through the HTTP layer, and the command line
(issue 18): a 401 INVALID_SESSION_ID renewed once through the TokenSource, the allocation in
Sforce-Limit-Info stopping the run before it is spent, the daily REQUEST_LIMIT_EXCEEDED
stopping in words (exit 1, nothing lost), its concurrency kind, 503 and locked rows retried."""

from __future__ import annotations

from pathlib import Path

import pytest

from am_desktop import cli
from am_desktop.errors import SyncError, SyncErrorKind
from am_desktop.services import catalog
from am_desktop.services.store import Store, open_store
from am_desktop.services.sync import credentials
from am_desktop.services.sync.engine import SyncEngine, pending_changes
from am_desktop.services.sync.tokens import TokenSource
from tests.support.fake_salesforce import FakeSalesforce, errors
from tests.support.sync_kit import salesforce_connector


class Renewing:
    """A token source whose first token has expired; ``fresh`` is what renewal gives."""

    def __init__(self, fresh: str | None) -> None:
        self.token, self.fresh, self.renewals = "expired-token", fresh, 0

    def current(self) -> str:
        return self.token

    def renew(self) -> str | None:
        self.renewals += 1
        self.token = self.fresh or self.token
        return self.fresh


def sync(store: Store, org: FakeSalesforce, token: TokenSource | None = None) -> None:
    crm = salesforce_connector(org, token) if token else salesforce_connector(org)
    try:
        SyncEngine(store, crm).run()
    finally:
        crm.close()


def test_an_expired_session_is_renewed_once_and_the_call_sent_again(
    store: Store, org: FakeSalesforce
) -> None:
    catalog.accounts.create(store, {"name": "Acme"})
    source = Renewing("test-token")
    sync(store, org, source)
    assert source.renewals == 1 and len(org.live("Account")) == 1


def test_no_new_session_means_signing_in_again(store: Store, org: FakeSalesforce) -> None:
    source = Renewing(None)
    with pytest.raises(SyncError) as raised:
        sync(store, org, source)
    assert raised.value.kind is SyncErrorKind.AUTH and "log in again" in raised.value.user_message
    assert source.renewals == 1


def test_the_run_stops_before_the_orgs_allocation_is_spent(
    store: Store, org: FakeSalesforce
) -> None:
    catalog.accounts.create(store, {"name": "Acme"})
    org.api_limit, org.api_used = 2000, 1895  # the limit comes from the header alone
    with pytest.raises(SyncError) as raised:
        sync(store, org)
    assert raised.value.kind is SyncErrorKind.QUOTA
    assert "2,000" in raised.value.user_message and "Nothing was lost" in raised.value.user_message
    assert org.api_used <= 1900 and org.writes() == 0
    assert pending_changes(store) == 1  # still waiting for the next sync


def test_the_daily_limit_stops_in_words_and_a_crowd_is_waited_out(
    store: Store, org: FakeSalesforce
) -> None:
    catalog.accounts.create(store, {"name": "Acme"})
    org.add_fault("GET", "/sobjects/Account/describe", status=503, times=2)
    org.add_fault("GET", "/query", status=403, times=1, body=errors(
        "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded."))  # fmt: skip
    org.add_fault("POST", "/composite/sobjects", status=400, times=1,
                  body=errors("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access"))  # fmt: skip
    sync(store, org)
    assert len(org.live("Account")) == 1
    catalog.accounts.create(store, {"name": "Beta"})
    org.add_fault("GET", "/query", status=403, times=1, body=errors(
        "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."))  # fmt: skip
    with pytest.raises(SyncError) as raised:
        sync(store, org)
    assert raised.value.kind is SyncErrorKind.QUOTA and "daily" in raised.value.user_message
    assert pending_changes(store) == 1 and len(org.live("Account")) == 1


def test_the_command_line_syncs_with_salesforce_and_fails_in_words(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    org: FakeSalesforce,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv(credentials.ENVIRONMENT, "test-token")
    db = str(tmp_path / "am.sqlite3")
    store = open_store(Path(db))
    catalog.accounts.create(store, {"name": "Acme", "domain": "acme.com"})
    store.close()
    org.seed("Account", {"Name": "Globex"})
    code = cli.main(["sync", "--crm", "salesforce", "--base-url", org.url, "--db", db])
    out, _ = capsys.readouterr()
    assert code == 0 and "pulled 1, pushed 1, conflicts 0" in out
    code = cli.main(["sync", "--crm", "salesforce", "--db", db])
    _, err = capsys.readouterr()
    assert code == 1 and "--base-url" in err  # each org has its own address
    org.api_used = org.api_limit
    code = cli.main(["sync", "--crm", "salesforce", "--base-url", org.url, "--db", db])
    _, err = capsys.readouterr()
    assert code == 1 and "daily" in err and "Traceback" not in err
