"""Notes in the window: autosave (and a real kill), the list and editor, search, quick notes."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from am_desktop.services import catalog, notes
from am_desktop.ui.context import AppContext
from am_desktop.ui.notes.editor import NoteEditor
from am_desktop.ui.notes.panel import NotesPanel
from am_desktop.ui.notes.search import HtmlRole, SearchDialog
from tests.gui import kill_child

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)"
)


@pytest.fixture
def acme(context: AppContext) -> int:
    return catalog.accounts.create(context.store, {"name": "Acme"}).id


@pytest.fixture
def editor(qtbot: QtBot, context: AppContext) -> Iterator[NoteEditor]:
    widget = NoteEditor(context, pause_ms=30, max_wait_ms=80)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.close()


def stored_bodies(context: AppContext, account: int) -> list[str]:
    return [n.body for n in catalog.notes.find(context.store, account_id=account)]


def test_a_pause_in_typing_saves_and_the_status_says_so(
    qtbot: QtBot, context: AppContext, editor: NoteEditor, acme: int
) -> None:
    editor.new_note(acme, [])
    assert stored_bodies(context, acme) == []  # nothing typed: nothing saved
    QTest.keyClicks(editor.body, "Budget approved")
    qtbot.waitUntil(lambda: stored_bodies(context, acme) == ["Budget approved"], timeout=2000)
    assert editor.status.text().startswith("Saved")
    QTest.keyClicks(editor.body, " for 2027")
    qtbot.waitUntil(lambda: stored_bodies(context, acme) == ["Budget approved for 2027"])
    assert len(stored_bodies(context, acme)) == 1  # one note, saved twice


def test_continuous_typing_is_saved_by_the_deadline(
    qtbot: QtBot, context: AppContext, editor: NoteEditor, acme: int
) -> None:
    editor.autosave._pause.setInterval(10_000)  # never pauses long enough
    editor.new_note(acme, [])
    QTest.keyClicks(editor.body, "still typing")
    qtbot.waitUntil(lambda: stored_bodies(context, acme) == ["still typing"], timeout=2000)


def test_switching_notes_and_leaving_the_editor_save_at_once(
    context: AppContext, editor: NoteEditor, acme: int
) -> None:
    editor.autosave._pause.setInterval(10_000)
    editor.autosave._deadline.setInterval(10_000)
    editor.new_note(acme, [])
    QTest.keyClicks(editor.body, "first")
    editor.new_note(acme, [])  # switching flushes
    assert stored_bodies(context, acme) == ["first"]
    QTest.keyClicks(editor.body, "second")
    editor.title.setFocus()
    editor.body.setFocus()
    editor.title.setFocus()  # focus-out of the body flushes
    assert sorted(stored_bodies(context, acme)) == ["first", "second"]


def test_a_failed_save_keeps_the_text_and_offers_retry(
    context: AppContext, editor: NoteEditor, acme: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from am_desktop.errors import StorageError

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise StorageError("The disk is full, so nothing was saved.")

    monkeypatch.setattr(notes, "create_note", refuse)
    editor.new_note(acme, [])
    QTest.keyClicks(editor.body, "precious words")
    editor.flush()
    assert editor.status.text() == "Not saved" and not editor.retry.isHidden()
    assert editor.body.toPlainText() == "precious words"
    monkeypatch.undo()
    editor.retry.click()
    assert stored_bodies(context, acme) == ["precious words"]
    assert editor.retry.isHidden()


def test_a_conflict_can_keep_both_versions(
    context: AppContext, editor: NoteEditor, acme: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    record = notes.create_note(
        context.store, {"account_id": acme, "occurred_at": "2026-11-20T10:00Z", "body": "v1"}
    )
    editor.show_note(notes.note_detail(context.store, record.id), [])
    notes.save_note(context.store, record.id, {"body": "theirs"}, record.version)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: box.buttons()[-1].click() or 0)
    editor.body.setPlainText("mine")
    editor.flush()
    editor.flush()
    assert sorted(stored_bodies(context, acme)) == ["mine", "theirs"]


def test_attendees_and_structure_are_recorded_from_the_editor(
    context: AppContext, editor: NoteEditor, acme: int
) -> None:
    ana = catalog.contacts.create(context.store, {"account_id": acme, "last_name": "Ana"}).id
    editor.new_note(acme, [(ana, "Ana")])
    editor.attendees._on_completer_activated("ana")
    editor.body.setPlainText("- [ ] Send deck @me due:2026-12-01\nBudget frozen #risk\n")
    editor.flush()
    assert editor.note is not None
    detail = notes.note_detail(context.store, editor.note.id)
    assert [a.name for a in detail.attendees] == ["Ana"]
    assert [a.text for a in detail.actions] == ["Send deck"]
    assert [r.description for r in catalog.risks.find(context.store, account_id=acme)] == [
        "Budget frozen"
    ]


def test_templates_and_the_time_go_in_at_the_cursor(
    context: AppContext, editor: NoteEditor, acme: int
) -> None:
    editor.new_note(acme, [])
    editor.set_templates({"Check-in": "## Check-in\n"})
    menu = editor.template_button.menu()
    assert menu is not None
    menu.actions()[0].trigger()
    editor.insert_time_action.trigger()
    text = editor.body.toPlainText()
    assert re.fullmatch(r"## Check-in\n\d\d:\d\d ", text), text


def test_the_call_timer_writes_the_call_length(editor: NoteEditor, acme: int) -> None:
    editor.new_note(acme, [])
    editor.timer.toggle()
    editor.timer.toggle()
    assert "Call length: 1 min" in editor.body.toPlainText()


TYPED_BEFORE_KILL = 40  # characters: about two seconds at the child's typing pace


def test_nothing_typed_more_than_a_second_ago_is_lost_when_killed(
    context: AppContext, acme: int, tmp_path: Path
) -> None:
    context.store.close()
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.gui.kill_child", str(context.store.path), str(acme)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent.parent.parent,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "paused"
        typed_at = [kill_child.typed_at(child.stdout.readline()) for _ in range(TYPED_BEFORE_KILL)]
        killed_at = time.monotonic()  # the same clock as the child's, system-wide
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
        if child.stdout is not None:
            child.stdout.close()
    (body,) = stored_bodies(context, acme)
    assert body.startswith(kill_child.FIRST)  # typed, then a pause: saved
    kept = len(body) - len(kill_child.FIRST)
    # What was typed more than a second before the kill is kept (plus a quarter second for
    # the save itself to commit on a busy machine).
    due = sum(1 for at in typed_at if at < killed_at - 1.25)
    assert due >= 10 and kept >= due, (kept, due)


def test_the_notes_tab_lists_opens_and_starts_notes(
    qtbot: QtBot, context: AppContext, acme: int
) -> None:
    first = notes.create_note(
        context.store,
        {"account_id": acme, "occurred_at": "2026-11-20T10:00Z", "title": "QBR", "body": "x"},
    )
    panel = NotesPanel(context, acme, undo=QUndoStack())
    qtbot.addWidget(panel)
    panel.refresh()
    assert panel.model.rowCount() == 1
    panel.list.setCurrentIndex(panel.model.index(0, 0))
    assert panel.editor.note is not None and panel.editor.note.id == first.id
    assert panel.editor.title.text() == "QBR"
    panel.new_note()
    assert panel.editor.note is None and panel.editor.isEnabled()
    panel.editor.body.setPlainText("a new one")
    panel.flush()
    panel.refresh()
    assert panel.model.rowCount() == 2
    panel._on_archive_clicked()
    panel.refresh()
    assert panel.model.rowCount() == 1


def test_the_notes_view_filters_by_kind(qtbot: QtBot, context: AppContext, acme: int) -> None:
    for kind in ("call", "qbr"):
        notes.create_note(
            context.store,
            {"account_id": acme, "occurred_at": "2026-11-20T10:00Z", "kind": kind, "body": kind},
        )
    panel = NotesPanel(context, None, undo=QUndoStack())
    qtbot.addWidget(panel)
    panel.load_accounts()
    assert panel.account_filter.findText("Acme") >= 0
    panel.kind_filter.setCurrentIndex(panel.kind_filter.findData("qbr"))
    assert [row.kind.value for row in panel.model.rows] == ["qbr"]


def test_search_as_you_type_lists_ranked_hits_and_opens_one(
    qtbot: QtBot, context: AppContext, acme: int
) -> None:
    note = notes.create_note(
        context.store,
        {"account_id": acme, "occurred_at": "2026-11-20T10:00Z", "body": "renewal budget set"},
    )
    dialog = SearchDialog(context)
    qtbot.addWidget(dialog)
    dialog.search.setText("budg")
    dialog.run()
    assert dialog.model.ids() == [note.id]
    assert "<b>budget</b>" in dialog.model.data(dialog.model.index(0, 0), HtmlRole)
    with qtbot.waitSignal(dialog.note_chosen) as chosen:
        dialog._open_first()
    assert chosen.args == [acme, note.id]
    dialog.search.setText('"((')
    dialog.run()
    assert dialog.model.rowCount() == 0 and dialog.status.text()



def test_open_search_results_follow_notes_written_and_archived_elsewhere(
    qtbot: QtBot, context: AppContext, acme: int
) -> None:
    dialog = SearchDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.search.setText("pricing")
    dialog.run()
    assert dialog.model.rowCount() == 0
    note = notes.create_note(
        context.store,
        {"account_id": acme, "occurred_at": "2026-11-20T10:00Z", "body": "pricing agreed"},
    )
    qtbot.waitUntil(lambda: dialog.model.ids() == [note.id])
    catalog.notes.archive(context.store, note.id)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0)
    catalog.accounts.create(context.store, {"name": "Zenith"})
    qtbot.waitUntil(lambda: dialog.account.findText("Zenith") > 0)
    dialog.close()

@pytest.fixture
def threaded(context: AppContext) -> Iterator[AppContext]:
    """The app's real thread pools, so a save is still running when the user moves on."""
    from am_desktop.ui.tasks import ThreadTaskRunner

    runner = ThreadTaskRunner(context.messages.failure)
    yield AppContext(context.store, runner, context.messages, context.data, context.settings)
    runner.shutdown()


@pytest.fixture
def gate(threaded: AppContext) -> Iterator[threading.Event]:
    """Opened by the test once the user has moved on (at the latest before the runner stops)."""
    gate = threading.Event()
    yield gate
    gate.set()


def held(monkeypatch: pytest.MonkeyPatch, gate: threading.Event, name: str) -> None:
    """``notes.<name>`` waits on its worker until the test opens ``gate``: a save in flight."""
    real = getattr(notes, name)

    def held_back(*args: object, **kwargs: object) -> object:
        assert gate.wait(10), "the test never opened the gate"
        return real(*args, **kwargs)

    monkeypatch.setattr(notes, name, held_back)


def test_a_new_note_never_takes_over_one_still_saving(
    qtbot: QtBot,
    threaded: AppContext,
    gate: threading.Event,
    acme: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    held(monkeypatch, gate, "create_note")
    held(monkeypatch, gate, "save_note")
    editor = NoteEditor(threaded, pause_ms=10_000, max_wait_ms=10_000)
    qtbot.addWidget(editor)
    editor.new_note(acme, [])
    QTest.keyClicks(editor.body, "note A")
    editor.new_note(acme, [])  # A's first save is still running
    QTest.keyClicks(editor.body, "note B")
    editor.flush()
    gate.set()  # A's save, then B's, go through
    qtbot.waitUntil(
        lambda: sorted(stored_bodies(threaded, acme)) == ["note A", "note B"], timeout=5000
    )
    QTest.keyClicks(editor.body, " more")
    editor.flush()
    qtbot.waitUntil(
        lambda: sorted(stored_bodies(threaded, acme)) == ["note A", "note B more"], timeout=5000
    )


def test_typing_during_a_save_is_kept_when_switching_at_once(
    qtbot: QtBot,
    threaded: AppContext,
    gate: threading.Event,
    acme: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    record = notes.create_note(
        threaded.store, {"account_id": acme, "occurred_at": "2026-11-20T10:00Z", "body": "one"}
    )
    held(monkeypatch, gate, "save_note")
    said: list[str] = []
    threaded.messages.posted.connect(lambda _level, text: said.append(text))
    editor = NoteEditor(threaded, pause_ms=10_000, max_wait_ms=10_000)
    qtbot.addWidget(editor)
    editor.show_note(notes.note_detail(threaded.store, record.id), [])
    editor.body.moveCursor(editor.body.textCursor().MoveOperation.End)
    QTest.keyClicks(editor.body, " two")
    editor.flush()  # a save starts
    QTest.keyClicks(editor.body, " three")
    editor.new_note(acme, [])  # switch at once: the rest must follow the first save
    gate.set()
    qtbot.waitUntil(lambda: stored_bodies(threaded, acme) == ["one two three"], timeout=5000)
    assert said == []  # no conflict, no failure on the way


def test_take_theirs_asks_for_the_stored_note_again(
    context: AppContext, editor: NoteEditor, acme: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    record = notes.create_note(
        context.store, {"account_id": acme, "occurred_at": "2026-11-20T10:00Z", "body": "v1"}
    )
    editor.show_note(notes.note_detail(context.store, record.id), [])
    notes.save_note(context.store, record.id, {"body": "theirs"}, record.version)
    monkeypatch.setattr(
        QMessageBox,
        "exec",
        lambda box: next(b for b in box.buttons() if b.text() == "Take theirs").click() or 0,
    )
    reloads: list[int] = []
    editor.reload_requested.connect(reloads.append)
    editor.body.setPlainText("mine")
    editor.flush()
    assert reloads == [record.id]
    assert stored_bodies(context, acme) == ["theirs"]


def test_the_editor_round_trips_markdown_untouched(
    context: AppContext, editor: NoteEditor, acme: int
) -> None:
    body = (
        "# Heading\n\n**bold** *italic* `code` [link](https://example.com)\n"
        "- [ ] task @maya due:2026-12-01\n- [x] done\n1. first\n\n```\nraw #risk\n```\n"
        "Trailing spaces   \n\ttab\n"
    )
    record = notes.create_note(
        context.store, {"account_id": acme, "occurred_at": "2026-11-20T10:00Z", "body": body}
    )
    editor.show_note(notes.note_detail(context.store, record.id), [])
    assert editor.values()["body"] == record.body
    editor.flush()  # nothing typed: nothing written
    assert catalog.notes.get(context.store, record.id).version == record.version
    editor.body.setPlainText(editor.body.toPlainText())
    editor.flush()
    assert catalog.notes.get(context.store, record.id).body == record.body


def test_a_slow_answer_to_an_earlier_search_never_replaces_the_newer_one(
    qtbot: QtBot,
    threaded: AppContext,
    gate: threading.Event,
    acme: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from am_desktop.ui.notes import search
    from am_desktop.ui.tasks import ThreadTaskRunner

    for body in ("budget set", "churn risk"):
        notes.create_note(
            threaded.store, {"account_id": acme, "occurred_at": "2026-11-20T10:00Z", "body": body}
        )
    real = search.rank_notes

    def rank_notes(store: object, query: str, **options: object) -> object:
        if query == "budg":
            assert gate.wait(10), "the test never opened the gate"  # the first search is slow
        return real(store, query, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(search, "rank_notes", rank_notes)
    dialog = SearchDialog(threaded)
    qtbot.addWidget(dialog)
    dialog.search.setText("budg")
    dialog.run()
    dialog.search.setText("churn")
    dialog.run()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    assert "churn" in dialog.model.index(0, 0).data()
    gate.set()  # the earlier search answers last
    runner = threaded.tasks
    assert isinstance(runner, ThreadTaskRunner)
    qtbot.waitUntil(lambda: runner._ledger.open_count == 0)  # answered, and dropped
    assert dialog.model.rowCount() == 1 and "churn" in dialog.model.index(0, 0).data()
    assert "1 best match" in dialog.status.text()
