"""CRM sync in the window (issue 8 item 7), against the local HubSpot-compatible server:
Sync now, the status bar, the conflict dialog, the account header, the CRM preferences, and the
token kept out of the settings file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from am_desktop import system_keyring
from am_desktop.services import catalog
from am_desktop.services.sync import credentials
from am_desktop.services.sync import state as st
from am_desktop.ui.context import AppContext
from am_desktop.ui.dialogs.conflict_dialog import ConflictDialog, parse_edit
from am_desktop.ui.dialogs.preferences import PreferencesDialog
from am_desktop.ui.main_window import MainWindow
from am_desktop.ui.sync_status import synced_words
from am_desktop.ui.window.views import ViewKey
from tests.support.fake_hubspot import FakeHubSpot
from tests.support.settings_file import hand_edit

TOKEN = "pat-window-test-token"


@pytest.fixture
def hubspot() -> Iterator[FakeHubSpot]:
    server = FakeHubSpot(TOKEN)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def account_id(context: AppContext) -> int:
    return catalog.accounts.create(
        context.store, {"name": "Acme", "domain": "acme.com", "industry": "Retail"}
    ).id


def configure(context: AppContext, hubspot: FakeHubSpot, *, token: str | None = TOKEN) -> None:
    """HubSpot at the local server, its token in the (in-memory) keyring."""
    context.settings.prefs.crm = "hubspot"
    context.settings.prefs.crm_base_url = hubspot.url
    if token is not None:
        credentials.save_token("hubspot", hubspot.url, token)


@pytest.fixture
def window(qtbot: QtBot, context: AppContext, account_id: int) -> Iterator[MainWindow]:
    main = MainWindow(context)
    qtbot.addWidget(main)
    main.show()  # screens follow changes while they are shown (hidden ones catch up on show)
    main.show_view(ViewKey.ACCOUNTS)
    main.start()
    yield main
    main.close()


def sync_now(qtbot: QtBot, window: MainWindow) -> None:
    """File → Sync now (the runner is inline: the run is over when this returns)."""
    with qtbot.waitSignal(window.sync.finished, timeout=10_000):
        window.sync_action.trigger()


def patch_remote(hubspot: FakeHubSpot, kind: str, record_id: str, props: dict[str, str]) -> None:
    """Another user edits the record in the CRM."""
    response = httpx.patch(
        f"{hubspot.url}/crm/v3/objects/{kind}/{record_id}",
        json={"properties": props},
        headers={"Authorization": "Bearer other-token"},
    )
    assert response.status_code == 200, response.text


def remote_id(context: AppContext, obj: str, local_id: int) -> str:
    with context.store.raw() as connection:
        found = st.remote_id_of(connection, obj, local_id)
    assert found is not None, f"{obj} {local_id} is not linked"
    return found


def test_sync_now_sends_the_account_and_the_status_bar_says_synced(
    qtbot: QtBot,
    window: MainWindow,
    hubspot: FakeHubSpot,
    account_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert window.sync_label.text() == "Sync not configured"
    context = window.context
    configure(context, hubspot)
    assert window.sync_label.text() == "Not synced yet"
    assert window.sync_action.shortcut() == QKeySequence("Ctrl+Shift+S")
    seen: list[tuple[str, bool, bool]] = []
    real_progress = window.sync._on_run_progress

    def spy(done: int, total: int, stage: str) -> None:
        shown = not window.sync.progress.isHidden()
        seen.append((window.sync_label.text(), shown, window.cancel_sync_action.isEnabled()))
        real_progress(done, total, stage)

    monkeypatch.setattr(window.sync, "_on_run_progress", spy)
    sync_now(qtbot, window)
    assert seen and seen[0] == ("Syncing…", True, True)  # progress and Cancel while it runs
    (company,) = hubspot.records("companies")
    assert company["properties"]["name"] == "Acme"
    assert company["properties"]["domain"] == "acme.com"
    assert window.sync_label.text() == f"Synced {datetime.now():%H:%M}"
    assert window.sync.progress.isHidden() and window.sync.cancel_button.isHidden()
    assert window.sync_action.isEnabled() and not window.cancel_sync_action.isEnabled()
    qtbot.waitUntil(lambda: window.pending_label.text() == "Everything is in the CRM", timeout=3000)
    assert window.conflicts_button.isHidden()

    catalog.accounts.update(context.store, account_id, {"industry": "Energy"})
    qtbot.waitUntil(
        lambda: window.pending_label.text() == "1 change not yet in the CRM", timeout=3000
    )
    window.open_account(account_id)
    header = window.tabs.workspace(account_id).sync_state_label  # type: ignore[attr-defined]
    assert header.text() == "Changes not yet sent" and not header.isHidden()
    sync_now(qtbot, window)
    assert hubspot.records("companies")[0]["properties"]["industry"] == "Energy"
    assert header.text() == "✓ In the CRM"


def test_the_account_header_says_nothing_until_sync_is_used(
    qtbot: QtBot, window: MainWindow, account_id: int
) -> None:
    window.open_account(account_id)
    workspace: Any = window.tabs.workspace(account_id)
    assert workspace.overview is not None  # the header was read
    assert workspace.sync_state is None and workspace.sync_state_label.isHidden()


def test_a_conflict_shows_in_the_dialog_and_take_theirs_updates_the_record(
    qtbot: QtBot, context: AppContext, window: MainWindow, hubspot: FakeHubSpot, account_id: int
) -> None:
    configure(context, hubspot)
    sync_now(qtbot, window)
    patch_remote(
        hubspot, "companies", remote_id(context, "account", account_id), {"name": "Theirs"}
    )
    catalog.accounts.update(context.store, account_id, {"name": "Mine"})
    sync_now(qtbot, window)
    qtbot.waitUntil(lambda: not window.conflicts_button.isHidden(), timeout=3000)
    assert window.conflicts_button.text() == "⚠ 1 conflict"

    window.conflicts_button.click()
    dialog = window.conflict_dialog
    assert isinstance(dialog, ConflictDialog) and dialog.isVisible()
    assert dialog.list.count() == 1
    assert dialog.list.item(0).text() == "Mine (account)\nName changed on both sides"
    texts = {key: box.toPlainText() for key, box in dialog.values.items()}
    assert texts == {"base": "Acme", "local": "Mine", "remote": "Theirs"}
    assert dialog.take_button.text() == "&Take theirs" and dialog.edit_button.isVisibleTo(dialog)

    with qtbot.waitSignal(dialog.resolved, timeout=3000):
        dialog.take_button.click()
    assert catalog.accounts.get(context.store, account_id).name == "Theirs"
    assert dialog.pages.currentWidget() is dialog.empty
    assert dialog.empty.title.text() == "No conflicts: everything agrees with the CRM."
    qtbot.waitUntil(window.conflicts_button.isHidden, timeout=3000)
    writes = hubspot.write_count()
    sync_now(qtbot, window)
    assert hubspot.write_count() == writes  # theirs taken: nothing to send back


def test_the_header_link_opens_the_accounts_conflicts_and_edit_saves_a_new_value(
    qtbot: QtBot, context: AppContext, window: MainWindow, hubspot: FakeHubSpot, account_id: int
) -> None:
    configure(context, hubspot)
    other = catalog.accounts.create(context.store, {"name": "Globex", "domain": "globex.com"}).id
    sync_now(qtbot, window)
    for local in (account_id, other):
        patch_remote(hubspot, "companies", remote_id(context, "account", local),
                     {"industry": "Theirs"})  # fmt: skip
        catalog.accounts.update(context.store, local, {"industry": "Mine"})
    sync_now(qtbot, window)
    window.open_account(account_id)
    workspace: Any = window.tabs.workspace(account_id)
    assert "Conflict — resolve…" in workspace.sync_state_label.text()
    workspace.sync_state_label.linkActivated.emit("conflicts")
    dialog = window.conflict_dialog
    assert dialog.list.count() == 1  # this account's only, not Globex's
    assert dialog.windowTitle() == "Sync conflicts: Acme"
    dialog.edit_button.click()
    assert dialog.edit_line.text() == "Mine" and dialog.editor.isVisibleTo(dialog)
    assert not dialog.keep_button.isEnabled()
    dialog.edit_line.setText("Both")
    with qtbot.waitSignal(dialog.resolved, timeout=3000):
        dialog.edit_save.click()
    assert catalog.accounts.get(context.store, account_id).industry == "Both"
    assert workspace.sync_state_label.text() == "Changes not yet sent"  # "Both" goes out next
    sync_now(qtbot, window)
    remote = hubspot.record("companies", remote_id(context, "account", account_id))
    assert remote is not None and remote["properties"]["industry"] == "Both"


def test_record_conflicts_are_explained_and_worded_for_the_case(
    qtbot: QtBot, context: AppContext, account_id: int
) -> None:
    with context.store.raw(write=True) as connection:
        st.set_state(connection, "tracking", "1")
        st.set_link(connection, "account", account_id, "9001", 1)
        st.add_conflict(connection, "account", account_id, None, base=None,
                        local={"name": "Acme", "domain": "acme.com", "industry": "Retail"},
                        remote=None, kind="deleted_remotely")  # fmt: skip
    dialog = ConflictDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.list.item(0).text() == "Acme (account)\nDeleted in the CRM, changed here"
    assert "deleted this account in the CRM" in dialog.explanation.text()
    assert (dialog.keep_button.text(), dialog.take_button.text()) == (
        "&Keep it and send it again", "&Let it go")  # fmt: skip
    assert not dialog.edit_button.isVisibleTo(dialog)  # a whole record is not edited
    assert not dialog.values["base"].isVisibleTo(dialog)
    assert "Web domain: acme.com" in dialog.values["local"].toPlainText()
    assert dialog.values["remote"].toPlainText() == "Deleted in the CRM"
    with qtbot.waitSignal(dialog.resolved, timeout=3000):
        dialog.take_button.click()  # let it go: archived here too
    assert catalog.accounts.get(context.store, account_id).archived_at is not None
    dialog.close()


def test_edited_values_are_read_as_the_field_expects() -> None:
    assert parse_edit("opportunity", "amount_cents", "$1,200.50") == 120050
    assert parse_edit("opportunity", "amount_cents", "") == 0
    assert parse_edit("renewal", "proposed_arr_cents", "") is None
    assert parse_edit("opportunity", "close_date", "2026-12-15") == "2026-12-15"
    assert parse_edit("opportunity", "stage", "Negotiation") == "negotiation"
    assert parse_edit("contact", "email", " Ada@Example.com ") == "ada@example.com"
    for obj, field, text, words in [
        ("account", "name", "  ", "cannot be empty"),
        ("opportunity", "amount_cents", "lots", "Enter an amount"),
        ("opportunity", "close_date", "15/12/2026", "year-month-day"),
        ("opportunity", "stage", "maybe", "Choose one of: Identified"),
        ("contact", "email", "ada", "e-mail address"),
    ]:
        with pytest.raises(Exception, match=words):
            parse_edit(obj, field, text)


def test_sync_now_without_a_crm_opens_the_crm_preferences(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, hubspot: FakeHubSpot
) -> None:
    opened: list[str] = []

    def fake_exec(dialog: PreferencesDialog) -> int:
        opened.append(dialog.pages.tabText(dialog.pages.currentIndex()))
        return 0

    monkeypatch.setattr(PreferencesDialog, "exec", fake_exec)
    window.sync_action.trigger()
    assert opened == ["C&RM"]
    assert hubspot.requests == []  # nothing was sent anywhere
    assert window.sync_label.text() == "Sync not configured"


def test_a_missing_token_is_asked_for_and_kept_for_this_session_only(
    qtbot: QtBot,
    window: MainWindow,
    hubspot: FakeHubSpot,
    monkeypatch: pytest.MonkeyPatch,
    fake_keyring: Any,
) -> None:
    context = window.context
    configure(context, hubspot, token=None)
    asked: list[str] = []

    def answer(*args: Any) -> tuple[str, bool]:
        asked.append(args[2])
        return TOKEN, True

    monkeypatch.setattr("am_desktop.ui.sync_status.QInputDialog.getText", answer)
    sync_now(qtbot, window)  # asks, then runs with the answer
    assert window.sync_label.text().startswith("Synced")
    assert len(hubspot.records("companies")) == 1
    assert asked and "access token for HubSpot" in asked[0]
    assert fake_keyring.secrets == {}  # not saved: this session only
    assert list(context.session_tokens.values()) == [TOKEN]
    sync_now(qtbot, window)
    assert len(asked) == 1  # known for the rest of the session


def test_a_refused_token_is_said_in_plain_words_and_forgotten(
    qtbot: QtBot,
    window: MainWindow,
    hubspot: FakeHubSpot,
    monkeypatch: pytest.MonkeyPatch,
    fake_keyring: Any,
) -> None:
    context = window.context
    configure(context, hubspot, token="pat-wrong-token")
    shown: list[str] = []
    monkeypatch.setattr(
        "am_desktop.ui.window.status.QMessageBox.warning", lambda _w, _t, text: shown.append(text)
    )
    sync_now(qtbot, window)
    assert window.sync_label.text() == "Sync failed: the CRM refused the token"
    assert shown and "refused the access token" in shown[0]
    assert "pat-wrong-token" not in shown[0]
    assert fake_keyring.secrets == {}  # forgotten: the next Sync now asks for a new one
    assert window.sync_action.isEnabled() and not window.cancel_sync_action.isEnabled()


def test_cancel_stops_the_run_and_says_so(
    qtbot: QtBot,
    context: AppContext,
    window: MainWindow,
    hubspot: FakeHubSpot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    configure(context, hubspot)
    real_progress = window.sync._on_run_progress

    def cancel_at_first_step(done: int, total: int, stage: str) -> None:
        real_progress(done, total, stage)
        window.sync.cancel_button.click()

    monkeypatch.setattr(window.sync, "_on_run_progress", cancel_at_first_step)
    sync_now(qtbot, window)
    assert window.sync_label.text() == "Sync cancelled"
    assert hubspot.records("companies") == []  # stopped before sending anything
    assert not window.sync.running and window.sync.progress.isHidden()


def test_periodic_sync_runs_quietly_and_never_prompts(
    qtbot: QtBot,
    context: AppContext,
    window: MainWindow,
    hubspot: FakeHubSpot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    configure(context, hubspot, token=None)
    assert not window.sync.timer.isActive()  # 0: only when asked
    context.settings.prefs.sync_every_minutes = 15
    assert window.sync.timer.isActive() and window.sync.timer.interval() == 15 * 60_000

    def never(*_args: Any) -> tuple[str, bool]:
        raise AssertionError("a periodic sync must not ask for the token")

    monkeypatch.setattr("am_desktop.ui.sync_status.QInputDialog.getText", never)
    window.sync.timer.timeout.emit()
    assert window.sync_label.text() == "Sync paused: no CRM token"
    credentials.save_token("hubspot", hubspot.url, TOKEN)
    window.sync.timer.timeout.emit()
    assert window.sync_label.text().startswith("Synced")
    assert len(hubspot.records("companies")) == 1


def test_preferences_refuse_plain_http_to_another_machine(
    qtbot: QtBot, context: AppContext
) -> None:
    dialog = PreferencesDialog(context, section="crm")
    qtbot.addWidget(dialog)
    assert dialog.pages.currentIndex() == 2
    assert dialog.crm_base_url.text() == "https://api.hubapi.com"
    assert dialog.crm_base_url_error.isHidden()
    dialog.crm.setCurrentIndex(dialog.crm.findData("hubspot"))
    dialog.crm_base_url.setText("http://crm.example.com")
    assert not dialog.crm_base_url_error.isHidden()
    assert "not a secure address" in dialog.crm_base_url_error.text()
    dialog.pages.setCurrentIndex(0)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.pages.currentIndex() == 2  # brought back to the field
    assert context.settings.prefs.crm_base_url == "https://api.hubapi.com"
    assert context.settings.prefs.crm == ""  # nothing saved
    dialog.crm_base_url.setText("http://127.0.0.1:8080/")  # this computer: allowed (tests)
    assert dialog.crm_base_url_error.isHidden()
    dialog.sync_every.setValue(30)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert context.settings.prefs.crm_base_url == "http://127.0.0.1:8080"
    assert context.settings.prefs.crm == "hubspot"
    assert context.settings.prefs.sync_every_minutes == 30


def test_the_token_goes_to_the_keyring_never_to_the_settings_file(
    qtbot: QtBot, context: AppContext, fake_keyring: Any
) -> None:
    secret = "pat-na1-0123456789-secret"
    dialog = PreferencesDialog(context, section="crm")
    qtbot.addWidget(dialog)
    assert dialog.token.echoMode() == dialog.token.EchoMode.Password
    assert "No token saved yet" in dialog.token_state.text()
    dialog.token.setText(secret)
    dialog.save_token_button.click()
    assert dialog.token_state.text() == "Saved in the system keyring."
    assert dialog.token.text() == ""
    assert dialog.crm.currentData() == "hubspot"  # saving a token chooses the CRM
    assert credentials.load_token("hubspot", "https://api.hubapi.com") == secret
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    context.settings.sync()
    written = Path(context.settings.file_name).read_text(encoding="utf-8")
    assert "crm=hubspot" in written  # the settings were written…
    assert secret not in written  # …without the token


def test_without_a_keyring_the_token_stays_in_memory_and_the_user_is_told(
    qtbot: QtBot, context: AppContext, fake_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(system_keyring, "keyring_available", lambda: False)
    secret = "pat-na1-no-keyring-here"
    dialog = PreferencesDialog(context, section="crm")
    qtbot.addWidget(dialog)
    dialog.token.setText(secret)
    dialog.save_token_button.click()
    assert "no keyring" in dialog.token_state.text()
    assert "in memory until you quit" in dialog.token_state.text()
    assert list(context.session_tokens.values()) == [secret]
    assert fake_keyring.secrets == {}
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    context.settings.sync()
    written = Path(context.settings.file_name).read_text(encoding="utf-8")
    assert secret not in written


def test_the_last_sync_reads_as_local_time() -> None:
    now = datetime(2026, 11, 22, 16, 0).astimezone()
    today = now.astimezone(UTC)
    assert synced_words(today.strftime("%Y-%m-%d %H:%M:%S.%f"), now) == "Synced 16:00"
    yesterday = (now - timedelta(days=1)).astimezone(UTC)
    assert synced_words(yesterday.strftime("%Y-%m-%d %H:%M:%S.%f"), now) == "Synced 21 Nov 16:00"
    assert synced_words(None) == "Not synced yet"


# -- the review's findings, each the test that shows it fixed --------------------------------


def test_an_open_conflict_dialog_follows_a_sync_and_settles_what_it_shows(
    qtbot: QtBot, context: AppContext, window: MainWindow, hubspot: FakeHubSpot, account_id: int
) -> None:
    configure(context, hubspot)
    sync_now(qtbot, window)
    rid = remote_id(context, "account", account_id)
    patch_remote(hubspot, "companies", rid, {"name": "Theirs"})
    catalog.accounts.update(context.store, account_id, {"name": "Mine"})
    sync_now(qtbot, window)
    window.show_conflicts()
    dialog = window.conflict_dialog
    assert dialog.values["remote"].toPlainText() == "Theirs"
    patch_remote(hubspot, "companies", rid, {"name": "Theirs v2"})
    sync_now(qtbot, window)  # a periodic run while the dialog is open
    qtbot.waitUntil(lambda: dialog.values["remote"].toPlainText() == "Theirs v2")
    catalog.accounts.update(context.store, account_id, {"name": "Mine, corrected"})
    qtbot.waitUntil(lambda: dialog.values["local"].toPlainText() == "Mine, corrected")
    with qtbot.waitSignal(dialog.resolved, timeout=3000):
        dialog.take_button.click()
    assert catalog.accounts.get(context.store, account_id).name == "Theirs v2"


def test_a_paused_periodic_sync_stays_said_after_other_edits(
    qtbot: QtBot, context: AppContext, window: MainWindow, hubspot: FakeHubSpot
) -> None:
    configure(context, hubspot, token=None)
    context.settings.prefs.sync_every_minutes = 15
    window.sync.timer.timeout.emit()
    assert window.sync_label.text() == "Sync paused: no CRM token"
    with qtbot.waitSignal(window.sync._summary_timer.timeout):  # its debounced re-read ran
        catalog.accounts.create(context.store, {"name": "Edited meanwhile"})  # any save
    assert window.sync_label.text() == "Sync paused: no CRM token"


def test_a_refused_script_token_leaves_the_saved_one_alone(  # noqa: PLR0917 - fixtures
    qtbot: QtBot,
    context: AppContext,
    window: MainWindow,
    hubspot: FakeHubSpot,
    fake_keyring: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    configure(context, hubspot)  # the good token is in the keyring
    monkeypatch.setenv("AM_DESKTOP_CRM_TOKEN", "pat-stale-script-token")
    dialog = PreferencesDialog(context, section="crm")
    qtbot.addWidget(dialog)
    assert "AM_DESKTOP_CRM_TOKEN" in dialog.token_state.text()
    monkeypatch.setattr(window.context.messages, "error", lambda _text: None)
    window.sync.sync_now()
    assert window.sync_label.text().startswith("Sync failed")
    assert TOKEN in fake_keyring.secrets.values()


def test_a_web_page_instead_of_the_crm_is_said_in_words(
    qtbot: QtBot, context: AppContext, window: MainWindow
) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Portal(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<html>Please log in to the Wi-Fi</html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET  # noqa: N815 - the standard library's name

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Portal)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        context.settings.prefs.crm = "hubspot"
        context.settings.prefs.crm_base_url = url
        credentials.save_token("hubspot", url, "pat-some-token")
        window.sync.timer.timeout.emit()  # a periodic run: no crash dialog, words instead
    finally:
        server.shutdown()
        server.server_close()
    assert window.sync_label.text() == "Sync failed: the CRM could not be reached"
    assert "Wi-Fi" in window.sync_label.toolTip()
    assert not window.sync.running


def test_a_hand_edited_interval_cannot_stop_the_window_opening(
    qtbot: QtBot, context: AppContext, hubspot: FakeHubSpot
) -> None:
    configure(context, hubspot)
    hand_edit(context.settings, "prefs/sync_every_minutes", "100000")  # over a day
    main = MainWindow(context)
    qtbot.addWidget(main)
    main.show()  # screens follow changes while they are shown (hidden ones catch up on show)
    assert context.settings.prefs.sync_every_minutes == 0  # the default: only when asked
    assert not main.sync.timer.isActive()


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
def test_enter_in_the_token_field_saves_the_token_without_closing_preferences(
    qtbot: QtBot, context: AppContext, fake_keyring: Any
) -> None:
    dialog = PreferencesDialog(context, section="crm")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.token.setFocus()
    dialog.token.setText("pat-na1-secret-123")
    qtbot.keyClick(dialog.token, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "pat-na1-secret-123" in fake_keyring.secrets.values()
    dialog.close()
    other = PreferencesDialog(context, section="crm")  # CRM "None", a token typed, OK
    qtbot.addWidget(other)
    other.token.setText("pat-na1-secret-456")
    other.buttons.button(other.buttons.StandardButton.Ok).click()
    assert context.settings.prefs.crm == "hubspot"  # the token chose the CRM


def test_a_sync_that_pulls_a_changed_name_shows_in_the_open_workspace(
    qtbot: QtBot, context: AppContext, window: MainWindow, hubspot: FakeHubSpot, account_id: int
) -> None:
    configure(context, hubspot)
    sync_now(qtbot, window)  # the account is in the CRM now
    window.open_account(account_id)
    workspace = window.tabs.currentWidget()
    qtbot.waitUntil(lambda: workspace.title == "Acme")  # type: ignore[attr-defined]
    patch_remote(hubspot, "companies", remote_id(context, "account", account_id),
                 {"name": "Acme Europe"})  # fmt: skip
    sync_now(qtbot, window)
    qtbot.waitUntil(lambda: workspace.title == "Acme Europe")  # type: ignore[attr-defined]
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Acme Europe"


def test_an_address_typed_in_capitals_is_saved_not_a_crash(
    qtbot: QtBot, context: AppContext
) -> None:
    dialog = PreferencesDialog(context, section="crm")
    qtbot.addWidget(dialog)
    dialog.crm.setCurrentIndex(dialog.crm.findData("hubspot"))
    dialog.crm_base_url.setText("HTTPS://crm.example.com/")
    assert dialog.crm_base_url_error.isHidden()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert context.settings.prefs.crm_base_url == "https://crm.example.com"
