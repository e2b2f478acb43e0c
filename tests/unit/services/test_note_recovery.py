"""Unsaved notes kept beside the database come back at the next start (issue 14 item 1)."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

from am_desktop.services import catalog, note_recovery, notes
from am_desktop.services.note_recovery import UnsavedNote
from am_desktop.services.store import Store

WHEN = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def unsaved(
    account: int, body: str, note_id: int | None = None, version: int | None = None
) -> UnsavedNote:
    return UnsavedNote(
        account_id=account,
        note_id=note_id,
        version=version,
        title="Kickoff",
        kind="call",
        body=body,
        attendee_ids=(),
        occurred_at=WHEN,
    )


def test_kept_notes_are_private_files_beside_the_database(store: Store, db_path: Path) -> None:
    acme = catalog.accounts.create(store, {"name": "Acme"}).id
    where = note_recovery.keep(db_path, [unsaved(acme, "héllo"), unsaved(acme, "two")])
    assert where == db_path.with_name(f"{db_path.name}.recovered-notes")
    files = sorted(where.iterdir())
    assert len(files) == 2
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert stat.S_IMODE(where.stat().st_mode) == 0o700
    kept = note_recovery.pending(db_path)
    assert sorted(k.body for k in kept) == ["héllo", "two"]
    assert kept[0].occurred_at == WHEN and kept[0].account_id == acme


def test_nothing_pending_without_a_folder_and_unreadable_files_are_skipped(
    db_path: Path,
) -> None:
    assert note_recovery.pending(db_path) == []
    where = note_recovery.folder(db_path)
    where.mkdir()
    (where / "broken.json").write_text("{not json", encoding="utf-8")
    assert note_recovery.pending(db_path) == []


def test_restore_goes_over_an_unchanged_note_and_deletes_the_file(
    store: Store, db_path: Path
) -> None:
    acme = catalog.accounts.create(store, {"name": "Acme"}).id
    note = notes.create_note(store, {"account_id": acme, "occurred_at": WHEN, "body": "old"})
    note_recovery.keep(db_path, [unsaved(acme, "typed", note.id, note.version)])
    (item,) = note_recovery.pending(db_path)
    assert note_recovery.restore(store, item) == note.id
    assert notes.note_detail(store, note.id).note.body == "typed"
    assert note_recovery.pending(db_path) == []


def test_restore_makes_a_recovered_note_when_its_note_changed_or_is_gone(
    store: Store, db_path: Path
) -> None:
    acme = catalog.accounts.create(store, {"name": "Acme"}).id
    note = notes.create_note(store, {"account_id": acme, "occurred_at": WHEN, "body": "old"})
    notes.save_note(store, note.id, {"body": "changed elsewhere"}, note.version)
    note_recovery.keep(
        db_path, [unsaved(acme, "mine", note.id, note.version), unsaved(acme, "gone", 99999, 1)]
    )
    restored = [note_recovery.restore(store, item) for item in note_recovery.pending(db_path)]
    assert note.id not in restored
    details = [notes.note_detail(store, i).note for i in restored]
    assert sorted(d.body for d in details) == ["gone", "mine"]
    assert all(d.title == "Recovered: Kickoff" for d in details)
    assert notes.note_detail(store, note.id).note.body == "changed elsewhere"


def test_a_new_note_comes_back_as_a_new_note_and_discard_forgets(
    store: Store, db_path: Path
) -> None:
    acme = catalog.accounts.create(store, {"name": "Acme"}).id
    note_recovery.keep(db_path, [unsaved(acme, "fresh"), unsaved(acme, "unwanted")])
    fresh, unwanted = sorted(note_recovery.pending(db_path), key=lambda k: k.body)
    note_recovery.discard(unwanted)
    restored = notes.note_detail(store, note_recovery.restore(store, fresh)).note
    assert (restored.title, restored.body) == ("Kickoff", "fresh")
    assert note_recovery.pending(db_path) == []
