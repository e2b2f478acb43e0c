"""Search box text to FTS5: words, phrases, prefixes, OR, and nothing that can fail."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from am_desktop.domain.search_query import fts_expression, parse_terms, snippet, to_fts


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("renewal budget", '"renewal" AND "budget"'),
        ('"pricing deck" renewal', '"pricing deck" AND "renewal"'),
        ("budg*", '"budg"*'),
        ("re*", '"re"'),  # shorter than three letters: the whole word
        ("renewal OR churn", '"renewal" OR "churn"'),
        ("OR renewal OR", '"renewal"'),
        ("Café", '"café"'),
        ('"unbalanced quote', '"unbalanced" AND "quote"'),
        ("NEAR(a b) title:x ^y -z", '"near a" AND "b" AND "title x" AND "y" AND "z"'),
        ("", None),
        ("(( )) -- ** \" '", None),
    ],
)
def test_queries_become_safe_fts_expressions(query: str, expected: str | None) -> None:
    assert to_fts(query) == expected


def test_the_last_word_is_a_prefix_while_typing() -> None:
    assert to_fts("budget rene", prefix_last=True) == '"budget" AND "rene"*'
    assert to_fts("budget rene ", prefix_last=True) == '"budget" AND "rene"'
    assert to_fts('"pricing deck"', prefix_last=True) == '"pricing deck"'


@given(st.text())
def test_any_text_gives_an_expression_sqlite_accepts(query: str) -> None:
    import sqlite3

    terms = parse_terms(query, prefix_last=True)
    if not terms:
        return
    # as the search sends it: a prefix may come back as a group of whole words
    grouped = [t if isinstance(t, str) or not t.prefix else '("ab" OR "abc")' for t in terms]
    expression = fts_expression(grouped)
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
    connection.execute("INSERT INTO t VALUES ('anything at all')")
    connection.execute("SELECT * FROM t WHERE t MATCH ?", (expression,)).fetchall()


def test_a_snippet_marks_words_phrases_and_prefixes_around_the_first_match() -> None:
    text = "Intro words here. We discussed the budget, then the pricing  deck\nand renewals."
    terms = parse_terms('budget "pricing deck" renew*')
    assert snippet(text, terms, words=9) == (
        "…We discussed the [budget], then the [pricing] [deck] and…"
    )


def test_a_snippet_ignores_case_and_accents_and_starts_the_text_without_a_match() -> None:
    assert snippet("Résumé sent", parse_terms("resume")) == "[Résumé] sent"
    assert snippet("one two three", parse_terms("zzz"), words=2) == "one two…"
    assert snippet("", parse_terms("x")) == ""
