"""Dialogs refuse what is invalid, next to the field, and write nothing until it is right."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from am_desktop.services import catalog
from am_desktop.ui.context import AppContext
from am_desktop.ui.dialogs.account_dialog import AccountDialog
from am_desktop.ui.dialogs.export_dialog import ExportDialog
from am_desktop.ui.dialogs.import_dialog import ImportDialog


def test_the_account_dialog_shows_problems_under_their_fields(
    qtbot: QtBot, context: AppContext
) -> None:
    catalog.accounts.create(context.store, {"name": "Acme", "domain": "acme.com"})
    dialog = AccountDialog(context)
    qtbot.addWidget(dialog)
    dialog.buttons.accepted.emit()
    assert not dialog.errors["name"].isHidden() and "required" in dialog.errors["name"].text()
    dialog.name.setText("Other")
    dialog.domain.setText("not a domain")
    dialog.buttons.accepted.emit()
    assert "not a web domain" in dialog.errors["domain"].text()
    dialog.domain.setText("acme.com")
    dialog.buttons.accepted.emit()
    assert "already has this domain" in dialog.errors["domain"].text()
    assert [a.name for a in catalog.accounts.find(context.store)] == ["Acme"]
    dialog.domain.setText("other.com")
    dialog.buttons.accepted.emit()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.saved_id is not None
    assert catalog.accounts.get(context.store, dialog.saved_id).domain == "other.com"


def test_editing_an_account_keeps_unchanged_values(qtbot: QtBot, context: AppContext) -> None:
    account = catalog.accounts.create(
        context.store, {"name": "Acme", "owner": "Dana", "tier": "key"}
    )
    dialog = AccountDialog(context, account)
    qtbot.addWidget(dialog)
    assert dialog.name.text() == "Acme" and dialog.tier.currentData() == "key"
    dialog.owner.setText("Lee")
    dialog.buttons.accepted.emit()
    saved = catalog.accounts.get(context.store, account.id)
    assert (saved.owner, saved.tier.value, saved.version) == ("Lee", "key", 2)


def test_a_new_account_is_in_the_managers_currency_and_an_account_keeps_its_own(
    qtbot: QtBot, context: AppContext
) -> None:
    """Never silently in dollars: a euro AM's new account is in euros (issue 20)."""
    context.settings.prefs.currency = "EUR"
    dialog = AccountDialog(context)
    qtbot.addWidget(dialog)
    assert dialog.currency.currentText() == "EUR"
    dialog.name.setText("Acme")
    dialog.buttons.accepted.emit()
    (made,) = catalog.accounts.find(context.store)
    assert made.currency == "EUR"
    other = catalog.accounts.create(context.store, {"name": "Zeta", "currency": "SEK"})
    editing = AccountDialog(context, other)
    qtbot.addWidget(editing)
    assert editing.currency.currentText() == "SEK"  # not in the list: added, kept


def test_the_import_preview_lists_invalid_rows_before_writing(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    source = tmp_path / "accounts.csv"
    source.write_text("Account Name,Website,Notes\nAcme,acme.com,x\nBad,not a domain,y\n")
    dialog = ImportDialog(context, source)
    qtbot.addWidget(dialog)
    assert dialog.kind() == "accounts"
    assert not dialog.mapping_table.tabKeyNavigation()  # Tab leaves the tables
    assert not dialog.problems_table.tabKeyNavigation()
    assert dialog.mapping() == {"Account Name": "name", "Website": "domain", "Notes": None}
    assert dialog.problems_table.rowCount() == 1
    assert dialog.problems_table.item(0, 0).text() == "3"
    assert "not a web domain" in dialog.problems_table.item(0, 2).text()
    assert not dialog.import_button.isEnabled()
    assert catalog.accounts.find(context.store) == []
    dialog.skip_invalid.setChecked(True)
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    assert [a.name for a in catalog.accounts.find(context.store)] == ["Acme"]


def test_the_import_preview_says_a_header_only_file_has_no_rows(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    source = tmp_path / "accounts.csv"
    source.write_text("name,domain\n")
    dialog = ImportDialog(context, source)
    qtbot.addWidget(dialog)
    assert "has no rows" in dialog.summary_label.text()
    assert dialog.summary_label.textFormat() == Qt.TextFormat.PlainText  # quotes file names
    assert not dialog.import_button.isEnabled()


def test_the_import_mapping_can_be_changed(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    source = tmp_path / "list.csv"
    source.write_text("Company,Boss\nAcme,Dana\n")
    dialog = ImportDialog(context, source)
    qtbot.addWidget(dialog)
    combo = dialog.mapping_table.cellWidget(1, 1)
    combo.setCurrentIndex(combo.findData("owner"))
    assert dialog.mapping()["Boss"] == "owner"
    dialog.import_button.click()
    assert catalog.accounts.find(context.store)[0].owner == "Dana"


def test_export_writes_the_chosen_records(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    catalog.accounts.create(context.store, {"name": "Acme"})
    dialog = ExportDialog(context)
    qtbot.addWidget(dialog)
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("json"))
    target = tmp_path / "accounts.json"
    dialog.export_to(target)
    assert [a["name"] for a in json.loads(target.read_text())] == ["Acme"]


def test_self_test_passes_offscreen(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "am_desktop", "self-test", "--db", str(tmp_path / "s.sqlite3")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test passed" in done.stdout
    assert not list(tmp_path.iterdir())  # a mistyped --db creates nothing


def test_self_test_leaves_the_users_database_byte_identical(db_path: Path) -> None:
    """An empty database of the user's is tested on a copy: no demo accounts are written."""
    before = {p.name: p.read_bytes() for p in db_path.parent.iterdir()}
    done = subprocess.run(
        [sys.executable, "-m", "am_desktop", "self-test", "--db", str(db_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test passed" in done.stdout and "copy" in done.stdout
    assert {p.name: p.read_bytes() for p in db_path.parent.iterdir()} == before


def test_the_contact_dialog_refuses_a_bad_email_or_phone_and_a_reporting_loop(
    qtbot: QtBot, context: AppContext
) -> None:
    from PySide6.QtGui import QUndoStack

    from am_desktop.services.contact_map import contact_graph
    from am_desktop.ui.dialogs.contact_dialog import ContactDialog

    store = context.store
    account = catalog.accounts.create(store, {"name": "Acme"}).id
    boss = catalog.contacts.create(store, {"account_id": account, "last_name": "Boss"})
    report = catalog.contacts.create(
        store, {"account_id": account, "last_name": "Report", "reports_to_id": boss.id}
    )
    undo = QUndoStack()

    new = ContactDialog(context, contact_graph(store, account), None, undo, manager_id=boss.id)
    qtbot.addWidget(new)
    assert new.manager.currentData() == boss.id
    new.last_name.setText("Lee")
    new.email.setText("not-an-email")
    new.buttons.accepted.emit()
    assert not new.errors["email"].isHidden()
    new.email.setText("lee@acme.com")
    new.phone.setText("a@b.com")  # the address typed into the wrong field
    new.buttons.accepted.emit()
    assert new.errors["phone"].text() == (
        "Phone 'a@b.com' is an e-mail address, not a phone number."
    )
    new.phone.setText("+1 (415) 555-0100 x 12")
    new.influence.setValue(4)
    new.role.setCurrentIndex(new.role.findData("champion"))
    new.buttons.accepted.emit()
    assert new.result() == new.DialogCode.Accepted
    saved = catalog.contacts.get(store, new.saved_id or 0)
    assert (saved.reports_to_id, saved.influence, saved.role.value) == (boss.id, 4, "champion")
    assert undo.count() == 1

    edit = ContactDialog(context, contact_graph(store, account), boss, undo)
    qtbot.addWidget(edit)
    assert edit.manager.findData(boss.id) == -1  # nobody is offered as their own manager
    edit.manager.setCurrentIndex(edit.manager.findData(report.id))
    edit.buttons.accepted.emit()
    assert "reporting loop" in edit.errors["reports_to_id"].text()
    assert catalog.contacts.get(store, boss.id).reports_to_id is None
    assert undo.count() == 1
