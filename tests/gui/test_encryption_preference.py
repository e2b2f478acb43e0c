"""Preferences → Security: encrypting is asked for, confirmed, and done between two windows."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from am_desktop.db import opener
from am_desktop.services.store import open_store
from am_desktop.ui.context import AppContext
from am_desktop.ui.dialogs.preferences import PreferencesDialog
from am_desktop.ui.window.encryption_run import change_encryption

KEY = "7c" * 32


def _ok(dialog: PreferencesDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


@pytest.mark.parametrize("confirmed", [True, False], ids=["confirmed", "cancelled"])
def test_the_security_page_asks_before_encrypting(
    qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch, confirmed: bool
) -> None:
    dialog = PreferencesDialog(context, section="security")
    qtbot.addWidget(dialog)
    assert (
        dialog.pages.tabText(dialog.pages.currentIndex()) == "&Security"
        and not dialog.encrypt.isChecked()
    )
    asked: list[bool] = []
    monkeypatch.setattr(
        dialog, "confirm_encryption", lambda wanted: asked.append(wanted) or confirmed
    )
    dialog.encrypt.setChecked(True)
    _ok(dialog)
    assert asked == [True]
    assert dialog.encryption_change is (True if confirmed else None)
    assert not opener.is_encrypted(context.store.path)  # nothing is done while it is open


def test_ok_without_a_change_asks_nothing(
    qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = PreferencesDialog(context)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(dialog, "confirm_encryption", lambda _wanted: pytest.fail("asked"))
    _ok(dialog)
    assert dialog.encryption_change is None


def test_the_closed_file_is_encrypted_with_progress_then_decrypted(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(opener.KEY_ENV_VAR, KEY)
    assert change_encryption(db_path, encrypt=True)
    assert opener.is_encrypted(db_path)
    open_store(db_path).close()  # the next window opens it with the key
    assert change_encryption(db_path, encrypt=False)
    assert not opener.is_encrypted(db_path)


def test_a_failure_is_said_and_the_file_kept(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    before = db_path.read_bytes()
    assert not change_encryption(db_path, encrypt=False)  # it is not encrypted
    assert shown and "not encrypted" in shown[0]
    assert db_path.read_bytes() == before
