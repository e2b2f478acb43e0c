"""E-mail and contact capture (issue 19) on hand-written .eml and .vcf fixtures."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from am_desktop.domain.enums import NoteKind
from am_desktop.services import catalog, notes
from am_desktop.services.capture import CaptureStatus, capture_files
from am_desktop.services.store import Store

DATA = Path(__file__).parents[2] / "data" / "mail"
ME = "maya@ours.example"


@pytest.fixture
def accounts(store: Store) -> dict[str, int]:
    acme = catalog.accounts.create(store, {"name": "Acme", "domain": "acme.com"}).id
    globex = catalog.accounts.create(store, {"name": "Globex", "domain": "globex.com"}).id
    return {"acme": acme, "globex": globex}


def files(*names: str) -> list[Path]:
    return [DATA / name for name in names]


def test_an_email_becomes_a_note_on_its_contacts_account(
    store: Store, accounts: dict[str, int]
) -> None:
    bob = catalog.contacts.create(
        store, {"account_id": accounts["acme"], "last_name": "Stone", "email": "bob@acme.com"}
    ).id

    result = capture_files(store, files("with_attachment.eml"), my_email=ME)

    (line,) = result.lines
    assert line.status is CaptureStatus.ADDED, line.sentence
    assert line.sentence == "E-mail note added to Acme."
    detail = notes.note_detail(store, line.record_id or 0)
    assert detail.note.kind is NoteKind.EMAIL
    assert detail.note.title == "Renewal pricing"
    assert detail.note.occurred_at == datetime(2026, 12, 2, 13, 30, tzinfo=UTC)
    assert detail.note.message_id == "<renewal-1@acme.com>"
    assert [a.contact_id for a in detail.attendees] == [bob]
    assert "From: Ann Lee <ann@acme.com>" in detail.note.body
    assert "Attachments (not stored): Quote 2027.pdf" in detail.note.body
    assert "could you send the renewal quote" in detail.note.body
    assert catalog.contacts.get(store, bob).last_contacted_at == detail.note.occurred_at


def test_duplicates_internal_mail_and_unknown_domains_are_skipped_with_why(
    store: Store, accounts: dict[str, int], tmp_path: Path
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("with_attachment.eml", "duplicate.eml", "internal.eml", "not_mail.eml"):
        shutil.copy(DATA / name, folder / name)
    (folder / "notes.txt").write_text("not mail")  # a folder's other files are left alone

    result = capture_files(store, [folder], my_email=ME)

    by_file = {line.source: line for line in result.lines}
    assert set(by_file) == {
        "with_attachment.eml",
        "duplicate.eml",
        "internal.eml",
        "not_mail.eml",
    }
    # a folder is read in name order: duplicate.eml first, then the same Message-ID again;
    # no contact known, the account comes from the outside domain (acme.com, the sender's)
    assert by_file["duplicate.eml"].account_id == accounts["acme"]
    assert by_file["with_attachment.eml"].sentence == "Already imported (same Message-ID)."
    assert by_file["internal.eml"].sentence.startswith("Internal mail: every address is at")
    assert "not an e-mail" in by_file["not_mail.eml"].sentence
    assert result.summary() == "1 added, 3 skipped."
    assert len(notes.list_notes(store, notes.NoteFilter())) == 1


def test_a_badly_encoded_mail_is_read_and_the_repair_said(
    store: Store, accounts: dict[str, int]
) -> None:
    (line,) = capture_files(store, files("bad_encoding.eml"), my_email=ME).lines
    assert line.status is CaptureStatus.ADDED
    assert line.account_id == accounts["globex"]
    assert "read as Windows-1252" in line.sentence
    assert "MIME structure is damaged" in line.sentence
    note = notes.note_detail(store, line.record_id or 0).note
    assert note.title == "Café meeting"
    assert "Le café est prêt € 10." in note.body


def test_mail_with_no_account_to_go_to_is_skipped(store: Store) -> None:
    (line,) = capture_files(store, files("with_attachment.eml"), my_email=ME).lines
    assert line.status is CaptureStatus.SKIPPED
    assert line.sentence == (
        "No contact or account matches its addresses (acme.com, sub.globex.com)."
    )


def test_cards_update_a_match_add_new_contacts_and_skip_the_rest(
    store: Store, accounts: dict[str, int]
) -> None:
    bob = catalog.contacts.create(
        store,
        {
            "account_id": accounts["acme"],
            "last_name": "Stone",
            "email": "bob@acme.com",
            "title": "IT lead",  # typed by the AM: kept
        },
    ).id

    result = capture_files(store, files("contacts.vcf", "broken.vcf"))

    lines = {line.source: line for line in result.lines}
    matched = lines["contacts.vcf: Bob Stone"]
    assert matched.status is CaptureStatus.UPDATED
    assert matched.sentence == "Matches the contact Bob Stone (filled in first name, phone)."
    updated = catalog.contacts.get(store, bob)
    assert (updated.first_name, updated.phone, updated.title) == ("Bob", "+1 555 0101", "IT lead")
    new = lines["contacts.vcf: Dana Wu"]
    assert (new.status, new.account_id) == (CaptureStatus.ADDED, accounts["globex"])
    dana = catalog.contacts.get(store, new.record_id or 0)
    assert (dana.first_name, dana.last_name, dana.email, dana.title) == (
        "Dana",
        "Wu",
        "dana@globex.com",
        "CFO",
    )
    nobody = lines["contacts.vcf: Eve Nobody"]
    assert nobody.status is CaptureStatus.SKIPPED
    assert "No account has the domain of its address (unknown.example)" in nobody.sentence
    assert lines["contacts.vcf: No Mail"].sentence == "It has no e-mail address to match it by."
    assert lines["broken.vcf: Fine Card"].status is CaptureStatus.ADDED
    assert "not a readable vCard" in lines["broken.vcf"].sentence
    # importing again changes nothing
    again = capture_files(store, files("contacts.vcf"))
    assert again.count(CaptureStatus.ADDED) == 0
    assert again.count(CaptureStatus.UNCHANGED) == 2


def test_mail_within_the_managers_company_and_its_subdomains_is_internal(
    store: Store, tmp_path: Path
) -> None:
    """The same rule as the calendar's: a colleague at eu.ours.example is not a customer."""
    mail = tmp_path / "colleague.eml"
    mail.write_text(
        "From: Maya Patel <maya@ours.example>\n"
        "To: Lars <lars@eu.ours.example>\n"
        "Subject: Handover\n"
        "Message-ID: <handover@ours.example>\n"
        "Date: Wed, 02 Dec 2026 11:00:00 +0000\n\nSee you.\n",
        encoding="utf-8",
    )
    (line,) = capture_files(store, [mail], my_email=ME).lines
    assert line.status is CaptureStatus.SKIPPED
    assert line.sentence.startswith("Internal mail")
