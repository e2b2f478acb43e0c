"""Text shortened for a list or a timeline: cut after a whole word and marked with "…", so a
snippet never ends in the middle of a word ("every d") nor looks complete when it is not."""

from __future__ import annotations

ELLIPSIS = "…"
#: Left off before the ellipsis, so a cut never reads "budget,…".
_TRAILING = " ,;:.-–—("


def elide_words(text: str, limit: int) -> str:
    """``text`` on one line (runs of white space as one space), at most ``limit`` characters.

    Longer text ends at the last whole word that fits, followed by "…"; a single word longer
    than the limit is cut inside it (there is no boundary to cut at).
    """
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    if limit <= 1:
        return ELLIPSIS[:limit]
    room = flat[: limit - 1]  # one character is the ellipsis's
    if flat[limit - 1] != " " and " " in room:
        room = room.rsplit(" ", 1)[0]  # the last word did not fit whole
    return (room.rstrip(_TRAILING) or room) + ELLIPSIS
