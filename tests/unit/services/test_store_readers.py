"""Store.raw's reads reuse idle connections (a warm page cache) without changing what they see."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from am_desktop.services import catalog
from am_desktop.services import store as store_module
from am_desktop.services.store import Store


def _names(store: Store) -> list[str]:
    with store.raw() as connection:
        return [row[0] for row in connection.execute("SELECT name FROM account ORDER BY name")]


def test_a_read_reuses_the_connection_the_last_read_left(store: Store) -> None:
    with store.raw() as first:
        pass
    with store.raw() as second:
        assert second is first


def test_a_reused_connection_sees_later_writes(store: Store) -> None:
    assert _names(store) == []
    catalog.accounts.create(store, {"name": "Acme", "domain": "acme.com"})
    assert _names(store) == ["Acme"]
    with store.raw(write=True) as connection:
        connection.execute("UPDATE account SET name = 'Acme Ltd'")
    assert _names(store) == ["Acme Ltd"]
    other = Store(store.path)  # another window's store writes to the same file
    try:
        catalog.accounts.create(other, {"name": "Bolt", "domain": "bolt.io"})
    finally:
        other.close()
    assert _names(store) == ["Acme Ltd", "Bolt"]


def test_a_write_gets_a_connection_of_its_own(store: Store) -> None:
    with store.raw() as reader:
        pass
    with store.raw(write=True) as writer:
        assert writer is not reader


def test_a_failed_read_is_not_kept(store: Store) -> None:
    try:
        with store.raw() as failed:
            raise RuntimeError("the caller's own trouble")
    except RuntimeError:
        pass
    with store.raw() as next_one:
        assert next_one is not failed


def test_at_most_a_few_idle_readers_are_kept_and_close_releases_them(store: Store) -> None:
    opened = store_module.IDLE_READERS + 3
    entered, release = threading.Barrier(opened), threading.Event()

    def read() -> None:
        with store.raw() as connection:
            connection.execute("SELECT count(*) FROM account").fetchone()
            entered.wait(timeout=30)
            release.wait(timeout=30)

    threads = [threading.Thread(target=read) for _ in range(opened)]
    for thread in threads:
        thread.start()
    release.set()
    for thread in threads:
        thread.join()
    idle = list(store._idle_readers)
    assert len(idle) == store_module.IDLE_READERS
    store.close()
    for connection in idle:
        try:
            connection.execute("SELECT 1")
        except sqlite3.ProgrammingError:  # closed
            continue
        raise AssertionError("an idle reader was left open after close()")


def test_a_read_that_ends_after_close_is_not_kept(store: Store) -> None:
    """A read still running on a worker when the window closes the store (a restore or an
    encryption follows) must not leave its connection open on the file."""
    with store.raw() as late:
        store.close()
    with pytest.raises(sqlite3.ProgrammingError):  # closed, not kept for the next read
        late.execute("SELECT 1")
    with store.raw() as next_one:
        assert next_one is not late
