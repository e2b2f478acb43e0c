"""Fuzzy matching for the account palette: a few letters of a name find the account.

Pure and stdlib-only, so it is tested without Qt. Speed matters (it runs on every keystroke over
the whole portfolio): a compiled regular expression rejects non-matches in C, and only the
survivors are scored in Python.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Sequence

#: Score bands: any prefix match outranks any word-start match, which outranks any other.
_PREFIX, _WORD_START, _SCATTERED = 3.0, 2.0, 1.0

#: Points per matched character, for the finer score within a band. A word start counts more
#: than a run, so initials ("ibm" → International Business Machines) beat a run inside a word.
_MATCH, _AT_WORD_START, _CONSECUTIVE = 1, 3, 2
_BEST_CHAR = _MATCH + _AT_WORD_START + _CONSECUTIVE


def _word_start(text: str, index: int) -> bool:
    """Whether ``text[index]`` begins a word: after a space or punctuation, or a camelCase hump."""
    if index == 0:
        return True
    before = text[index - 1]
    return not before.isalnum() or (before.islower() and text[index].isupper())


def _subsequence_pattern(chars: str) -> re.Pattern[str]:
    """A regex that finds ``chars`` in order; ``[^c]*c`` never backtracks, unlike ``.*?c``."""
    parts = [re.escape(chars[0])]
    parts += [f"[^{re.escape(c)}]*{re.escape(c)}" for c in chars[1:]]
    return re.compile("".join(parts), re.DOTALL)


class _Query:
    """A folded query and its compiled filters, made once per ranking rather than per text."""

    __slots__ = ("chars", "pattern", "rests")

    def __init__(self, chars: str) -> None:
        self.chars = chars
        self.pattern = _subsequence_pattern(chars)
        #: rests[k] finds chars[k + 1:] (None when nothing is left): "does the rest still fit?"
        self.rests: list[re.Pattern[str] | None] = [
            _subsequence_pattern(chars[k + 1 :]) if k + 1 < len(chars) else None
            for k in range(len(chars))
        ]

    def score(self, text: str, floor: float = 0.0) -> float | None:
        """The score of ``text`` (see :func:`score`).

        Args:
            floor: bands below this cannot matter to the caller, so their finer score is
                skipped and None returned (ranking stops scoring scattered matches once enough
                prefix matches are found).
        """
        lowered = text.lower()
        if self.pattern.search(lowered) is None:
            return None
        # Lower-casing can change the length of a few Unicode strings; then camelCase is ignored.
        shape = text if len(lowered) == len(text) else lowered
        banded = self._band(lowered, shape, floor)
        if banded is None:
            return None
        band, positions = banded
        return band + _fine(positions, lowered, shape)

    def _band(self, lowered: str, shape: str, floor: float) -> tuple[float, Sequence[int]] | None:
        """The best band ``lowered`` reaches (not below ``floor``), and where the query is."""
        chars, count = self.chars, len(self.chars)
        if lowered.startswith(chars):
            return _PREFIX, range(count)
        if lowered[0] == chars[0] and " " in lowered:
            # "acmecorp" reads straight through "Acme Corp": spaces in the query are ignored.
            solid = [i for i, c in enumerate(lowered) if c != " "]
            if "".join(lowered[i] for i in solid).startswith(chars):
                return _PREFIX, solid[:count]
        if floor <= _WORD_START:
            found = lowered.find(chars, 1)
            while found != -1:
                if _word_start(shape, found):
                    return _WORD_START, range(found, found + count)
                found = lowered.find(chars, found + 1)
            if floor <= _SCATTERED:
                return _SCATTERED, self._align(lowered, shape)
        return None

    def _align(self, lowered: str, shape: str) -> list[int]:
        """Where each query character matches: runs and word starts first ("ibm" → I.B.M.).

        Greedy from the left: keep a character next to the previous match, else jump to a word
        start if the rest of the query still fits after it, else take the nearest. A second
        pass pulls lone matches right, next to the following one, to tighten the window.
        """
        chars, rests = self.chars, self.rests
        positions: list[int] = []
        last = -1
        for k, c in enumerate(chars):
            chosen = lowered.find(c, last + 1)
            if chosen != last + 1 or k == 0:
                candidate = chosen
                while candidate != -1 and not _word_start(shape, candidate):
                    candidate = lowered.find(c, candidate + 1)
                rest = rests[k]
                if candidate != -1 and (rest is None or rest.search(lowered, candidate + 1)):
                    chosen = candidate
            positions.append(chosen)
            last = chosen
        for k in range(len(positions) - 2, -1, -1):
            here = positions[k]
            if (
                here + 1 != positions[k + 1]
                and not _word_start(shape, here)
                and (k == 0 or positions[k - 1] + 1 != here)
            ):
                positions[k] = lowered.rfind(chars[k], here, positions[k + 1])
        return positions


def _fine(positions: Sequence[int], lowered: str, shape: str) -> float:
    """A score in [0, 1): word starts and runs first, then a tight window, then brevity."""
    points, previous = 0, -2
    for position in positions:
        points += _MATCH
        if _word_start(shape, position):
            points += _AT_WORD_START
        if position == previous + 1:
            points += _CONSECUTIVE
        previous = position
    count = len(positions)
    quality = points / (count * _BEST_CHAR)
    tightness = count / (positions[-1] - positions[0] + 1)
    brevity = count / len(lowered)
    return 0.8 * quality + 0.1 * tightness + 0.09 * brevity


def _fold(query: str) -> str:
    """The query as matched: lower case, spaces removed."""
    return "".join(query.lower().split())


def score(query: str, text: str) -> float | None:
    """How well ``text`` matches ``query``; higher is better.

    Returns:
        None when the query's characters (case-insensitive, spaces ignored) do not appear in
        order in ``text``. Otherwise a prefix match scores in [3, 4), a match at the start of a
        word in [2, 3) and any other subsequence in [1, 2); within a band, matches at word
        starts and consecutive runs score more, and shorter texts slightly more. An empty
        query scores 0.0 against anything.
    """
    chars = _fold(query)
    if not chars:
        return 0.0
    return _Query(chars).score(text)


def rank(
    query: str, candidates: Sequence[tuple[int, str, str | None]], limit: int = 20
) -> list[int]:
    """The ids of the best matches, best first.

    Args:
        query: what the user typed.
        candidates: ``(id, name, domain)``; a candidate scores the better of name and domain.
        limit: how many ids to return at most.

    Returns:
        Ids by score, ties by name; an empty query gives the first ``limit`` ids by name.
    """
    chars = _fold(query)
    if not chars:
        first = heapq.nsmallest(limit, candidates, key=lambda c: (c[1].casefold(), c[0]))
        return [candidate[0] for candidate in first]
    matcher = _Query(chars)
    scored: list[tuple[float, str, int]] = []
    # Once ``limit`` matches share a band, lower bands cannot reach the result: skip scoring them.
    in_band = {_PREFIX: 0, _WORD_START: 0}
    floor = 0.0
    for candidate_id, name, domain in candidates:
        best = matcher.score(name, floor) if name else None
        if domain:
            other = matcher.score(domain, floor)
            if other is not None and (best is None or other > best):
                best = other
        if best is not None:
            scored.append((-best, name.casefold(), candidate_id))
            band = float(int(best))
            if band in in_band and floor < band:
                in_band[band] += 1
                if in_band[band] >= limit:
                    floor = band
    return [entry[2] for entry in heapq.nsmallest(limit, scored)]
