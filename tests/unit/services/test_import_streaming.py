"""CSV import streams its file: batches, rules across batches, a capped list of problems."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from am_desktop.errors import ImportRejected, ValidationError
from am_desktop.services import catalog
from am_desktop.services.store import Store
from am_desktop.services.transfer import importer as importer_module
from am_desktop.services.transfer.batches import ProblemList, batches, read_ahead
from am_desktop.services.transfer.csv_reader import SourceRow
from am_desktop.services.transfer.importer import ContactsImport, ImportSummary, import_csv

TODAY = date(2026, 11, 22)
HEADER = "account,first_name,last_name,email,reports_to\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def accounts(store: Store, tmp_path: Path) -> None:
    text = "name,domain\nAcme,acme.com\nGlobex,globex.com\n"
    import_csv(store, "accounts", write(tmp_path, "a.csv", text), today=TODAY)


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Batches of two rows; returns the sizes of the batches of contacts prepared."""
    monkeypatch.setattr(importer_module, "BATCH_ROWS", 2)
    sizes: list[int] = []
    original = ContactsImport.prepare

    def spy(self: ContactsImport, rows: list[SourceRow]) -> None:
        sizes.append(len(rows))
        original(self, rows)

    monkeypatch.setattr(ContactsImport, "prepare", spy)
    return sizes


def test_the_file_is_checked_and_written_a_batch_at_a_time(
    store: Store, tmp_path: Path, small_batches: list[int]
) -> None:
    accounts(store, tmp_path)
    rows = "".join(f"acme.com,Sam,P{n},p{n}@acme.com\n" for n in range(7))
    header = "account,first_name,last_name,email\n"
    summary = import_csv(store, "contacts", write(tmp_path, "c.csv", header + rows), today=TODAY)
    assert summary.added == 7
    assert small_batches == [2, 2, 2, 1]  # checked and written in one pass
    assert len(catalog.contacts.find(store)) == 7


def test_a_repeat_in_a_later_batch_is_found(
    store: Store, tmp_path: Path, small_batches: list[int]
) -> None:
    accounts(store, tmp_path)
    rows = "acme.com,Ann,A,ann@acme.com,\nacme.com,Bo,B,bo@acme.com,\n"
    rows += "acme.com,Cy,C,cy@acme.com,\nacme.com,Ann,Again,ann@acme.com,\n"
    with pytest.raises(ImportRejected) as caught:
        import_csv(store, "contacts", write(tmp_path, "c.csv", HEADER + rows), today=TODAY)
    assert [(p.row, p.reason) for p in caught.value.problems] == [
        (5, "repeats row 2 (same e-mail, or same name at the account)")
    ]


def test_a_refused_file_writes_nothing_though_earlier_batches_were_valid(
    store: Store, tmp_path: Path, small_batches: list[int]
) -> None:
    accounts(store, tmp_path)
    rows = "".join(f"acme.com,Sam,P{n},p{n}@acme.com,\n" for n in range(5))
    rows += "nowhere.com,Lost,L,lost@acme.com,\n"
    with pytest.raises(ImportRejected):
        import_csv(store, "contacts", write(tmp_path, "c.csv", HEADER + rows), today=TODAY)
    assert catalog.contacts.find(store) == []


def test_a_manager_named_in_a_later_batch_is_found(
    store: Store, tmp_path: Path, small_batches: list[int]
) -> None:
    accounts(store, tmp_path)
    rows = (
        "acme.com,Cy,Low,cy@acme.com,ann@acme.com\n"
        "acme.com,Bo,Mid,bo@acme.com,ann@acme.com\n"
        "acme.com,Di,Low,di@acme.com,cy@acme.com\n"
        "acme.com,Ann,Boss,ann@acme.com,\n"
    )
    path = write(tmp_path, "c.csv", HEADER + rows)
    summary = import_csv(store, "contacts", path, today=TODAY)
    assert summary.added == 4
    assert small_batches == [2, 2, 2, 2]  # checked, then written: Ann comes last
    found = {c.email: c for c in catalog.contacts.find(store)}
    assert found["cy@acme.com"].reports_to_id == found["ann@acme.com"].id
    assert found["di@acme.com"].reports_to_id == found["cy@acme.com"].id
    again = import_csv(store, "contacts", path, today=TODAY)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)


def test_a_file_full_of_errors_lists_the_first_problems_and_counts_the_rest(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer_module, "PROBLEMS_KEPT", 3)
    accounts(store, tmp_path)
    rows = "".join(f"nowhere{n}.com,Sam,P{n},p{n}@acme.com,\n" for n in range(10))
    rows += "acme.com,Ann,Boss,ann@acme.com,\n"
    path = write(tmp_path, "c.csv", HEADER + rows)
    with pytest.raises(ImportRejected) as caught:
        import_csv(store, "contacts", path, today=TODAY)
    assert [p.row for p in caught.value.problems] == [2, 3, 4]
    assert caught.value.unlisted == 7
    message = caught.value.user_message
    assert "10 of 11 rows are invalid" in message and "7 more are not" in message
    summary = import_csv(store, "contacts", path, today=TODAY, skip_invalid=True)
    assert isinstance(summary, ImportSummary)
    assert (summary.added, summary.skipped) == (1, 10)
    assert (len(summary.problems), summary.unlisted_problems) == (3, 7)


def test_batches_read_only_what_they_hand_over() -> None:
    produced: list[int] = []

    def source() -> Iterator[int]:
        for n in range(10):
            produced.append(n)
            yield n

    stream = batches(source(), 4)
    assert next(stream) == [0, 1, 2, 3]
    assert len(produced) == 4  # the rest of the file is not read yet
    assert list(stream) == [[4, 5, 6, 7], [8, 9]]


def test_read_ahead_hands_over_in_order_and_raises_the_sources_error() -> None:
    def source() -> Iterator[int]:
        yield 1
        yield 2
        raise ValidationError("broken at row 3")

    received: list[int] = []
    with pytest.raises(ValidationError, match="row 3"):
        for item in read_ahead(source()):
            received.append(item)
    assert received == [1, 2]


def test_a_consumer_that_stops_early_ends_the_reading_thread() -> None:
    stream = read_ahead(iter(range(1000)), depth=1)
    assert next(stream) == 0
    stream.close()  # joins the thread: returns only once it has stopped


def test_the_problem_list_keeps_the_first_and_counts_all() -> None:
    from am_desktop.errors import RowProblem

    problems = ProblemList(2)
    problems.add(RowProblem(n, None, "bad") for n in (2, 3, 3, 5))
    assert [p.row for p in problems.listed] == [2, 3]
    assert (problems.count, problems.unlisted, problems.rows) == (4, 2, {2, 3, 5})
