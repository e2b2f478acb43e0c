"""The shortcuts list follows the menus; preferences save on OK only, and only when valid."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialogButtonBox, QMainWindow
from pytestqt.qtbot import QtBot

from am_desktop.ui.contact_map.contacts_tab import MAP_SHORTCUTS
from am_desktop.ui.context import AppContext
from am_desktop.ui.dialogs.preferences import PreferencesDialog
from am_desktop.ui.dialogs.shortcuts import ShortcutsDialog, plain_text
from am_desktop.ui.settings import Prefs
from tests.support.settings_file import hand_edit


def _native(keys: str) -> str:
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


def test_the_shortcuts_dialog_lists_menu_actions_with_shortcuts(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    go_menu = window.menuBar().addMenu("&Go")
    go_to = QAction("Go to &account…", window)
    go_to.setShortcut(QKeySequence("Ctrl+K"))
    go_menu.addAction(go_to)
    go_menu.addSeparator()
    go_menu.addAction(QAction("&Nothing to press", window))  # no shortcut: not listed
    recent = go_menu.addMenu("&Recent")
    redo = QAction("&Redo", window)
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    recent.addAction(redo)  # found inside a submenu too
    hidden = QAction("Hidden", window)
    hidden.setShortcut(QKeySequence("Ctrl+H"))
    hidden.setVisible(False)
    go_menu.addAction(hidden)

    dialog = ShortcutsDialog(window, parent=window)
    assert dialog.windowTitle() == "Keyboard shortcuts"
    assert dialog.rows() == [
        ("Go to account…", _native("Ctrl+K")),
        ("Redo", f"{_native('Ctrl+Shift+Z')}, {_native('Ctrl+Y')}"),
        ("Filter the account list", _native("Ctrl+L")),
        *((label, _native(keys)) for label, keys in MAP_SHORTCUTS.values()),
    ]
    assert ("Contact map: fit the whole map", _native("Ctrl+0")) in dialog.rows()
    assert dialog.table.editTriggers() == dialog.table.EditTrigger.NoEditTriggers
    dialog.buttons.button(QDialogButtonBox.StandardButton.Close).click()
    assert dialog.result() == dialog.DialogCode.Rejected


@pytest.mark.parametrize(
    ("text", "plain"),
    [("&Import CSV…", "Import CSV…"), ("Save && close", "Save & close"), ("Plain", "Plain")],
)
def test_mnemonic_marks_are_removed(text: str, plain: str) -> None:
    assert plain_text(text) == plain


def test_preferences_start_from_the_stored_values(qtbot: QtBot, context: AppContext) -> None:
    context.settings.prefs.gross_margin = 0.65
    dialog = PreferencesDialog(context)
    qtbot.addWidget(dialog)
    assert dialog.currency.currentText() == "USD"
    assert dialog.cadence.value() == 30 and dialog.cadence.suffix() == " days"
    assert dialog.gross_margin.value() == pytest.approx(65.0)
    assert dialog.backups.value() == 7
    assert dialog.database_path.text() == str(context.store.path)
    assert dialog.settings_path.text() == context.settings.file_name
    assert set(dialog.values()) == set(Prefs.options())  # the dialog edits every one


def test_an_invalid_currency_disables_ok_and_says_why(qtbot: QtBot, context: AppContext) -> None:
    dialog = PreferencesDialog(context)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    line = dialog.currency.lineEdit()
    line.clear()
    qtbot.keyClicks(line, "EU1")
    assert not ok.isEnabled()
    assert not dialog.currency_error.isHidden()
    assert "three-letter" in dialog.currency_error.text()
    dialog.buttons.accepted.emit()  # even if OK were reached, nothing is saved
    assert context.settings.prefs.currency == "USD"
    line.clear()
    qtbot.keyClicks(line, "sek")  # lower case is forgiven
    assert ok.isEnabled()
    assert dialog.currency_error.isHidden()


def test_ok_stores_every_value(qtbot: QtBot, context: AppContext) -> None:
    dialog = PreferencesDialog(context)
    qtbot.addWidget(dialog)
    dialog.currency.setCurrentText("EUR")
    dialog.cadence.setValue(45)
    dialog.gross_margin.setValue(72.5)
    dialog.backups.setValue(14)
    with qtbot.waitSignal(context.settings.changed, timeout=1000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == dialog.DialogCode.Accepted
    settings = context.settings
    assert settings.prefs.currency == "EUR"
    assert settings.prefs.default_checkin_cadence_days == 45
    assert settings.prefs.gross_margin == pytest.approx(0.725)
    assert settings.prefs.daily_backups_kept == 14


def test_cancel_stores_nothing(qtbot: QtBot, context: AppContext) -> None:
    dialog = PreferencesDialog(context)
    qtbot.addWidget(dialog)
    dialog.currency.setCurrentText("GBP")
    dialog.cadence.setValue(90)
    dialog.gross_margin.setValue(10.0)
    dialog.backups.setValue(3)
    with qtbot.assertNotEmitted(context.settings.changed):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert dialog.result() == dialog.DialogCode.Rejected
    for option in Prefs.options():
        assert context.settings.prefs.get(option) == option.default


def test_note_templates_are_edited_in_preferences(qtbot: QtBot, context: AppContext) -> None:
    dialog = PreferencesDialog(context)
    qtbot.addWidget(dialog)
    dialog.template_name.setCurrentText("QBR")
    assert dialog.template_text.toPlainText().startswith("## Quarterly business review")
    dialog.template_text.setPlainText("## Our QBR\n- [ ] \n")
    dialog.template_name.setCurrentText("Check-in")
    dialog.template_name.setCurrentText("QBR")
    assert dialog.template_text.toPlainText() == "## Our QBR\n- [ ] \n"  # kept while choosing
    dialog.buttons.accepted.emit()
    assert context.settings.prefs.note_templates["QBR"] == "## Our QBR\n- [ ] \n"
    again = PreferencesDialog(context)
    qtbot.addWidget(again)
    again.template_name.setCurrentText("QBR")
    again.template_reset.click()
    again.buttons.accepted.emit()
    assert context.settings.prefs.note_templates["QBR"].startswith("## Quarterly business review")


def test_health_weights_and_bands_are_preferences(qtbot: QtBot, context: AppContext) -> None:
    dialog = PreferencesDialog(context)
    qtbot.addWidget(dialog)
    assert [box.value() for box in dialog.weights.values()] == [25, 20, 20, 20, 15]
    dialog.weights["usage"].setValue(0)
    dialog.healthy_from.setValue(80)
    dialog.buttons.accepted.emit()
    assert context.settings.prefs.health_weights["usage"] == 0
    assert context.settings.prefs.health_bands == (80.0, 40.0)
    hand_edit(context.settings, "prefs/health_bands", "30,60")  # upside down: the defaults
    assert context.settings.prefs.health_bands == (70.0, 40.0)


def test_preferences_refuse_health_weights_that_score_nothing(
    qtbot: QtBot, context: AppContext
) -> None:
    dialog = PreferencesDialog(context)
    qtbot.addWidget(dialog)
    for box in dialog.weights.values():
        box.setValue(0)
    dialog.buttons.accepted.emit()
    assert "at least one part" in dialog.health_error.text()
    assert context.settings.prefs.health_weights["engagement"] == 25  # nothing was saved
    dialog.weights["usage"].setValue(10)
    dialog.watch_from.setValue(80)  # above "healthy from" (70)
    dialog.buttons.accepted.emit()
    assert "below the healthy band" in dialog.health_error.text()
    hand_edit(context.settings, "prefs/health_weights", "0,0,0,0,0")
    assert sum(context.settings.prefs.health_weights.values()) == 100  # the defaults
