"""Full-text search over every note: ranked by relevance and recency, with snippets (issue 5).

The index (migration 0003) keys each note by its time, newest highest. Ranking every match by
BM25 costs a full pass over a common word's matches (a fifth of a million notes); instead the
search reads the newest matches in the index's own order, a window at a time, scores only
those by BM25 and a recency half-life, and stops when the window is full. A rare word's
matches all fit in one window, so its ranking is exact; a common word's best answers are
among its recent matches anyway, which is what an account manager looks for.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from am_desktop.db.connection import datetime_from_db
from am_desktop.domain.enums import NoteKind
from am_desktop.domain.search_query import Term, fts_expression, parse_terms, snippet, to_fts
from am_desktop.services.store import Store

#: Ids are the index key modulo this (see migration 0003).
KEY_SPAN = 100_000_000
#: How many of the newest matches are scored.
WINDOW = 1000
#: A match this many days old counts half as much as one from today, relevance being equal.
HALF_LIFE_DAYS = 365
#: Marks around a matched word in a snippet (the window turns them into bold, the CLI into [ ]).
MARK_START, MARK_END = "\x02", "\x03"
#: Title matches weigh more than body matches.
_WEIGHTS = (4.0, 1.0)
_SNIPPET_WORDS = 14


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A note that matches, with the words around the match."""

    note_id: int
    account_id: int
    account_name: str
    kind: NoteKind
    occurred_at: datetime
    title: str | None
    snippet: str
    score: float

    def snippet_text(self, start: str = "[", end: str = "]") -> str:
        """The snippet with matches marked by ``start``/``end`` (plain text)."""
        return self.snippet.replace(MARK_START, start).replace(MARK_END, end)


@dataclass(frozen=True, slots=True)
class SearchResults:
    """What a search found; ``message`` says why nothing was searched, when nothing was."""

    hits: tuple[SearchHit, ...]
    message: str = ""


def search_notes(
    store: Store,
    query: str,
    *,
    account_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 20,
    prefix_last: bool = False,
    today: date | None = None,
) -> SearchResults:
    """The best ``limit`` notes for ``query``, most relevant and recent first.

    Args:
        query: words, "phrases", prefix* and OR, as a person types them; anything else is
            read as plain words (never an error).
        prefix_last: the last word is still being typed.
    """
    terms = parse_terms(query, prefix_last=prefix_last)
    if not terms:
        return SearchResults((), "Type a word to search your notes.")
    expression = fts_expression(terms)
    bounds = _Bounds(
        upper=_key(until + timedelta(days=1)) if until else None,
        lower=_key(since) if since else None,
        now=datetime.combine(today or date.today(), time(23, 59), UTC).timestamp(),
    )
    with store.raw() as connection:
        if account_id is not None:
            scored = _scored_account(connection, expression, account_id, bounds)
        else:
            scored = _scored_window(connection, expression, bounds)
        best = sorted(scored, key=lambda pair: pair[1], reverse=True)[:limit]
        return SearchResults(_hits(connection, terms, best))


def _key(day: date) -> int:
    """The smallest index key of a day (local calendar)."""
    seconds = int(datetime.combine(day, time()).astimezone(UTC).timestamp())
    return seconds * KEY_SPAN


def _score(key: int, bm25: float, now: float) -> float:
    """Relevance (BM25, higher is better) halved for every HALF_LIFE_DAYS of age."""
    age_days = max(0.0, (now - key // KEY_SPAN) / 86_400)
    return -bm25 * math.pow(0.5, age_days / HALF_LIFE_DAYS)


@dataclass(frozen=True, slots=True)
class _Bounds:
    """The keys a search may return (``lower`` <= key < ``upper``) and the time it runs at."""

    upper: int | None
    lower: int | None
    now: float

    def holds(self, key: int) -> bool:
        return (self.upper is None or key < self.upper) and (
            self.lower is None or key >= self.lower
        )


def _scored_account(
    connection: sqlite3.Connection, expression: str, account_id: int, bounds: _Bounds
) -> list[tuple[int, float]]:
    """(key, score) of every match among one account's notes: a few hundred keys at most."""
    keys = [
        int(datetime_from_db(occurred_at).timestamp()) * KEY_SPAN + note_id % KEY_SPAN
        for note_id, occurred_at in connection.execute(
            "SELECT id, occurred_at FROM note WHERE account_id = ? AND archived_at IS NULL",
            (account_id,),
        )
    ]
    keys = [key for key in keys if bounds.holds(key)]
    found: list[tuple[int, float]] = []
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        rows = connection.execute(
            f"SELECT rowid, bm25(note_fts, {_WEIGHTS[0]}, {_WEIGHTS[1]}) FROM note_fts "
            f"WHERE note_fts MATCH ? AND rowid IN ({','.join('?' * len(chunk))})",
            [expression, *chunk],
        ).fetchall()
        found.extend((key, _score(key, bm25, bounds.now)) for key, bm25 in rows)
    return found


def _scored_window(
    connection: sqlite3.Connection, expression: str, bounds: _Bounds
) -> list[tuple[int, float]]:
    """(key, score) of the newest live matches within the filters, up to WINDOW of them."""
    found: list[tuple[int, float]] = []
    cursor, lower = bounds.upper, bounds.lower
    while len(found) < WINDOW:
        where, params = "", list[object]([expression])
        if cursor is not None:
            where += " AND rowid < ?"
            params.append(cursor)
        if lower is not None:
            where += " AND rowid >= ?"
            params.append(lower)
        rows = connection.execute(
            f"SELECT rowid, bm25(note_fts, {_WEIGHTS[0]}, {_WEIGHTS[1]}) FROM note_fts "
            f"WHERE note_fts MATCH ?{where} ORDER BY rowid DESC LIMIT {WINDOW}",
            params,
        ).fetchall()
        if not rows:
            break
        live = _live(connection, [key for key, _ in rows])
        found.extend(
            (key, _score(key, bm25, bounds.now)) for key, bm25 in rows if key % KEY_SPAN in live
        )
        if len(rows) < WINDOW:
            break
        cursor = rows[-1][0]
    return found


def _live(connection: sqlite3.Connection, keys: list[int]) -> set[int]:
    """The ids among these keys' notes that are not archived."""
    ids = [key % KEY_SPAN for key in keys]
    sql = f"SELECT id FROM note WHERE id IN ({','.join('?' * len(ids))}) AND archived_at IS NULL"
    return {row[0] for row in connection.execute(sql, ids)}


def _hits(
    connection: sqlite3.Connection, terms: list[Term | str], best: list[tuple[int, float]]
) -> tuple[SearchHit, ...]:
    if not best:
        return ()
    ids = [key % KEY_SPAN for key, _ in best]
    notes = {
        row[0]: row[1:]
        for row in connection.execute(
            "SELECT n.id, n.account_id, a.name, n.kind, n.occurred_at, n.title, n.body FROM note n "
            f"JOIN account a ON a.id = n.account_id WHERE n.id IN ({','.join('?' * len(ids))})",
            ids,
        )
    }
    hits = []
    for key, score in best:
        note = notes.get(key % KEY_SPAN)
        if note is None:
            continue
        account, name, kind, occurred_at, title, body = note
        hits.append(
            SearchHit(
                key % KEY_SPAN,
                account,
                name,
                NoteKind(kind),
                datetime_from_db(occurred_at),
                title,
                snippet(body or "", terms, words=_SNIPPET_WORDS, marks=(MARK_START, MARK_END)),
                score,
            )
        )
    return tuple(hits)


def search_naive(store: Store, query: str, limit: int = 20) -> list[int]:
    """The plain way, for the benchmark's baseline: BM25 over every match, then the best."""
    expression = to_fts(query)
    if expression is None:
        return []
    with store.raw() as connection:
        rows = connection.execute(
            "SELECT rowid FROM note_fts WHERE note_fts MATCH ? ORDER BY rank LIMIT ?",
            (expression, limit),
        ).fetchall()
    return [key % KEY_SPAN for (key,) in rows]
