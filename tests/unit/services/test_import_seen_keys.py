"""The import's repeat check keeps keys compactly and never takes a digest collision for a repeat."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from am_desktop.errors import ImportRejected
from am_desktop.services.store import Store
from am_desktop.services.transfer import seen_keys
from am_desktop.services.transfer.importer import UidKey, import_csv
from am_desktop.services.transfer.seen_keys import SeenKeys

TODAY = date(2026, 11, 22)


@pytest.fixture
def colliding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every key gets the same digest: only the keys' bytes tell them apart."""
    monkeypatch.setattr(seen_keys, "digest", lambda _data: 12345)


def test_a_key_seen_before_gives_the_row_that_had_it_first() -> None:
    seen = SeenKeys()
    assert seen.repeat_of("ann@acme.com", 2) is None
    assert seen.repeat_of((1, "ann", "a"), 3) is None
    assert seen.repeat_of("ann@acme.com", 7) == 2
    assert seen.repeat_of((1, "ann", "a"), 9) == 3
    assert seen.repeat_of("ann@acme.com", 11) == 2  # a repeat does not take the key over
    assert len(seen) == 2


def test_keys_are_the_same_exactly_when_they_are_equal() -> None:
    seen = SeenKeys()
    distinct = ["1", 1, None, "None", ("1",), (1,), "('1',)", (None, "", ""), (None, "", " ")]
    assert [seen.repeat_of(key, n) for n, key in enumerate(distinct)] == [None] * len(distinct)
    assert seen.repeat_of(UidKey("1"), 20) == 4  # a NamedTuple is the tuple it equals
    assert seen.repeat_of("\ud800", 21) is None  # a lone surrogate has bytes too
    assert seen.repeat_of("\ud800", 22) == 21


def test_keys_without_canonical_bytes_are_kept_as_they_are() -> None:
    seen = SeenKeys()
    assert seen.repeat_of(date(2026, 1, 1), 2) is None
    assert seen.repeat_of((1, date(2026, 1, 1)), 3) is None
    assert seen.repeat_of(date(2026, 1, 1), 4) == 2
    assert seen.repeat_of((1, date(2026, 1, 1)), 5) == 3


def test_every_key_is_found_again_after_the_table_grows() -> None:
    seen = SeenKeys()
    keys = [f"p{n}@acme.com" for n in range(5_000)]
    assert all(seen.repeat_of(key, n) is None for n, key in enumerate(keys))
    assert [seen.repeat_of(key, -1) for key in keys] == list(range(5_000))


@pytest.mark.usefixtures("colliding")
def test_colliding_digests_are_no_repeat() -> None:
    seen = SeenKeys()
    keys = [f"p{n}@acme.com" for n in range(300)]
    assert all(seen.repeat_of(key, n) is None for n, key in enumerate(keys))
    assert seen.repeat_of("p150@acme.com", 999) == 150


@pytest.mark.usefixtures("colliding")
def test_an_import_whose_keys_collide_reports_only_real_repeats(
    store: Store, tmp_path: Path
) -> None:
    accounts = tmp_path / "a.csv"
    accounts.write_text("name,domain\nAcme,acme.com\n", encoding="utf-8")
    import_csv(store, "accounts", accounts, today=TODAY)
    rows = "".join(f"acme.com,Sam,P{n},p{n}@acme.com\n" for n in range(6))
    rows += "acme.com,Ann,Again,p3@acme.com\nacme.com,Cy,C,\nacme.com,Cy,C,\n"
    contacts = tmp_path / "c.csv"
    contacts.write_text("account,first_name,last_name,email\n" + rows, encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_csv(store, "contacts", contacts, today=TODAY)
    assert [(p.row, p.reason) for p in caught.value.problems] == [
        (8, "repeats row 5 (same e-mail, or same name at the account)"),
        (10, "repeats row 9 (same e-mail, or same name at the account)"),
    ]


def test_a_batch_finds_repeats_within_itself_and_in_earlier_batches() -> None:
    seen = SeenKeys()
    assert seen.first_rows(["a", "b"], [2, 3]) == [None, None]
    assert seen.first_rows(["c", "a", "c", "d"], [4, 5, 6, 7]) == [None, 2, 4, None]
    assert seen.first_rows([date(2026, 1, 1), "d", date(2026, 1, 1)], [8, 9, 10]) == [
        None,
        7,
        8,
    ]
    assert len(seen) == 5
