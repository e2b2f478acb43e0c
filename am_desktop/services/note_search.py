"""Full-text search over every note: ranked by relevance and recency, with snippets (issue 5).

The index (migration 0003) keys each note by its time, newest highest. Ranking every match by
FTS5's BM25 costs a full pass over a common word's matches (FTS5 counts them all for the
word's weight); instead the search reads the newest matches in the index's own order (a
window of them: rowids only, under a millisecond), and scores just those here, BM25-style
within the window, halved for every year of age. A rare word's matches all fit in the window,
so its ranking is complete; a common word's best answers are among its recent matches, which
is what an account manager looks for. A prefix (three letters at least) is expanded into the
index's own words that start so (cached per three-letter stem until the index changes), since
FTS5 would otherwise merge every matching word's full list before the first answer.
"""

from __future__ import annotations

import math
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from am_desktop import log
from am_desktop.db import opener
from am_desktop.db.connection import datetime_from_db
from am_desktop.domain.enums import NoteKind
from am_desktop.domain.note_text import title_from_text
from am_desktop.domain.search_query import (
    MIN_PREFIX,
    Term,
    fts_expression,
    parse_terms,
    snippet,
    to_fts,
)
from am_desktop.services.store import Store

#: Ids are the index key modulo this (see migration 0003).
KEY_SPAN = 10_000_000
#: How many of the newest matches are scored.
WINDOW = 500
#: A match this many days old counts half as much as one from today, relevance being equal.
HALF_LIFE_DAYS = 365
#: Marks around a matched word in a snippet (the window turns them into bold, the CLI into [ ]).
MARK_START, MARK_END = "\x02", "\x03"
#: A title match counts this many times a body match.
TITLE_WEIGHT = 4
#: A prefix matching more of the index's words than this is left to FTS5 as a prefix.
MAX_EXPANSION = 60
_SNIPPET_WORDS = 14
_K1, _B = 1.2, 0.75
#: Per (database, three-letter stem): the index's structure record when read, and the words.
_VOCABULARY: dict[tuple[str, str], tuple[bytes, list[str]]] = {}


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


@dataclass(frozen=True, slots=True)
class Ranking:
    """Every match of a search, best first; its hits are made a page at a time.

    Paging reads nothing (the notes are in memory), so a list can ask for its next page as it
    scrolls. ``capped``: the matches were more than WINDOW, and only the newest were ranked.
    """

    ranked: tuple[tuple[_Note, float], ...] = ()
    terms: tuple[Term | str, ...] = ()
    message: str = ""
    capped: bool = False

    @property
    def total(self) -> int:
        """How many notes matched (that were ranked)."""
        return len(self.ranked)

    def page(self, offset: int, limit: int) -> tuple[SearchHit, ...]:
        """The hits ranked ``offset`` to ``offset + limit`` (fewer at the end)."""
        terms = list(self.terms)
        chosen = self.ranked[max(0, offset) : max(0, offset) + max(0, limit)]
        return tuple(_hit(note, score, terms) for note, score in chosen)


def search_notes(
    store: Store,
    query: str,
    *,
    account_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 20,
    offset: int = 0,
    prefix_last: bool = False,
    today: date | None = None,
) -> SearchResults:
    """The best ``limit`` notes for ``query`` after the first ``offset``, most relevant and
    recent first (the arguments are :func:`rank_notes`'s)."""
    ranking = rank_notes(
        store, query, account_id=account_id, since=since, until=until,
        prefix_last=prefix_last, today=today,
    )  # fmt: skip
    return SearchResults(ranking.page(offset, limit), ranking.message)


def rank_notes(
    store: Store,
    query: str,
    *,
    account_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    prefix_last: bool = False,
    today: date | None = None,
) -> Ranking:
    """Every note matching ``query``, ranked (the newest WINDOW matches at most).

    Args:
        query: words, "phrases", prefix* and OR, as a person types them; anything else is
            read as plain words (never an error).
        prefix_last: the last word is still being typed.
    """
    terms = parse_terms(query, prefix_last=prefix_last)
    if not terms:
        return Ranking(message="Type a word to search your notes.")
    bounds = _Bounds(
        upper=_key(until + timedelta(days=1)) if until else None,
        lower=_key(since) if since else None,
        now=datetime.combine(today or date.today(), time(23, 59), UTC).timestamp(),
    )
    with store.raw() as connection:
        try:
            expression = fts_expression(_expanded(connection, str(store.path), terms))
            if account_id is not None:
                keys = _account_keys(connection, expression, account_id, bounds)
            else:
                keys = _window_keys(connection, expression, bounds)
        except opener.OperationalError as error:
            if "fts5" not in str(error):
                raise
            log.db.warning("search %r refused: %s", query, error)
            return Ranking(message="That search could not be read; try plain words.")
        notes = _live_notes(connection, keys)
    ranked = _ranked(notes, [t for t in terms if isinstance(t, Term)], bounds.now)
    capped = account_id is None and len(keys) >= WINDOW
    return Ranking(tuple(ranked), tuple(terms), capped=capped)


def _key(day: date) -> int:
    """The smallest index key of a day (local calendar)."""
    seconds = int(datetime.combine(day, time()).astimezone(UTC).timestamp())
    return seconds * KEY_SPAN


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


@dataclass(frozen=True, slots=True)
class _Note:
    key: int
    id: int
    account_id: int
    account_name: str
    kind: str
    occurred_at: str
    title: str
    body: str


def _expanded(connection: sqlite3.Connection, db: str, terms: list[Term | str]) -> list[Term | str]:
    """Terms with each single-word prefix as an OR of the whole words it stands for."""
    result: list[Term | str] = []
    for term in terms:
        if isinstance(term, Term) and term.prefix and len(term.words) == 1:
            prefix = term.words[0]
            if len(prefix) >= MIN_PREFIX:
                words = [w for w in _stem_words(connection, db, prefix) if w.startswith(prefix)]
                if 0 < len(words) <= MAX_EXPANSION:
                    result.append("(" + " OR ".join(f'"{w}"' for w in words) + ")")
                    continue
        result.append(term)
    return result


def _stem_words(connection: sqlite3.Connection, db: str, prefix: str) -> list[str]:
    """The index's words that start with ``prefix``'s first three letters (cached)."""
    stem = prefix[:MIN_PREFIX]
    stamp_row = connection.execute("SELECT block FROM note_fts_data WHERE id = 10").fetchone()
    stamp = bytes(stamp_row[0]) if stamp_row else b""
    cached = _VOCABULARY.get((db, stem))
    if cached is not None and cached[0] == stamp:
        return cached[1]
    connection.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.note_vocabulary "
        "USING fts5vocab(main, note_fts, row)"
    )
    after = stem[:-1] + chr(ord(stem[-1]) + 1)
    words = [
        row[0]
        for row in connection.execute(
            "SELECT term FROM temp.note_vocabulary WHERE term >= ? AND term < ?", (stem, after)
        )
    ]
    _VOCABULARY[(db, stem)] = (stamp, words)
    return words


def _account_keys(
    connection: sqlite3.Connection, expression: str, account_id: int, bounds: _Bounds
) -> list[int]:
    """Every match among one account's notes (a few hundred keys at most)."""
    keys = [
        math.floor(datetime_from_db(occurred_at).timestamp()) * KEY_SPAN + note_id % KEY_SPAN
        for note_id, occurred_at in connection.execute(
            "SELECT id, occurred_at FROM note WHERE account_id = ? AND archived_at IS NULL",
            (account_id,),
        )
    ]
    keys = [key for key in keys if bounds.holds(key)]
    found: list[int] = []
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found += [
            row[0]
            for row in connection.execute(
                "SELECT rowid FROM note_fts WHERE note_fts MATCH ? "
                f"AND rowid IN ({','.join('?' * len(chunk))})",
                [expression, *chunk],
            )
        ]
    return found


def _window_keys(connection: sqlite3.Connection, expression: str, bounds: _Bounds) -> list[int]:
    """The newest matches within the dates, up to WINDOW of them."""
    where, params = "", list[object]([expression])
    if bounds.upper is not None:
        where += " AND rowid < ?"
        params.append(bounds.upper)
    if bounds.lower is not None:
        where += " AND rowid >= ?"
        params.append(bounds.lower)
    return [
        row[0]
        for row in connection.execute(
            f"SELECT rowid FROM note_fts WHERE note_fts MATCH ?{where} "
            f"ORDER BY rowid DESC LIMIT {WINDOW}",
            params,
        )
    ]


def _live_notes(connection: sqlite3.Connection, keys: list[int]) -> list[_Note]:
    """The notes behind these keys that are not archived, with what ranking and hits need."""
    by_id = {key % KEY_SPAN: key for key in keys}
    notes: list[_Note] = []
    ids = list(by_id)
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for row in connection.execute(
            "SELECT n.id, n.account_id, a.name, n.kind, n.occurred_at, n.title, n.body "
            "FROM note n JOIN account a ON a.id = n.account_id "
            f"WHERE n.id IN ({','.join('?' * len(chunk))}) AND n.archived_at IS NULL",
            chunk,
        ):
            note_id, account, name, kind, when, title, body = row
            notes.append(
                _Note(by_id[note_id], note_id, account, name, kind, when, title or "", body or "")
            )
    return notes


def _pattern(term: Term) -> re.Pattern[str]:
    words = [re.escape(word) for word in term.words]
    tail = r"\w*" if term.prefix else r"\b"
    return re.compile(r"\b" + r"\W+".join(words) + tail, re.IGNORECASE)


def _ranked(notes: list[_Note], terms: list[Term], now: float) -> list[tuple[_Note, float]]:
    """BM25 over the window (title matches weighing more), halved per HALF_LIFE_DAYS of age."""
    if not notes:
        return []
    patterns = [_pattern(term) for term in terms]
    counts = [
        [TITLE_WEIGHT * len(p.findall(n.title)) + len(p.findall(n.body)) for p in patterns]
        for n in notes
    ]
    lengths = [n.body.count(" ") + 1 + n.title.count(" ") for n in notes]
    average = sum(lengths) / len(lengths)
    total = len(notes)
    weights = []
    for index in range(len(patterns)):
        holding = sum(1 for row in counts if row[index])
        weights.append(math.log(1 + (total - holding + 0.5) / (holding + 0.5)))
    ranked = []
    for note, row, length in zip(notes, counts, lengths, strict=True):
        norm = _K1 * (1 - _B + _B * length / average)
        relevance = sum(
            w * tf * (_K1 + 1) / (tf + norm) for w, tf in zip(weights, row, strict=True) if tf
        )
        age_days = max(0.0, (now - note.key // KEY_SPAN) / 86_400)
        ranked.append((note, (relevance or 0.01) * math.pow(0.5, age_days / HALF_LIFE_DAYS)))
    ranked.sort(key=lambda pair: pair[1], reverse=True)
    return ranked


def _hit(note: _Note, score: float, terms: list[Term | str]) -> SearchHit:
    return SearchHit(
        note.id,
        note.account_id,
        note.account_name,
        NoteKind(note.kind),
        datetime_from_db(note.occurred_at),
        note.title or title_from_text(note.body) or None,  # an untitled note by its first line
        snippet(note.body, terms, words=_SNIPPET_WORDS, marks=(MARK_START, MARK_END)),
        score,
    )


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
