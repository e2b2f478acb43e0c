"""Searching notes: ranking, snippets, filters, hostile queries, the index kept in step."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from am_desktop.domain.values import EARLIEST_YEAR, LATEST_YEAR
from am_desktop.services import catalog, notes
from am_desktop.services.note_search import rank_notes, search_naive, search_notes
from am_desktop.services.store import Store

TODAY = date(2026, 11, 22)


@pytest.fixture
def acme(store: Store) -> int:
    return catalog.accounts.create(store, {"name": "Acme"}).id


def add(store: Store, account: int, body: str, days_ago: int = 1, title: str = "") -> int:
    when = datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time(), UTC)
    values = {"account_id": account, "occurred_at": when, "body": body, "title": title or None}
    return notes.create_note(store, values).id


def ids(store: Store, query: str, **kwargs: object) -> list[int]:
    return [h.note_id for h in search_notes(store, query, today=TODAY, **kwargs).hits]  # type: ignore[arg-type]


def test_words_must_all_appear_and_phrases_as_written(store: Store, acme: int) -> None:
    both = add(store, acme, "The renewal budget was approved")
    add(store, acme, "Only the renewal here")
    phrase = add(store, acme, "We sent the pricing deck today")
    add(store, acme, "The deck about pricing")
    assert ids(store, "budget renewal") == [both]
    assert ids(store, '"pricing deck"') == [phrase]


def test_prefixes_and_or(store: Store, acme: int) -> None:
    a = add(store, acme, "budgeting season")
    b = add(store, acme, "churn risk")
    assert ids(store, "budg*") == [a]
    assert set(ids(store, "budgeting OR churn")) == {a, b}


def test_relevance_first_then_recency(store: Store, acme: int) -> None:
    old_strong = add(store, acme, "renewal renewal renewal", days_ago=30, title="Renewal")
    new_weak = add(store, acme, "a long note that mentions renewal once among many words", 1)
    recent_strong = add(store, acme, "renewal renewal renewal", days_ago=2, title="Renewal")
    assert ids(store, "renewal") == [recent_strong, old_strong, new_weak]


def test_snippets_mark_the_match(store: Store, acme: int) -> None:
    add(store, acme, "Long intro. Then we talked about the Budget for next year.")
    (hit,) = search_notes(store, "budget", today=TODAY).hits
    assert hit.snippet_text() == "Long intro. Then we talked about the [Budget] for next year."
    assert hit.account_name == "Acme"


def test_filters_by_account_and_dates(store: Store, acme: int) -> None:
    other = catalog.accounts.create(store, {"name": "Globex"}).id
    here = add(store, acme, "renewal", days_ago=10)
    there = add(store, other, "renewal", days_ago=1)
    assert ids(store, "renewal", account_id=acme) == [here]
    assert ids(store, "renewal", since=TODAY - timedelta(days=5)) == [there]
    assert ids(store, "renewal", until=TODAY - timedelta(days=5)) == [here]


def test_the_index_follows_edits_archives_and_deletes(store: Store, acme: int) -> None:
    note = add(store, acme, "renewal talk")
    notes.save_note(store, note, {"body": "churn talk"}, 1)
    assert ids(store, "renewal") == [] and ids(store, "churn") == [note]
    catalog.notes.archive(store, note)
    assert ids(store, "churn") == []
    catalog.notes.restore(store, note)
    assert ids(store, "churn") == [note]
    notes.save_note(store, note, {"occurred_at": datetime(2025, 1, 1, tzinfo=UTC)}, None)
    assert ids(store, "churn") == [note]  # re-keyed by its new time, still found once
    with store.raw(write=True) as connection:
        connection.execute("DELETE FROM note WHERE id = ?", (note,))
    assert ids(store, "churn") == []


@pytest.mark.parametrize(
    "query", ['"unbalanced', "NEAR(", "AND OR NOT", "title:", "^", "*", "((renewal", "\x00"]
)
def test_hostile_queries_give_results_or_a_message(store: Store, acme: int, query: str) -> None:
    add(store, acme, "renewal and not much else")
    results = search_notes(store, query, today=TODAY)
    assert results.hits or results.message or results.hits == ()


def test_an_empty_query_says_what_to_do(store: Store) -> None:
    assert search_notes(store, "  ", today=TODAY).message.startswith("Type a word")


def test_the_naive_ranking_finds_the_same_notes_for_a_rare_word(store: Store, acme: int) -> None:
    wanted = {add(store, acme, f"zebra note {i}") for i in range(5)}
    add(store, acme, "nothing")
    assert set(search_naive(store, "zebra")) == wanted == set(ids(store, "zebra"))


def test_notes_far_in_the_future_or_past_are_indexed_and_found(store: Store, acme: int) -> None:
    for year in (EARLIEST_YEAR, LATEST_YEAR):  # the edges of what is stored
        notes.create_note(
            store,
            {
                "account_id": acme,
                "occurred_at": datetime(year, 6, 1, 10, 0, 0, 500_000, tzinfo=UTC),
                "body": f"timeless {year}",
            },
        )
    assert len(ids(store, "timeless")) == 2
    assert len(ids(store, "timeless", account_id=acme)) == 2


def test_pages_follow_each_other_in_rank_order(store: Store, acme: int) -> None:
    made = [add(store, acme, f"budget line {n}", days_ago=n) for n in range(25)]
    ranking = rank_notes(store, "budget", today=TODAY)
    assert ranking.total == 25 and not ranking.capped
    first, second = ranking.page(0, 20), ranking.page(20, 20)
    assert len(first) == 20 and len(second) == 5
    assert [h.note_id for h in first + second] == made  # newest first, all once
    assert ids(store, "budget", offset=20, limit=20) == made[20:]
    assert ranking.page(25, 20) == ()
