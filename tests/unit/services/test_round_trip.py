"""Export then import (README "Export"): every kind comes back one for one, dry run or not."""

from __future__ import annotations

import io
import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from am_desktop.domain.csv_formats import KINDS
from am_desktop.services.seed import SCALES, seed_database
from am_desktop.services.store import Store, open_store
from am_desktop.services.transfer.exporter import export_records
from am_desktop.services.transfer.importer import import_csv

#: A day on which the small seed holds two notes with the same account, time and title.
TODAY = date(2026, 12, 1)
#: Kinds whose records the others name: every kind's parents are imported first.
PARENTS = ("accounts", "contacts")


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory, _template_db: Path) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "seeded.sqlite3"
    shutil.copyfile(_template_db, path)
    store = open_store(path)
    seed_database(store, SCALES["small"], seed=1, today=TODAY)
    store.close()
    return path


@pytest.fixture
def seeded(seeded_db: Path, tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "copy.sqlite3"
    shutil.copyfile(seeded_db, path)
    store = open_store(path)
    yield store
    store.close()


def export_file(store: Store, kind: str, folder: Path) -> tuple[Path, int]:
    out = io.StringIO(newline="")
    count = export_records(store, kind, out, today=TODAY)
    path = folder / f"{kind}.csv"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return path, count


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    connection = sqlite3.connect(path)
    names = connection.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
    tables = [row[0] for row in names]
    dumped = {t: connection.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}
    connection.close()
    return dumped


def test_the_seed_holds_notes_whose_natural_key_repeats(seeded: Store) -> None:
    """The case of issue 14 item 14, which the round trips below must survive."""
    with sqlite3.connect(seeded.path) as connection:
        keys = connection.execute("SELECT account_id, occurred_at, lower(title) FROM note")
        repeats = [key for key, n in Counter(keys).items() if n > 1]
    assert repeats


@pytest.mark.parametrize("kind", KINDS)
def test_an_export_imports_back_into_its_database_unchanged(
    seeded: Store, tmp_path: Path, kind: str
) -> None:
    path, count = export_file(seeded, kind, tmp_path)
    before = dump(seeded.path)
    for dry_run in (True, False):
        summary = import_csv(seeded, kind, path, dry_run=dry_run, today=TODAY)
        counts = (summary.added, summary.updated, summary.unchanged, summary.skipped)
        assert counts == (0, 0, count, 0), (kind, dry_run)
    assert dump(seeded.path) == before


@pytest.mark.parametrize("kind", KINDS)
def test_an_export_imports_whole_into_a_fresh_database_with_its_parents(
    seeded: Store, store: Store, tmp_path: Path, kind: str
) -> None:
    for parent in PARENTS[: PARENTS.index(kind) if kind in PARENTS else None]:
        import_csv(store, parent, export_file(seeded, parent, tmp_path)[0], today=TODAY)
    path, count = export_file(seeded, kind, tmp_path)
    assert count > 0
    for dry_run in (True, False):
        summary = import_csv(store, kind, path, dry_run=dry_run, today=TODAY)
        counts = (summary.added, summary.updated, summary.unchanged, summary.skipped)
        assert counts == (count, 0, 0, 0), (kind, dry_run)
    again = import_csv(store, kind, path, today=TODAY)
    assert (again.added, again.updated, again.unchanged) == (0, 0, count), kind
