"""Preferences → CRM with Salesforce (issue 18): choosing the CRM asks before switching and keeps
the local data, "Sign in with Salesforce" against a local stand-in for Salesforce's login
service (the test acts as the browser), Cancel while the worker waits, Sign out, and the
window's Sync now sending an unsigned Salesforce to Preferences."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from am_desktop.services import catalog
from am_desktop.services.sync.salesforce_auth import entry_of
from am_desktop.ui.context import AppContext
from am_desktop.ui.dialogs.preferences import PreferencesDialog
from am_desktop.ui.main_window import MainWindow
from am_desktop.ui.tasks import ThreadTaskRunner
from tests.support.fake_salesforce_login import (
    CONSUMER_KEY,
    Browser,
    FakeSalesforceLogin,
    never_comes_back,
)

# Showing a dialog offscreen: the platform plugin cannot pass size hints on (harmless).
pytestmark = [
    pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)"),
    pytest.mark.usefixtures("no_script_token"),
]


def salesforce_dialog(
    qtbot: QtBot, context: AppContext, server: FakeSalesforceLogin
) -> PreferencesDialog:
    """Preferences at CRM with Salesforce chosen, the app's key and the local login address."""
    dialog = PreferencesDialog(context, section="crm")
    qtbot.addWidget(dialog)
    dialog.crm.setCurrentIndex(dialog.crm.findData("salesforce"))
    fields = dialog.salesforce
    fields.consumer_key.setText(CONSUMER_KEY)
    fields.login_kind.setCurrentIndex(fields.login_kind.findData(""))  # My Domain…
    fields.my_domain.setText(server.url)
    fields.callback_port.setValue(free_port())
    return dialog


def free_port() -> int:
    """A loopback port nobody holds now (the callback port is fixed in real use)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ok(dialog: PreferencesDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_sign_in_with_salesforce_keeps_the_sign_in_and_shows_who(
    qtbot: QtBot, context: AppContext, salesforce: FakeSalesforceLogin, fake_keyring: Any
) -> None:
    dialog = salesforce_dialog(qtbot, context, salesforce)
    dialog.show()
    assert dialog.salesforce.consumer_key.isVisible()
    assert not dialog.crm_base_url.isVisible()  # HubSpot's rows make way
    assert dialog.salesforce.state.text() == "Not signed in."
    browser = dialog.salesforce.open_url = Browser()
    dialog.salesforce.sign_in_button.click()
    qtbot.waitUntil(lambda: "Signed in as" in dialog.salesforce.state.text())
    assert dialog.salesforce.state.text() == (
        f"Signed in as Ann Lee (ann@acme.example) at {salesforce.url}."
    )
    assert "You can close this tab" in browser.pages[0]
    assert dialog.salesforce.sign_out_button.isVisible()
    prefs = context.settings.prefs
    assert prefs.salesforce_instance_url == salesforce.url  # kept at once, like a token
    assert ("am-desktop", entry_of(salesforce.url)) in fake_keyring.secrets
    ok(dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert prefs.crm == "salesforce" and prefs.salesforce_consumer_key == CONSUMER_KEY
    assert prefs.salesforce_login_url == salesforce.url
    context.settings.sync()
    written = Path(context.settings.file_name).read_text(encoding="utf-8")
    assert salesforce.url in written  # the settings were written…
    for token in salesforce.issued:  # …without a token
        assert token not in written


def test_sign_out_forgets_the_sign_in(
    qtbot: QtBot, context: AppContext, salesforce: FakeSalesforceLogin, fake_keyring: Any
) -> None:
    dialog = salesforce_dialog(qtbot, context, salesforce)
    dialog.salesforce.open_url = Browser()
    dialog.salesforce.sign_in_button.click()
    qtbot.waitUntil(lambda: context.settings.prefs.salesforce_instance_url != "")
    dialog.salesforce.sign_out_button.click()
    qtbot.waitUntil(lambda: "Signed out" in dialog.salesforce.state.text())
    assert fake_keyring.secrets == {}
    assert salesforce.valid_refresh_tokens() == set()  # revoked at Salesforce too
    assert context.settings.prefs.salesforce_instance_url == ""


def test_a_denied_sign_in_is_said_in_the_dialog(
    qtbot: QtBot, context: AppContext, salesforce: FakeSalesforceLogin
) -> None:
    salesforce.decision = "deny"
    dialog = salesforce_dialog(qtbot, context, salesforce)
    dialog.salesforce.open_url = Browser()
    dialog.salesforce.sign_in_button.click()
    qtbot.waitUntil(lambda: "Access was not allowed" in dialog.salesforce.state.text())
    assert dialog.salesforce.sign_in_button.isEnabled()
    assert context.settings.prefs.salesforce_instance_url == ""


def test_a_missing_consumer_key_is_said_before_anything_opens(
    qtbot: QtBot, context: AppContext, salesforce: FakeSalesforceLogin
) -> None:
    dialog = salesforce_dialog(qtbot, context, salesforce)
    dialog.salesforce.consumer_key.clear()
    browser = dialog.salesforce.open_url = Browser()
    dialog.salesforce.sign_in_button.click()
    assert "consumer key" in dialog.salesforce.problem.text()
    assert browser.opened == []
    ok(dialog)  # OK says it too, and keeps the dialog open
    assert dialog.result() != dialog.DialogCode.Accepted
    assert context.settings.prefs.crm == ""


def test_the_sign_in_waits_on_a_worker_and_cancel_stops_it(
    qtbot: QtBot, context: AppContext, salesforce: FakeSalesforceLogin
) -> None:
    runner = ThreadTaskRunner(default_error=context.messages.failure)
    threaded = dataclasses.replace(context, tasks=runner)
    dialog = salesforce_dialog(qtbot, threaded, salesforce)
    dialog.show()
    opened: list[str] = []
    dialog.salesforce.open_url = lambda url: opened.append(url) or never_comes_back(url)
    dialog.salesforce.sign_in_button.click()
    qtbot.waitUntil(lambda: bool(opened))  # the browser was asked for from the GUI thread…
    assert dialog.salesforce.cancel_button.isVisible()  # …which stays free while the worker waits
    assert not dialog.salesforce.sign_in_button.isEnabled()
    dialog.salesforce.cancel_button.click()
    qtbot.waitUntil(lambda: dialog.salesforce.state.text() == "Sign-in cancelled.")
    assert not dialog.salesforce.cancel_button.isVisible()
    assert dialog.salesforce.sign_in_button.isEnabled()
    assert runner.shutdown()


def switch_answer(qtbot: QtBot, dialog: PreferencesDialog, button_text: str) -> None:
    box = dialog.switch_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    [button] = [b for b in box.buttons() if b.text() == button_text]
    button.click()
    qtbot.waitUntil(lambda: dialog.switch_box is None)


def test_switching_crm_asks_first_and_keeps_the_local_data(
    qtbot: QtBot, context: AppContext
) -> None:
    account = catalog.accounts.create(context.store, {"name": "Acme", "domain": "acme.com"})
    context.settings.prefs.crm = "hubspot"
    dialog = PreferencesDialog(context, section="crm")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.crm.setCurrentIndex(dialog.crm.findData("salesforce"))
    box = dialog.switch_box
    assert box is not None
    assert box.text() == "Sync with Salesforce instead of HubSpot?"
    assert "stay on this computer" in box.informativeText()
    switch_answer(qtbot, dialog, "Keep HubSpot")
    assert dialog.crm.currentData() == "hubspot"  # nothing changed
    assert dialog.crm_base_url.isVisible()
    dialog.crm.setCurrentIndex(dialog.crm.findData("salesforce"))
    switch_answer(qtbot, dialog, "Switch to Salesforce")
    assert dialog.crm.currentData() == "salesforce"
    assert dialog.salesforce.consumer_key.isVisible()
    dialog.salesforce.consumer_key.setText(CONSUMER_KEY)
    ok(dialog)
    assert context.settings.prefs.crm == "salesforce"
    assert catalog.accounts.get(context.store, account.id).name == "Acme"  # local data kept


def test_sync_now_with_salesforce_not_signed_in_opens_the_crm_preferences(
    qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    context.settings.prefs.crm = "salesforce"
    opened: list[str] = []

    def fake_exec(dialog: PreferencesDialog) -> int:
        opened.append(dialog.pages.tabText(dialog.pages.currentIndex()))
        return 0

    monkeypatch.setattr(PreferencesDialog, "exec", fake_exec)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.start()
    window.sync_action.trigger()
    assert opened == ["C&RM"]
    assert window.sync_label.text() == "Sync paused: not signed in to Salesforce"
