"""Snippets are cut after a whole word and say so with "…"."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from am_desktop.domain.snippets import ELLIPSIS, elide_words


def test_a_long_text_ends_at_a_word_with_an_ellipsis() -> None:
    text = "Carlos Engel replied to the renewal quote. The procurement team is now using every day"
    cut = elide_words(text, 60)
    assert cut == "Carlos Engel replied to the renewal quote. The procurement…"
    assert len(cut) <= 60


def test_short_text_is_kept_on_one_line_without_an_ellipsis() -> None:
    assert elide_words("Call  with\nAda", 40) == "Call with Ada"


def test_punctuation_before_the_cut_is_left_off() -> None:
    assert elide_words("Budget, timing, people and more", 17) == "Budget, timing…"


def test_one_word_longer_than_the_limit_is_cut_inside_it() -> None:
    assert elide_words("Supercalifragilistic", 8) == "Superca…"


@given(st.text(alphabet="ab ,.\n", max_size=80), st.integers(min_value=2, max_value=60))
def test_a_cut_never_splits_a_word_nor_exceeds_the_limit(text: str, limit: int) -> None:
    flat = " ".join(text.split())
    cut = elide_words(text, limit)
    assert len(cut) <= limit
    if cut == flat:
        return
    assert cut.endswith(ELLIPSIS)
    kept = cut.removesuffix(ELLIPSIS)
    assert flat.startswith(kept)
    if " " in flat[: limit - 1]:  # there was a boundary to cut at: no word is split
        assert not flat[len(kept)].isalpha()
