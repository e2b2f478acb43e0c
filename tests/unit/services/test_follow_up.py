"""A follow-up draft from a note (issue 19): the .eml's headers, recipients, recap and
X-Unsent, and the note's follow_up_at."""

from __future__ import annotations

import email
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path

from am_desktop.services import catalog, notes
from am_desktop.services.follow_up import draft_follow_up
from am_desktop.services.store import Store

WHEN = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
NOW = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)


def read(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_the_draft_goes_to_the_attendees_with_the_recap_and_items(
    store: Store, tmp_path: Path
) -> None:
    acme = catalog.accounts.create(store, {"name": "Acme"}).id
    ann = catalog.contacts.create(
        store,
        {"account_id": acme, "first_name": "Ann", "last_name": "Lee", "email": "ann@acme.com"},
    ).id
    bob = catalog.contacts.create(
        store, {"account_id": acme, "last_name": "Stone"}
    ).id  # no address
    body = (
        "Talked renewal and the new SSO module.\n"
        "- [ ] Send pricing @me due:2026-12-20\n"
        "- [x] Share the roadmap @ann\n"
        "Next: QBR in January.\n"
    )
    note = notes.create_note(
        store,
        {"account_id": acme, "occurred_at": WHEN, "title": "Renewal call", "body": body},
        [ann, bob],
    )

    draft = draft_follow_up(
        store, note.id, folder=tmp_path / "drafts", sender="maya@ours.example", now=NOW
    )

    assert draft.path.parent == tmp_path / "drafts" and draft.path.suffix == ".eml"
    assert draft.path.name == "2026-12-02 Follow-up Renewal call.eml"
    assert b"\r\n" in draft.path.read_bytes()  # what mail clients expect
    message = read(draft.path)
    assert message["To"] == "Ann Lee <ann@acme.com>"
    assert message["From"] == "maya@ours.example"
    assert message["Subject"] == "Follow-up: Renewal call"
    assert message["X-Unsent"] == "1"
    text = message.get_content().replace("\r\n", "\n")
    assert text.startswith("Renewal call\n2 Dec 2026\n")
    assert "Talked renewal and the new SSO module.\nNext: QBR in January." in text
    assert "[ ]" not in text and "due:" not in text and "@me" not in text
    assert "- Send pricing — owner: me — due 20 Dec 2026" in text
    assert "- Share the roadmap — owner: ann — done" in text
    assert draft.recipients == 1
    assert draft.note.follow_up_at == NOW
    assert notes.note_detail(store, note.id).note.follow_up_at == NOW


def test_a_second_draft_gets_its_own_file(store: Store, tmp_path: Path) -> None:
    acme = catalog.accounts.create(store, {"name": "Acme"}).id
    note = notes.create_note(store, {"account_id": acme, "occurred_at": WHEN, "body": "x"})
    first = draft_follow_up(store, note.id, folder=tmp_path)
    second = draft_follow_up(store, note.id, folder=tmp_path)
    assert first.path != second.path and first.path.exists() and second.path.exists()
    assert read(second.path)["To"] is None  # nobody with an address: the user fills it in
    assert read(second.path)["Subject"] == "Follow-up: Note"
