"""Read a pre-call brief (issue 19): one account — and, for a meeting, its attendees — in one
read of a few indexed queries, fast enough to open on a click (≤ 200 ms on the large seed).

Health is the latest stored score with its reasons (``services.health``), coverage gaps the
rules of ``domain.coverage``, ours/theirs the review decks' rule (``domain.review.whose``).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, time, timedelta

from am_desktop.db.connection import datetime_from_db, datetime_to_db
from am_desktop.domain.brief import (
    KEY_ROLES,
    LAST_NOTES,
    NOTE_LINES,
    Brief,
    BriefAction,
    BriefIssue,
    BriefMeeting,
    BriefNote,
    BriefOpportunity,
    BriefPerson,
    BriefRenewal,
    HealthFactor,
)
from am_desktop.domain.contact_graph import ContactGraph, ContactNode
from am_desktop.domain.coverage import Seniority, coverage_warnings
from am_desktop.domain.enums import (
    ContactRole,
    HealthBand,
    NoteKind,
    OpportunityKind,
    Sentiment,
    Severity,
)
from am_desktop.domain.health import LABELS
from am_desktop.domain.ids import AccountId, ContactId
from am_desktop.domain.review import customer_people, whose
from am_desktop.domain.timeline import notice_deadline
from am_desktop.errors import NotFoundError
from am_desktop.services.health import latest_in
from am_desktop.services.store import Store

#: A note line longer than this is cut (a brief recalls, it does not reprint).
LINE_CHARS = 160
#: At most this many key contacts in an account brief.
KEY_CONTACTS = 8

_CONTACTS = (
    "SELECT id, first_name, last_name, email, title, role, sentiment, influence, "
    "last_contacted_at, reports_to_id, created_at FROM contact "
    "WHERE account_id = ? AND archived_at IS NULL"
)


def read_brief(
    store: Store,
    account_id: int,
    today: date,
    *,
    note_id: int | None = None,
    senior_level: Seniority = Seniority.VP,
) -> Brief:
    """The brief for an account, or for one of its meetings (``note_id``: its attendees).

    Raises:
        NotFoundError: no such account (or the note is not one of its notes).
    """
    with store.raw() as connection:
        row = connection.execute(
            "SELECT a.name, a.domain, a.checkin_cadence_days, s.arr_cents, a.currency "
            "FROM account a "
            "LEFT JOIN account_summary s ON s.account_id = a.id WHERE a.id = ?",
            (account_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError("That account no longer exists.")
        name, domain, cadence, arr, currency = row  # ARR is in the account's currency
        meeting = _meeting(connection, account_id, note_id) if note_id is not None else None
        contacts = connection.execute(_CONTACTS, (account_id,)).fetchall()
        nodes = [_node(c) for c in contacts]
        people = customer_people((c[1], c[2], c[3]) for c in contacts)
        graph = ContactGraph(AccountId(account_id), name, cadence, tuple(nodes))
        attendees = _attendees(connection, note_id, nodes) if note_id is not None else None
        health = latest_in(connection, account_id)
        theirs, ours = _actions(connection, account_id, people)
        brief = Brief(
            account_id=account_id,
            account=name,
            domain=domain,
            today=today,
            currency=currency,
            meeting=meeting,
            arr_cents=None if arr is None else int(arr),
            renewal=_renewal(connection, account_id, today),
            health_score=health[0] if health else None,
            health_band=HealthBand(health[1]) if health else None,
            health_factors=tuple(
                HealthFactor(
                    LABELS.get(str(c.get("key")), str(c.get("key"))),
                    None if c.get("value") is None else float(str(c.get("value"))),
                    str(c.get("why") or ""),
                )
                for c in (health[2] if health else ())
            ),
            notes=_notes(connection, account_id, note_id),
            theirs=theirs,
            ours=ours,
            issues=_issues(connection, account_id),
            people=attendees if attendees is not None else _key_people(nodes),
            gaps=tuple(coverage_warnings(graph, today, senior_level)),
            opportunities=_opportunities(connection, account_id),
        )
    return brief


def meeting_on(store: Store, account_id: int, day: date) -> int | None:
    """The account's first meeting on ``day`` (local time), if any: what ``brief --date``
    prepares."""
    start, end = local_day_bounds(day)
    with store.raw() as connection:
        row = connection.execute(
            "SELECT id FROM note WHERE account_id = ? AND archived_at IS NULL AND kind = ? "
            "AND occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at, id LIMIT 1",
            (account_id, NoteKind.MEETING.value, start, end),
        ).fetchone()
    return None if row is None else int(row[0])


def local_day_bounds(first: date, days: int = 1) -> tuple[str, str]:
    """The stored (UTC) texts of local midnight on ``first`` and ``days`` later."""
    start = datetime.combine(first, time()).astimezone(UTC)
    end = datetime.combine(first + timedelta(days=days), time()).astimezone(UTC)
    return datetime_to_db(start), datetime_to_db(end)


def _meeting(connection: sqlite3.Connection, account_id: int, note_id: int) -> BriefMeeting:
    row = connection.execute(
        "SELECT title, kind, occurred_at FROM note WHERE id = ? AND account_id = ? "
        "AND archived_at IS NULL",
        (note_id, account_id),
    ).fetchone()
    if row is None:
        raise NotFoundError("That meeting is not one of this account's notes.")
    title, kind, occurred = row
    return BriefMeeting(note_id, title or NoteKind(kind).label, datetime_from_db(occurred))


def _node(row: tuple[object, ...]) -> ContactNode:
    (contact_id, first, last, email, title, role, sentiment, influence, touched, boss,
     created) = row  # fmt: skip
    return ContactNode(
        ContactId(int(str(contact_id))),
        f"{first} {last}" if first else str(last),
        title=str(title) if title else None,
        role=ContactRole(str(role)) if role else None,
        sentiment=Sentiment(str(sentiment)) if sentiment else None,
        influence=int(str(influence)) if influence is not None else None,
        last_contacted_at=datetime_from_db(str(touched)) if touched else None,
        reports_to_id=ContactId(int(str(boss))) if boss else None,
        email=str(email) if email else None,
        added_at=datetime_from_db(str(created)) if created else None,
    )


def _person(node: ContactNode) -> BriefPerson:
    return BriefPerson(node.name, node.title, node.role, node.sentiment, node.last_contacted_at)


def _attendees(
    connection: sqlite3.Connection, note_id: int, nodes: list[ContactNode]
) -> tuple[BriefPerson, ...]:
    """The meeting's attendees: the contacts among them first (by role), then the addresses
    not matched to a contact."""
    by_id = {node.id: node for node in nodes}
    known: list[ContactNode] = []
    others: list[BriefPerson] = []
    for contact_id, email in connection.execute(
        "SELECT contact_id, email FROM note_attendee WHERE note_id = ? ORDER BY id", (note_id,)
    ):
        node = by_id.get(ContactId(contact_id)) if contact_id is not None else None
        if node is not None:
            known.append(node)
        elif email:
            others.append(BriefPerson(str(email)))
    known.sort(key=lambda node: node.sort_key)
    return tuple(_person(node) for node in known) + tuple(others)


def _key_people(nodes: list[ContactNode]) -> tuple[BriefPerson, ...]:
    """The key contacts (by role); an account without any lists its latest contacted."""
    key = sorted((n for n in nodes if n.role in KEY_ROLES), key=lambda node: node.sort_key)
    if not key:
        key = sorted(
            nodes,
            key=lambda n: (
                n.last_contacted_at is None,
                -(n.last_contacted_at or _EPOCH).timestamp(),
            ),
        )
    return tuple(_person(node) for node in key[:KEY_CONTACTS])


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _renewal(connection: sqlite3.Connection, account_id: int, today: date) -> BriefRenewal | None:
    row = connection.execute(
        "SELECT coalesce(c.name, 'Contract ending ' || c.end_date), c.end_date, c.notice_days, "
        "c.arr_cents, c.currency, r.stage FROM contract c JOIN renewal r ON r.contract_id = c.id "
        "WHERE c.account_id = ? AND c.archived_at IS NULL AND r.archived_at IS NULL "
        "AND c.end_date >= ? AND r.stage NOT IN ('renewed', 'churned') "
        "ORDER BY c.end_date, c.id LIMIT 1",
        (account_id, today.isoformat()),
    ).fetchone()
    if row is None:
        return None
    contract, ends, notice, arr, currency, stage = row
    end = date.fromisoformat(ends)
    return BriefRenewal(contract, end, notice_deadline(end, notice), int(arr), currency, stage)


def _notes(
    connection: sqlite3.Connection, account_id: int, meeting_id: int | None
) -> tuple[BriefNote, ...]:
    """The last notes written (planned meetings still to come, and this one, left out)."""
    now = datetime_to_db(datetime.now(UTC))
    rows = connection.execute(
        "SELECT title, kind, occurred_at, substr(body, 1, 2000) FROM note "
        "WHERE account_id = ? AND archived_at IS NULL AND occurred_at <= ? AND id IS NOT ? "
        "ORDER BY occurred_at DESC, id DESC LIMIT ?",
        (account_id, now, meeting_id, LAST_NOTES),
    )
    return tuple(
        BriefNote(
            title or NoteKind(kind).label,
            datetime_from_db(occurred),
            _first_lines(body),
        )
        for title, kind, occurred, body in rows
    )


def _first_lines(body: str) -> tuple[str, ...]:
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    return tuple(
        line if len(line) <= LINE_CHARS else line[: LINE_CHARS - 1] + "…"
        for line in lines[:NOTE_LINES]
    )


def _actions(
    connection: sqlite3.Connection, account_id: int, people: dict[str, str]
) -> tuple[tuple[BriefAction, ...], tuple[BriefAction, ...]]:
    """Open action items, soonest due first, split theirs / ours."""
    theirs: list[BriefAction] = []
    ours: list[BriefAction] = []
    for text, owner, due in connection.execute(
        "SELECT text, owner, due_date FROM action_item WHERE account_id = ? "
        "AND archived_at IS NULL AND status = 'open' ORDER BY due_date IS NULL, due_date, id",
        (account_id,),
    ):
        who, is_theirs = whose(owner, people)
        item = BriefAction(text, who, date.fromisoformat(due) if due else None)
        (theirs if is_theirs else ours).append(item)
    return tuple(theirs), tuple(ours)


def _issues(connection: sqlite3.Connection, account_id: int) -> tuple[BriefIssue, ...]:
    return tuple(
        BriefIssue(title, Severity(severity), date.fromisoformat(opened))
        for title, severity, opened in connection.execute(
            "SELECT title, severity, opened_on FROM escalation WHERE account_id = ? "
            "AND archived_at IS NULL AND status <> 'resolved' ORDER BY CASE severity "
            "WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, "
            "opened_on, id",
            (account_id,),
        )
    )


def _opportunities(connection: sqlite3.Connection, account_id: int) -> tuple[BriefOpportunity, ...]:
    return tuple(
        BriefOpportunity(
            name,
            OpportunityKind(kind).label,
            stage,
            int(amount),
            int(probability),
            date.fromisoformat(close) if close else None,
            currency,
        )
        for name, kind, stage, amount, probability, close, currency in connection.execute(
            "SELECT name, kind, stage, amount_cents, probability, close_date, currency "
            "FROM opportunity "
            "WHERE account_id = ? AND archived_at IS NULL AND stage NOT IN ('won', 'lost') "
            "ORDER BY close_date IS NULL, close_date, id",
            (account_id,),
        )
    )
