"""Salesforce sign-in (issue 18): PKCE through the loopback redirect against a local stand-in
for Salesforce's login service, the refreshable session, and the tokens' safety."""

from __future__ import annotations

import logging
import webbrowser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from am_desktop import cli, system_keyring
from am_desktop.errors import Cancelled, SyncError, ValidationError
from am_desktop.services.sync import credentials
from am_desktop.services.sync.salesforce_auth import (
    SalesforceApp,
    SalesforceSession,
    SavedSignIn,
    SignInKeeper,
    challenge_of,
    check_login_url,
    entry_of,
    sign_in,
    sign_out,
    token_source,
)
from am_desktop.services.sync.tokens import StaticToken
from tests.support.fake_salesforce_login import (
    CONSUMER_KEY,
    Browser,
    FakeSalesforceLogin,
    never_comes_back,
)

pytestmark = pytest.mark.usefixtures("no_script_token")


def app_of(server: FakeSalesforceLogin, key: str = CONSUMER_KEY) -> SalesforceApp:
    return SalesforceApp.of(key, server.url, callback_port=0)  # any free port here


def test_pkce_round_trip_signs_in_and_keeps_the_refresh_token_in_the_keyring(
    salesforce: FakeSalesforceLogin, fake_keyring: Any
) -> None:
    browser = Browser()
    done = sign_in(app_of(salesforce), open_browser=browser)
    query = parse_qs(urlsplit(browser.opened[0]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"][0].startswith("http://127.0.0.1:")
    assert query["redirect_uri"][0].endswith("/callback")
    assert "client_secret" not in query
    assert "You can close this tab" in browser.pages[0]
    assert done.kept and done.user == "Ann Lee (ann@acme.example)"
    assert done.session.instance_url == salesforce.url
    assert done.session.current() in salesforce.issued
    saved = SavedSignIn.from_json(fake_keyring.secrets[("am-desktop", entry_of(salesforce.url))])
    assert saved is not None and saved.refresh_token in salesforce.valid_refresh_tokens()
    assert salesforce.grants == ["authorization_code"]


def test_the_verifier_must_match_the_challenge() -> None:
    # RFC 7636 appendix B's example pair.
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert challenge_of(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_an_answer_with_another_state_is_refused(salesforce: FakeSalesforceLogin) -> None:
    salesforce.forge_state = True
    with pytest.raises(SyncError, match="did not belong to this sign-in") as caught:
        sign_in(app_of(salesforce), open_browser=Browser())
    assert "sign in again" in caught.value.user_message
    assert salesforce.grants == []  # the code was never exchanged


def test_denied_access_is_said_in_words(salesforce: FakeSalesforceLogin, fake_keyring: Any) -> None:
    salesforce.decision = "deny"
    with pytest.raises(SyncError, match="Access was not allowed") as caught:
        sign_in(app_of(salesforce), open_browser=Browser())
    assert "Allow" in caught.value.user_message
    assert fake_keyring.secrets == {}


def test_a_browser_that_never_comes_back_times_out_in_words(
    salesforce: FakeSalesforceLogin,
) -> None:
    with pytest.raises(SyncError, match="did not come back within 1 minute"):
        sign_in(app_of(salesforce), open_browser=never_comes_back, timeout=0.3)


def test_an_unknown_consumer_key_is_said(salesforce: FakeSalesforceLogin) -> None:
    browser = Browser()
    with pytest.raises(SyncError, match="consumer key"):
        sign_in(app_of(salesforce, "3MVG9-not-ours"), open_browser=browser, timeout=0.5)
    assert "OAUTH_EC_APP_NOT_FOUND" in browser.pages[0]  # Salesforce's page, no redirect


def test_cancel_stops_the_wait(salesforce: FakeSalesforceLogin) -> None:
    with pytest.raises(Cancelled):
        sign_in(app_of(salesforce), open_browser=never_comes_back, cancelled=lambda: True)


def test_the_login_address_must_be_secure_and_a_site() -> None:
    assert check_login_url("HTTPS://MyCo.my.salesforce.com/") == "https://myco.my.salesforce.com"
    assert check_login_url("http://127.0.0.1:8443") == "http://127.0.0.1:8443"
    with pytest.raises(SyncError, match="https://"):
        check_login_url("http://login.salesforce.com")
    with pytest.raises(ValidationError, match="site's address alone"):
        check_login_url("https://login.salesforce.com/services/oauth2")
    with pytest.raises(ValidationError, match="consumer key"):
        SalesforceApp.of("  ", "https://login.salesforce.com")


def test_a_rotated_refresh_token_is_kept_before_the_new_access_token_is_used(
    salesforce: FakeSalesforceLogin, fake_keyring: Any
) -> None:
    done = sign_in(app_of(salesforce), open_browser=Browser())
    session, first_access = done.session, done.session.current()
    first_refresh = session.saved.refresh_token
    salesforce.rotate = True
    seen: list[tuple[str, str]] = []

    class Watching(SignInKeeper):
        def keep(self, saved: SavedSignIn) -> bool:
            seen.append((saved.refresh_token, session.current()))  # what is sent meanwhile
            return super().keep(saved)

    session = SalesforceSession(session.saved, first_access, keeper=Watching())
    renewed = session.renew()
    assert renewed is not None and renewed != first_access
    [(kept_refresh, access_while_keeping)] = seen
    assert access_while_keeping == first_access  # the new access token was not yet in use
    assert kept_refresh != first_refresh
    assert kept_refresh in salesforce.valid_refresh_tokens()
    saved = SavedSignIn.from_json(fake_keyring.secrets[("am-desktop", entry_of(salesforce.url))])
    assert saved is not None and saved.refresh_token == kept_refresh
    assert session.current() == renewed


def test_a_session_from_the_keyring_renews_on_first_use(
    salesforce: FakeSalesforceLogin,
) -> None:
    sign_in(app_of(salesforce), open_browser=Browser())
    source = token_source(salesforce.url)
    assert isinstance(source, SalesforceSession)
    assert source.current() in salesforce.issued
    assert salesforce.grants == ["authorization_code", "refresh_token"]
    assert token_source("https://other.my.salesforce.com") is None


def test_the_script_token_overrides_the_sign_in(
    salesforce: FakeSalesforceLogin, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(app_of(salesforce), open_browser=Browser())
    monkeypatch.setenv(credentials.ENVIRONMENT, "00Dscripted!token")
    source = token_source(salesforce.url)
    assert isinstance(source, StaticToken) and source.current() == "00Dscripted!token"


def test_a_revoked_refresh_token_says_sign_in_again_and_is_forgotten(
    salesforce: FakeSalesforceLogin, fake_keyring: Any
) -> None:
    done = sign_in(app_of(salesforce), open_browser=Browser())
    salesforce.revoke_all()
    with pytest.raises(SyncError, match="sign in again") as caught:
        done.session.renew()
    assert "revoked or has expired" in caught.value.user_message
    assert fake_keyring.secrets == {}
    assert token_source(salesforce.url) is None


def test_sign_out_revokes_and_forgets(salesforce: FakeSalesforceLogin, fake_keyring: Any) -> None:
    sign_in(app_of(salesforce), open_browser=Browser())
    sign_out(salesforce.url)
    assert fake_keyring.secrets == {}
    assert salesforce.valid_refresh_tokens() == set()


def test_without_a_keyring_it_is_said_and_the_session_works_in_memory(
    salesforce: FakeSalesforceLogin, fake_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(system_keyring, "keyring_available", lambda: False)
    memory: dict[str, str] = {}
    done = sign_in(app_of(salesforce), open_browser=Browser(), keeper=SignInKeeper(memory))
    assert not done.kept and done.session.kept_in_memory
    assert fake_keyring.secrets == {}
    assert list(memory) == [entry_of(salesforce.url)]
    later = token_source(salesforce.url, memory)
    assert isinstance(later, SalesforceSession)
    assert later.current() in salesforce.issued
    with pytest.raises(credentials.KeyringUnavailable, match="never written down"):
        credentials.save_secret("x", "y")


def test_no_token_in_logs_reprs_or_exception_text(
    salesforce: FakeSalesforceLogin, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    salesforce.rotate = True
    done = sign_in(app_of(salesforce), open_browser=Browser())
    done.session.renew()
    salesforce.revoke_all()
    with pytest.raises(SyncError) as caught:
        done.session.renew()
    said = "\n".join(
        [
            caplog.text,
            repr(done),
            repr(done.session),
            repr(done.session.saved),
            str(caught.value),
            caught.value.user_message,
            repr(caught.value),
        ]
    )
    assert "Salesforce sign-in done" in caplog.text  # the log did say something
    assert len(salesforce.issued) >= 4
    for token in salesforce.issued:
        assert token not in said


def test_crm_login_signs_in_from_the_terminal_and_prints_the_address(
    salesforce: FakeSalesforceLogin,
    fake_keyring: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    _private_user_folders: Path,
) -> None:
    browser = Browser()
    monkeypatch.setattr(webbrowser, "open", browser)
    code = cli.main(["crm", "login", "--crm", "salesforce", "--login-url", salesforce.url,
                     "--consumer-key", CONSUMER_KEY])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    assert browser.opened[0] in err  # printed for a machine whose browser is elsewhere
    assert f"Signed in to Salesforce at {salesforce.url} as Ann Lee" in err
    assert f"--base-url {salesforce.url}" in err
    assert isinstance(token_source(salesforce.url), SalesforceSession)
    written = b"".join(
        path.read_bytes() for path in _private_user_folders.rglob("*") if path.is_file()
    )
    for token in salesforce.issued:  # nowhere on disk, nor on the terminal
        assert token not in out + err and token.encode() not in written


def test_crm_login_without_a_consumer_key_says_where_to_give_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AM_DESKTOP_SF_CONSUMER_KEY", raising=False)
    code = cli.main(["crm", "login", "--crm", "salesforce"])
    assert code != 0 and "consumer key" in capsys.readouterr().err


def test_crm_login_without_a_keyring_keeps_nothing_and_says_so(
    salesforce: FakeSalesforceLogin,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(system_keyring, "keyring_available", lambda: False)
    monkeypatch.setattr(webbrowser, "open", Browser())
    code = cli.main(["crm", "login", "--crm", "salesforce", "--login-url", salesforce.url,
                     "--consumer-key", CONSUMER_KEY])  # fmt: skip
    assert code != 0 and "no keyring" in capsys.readouterr().err
    assert salesforce.valid_refresh_tokens() == set()  # revoked: no live sign-in left behind


def test_the_callback_names_the_apps_fixed_port_and_a_held_port_is_said(
    salesforce: FakeSalesforceLogin, fake_keyring: Any
) -> None:
    """Salesforce matches the registered callback URL exactly, port included."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    app = SalesforceApp.of(CONSUMER_KEY, salesforce.url, port)
    assert app.callback_url == f"http://127.0.0.1:{port}/callback"
    browser = Browser()
    sign_in(app, open_browser=browser)
    assert parse_qs(urlsplit(browser.opened[0]).query)["redirect_uri"] == [app.callback_url]
    with socket.socket() as holder:
        holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # past the last TIME_WAIT
        holder.bind(("127.0.0.1", port))
        holder.listen()
        with pytest.raises(SyncError, match=f"Another program is using port {port}"):
            sign_in(app, open_browser=Browser())
