"""File → Import calendar…, the watched folder and their preferences (issue 19)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from am_desktop.domain.enums import NoteKind
from am_desktop.services import catalog, notes
from am_desktop.services.notes import NoteFilter
from am_desktop.services.store import Store
from am_desktop.ui.calendar.folder_watch import CalendarFolderWatcher
from am_desktop.ui.calendar.import_dialog import CalendarImportDialog
from am_desktop.ui.context import AppContext
from am_desktop.ui.dialogs.preferences import PreferencesDialog


def calendar(uid: str = "gui-1@test", title: str = "Acme pricing") -> str:
    # Around the GUI tests' today (2026-11-22): inside the default window.
    return "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "BEGIN:VEVENT",
            f"UID:{uid}",
            "DTSTART:20261125T150000Z",
            f"SUMMARY:{title}",
            "ATTENDEE;CN=Ann Buyer:mailto:ann@acme.com",
            "ATTENDEE;CN=Lee New:mailto:lee@acme.com",
            "ATTENDEE:mailto:who@elsewhere.example",
            "ORGANIZER:mailto:maya@ourco.com",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )


def acme(store: Store) -> int:
    account = catalog.accounts.create(store, {"name": "Acme", "domain": "acme.com"}).id
    catalog.contacts.create(
        store, {"account_id": account, "last_name": "Buyer", "email": "ann@acme.com"}
    )
    return account


def meetings(store: Store) -> list[str]:
    rows = notes.list_notes(store, NoteFilter(kind=NoteKind.MEETING))
    return [row.heading for row in rows]


def test_the_dialog_imports_then_adds_the_checked_attendees_as_contacts(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    account = acme(context.store)
    path = tmp_path / "week.ics"
    path.write_text(calendar(), newline="")
    dialog = CalendarImportDialog(context, path)
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled()  # no address yet: it asks for one
    dialog.me_edit.setText("maya@ourco.com")
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.outcome is not None)
    assert "1 planned meeting added" in dialog.summary_label.text()
    assert meetings(context.store) == ["Acme pricing"]
    assert context.settings.prefs.my_email == "maya@ourco.com"  # remembered
    items = [dialog.people_list.item(row) for row in range(dialog.people_list.count())]
    assert [item.text() for item in items] == [
        "Lee New <lee@acme.com> — Acme",
        "who@elsewhere.example <who@elsewhere.example> — no account has this domain",
    ]
    assert [item.checkState() for item in items] == [Qt.CheckState.Checked] * 1 + [
        Qt.CheckState.Unchecked
    ]
    dialog.add_button.click()
    qtbot.waitUntil(lambda: "1 contact added" in dialog.summary_label.text())
    people = catalog.contacts.find(context.store, account_id=account)
    assert sorted((p.email, p.first_name, p.last_name) for p in people) == [
        ("ann@acme.com", None, "Buyer"),
        ("lee@acme.com", "Lee", "New"),
    ]
    detail = notes.note_detail(context.store, notes.list_notes(context.store, NoteFilter())[0].id)
    linked = {a.email for a in detail.attendees if a.contact_id is not None}
    assert linked == {"ann@acme.com", "lee@acme.com"}


def test_a_malformed_file_is_said_in_the_dialog(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    context.settings.prefs.my_email = "maya@ourco.com"
    path = tmp_path / "broken.ics"
    path.write_text(calendar().replace("DTSTART:20261125T150000Z", "DTSTART:soon"), newline="")
    dialog = CalendarImportDialog(context, path)
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: "line 5" in dialog.summary_label.text())
    assert dialog.import_button.isEnabled()
    assert meetings(context.store) == []


def test_the_watched_folder_imports_new_and_changed_files(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    acme(context.store)
    said: list[str] = []
    context.messages.posted.connect(lambda _level, text: said.append(text))
    context.messages.flush_to_listeners()
    folder = tmp_path / "calendars"
    folder.mkdir()
    context.settings.prefs.my_email = "maya@ourco.com"
    watcher = CalendarFolderWatcher(context, debounce_ms=10)
    context.settings.prefs.calendar_folder = str(folder)
    assert watcher.folder == folder
    with qtbot.waitSignal(watcher.imported, timeout=5000):
        (folder / "week.ics").write_text(calendar(), newline="")
    assert meetings(context.store) == ["Acme pricing"]
    assert any("Calendar week.ics: 1 meetings added" in text for text in said)
    with qtbot.waitSignal(watcher.imported, timeout=5000):
        (folder / "week.ics").write_text(calendar(title="Acme pricing (moved)") + "\r\n")
    assert meetings(context.store) == ["Acme pricing (moved)"]
    context.settings.prefs.calendar_folder = ""
    assert watcher.folder is None


def test_without_an_address_the_folder_says_where_to_give_it(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    said: list[str] = []
    context.messages.posted.connect(lambda _level, text: said.append(text))
    context.messages.flush_to_listeners()
    (tmp_path / "week.ics").write_text(calendar(), newline="")
    context.settings.prefs.calendar_folder = str(tmp_path)
    watcher = CalendarFolderWatcher(context, debounce_ms=10)
    qtbot.waitUntil(lambda: any("Preferences → Calendar" in text for text in said))
    acme(context.store)
    with qtbot.waitSignal(watcher.imported, timeout=5000):
        context.settings.prefs.my_email = "maya@ourco.com"
    assert meetings(context.store) == ["Acme pricing"]


def test_preferences_keep_the_address_and_folder(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    dialog = PreferencesDialog(context, section="calendar")
    qtbot.addWidget(dialog)
    dialog.my_email.setText("not an address")
    dialog.buttons.accepted.emit()
    assert dialog.my_email_error.isVisibleTo(dialog)
    assert context.settings.prefs.my_email == ""
    dialog.my_email.setText("Maya@OurCo.com")
    dialog.calendar_folder.setText(str(tmp_path))
    dialog.buttons.accepted.emit()
    assert context.settings.prefs.my_email == "maya@ourco.com"
    assert context.settings.prefs.calendar_folder == str(tmp_path)
