"""The pre-call brief read for a planted account (issue 19): each section, ours/theirs, the
agenda, dashes for missing data, the files, and Today's meetings at local day boundaries."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from am_desktop.domain.brief_document import brief_document
from am_desktop.exports.brief import markdown, to_html, write_brief
from am_desktop.services import catalog, health, notes
from am_desktop.services.brief import meeting_on, read_brief
from am_desktop.services.store import Store
from am_desktop.services.today import today_lists

TODAY = date(2026, 11, 22)


@pytest.fixture
def planted(store: Store) -> dict[str, int]:
    """Acme: a contract in its notice window, contacts, notes with items of both sides, an
    issue, an opportunity and a meeting tomorrow."""
    acme = catalog.accounts.create(store, {"name": "Acme", "domain": "acme.test", "tier": "key"}).id
    contract = catalog.contracts.create(
        store,
        {"account_id": acme, "name": "Platform", "start_date": TODAY - timedelta(days=300),
         "end_date": TODAY + timedelta(days=60), "arr_cents": 12_000_000, "notice_days": 45},
    )  # fmt: skip
    catalog.renewals.create(store, {"contract_id": contract.id, "stage": "proposal"})
    dana = catalog.contacts.create(
        store,
        {"account_id": acme, "first_name": "Dana", "last_name": "Reyes", "email": "dana@acme.test",
         "role": "champion", "sentiment": "supporter", "title": "Head of Operations"},
    )  # fmt: skip
    catalog.contacts.create(
        store,
        {"account_id": acme, "first_name": "Omar", "last_name": "Khan", "role": "user"},
    )
    catalog.escalations.create(
        store,
        {"account_id": acme, "title": "Sync outage", "opened_on": TODAY - timedelta(days=5),
         "severity": "high"},
    )  # fmt: skip
    catalog.escalations.create(
        store,
        {"account_id": acme, "title": "Typo in export", "opened_on": TODAY - timedelta(days=9),
         "severity": "low"},
    )  # fmt: skip
    catalog.opportunities.create(
        store, {"account_id": acme, "name": "Analytics add-on", "amount_cents": 2_500_000}
    )
    for day, title in ((10, "Kick-off"), (6, "Pricing call"), (3, "Security review"),
                       (1, "Weekly sync")):  # fmt: skip
        notes.create_note(
            store,
            {"account_id": acme, "title": title, "kind": "call",
             "occurred_at": datetime(2026, 11, 22 - day, 15, tzinfo=UTC),
             "body": f"{title} went well.\nSecond line.\nThird line.\nFourth line.\n"},
        )  # fmt: skip
    notes.create_note(
        store,
        {"account_id": acme, "title": "Items", "kind": "note",
         "occurred_at": datetime(2020, 1, 1, tzinfo=UTC),
         "body": "- [ ] Send the security questionnaire @dana due:2026-11-15\n"
                 "- [ ] Prepare the renewal quote @maya due:2026-11-18\n"
                 "- [ ] Book the training @maya due:2026-12-10\n"},
    )  # fmt: skip
    meeting = notes.create_note(
        store,
        {"account_id": acme, "title": "Renewal meeting", "kind": "meeting",
         "occurred_at": datetime(2099, 1, 1, 14, tzinfo=UTC), "body": ""},
        [dana.id],
    )  # fmt: skip
    return {"acme": acme, "meeting": meeting.id, "dana": dana.id}


def test_the_brief_of_a_planted_account_holds_each_section(
    store: Store, planted: dict[str, int]
) -> None:
    health.compute_all(store, TODAY, account_ids=[planted["acme"]])
    brief = read_brief(store, planted["acme"], TODAY)
    assert brief.renewal is not None
    assert brief.renewal.end_date == TODAY + timedelta(days=60)
    assert brief.renewal.notice_deadline == TODAY + timedelta(days=15)
    assert brief.health_score is not None and brief.health_factors
    assert all(f.why for f in brief.health_factors)
    assert [n.title for n in brief.notes] == ["Weekly sync", "Security review", "Pricing call"]
    assert brief.notes[0].lines == ("Weekly sync went well.", "Second line.", "Third line.")
    assert [(a.text, a.owner) for a in brief.theirs] == [
        ("Send the security questionnaire", "Dana Reyes")
    ]
    assert [a.text for a in brief.ours] == ["Prepare the renewal quote", "Book the training"]
    assert [i.title for i in brief.issues] == ["Sync outage", "Typo in export"]
    assert [p.name for p in brief.people] == ["Dana Reyes"]  # the key contacts, by role
    assert any("economic buyer" in g.message for g in brief.gaps)
    assert [o.name for o in brief.opportunities] == ["Analytics add-on"]


def test_the_agenda_puts_their_overdue_items_first_then_renewal_issue_gap(
    store: Store, planted: dict[str, int]
) -> None:
    agenda = read_brief(store, planted["acme"], TODAY).agenda
    assert agenda[0].startswith("Their overdue item: Send the security questionnaire")
    assert agenda[1].startswith("The renewal: notice by 7 Dec 2026")
    assert agenda[2] == "Open issue: Sync outage (high, open since 17 Nov 2026)"
    assert agenda[3].startswith("Coverage: No economic buyer identified.")
    assert agenda[4].startswith("Our overdue item: Prepare the renewal quote")
    assert agenda[5].startswith("Expansion: Analytics add-on")


def test_a_meeting_brief_lists_its_attendees_and_leaves_its_own_note_out(
    store: Store, planted: dict[str, int]
) -> None:
    brief = read_brief(store, planted["acme"], TODAY, note_id=planted["meeting"])
    assert brief.meeting is not None and brief.meeting.title == "Renewal meeting"
    assert brief.title == "Pre-call brief: Acme — Renewal meeting"
    person = brief.people[0]
    assert (person.name, person.title) == ("Dana Reyes", "Head of Operations")
    assert "Renewal meeting" not in [n.title for n in brief.notes]
    document = brief_document(brief)
    assert [s.heading for s in document.sections][3] == "Attendees"


def test_missing_data_reads_as_a_dash(store: Store) -> None:
    empty = catalog.accounts.create(store, {"name": "Blank", "tier": "standard"}).id
    brief = read_brief(store, empty, TODAY)
    text = markdown(brief_document(brief))
    assert "- **ARR:** $0" in text  # the ledger says nothing: nothing is recurring
    for label in ("Renewal date", "Notice deadline", "Renewal stage"):
        assert f"- **{label}:** —" in text
    assert "- **Score:** —" in text
    assert "_No notes yet._" in text
    assert brief.agenda[0].startswith("Coverage: No contacts yet.")


def test_files_are_markdown_html_without_external_references_and_pdf(
    store: Store, planted: dict[str, int], tmp_path: Path
) -> None:
    brief = read_brief(store, planted["acme"], TODAY)
    html = to_html(brief_document(brief))
    assert not re.search(r"(src|href)\s*=|<link|<script|@import|url\(", html, re.IGNORECASE)
    assert "<h2>Suggested agenda</h2>" in html
    md = write_brief(brief, tmp_path / "acme.md").read_text(encoding="utf-8")
    assert md.startswith("# Pre-call brief: Acme\n")
    assert "| Send the security questionnaire | Dana Reyes | 15 Nov 2026 (overdue) |" in md
    assert (write_brief(brief, tmp_path / "acme.html")).read_text(encoding="utf-8") == html
    pdf = write_brief(brief, tmp_path / "acme.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
    assert not list(tmp_path.glob("*.part"))  # written whole


@pytest.fixture
def new_york() -> Iterator[None]:
    """The local time zone is New York (UTC−5 in November) for the test."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.mark.usefixtures("new_york")
def test_todays_meetings_are_today_and_tomorrow_in_local_time(
    store: Store, planted: dict[str, int]
) -> None:
    acme = planted["acme"]

    def meeting(title: str, at: datetime, kind: str = "meeting") -> None:
        notes.create_note(
            store, {"account_id": acme, "title": title, "kind": kind, "occurred_at": at}
        )

    # Local midnight of 22 Nov is 05:00 UTC; of 24 Nov, 05:00 UTC.
    meeting("Late yesterday", datetime(2026, 11, 22, 4, 59, tzinfo=UTC))
    meeting("First today", datetime(2026, 11, 22, 5, 0, tzinfo=UTC))
    meeting("A call, not a meeting", datetime(2026, 11, 22, 15, tzinfo=UTC), "call")
    meeting("Last tomorrow", datetime(2026, 11, 24, 4, 59, tzinfo=UTC))
    meeting("The day after", datetime(2026, 11, 24, 5, 0, tzinfo=UTC))
    lists = today_lists(store, TODAY)
    assert [m.title for m in lists.meetings] == ["First today", "Last tomorrow"]
    assert lists.totals["meetings"] == 2
    assert lists.meetings[0].account == "Acme"
    assert meeting_on(store, acme, TODAY) is not None
    assert meeting_on(store, acme, date(2026, 11, 25)) is None


def test_a_meetings_attendees_are_listed_by_name(store: Store, planted: dict[str, int]) -> None:
    notes.create_note(
        store,
        {"account_id": planted["acme"], "title": "Sync", "kind": "meeting",
         "occurred_at": datetime(2026, 11, 22, 18, tzinfo=UTC)},
        [planted["dana"]],
    )  # fmt: skip
    (meeting,) = today_lists(store, TODAY).meetings
    assert meeting.attendees == ("Dana Reyes",)
