"""The activity timeline: every kind of event, newest first, pointing at its record."""

from __future__ import annotations

from datetime import UTC, date, datetime

from am_desktop.services import catalog, notes, pipeline
from am_desktop.services.activity import account_activity
from am_desktop.services.store import Store


def test_notes_actions_opportunities_and_issues_in_date_order(store: Store) -> None:
    acme = catalog.accounts.create(store, {"name": "Acme"}).id
    note = notes.create_note(
        store,
        {
            "account_id": acme,
            "occurred_at": datetime(2026, 11, 10, 9, tzinfo=UTC),
            "title": "QBR",
            "body": "- [ ] Send deck @maya\n",
        },
    )
    issue = catalog.escalations.create(
        store, {"account_id": acme, "title": "Outage", "opened_on": date(2026, 11, 12)}
    )
    catalog.escalations.update(store, issue.id, {"resolved_on": date(2026, 11, 14)})
    deal = catalog.opportunities.create(
        store, {"account_id": acme, "name": "Add-on", "amount_cents": 500_000}
    )
    pipeline.close_opportunity(store, deal.id, won=True, on=date(2026, 11, 20))
    with store.read() as session:
        events = account_activity(session, acme)
    assert [(e.kind, e.title) for e in events] == [
        ("opportunity", "Won: Add-on"),
        ("issue", "Issue resolved: Outage"),
        ("issue", "Issue opened: Outage"),
        ("note", "QBR"),
        ("action", "To do: Send deck (maya)"),
    ]
    assert events[-1].ref_id == note.id  # an action item opens the note it came from
    assert events[-1].when == events[-2].when  # and dates from that meeting
