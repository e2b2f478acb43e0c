"""The business review's data and deck, and the Dashboard's ledger reads (issue 7)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import IO

import pytest
from matplotlib.figure import Figure

from am_desktop.charts import review as charts
from am_desktop.errors import Cancelled
from am_desktop.services import catalog
from am_desktop.services.dashboard import period_data, standing_data
from am_desktop.services.files import writing
from am_desktop.services.review import review_data
from am_desktop.services.store import Store

START, END = date(2026, 1, 1), date(2026, 6, 30)


def move(store: Store, account: int, on: date, kind: str, amount: int) -> None:
    catalog.movements.create(
        store, {"account_id": account, "occurred_on": on, "type": kind, "amount_cents": amount}
    )


def texts(figure: Figure) -> list[str]:
    """Every piece of text a figure draws (titles, annotations, placeholders)."""
    found = [t.get_text() for t in figure.texts]
    for axes in figure.axes:
        found += [t.get_text() for t in axes.texts] + [axes.get_title(loc="left")]
    return found


def test_arr_by_month_is_the_ledger_at_each_month_end(store: Store) -> None:
    a = catalog.accounts.create(store, {"name": "A"}).id
    b = catalog.accounts.create(store, {"name": "B"}).id
    move(store, a, date(2025, 12, 31), "new", 100_00)  # before the period: the opening ARR
    move(store, a, date(2026, 1, 31), "expansion", 10_00)  # a month's last day
    move(store, b, date(2026, 2, 1), "new", 5_00)
    move(store, b, date(2026, 4, 15), "churn", 5_00)
    move(store, a, date(2026, 6, 30), "contraction", 20_00)  # the period's last day
    move(store, a, date(2026, 7, 1), "expansion", 999_00)  # after: not shown
    data = period_data(store, START, END)
    assert data.arr_by_month == (
        (date(2026, 1, 31), 110_00),
        (date(2026, 2, 28), 115_00),
        (date(2026, 3, 31), 115_00),
        (date(2026, 4, 30), 110_00),
        (date(2026, 5, 31), 110_00),
        (date(2026, 6, 30), 90_00),
    )
    assert data.kpis.ending_arr == 90_00


def test_ending_arr_is_every_accounts_arr_even_below_zero(store: Store) -> None:
    a = catalog.accounts.create(store, {"name": "A"}).id
    b = catalog.accounts.create(store, {"name": "B"}).id
    move(store, a, date(2026, 2, 1), "new", 100_00)
    move(store, b, date(2026, 2, 1), "contraction", 30_00)  # bad data: B goes negative
    data = period_data(store, START, END)
    assert data.kpis.ending_arr == 70_00 == data.arr_by_month[-1][1]  # tile and chart agree
    assert data.kpis.accounts_at_end == 1


def test_standing_data_reads_each_accounts_newest_score(store: Store) -> None:
    a = catalog.accounts.create(store, {"name": "A"}).id
    with store.raw(write=True) as connection:
        connection.executemany(
            "INSERT INTO health_snapshot (account_id, computed_at, score, band, components) "
            "VALUES (?, ?, ?, ?, '[]')",
            [(a, "2026-05-01 09:00:00.000000", 80, "healthy"),
             (a, "2026-06-01 09:00:00.000000", 30, "at_risk")],
        )  # fmt: skip
    now = standing_data(store, date(2026, 6, 2))
    assert now.bands == {"healthy": 0, "watch": 0, "at_risk": 1}
    assert [r.account_id for r in now.at_risk] == [a]


def test_an_account_without_arr_says_so_instead_of_a_flat_line(store: Store) -> None:
    a = catalog.accounts.create(store, {"name": "Quiet"}).id
    data = review_data(store, START, END, account_id=a)
    assert "No ARR recorded." in texts(charts.arr_history(data))


def test_a_portfolio_with_many_movements_counts_them_instead_of_marking_each(
    store: Store,
) -> None:
    a = catalog.accounts.create(store, {"name": "A"}).id
    move(store, a, date(2025, 12, 1), "new", 1000_00)
    for day in range(1, 32):
        move(store, a, date(2026, 3, day), "expansion", 1_00)
        move(store, a, date(2026, 5, day), "contraction", 1_00)
    figure = charts.arr_history(review_data(store, START, END))
    assert not figure.axes[0].collections  # no line a movement
    assert any("62 movements: +$31, −$31" in text for text in texts(figure))
    few = charts.arr_history(review_data(store, date(2026, 3, 1), date(2026, 3, 3)))
    (growth,) = few.axes[0].collections  # three green lines, no red
    assert len(growth.get_segments()) == 3 and growth.get_label() == "Growth"


def test_the_health_trend_keeps_to_the_period_and_the_bands_are_the_users(
    store: Store,
) -> None:
    a = catalog.accounts.create(store, {"name": "A"}).id
    with store.raw(write=True) as connection:
        connection.executemany(
            "INSERT INTO health_snapshot (account_id, computed_at, score, band, components) "
            "VALUES (?, ?, ?, 'watch', '[]')",
            [(a, "2025-12-31 09:00:00.000000", 10), (a, "2026-03-01 09:00:00.000000", 50),
             (a, "2026-07-01 09:00:00.000000", 90)],
        )  # fmt: skip
    data = review_data(store, START, END, account_id=a, bands=(80.0, 50.0))
    assert data.health_trend == ((date(2026, 3, 1), 50.0),)
    assert "bands at 50 and 80" in " ".join(texts(charts.health_trend(data)))
    portfolio = review_data(store, START, END)
    assert portfolio.health_trend == ((date(2026, 3, 1), 50.0),)  # the mean of the day


def test_cancelling_while_the_deck_is_written_leaves_no_half_deck(
    store: Store, tmp_path: Path
) -> None:
    data = review_data(store, START, END)
    folder = tmp_path / "deck"
    folder.mkdir()
    steps: list[tuple[int, int, str]] = []

    def progress(done: int, total: int, stage: str) -> None:
        steps.append((done, total, stage))
        if stage == "Writing the deck" and done == 3:
            raise Cancelled

    def open_file(name: str) -> AbstractContextManager[IO[bytes]]:
        return writing(folder / name)

    with pytest.raises(Cancelled):
        charts.write_review(data, END, open_file, formats=["pdf"], progress=progress)
    assert list(folder.iterdir()) == []  # no PDF, no temporary file
    assert steps[-1][1] == 8  # a step a page: title, summary, six charts
    written = charts.write_review(data, END, open_file, formats=["pdf"], charts=["arr"])
    assert written == ["Portfolio - business review.pdf"]
    assert [p.name for p in folder.iterdir()] == written
    assert (folder / written[0]).read_bytes().startswith(b"%PDF")
