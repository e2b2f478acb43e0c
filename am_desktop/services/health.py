"""Health scores: computed for every account from what is stored, kept as snapshots (issue 7).

Each recomputation adds a snapshot per account (the trend charts read them); the account
list shows the latest. The inputs are read in a few plain SQL passes, so all 10,000
accounts of the large seed score in seconds on a worker.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from am_desktop.db.connection import datetime_from_db, datetime_to_db
from am_desktop.domain.contact_graph import ContactGraph, ContactNode
from am_desktop.domain.coverage import coverage_warnings
from am_desktop.domain.enums import ContactRole, Sentiment, Severity, SurveyKind
from am_desktop.domain.health import DEFAULT_BANDS, Health, HealthInputs, score
from am_desktop.domain.ids import AccountId, ContactId
from am_desktop.services.store import Store

#: The id of an account's newest snapshot (``{when}``: an extra condition on computed_at).
#: One index seek an account, whatever the length of the history (10,000 rows a day).
LATEST_SNAPSHOT = (
    "(SELECT id FROM health_snapshot WHERE account_id = a.id {when} "
    "ORDER BY computed_at DESC, id DESC LIMIT 1)"
)


def compute_all(
    store: Store,
    today: date,
    *,
    account_ids: Sequence[int] | None = None,
    weights: Mapping[str, float] | None = None,
    bands: tuple[float, float] = DEFAULT_BANDS,
) -> dict[int, Health]:
    """Score every live account (or those given) and store a snapshot of each."""
    with store.raw(write=True) as connection:
        where = "archived_at IS NULL"
        params: list[object] = []
        if account_ids is not None:
            where += f" AND id IN ({','.join('?' * len(account_ids))})"
            params = list(account_ids)
        accounts = connection.execute(
            f"SELECT id, name, checkin_cadence_days, last_touch_at FROM account WHERE {where}",
            params,
        ).fetchall()
        wanted = {row[0] for row in accounts}
        contacts: dict[int, list[ContactNode]] = defaultdict(list)
        for row in connection.execute(
            "SELECT id, account_id, first_name, last_name, title, role, sentiment, influence, "
            "last_contacted_at, reports_to_id FROM contact "
            "WHERE archived_at IS NULL AND left_on IS NULL"  # who left covers nothing
        ):
            contact_id, account, first, last, title, role, sentiment, influence, touched, boss = row
            if account in wanted:
                contacts[account].append(
                    ContactNode(
                        ContactId(contact_id),
                        f"{first} {last}" if first else last,
                        title=title,
                        role=ContactRole(role) if role else None,
                        sentiment=Sentiment(sentiment) if sentiment else None,
                        influence=influence,
                        last_contacted_at=datetime_from_db(touched) if touched else None,
                        reports_to_id=ContactId(boss) if boss else None,
                    )
                )
        surveys = _latest(
            connection.execute(
                "SELECT account_id, kind, score FROM survey_response WHERE archived_at IS NULL "
                "ORDER BY account_id, responded_on, id"
            )
        )
        samples = _latest(
            connection.execute(
                "SELECT account_id, active_users, licensed_seats FROM usage_sample "
                "WHERE archived_at IS NULL ORDER BY account_id, sampled_on, id"
            )
        )
        issues: dict[int, list[Severity]] = defaultdict(list)
        for account, severity in connection.execute(
            "SELECT account_id, severity FROM escalation WHERE archived_at IS NULL "
            "AND status <> 'resolved'"
        ):
            issues[account].append(Severity(severity))
        results: dict[int, Health] = {}
        now = datetime_to_db(datetime.now(UTC))
        rows = []
        for account, name, cadence, touched in accounts:
            people = contacts.get(account, [])
            graph = ContactGraph(AccountId(account), name, cadence, tuple(people))
            survey = surveys.get(account)
            sample = samples.get(account)
            inputs = HealthInputs(
                today=today,
                cadence_days=cadence,
                last_touch=datetime_from_db(touched).astimezone().date() if touched else None,
                sentiments=[p.sentiment for p in people],
                coverage_warnings=len(coverage_warnings(graph, today)) if people else 0,
                latest_survey=(SurveyKind(survey[0]), int(survey[1])) if survey else None,
                usage=(int(sample[0]), int(sample[1])) if sample else None,
                open_issues=issues.get(account, []),
            )
            health = score(inputs, weights, bands)
            results[account] = health
            if health.score is not None and health.band is not None:
                rows.append((account, now, health.score, health.band.value, _explained(health)))
        connection.executemany(
            "INSERT INTO health_snapshot (account_id, computed_at, score, band, components) "
            "VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        return results


def _latest(rows: Iterable[Sequence[Any]]) -> dict[int, tuple[Any, ...]]:
    """The last row of each account (rows come ordered by account, then date)."""
    return {row[0]: tuple(row[1:]) for row in rows}


def _explained(health: Health) -> str:
    return json.dumps(
        [
            {"key": c.key, "value": c.value, "weight": c.weight, "why": c.why}
            for c in health.components
        ]
    )


def stale(store: Store, today: date) -> bool:
    """Whether no score was computed today (the app recomputes once a day)."""
    with store.raw() as connection:
        last = connection.execute("SELECT max(computed_at) FROM health_snapshot").fetchone()[0]
    return last is None or datetime_from_db(last).astimezone().date() < today


def unscored(store: Store, today: date) -> list[int]:
    """Live accounts without a score computed today: those that arrived after the day's
    scoring (an import, the demo portfolio, a sync)."""
    midnight = datetime.combine(today, datetime.min.time()).astimezone(UTC)
    with store.raw() as connection:
        rows = connection.execute(
            "SELECT a.id FROM account a WHERE a.archived_at IS NULL AND NOT EXISTS ("
            " SELECT 1 FROM health_snapshot h WHERE h.account_id = a.id AND h.computed_at >= ?)",
            (datetime_to_db(midnight),),
        ).fetchall()
    return [row[0] for row in rows]


def latest(store: Store, account_id: int) -> tuple[float, str, list[dict[str, object]]] | None:
    """An account's latest score, band and components (value, weight, why), or None."""
    with store.raw() as connection:
        return latest_in(connection, account_id)


def latest_in(
    connection: sqlite3.Connection, account_id: int
) -> tuple[float, str, list[dict[str, object]]] | None:
    """:func:`latest` inside a read already open (the pre-call brief reads in one go)."""
    row = connection.execute(
        "SELECT score, band, components FROM health_snapshot WHERE account_id = ? "
        "ORDER BY computed_at DESC, id DESC LIMIT 1",
        (account_id,),
    ).fetchone()
    if row is None:
        return None
    return float(row[0]), str(row[1]), list(json.loads(row[2]))


def trend(
    store: Store, account_id: int, limit: int = 90, *, until: date | None = None
) -> list[tuple[datetime, float]]:
    """An account's latest ``limit`` scores (computed on or before ``until``), oldest first."""
    before = (until + timedelta(days=1)).isoformat() if until is not None else "9999"
    with store.raw() as connection:
        rows = connection.execute(
            "SELECT computed_at, score FROM health_snapshot WHERE account_id = ? "
            "AND computed_at < ? ORDER BY computed_at DESC, id DESC LIMIT ?",
            (account_id, before, limit),
        ).fetchall()
    return [(datetime_from_db(when), float(value)) for when, value in reversed(rows)]
