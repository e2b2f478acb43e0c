"""What a person types in the search box, as an SQLite FTS5 query that cannot fail (issue 5).

Words must all appear (in any order); ``"a phrase"`` must appear as written; ``word*`` matches
every word starting so (three letters at least: a shorter one is taken whole, as it would
stand for too many words); ``OR`` between two terms accepts either. Everything else — a stray
quote, brackets, ``NEAR``, ``column:`` prefixes, ``^`` — is read as plain text, because every
term reaches FTS5 inside double quotes, where its operators mean nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

#: The shortest prefix searched as a prefix.
MIN_PREFIX = 3

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
_PIECE = re.compile(r'"(?P<phrase>[^"]*)"(?P<pstar>\*?)|(?P<bare>[^\s"]+)')


@dataclass(frozen=True, slots=True)
class Term:
    """A word or a phrase to find; ``prefix``: its last word may go on."""

    words: tuple[str, ...]
    prefix: bool

    def fts(self) -> str:
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")


def fold(word: str) -> str:
    """A word as the index compares it: lower case, accents removed."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def to_fts(query: str, *, prefix_last: bool = False) -> str | None:
    """The FTS5 MATCH expression for ``query`` (None when it holds no word to look for).

    Args:
        prefix_last: treat the last word as a prefix (search as you type).
    """
    terms = parse_terms(query, prefix_last=prefix_last)
    return fts_expression(terms) if terms else None


def fts_expression(terms: Sequence[Term | str]) -> str:
    """Terms as one FTS5 MATCH expression (all of them, or either side of an OR).

    A ``str`` term other than ``"OR"`` is taken as written (an already built group); AND is
    spelled out, since FTS5 allows the implicit one only between plain phrases.
    """
    parts: list[str] = []
    for term in terms:
        text = term if isinstance(term, str) else term.fts()
        if parts and text != "OR" and parts[-1] != "OR":
            parts.append("AND")
        parts.append(text)
    return " ".join(parts)


def parse_terms(query: str, *, prefix_last: bool = False) -> list[Term | str]:
    """The terms of a query, with ``"OR"`` where two terms are alternatives."""
    text = query.replace("\x00", " ")
    if text.count('"') % 2:  # an unbalanced quote: its phrase is just words
        index = text.rfind('"')
        text = text[:index] + " " + text[index + 1 :]
    terms: list[Term | str] = []
    for match in _PIECE.finditer(text):
        if match["bare"] == "OR":
            terms.append("OR")
            continue
        raw = match["phrase"] if match["phrase"] is not None else match["bare"]
        words = tuple(word.lower() for word in _WORD.findall(raw))
        if not words:
            continue
        star = bool(match["pstar"]) or (match["bare"] or "").endswith("*")
        terms.append(_term(words, star))
    terms = _valid_or(terms)
    if terms and prefix_last:
        last = terms[-1]
        typing = not query.rstrip().endswith('"') and not query.endswith(" ")
        if isinstance(last, Term) and typing:
            terms[-1] = _term(last.words, True)
    return terms


def _term(words: tuple[str, ...], prefix: bool) -> Term:
    return Term(words, prefix and len(words[-1]) >= MIN_PREFIX)


def _valid_or(terms: list[Term | str]) -> list[Term | str]:
    """Keep ``OR`` only between two terms (a leading, trailing or doubled one is dropped)."""
    kept: list[Term | str] = []
    for index, term in enumerate(terms):
        if term == "OR":
            before_ok = bool(kept) and kept[-1] != "OR"
            after_ok = index + 1 < len(terms) and terms[index + 1] != "OR"
            if before_ok and after_ok:
                kept.append(term)
        else:
            kept.append(term)
    return kept


def snippet(
    text: str, terms: Sequence[Term | str], *, words: int = 14, marks: tuple[str, str] = ("[", "]")
) -> str:
    """About ``words`` words of ``text`` around its first match, matched words marked.

    Returns:
        The start of the text when nothing in it matches (the match was in the title).
    """
    tokens = [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]
    if not tokens:
        return ""
    matched = _matched(tokens, [t for t in terms if isinstance(t, Term)])
    first = min(matched) if matched else 0
    end = min(len(tokens), max(0, first - words // 3) + words)
    start = max(0, end - words)
    pieces = ["…" if start > 0 else ""]
    for index in range(start, end):
        begin, finish, _ = tokens[index]
        if index > start:
            pieces.append(_SPACE.sub(" ", text[tokens[index - 1][1] : begin]))
        word = text[begin:finish]
        pieces.append(f"{marks[0]}{word}{marks[1]}" if index in matched else word)
    tail = _SPACE.sub(" ", text[tokens[end - 1][1] :]).rstrip()
    pieces.append("…" if end < len(tokens) else tail)
    return "".join(pieces)


def _matched(tokens: list[tuple[int, int, str]], terms: list[Term]) -> set[int]:
    """Indexes of the tokens that some term matches."""
    found: set[int] = set()
    for term in terms:
        wanted = [fold(word) for word in term.words]
        span = len(wanted)
        for index in range(len(tokens) - span + 1):
            window = [tokens[index + k][2] for k in range(span)]
            if window[:-1] != wanted[:-1]:
                continue
            last = window[-1]
            if last == wanted[-1] or (term.prefix and last.startswith(wanted[-1])):
                found.update(range(index, index + span))
    return found
