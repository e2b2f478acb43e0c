"""Fuzzy matching for the account palette: what counts as a match, and what ranks first."""

from __future__ import annotations

import pytest

from am_desktop.domain import fuzzy


def _score(query: str, text: str) -> float:
    found = fuzzy.score(query, text)
    assert found is not None, f"{query!r} should match {text!r}"
    return found


def test_a_prefix_beats_a_word_start_which_beats_a_scattered_match() -> None:
    prefix = _score("ac", "Acme")
    word_start = _score("ac", "Big Acorn")
    scattered = _score("ac", "Pacific")
    assert prefix > word_start > scattered


def test_a_long_prefix_match_still_beats_a_short_word_start_match() -> None:
    assert _score("acme", "Acme Industrial Holdings International") > _score("acme", "Big Acme")


@pytest.mark.parametrize(
    ("query", "text"),
    [("glbx", "Initech"), ("xa", "Acme"), ("acmee", "Acme"), ("ab", "ba"), ("a", "")],
)
def test_characters_missing_or_out_of_order_are_no_match(query: str, text: str) -> None:
    assert fuzzy.score(query, text) is None


def test_case_does_not_matter() -> None:
    assert (
        fuzzy.score("GLBX", "globex") == fuzzy.score("glbx", "GLOBEX") == _score("glbx", "Globex")
    )


def test_spaces_in_the_query_are_ignored() -> None:
    assert _score("acme corp", "Acme Corp") == _score("acmecorp", "Acme Corp")
    assert _score("ac me", "Acme") == _score("acme", "Acme")
    assert _score("acmecorp", "Acme Corp") > _score("acmecorp", "The Acme Corporation")


def test_consecutive_runs_and_word_starts_score_more() -> None:
    assert _score("ore", "xxorex") > _score("ore", "xoxrxe")
    assert _score("ibm", "International Business Machines") > _score("ibm", "xibmx")
    assert _score("pa", "iPhone Apps") > _score("pa", "xpxxax xxx")  # camelCase humps count


def test_shorter_texts_are_slightly_preferred() -> None:
    assert _score("acme", "Acme") > _score("acme", "Acme Corporation")


def test_an_empty_query_matches_everything_equally() -> None:
    assert fuzzy.score("", "Acme") == fuzzy.score("  ", "Globex") == 0.0


CANDIDATES = [
    (1, "Acme", "acme.com"),
    (2, "Globex", "globex.com"),
    (3, "Initech", "initech.com"),
    (4, "Big Acorn", None),
    (5, "Pacific", "pacific.org"),
    (6, "Umbrella", "zzacme.io"),
]


def test_rank_puts_the_best_match_first_and_leaves_out_non_matches() -> None:
    assert fuzzy.rank("ac", CANDIDATES) == [1, 4, 5, 6]
    assert fuzzy.rank("glbx", CANDIDATES) == [2]
    assert fuzzy.rank("qqq", CANDIDATES) == []


def test_rank_matches_the_domain_too_and_keeps_the_better_of_the_two() -> None:
    assert fuzzy.rank("zzac", CANDIDATES) == [6]  # only its domain matches
    # Umbrella has "acme" only inside its domain, so it comes after Acme's prefix match.
    assert fuzzy.rank("acme", CANDIDATES) == [1, 6]
    candidates = [(1, "The Globe", None), (2, "Gxlxo Partners", "globo.com")]
    # 2's name is a scattered match, but its domain is a prefix match: the domain counts.
    assert fuzzy.rank("glo", candidates) == [2, 1]


def test_rank_ties_are_broken_by_name() -> None:
    twins = [(9, "Beta", None), (8, "alpha", None), (7, "Alpha", None)]
    assert fuzzy.rank("a", twins) == [7, 8, 9]


def test_rank_returns_at_most_limit_ids() -> None:
    many = [(i, f"Account {i:03}", None) for i in range(100)]
    assert len(fuzzy.rank("acc", many, limit=5)) == 5
    assert len(fuzzy.rank("acc", many)) == 20


def test_rank_skips_lower_bands_once_limit_prefix_matches_are_found() -> None:
    # Three prefix matches fill a limit of 3 before the word-start and scattered ones appear.
    candidates = [
        (1, "Acme A", None),
        (2, "Acme B", None),
        (3, "Acme C", None),
        (4, "The Acme", None),
        (5, "xaxcxmxe", None),
    ]
    assert fuzzy.rank("acme", candidates, limit=3) == [1, 2, 3]
    assert fuzzy.rank("acme", candidates, limit=5) == [1, 2, 3, 4, 5]


def test_an_empty_query_lists_the_first_names_in_name_order() -> None:
    assert fuzzy.rank("", CANDIDATES, limit=3) == [1, 4, 2]
    assert fuzzy.rank("   ", CANDIDATES) == [1, 4, 2, 3, 5, 6]
