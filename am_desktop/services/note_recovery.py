"""Notes that could not be saved when the window closed, kept in files until the next start.

A note whose save keeps failing (the write lock held by another program, a full disk, a
read-only file) must not be lost when the window closes (issue 14 item 1). Its text goes to
one JSON file per note in a folder beside the database (``<file name>.recovered-notes/``),
written atomically and readable by the owner only; the next start offers each back.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from am_desktop.errors import NotFoundError

if TYPE_CHECKING:
    from am_desktop.services.store import Store

#: What a recovered note's title starts with when it cannot go back over its own note.
RECOVERED_PREFIX = "Recovered: "


@dataclass(frozen=True)
class UnsavedNote:
    """A note's text as the editor held it.

    Attributes:
        note_id, version: the stored note and the version the text was based on
            (None: a new note never saved).
        path: the recovery file it was read from (None until kept).
    """

    account_id: int
    note_id: int | None
    version: int | None
    title: str
    kind: str
    body: str
    attendee_ids: tuple[int, ...]
    occurred_at: datetime
    when: datetime = field(default_factory=lambda: datetime.now(UTC))
    path: Path | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "account_id": self.account_id,
            "note_id": self.note_id,
            "version": self.version,
            "title": self.title,
            "kind": self.kind,
            "body": self.body,
            "attendee_ids": list(self.attendee_ids),
            "occurred_at": self.occurred_at.isoformat(),
            "when": self.when.isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict[str, object], path: Path) -> UnsavedNote:
        def number(key: str) -> int | None:
            value = data.get(key)
            return value if isinstance(value, int) else None

        account_id = number("account_id")
        occurred = data.get("occurred_at")
        body = data.get("body")
        if account_id is None or not isinstance(occurred, str) or not isinstance(body, str):
            raise ValueError("not a recovered note")
        attendees = data.get("attendee_ids")
        when = data.get("when")
        return cls(
            account_id=account_id,
            note_id=number("note_id"),
            version=number("version"),
            title=str(data.get("title") or ""),
            kind=str(data.get("kind") or "call"),
            body=body,
            attendee_ids=tuple(i for i in attendees if isinstance(i, int))
            if isinstance(attendees, list)
            else (),
            occurred_at=datetime.fromisoformat(occurred),
            when=datetime.fromisoformat(when) if isinstance(when, str) else datetime.now(UTC),
            path=path,
        )


def folder(db_path: Path) -> Path:
    """Where the recovered notes of this database are kept."""
    return db_path.with_name(f"{db_path.name}.recovered-notes")


def keep(db_path: Path, unsaved: Sequence[UnsavedNote]) -> Path:
    """Write each unsaved note to its own file beside the database; returns the folder.

    Raises OSError when the files cannot be written (the caller keeps the text elsewhere).
    """
    target = folder(db_path)
    target.mkdir(mode=0o700, exist_ok=True)
    for note in unsaved:
        name = f"{note.when.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}.json"
        _write_atomically(target / name, json.dumps(note.to_json(), ensure_ascii=False, indent=1))
    return target


def _write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".partial")
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def pending(db_path: Path) -> list[UnsavedNote]:
    """The notes kept for this database, oldest first (unreadable files are left alone)."""
    where = folder(db_path)
    if not where.is_dir():
        return []
    found: list[UnsavedNote] = []
    for path in sorted(where.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                found.append(UnsavedNote.from_json(data, path))
        except (OSError, ValueError):
            continue
    return found


def restore(store: Store, item: UnsavedNote) -> int:
    """Save a kept note for its account, then delete its file; returns the note's id.

    It goes back over its own note when that is unchanged since; otherwise (changed
    meanwhile, gone, or never saved) it becomes a new note, titled "Recovered: …" when it
    stands beside another version.
    """
    from am_desktop.services import notes  # the database layer, only when restoring
    from am_desktop.services.notes import NoteConflict

    values: dict[str, object] = {
        "title": item.title,
        "kind": item.kind,
        "occurred_at": item.occurred_at,
        "body": item.body,
    }
    record = None
    if item.note_id is not None:
        try:
            record = notes.save_note(
                store, item.note_id, values, item.version, list(item.attendee_ids)
            )
        except (NoteConflict, NotFoundError):
            values["title"] = f"{RECOVERED_PREFIX}{item.title or 'note'}"
    if record is None:
        record = notes.create_note(
            store, {"account_id": item.account_id, **values}, list(item.attendee_ids)
        )
    discard(item)
    return record.id


def discard(item: UnsavedNote) -> None:
    """Forget a kept note (its file is deleted)."""
    if item.path is not None:
        item.path.unlink(missing_ok=True)
