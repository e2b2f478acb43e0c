"""The AM's week, mail and contacts (issue 19): files dropped on the window, a follow-up
drafted from the editor, Today's stay-in-touch list, and a contact marked as left."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from am_desktop.domain.enums import ContactRole, NoteKind
from am_desktop.services import catalog, notes
from am_desktop.services.capture import CaptureStatus
from am_desktop.services.contact_map import contact_graph
from am_desktop.services.follow_up import follow_up_folder
from am_desktop.ui.contact_map.departure import NONE_YET, LeaveDialog
from am_desktop.ui.context import AppContext
from am_desktop.ui.main_window import MainWindow
from am_desktop.ui.notes.editor import NoteEditor
from am_desktop.ui.today import TodayView
from tests.gui.conftest import TODAY

DATA = Path(__file__).parents[1] / "data" / "mail"

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)"
)


@pytest.fixture
def acme(context: AppContext) -> int:
    return catalog.accounts.create(context.store, {"name": "Acme", "domain": "acme.com"}).id


@pytest.fixture
def window(qtbot: QtBot, context: AppContext, acme: int) -> Iterator[MainWindow]:
    main = MainWindow(context)
    qtbot.addWidget(main)
    main.show()
    main.start()
    yield main
    if main.capture_dialog is not None:
        main.capture_dialog.close()
    main.close()


def drop_event(mime: QMimeData, where: QPoint) -> tuple[QDragEnterEvent, QDropEvent]:
    enter = QDragEnterEvent(
        where,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    drop = QDropEvent(
        QPointF(where), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    return enter, drop


def test_eml_and_vcf_files_dropped_on_the_window_are_imported(
    qtbot: QtBot, window: MainWindow, context: AppContext, acme: int, tmp_path: Path
) -> None:
    context.settings.prefs.my_email = "maya@ours.example"
    files = [tmp_path / "with_attachment.eml", tmp_path / "internal.eml", tmp_path / "c.vcf"]
    shutil.copy(DATA / "with_attachment.eml", files[0])
    shutil.copy(DATA / "internal.eml", files[1])
    shutil.copy(DATA / "contacts.vcf", files[2])
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in files])
    enter, drop = drop_event(mime, QPoint(300, 200))

    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window, drop)

    qtbot.waitUntil(
        lambda: window.capture_dialog is not None and window.capture_dialog.result_ is not None
    )
    dialog = window.capture_dialog
    assert dialog is not None and dialog.result_ is not None
    lines = {line.source: line for line in dialog.result_.lines}
    assert lines["with_attachment.eml"].status is CaptureStatus.ADDED
    assert lines["internal.eml"].status is CaptureStatus.SKIPPED
    assert lines["c.vcf: Bob Stone"].status is CaptureStatus.ADDED  # acme.com's account
    assert dialog.summary.text().startswith("2 added, 4 skipped.")  # internal + 3 cards
    shown = dialog.details.toPlainText().splitlines()
    assert len(shown) == len(dialog.result_.lines)
    assert "Added — with_attachment.eml: E-mail note added to Acme." in shown
    (note,) = notes.list_notes(context.store, notes.NoteFilter(account_id=acme))
    assert note.kind is NoteKind.EMAIL and note.title == "Renewal pricing"
    dialog.buttons.button(QDialogButtonBox.StandardButton.Close).click()
    assert not dialog.isVisible()


def test_a_drop_of_other_files_is_refused(window: MainWindow, tmp_path: Path) -> None:
    other = tmp_path / "report.pdf"
    other.write_bytes(b"%PDF")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(other))])
    enter, _drop = drop_event(mime, QPoint(300, 200))
    enter.ignore()
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()
    assert window.capture_dialog is None


def test_draft_follow_up_writes_the_eml_opens_it_and_keeps_saving(
    qtbot: QtBot, context: AppContext, acme: int
) -> None:
    ann = catalog.contacts.create(
        context.store, {"account_id": acme, "last_name": "Lee", "email": "ann@acme.com"}
    ).id
    record = notes.create_note(
        context.store,
        {"account_id": acme, "occurred_at": datetime(2026, 11, 20, 10, tzinfo=UTC),
         "title": "QBR", "body": "Good call.\n- [ ] Send deck @me due:2026-12-01\n"},
        [ann],
    )  # fmt: skip
    editor = NoteEditor(context, pause_ms=10, max_wait_ms=20)
    qtbot.addWidget(editor)
    opened: list[Path] = []
    editor.follow_up._opener = lambda path: opened.append(path) is None
    editor.show_note(notes.note_detail(context.store, record.id), [])
    assert editor.follow_up.label.text() == ""
    assert editor.follow_up_button.text() == "Draft follow-up"
    assert editor.follow_up.action.shortcut().toString() == "Ctrl+Shift+M"

    editor.follow_up.action.trigger()

    (path,) = opened
    assert path.parent == follow_up_folder() and path.suffix == ".eml"
    assert b"X-Unsent: 1" in path.read_bytes() and b"ann@acme.com" in path.read_bytes()
    stored = notes.note_detail(context.store, record.id).note
    assert stored.follow_up_at is not None
    assert editor.follow_up.label.text().startswith("Follow-up drafted ")
    # the editor saves over the version the draft wrote: no conflict
    editor.body.setPlainText("Good call, and a follow-up went out.")
    editor.flush()
    assert notes.note_detail(context.store, record.id).note.body.endswith("went out.")


def test_today_lists_contacts_to_get_back_in_touch_with(
    qtbot: QtBot, context: AppContext, acme: int
) -> None:
    last = datetime.combine(TODAY - timedelta(days=45), datetime.min.time()).astimezone()
    catalog.contacts.create(
        context.store,
        {"account_id": acme, "first_name": "Ann", "last_name": "Lee",
         "role": ContactRole.CHAMPION, "last_contacted_at": last.replace(hour=12)},
    )  # fmt: skip
    view = TodayView(context)
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    model = view.models["stay_in_touch"]
    assert view.captions["stay_in_touch"].text() == "Stay in touch (1)"
    assert [model.index(0, c).data() for c in range(3)] == ["Ann Lee", "Acme", "8 Oct 2026"]
    assert model.index(0, 3).data() == "30 days"
    assert model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole) == "Was due 15 days ago"
    ref = view.ref_at("stay_in_touch", 0)
    assert ref is not None and ref.opens[0] == "contact"
    view.close()


def test_marking_a_contact_as_left_asks_for_a_successor(
    qtbot: QtBot, context: AppContext, acme: int
) -> None:
    store = context.store
    ann = catalog.contacts.create(
        store, {"account_id": acme, "first_name": "Ann", "last_name": "Lee", "role": "champion"}
    ).id
    catalog.contacts.create(store, {"account_id": acme, "first_name": "Bob", "last_name": "Stone"})
    dialog = LeaveDialog(context, contact_graph(store, acme), ann)
    qtbot.addWidget(dialog)
    offered = [dialog.successor.itemText(i) for i in range(dialog.successor.count())]
    assert offered == [NONE_YET, "Bob Stone"]
    dialog.successor.setCurrentIndex(1)
    context.messages.flush_to_listeners()  # as the window does: messages are posted at once
    with qtbot.waitSignal(context.messages.posted) as posted:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "Ann Lee marked as left; a risk was added to the account plan." in posted.args[1]
    assert catalog.contacts.get(store, ann).left_on == TODAY
    (risk,) = catalog.risks.find(store, account_id=acme)
    assert "Bob Stone takes over" in risk.description
    bob = next(n for n in contact_graph(store, acme) if n.name == "Bob Stone")
    assert bob.role is ContactRole.CHAMPION
    assert dialog.result() == LeaveDialog.DialogCode.Accepted
