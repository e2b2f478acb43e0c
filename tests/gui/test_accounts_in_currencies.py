"""The accounts list in currencies (issue 20): an account's ARR in its own currency, the
reporting figure beside it where they differ, "—" with fx's sentence without a rate, and the
list following a rate written while it is shown."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from am_desktop.domain import fx
from am_desktop.services import catalog, rates
from am_desktop.ui.context import AppContext
from am_desktop.ui.dialogs.account_dialog import AccountDialog, select_currency
from am_desktop.ui.main_window import MainWindow
from am_desktop.ui.window.views import ViewKey
from tests.gui.conftest import TODAY

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
ARR, REPORTING = 4, 5


@pytest.fixture
def window(qtbot: QtBot, context: AppContext) -> Iterator[MainWindow]:
    context.settings.prefs.currency = "USD"
    for name, code, cents in (("Berlin", "EUR", 120_000_00), ("Chicago", "USD", 50_000_00),
                              ("Zurich", "CHF", 80_000_00)):  # fmt: skip
        account = catalog.accounts.create(context.store, {"name": name, "currency": code})
        catalog.movements.create(
            context.store,
            {"account_id": account.id, "occurred_on": TODAY - timedelta(days=100),
             "type": "new", "amount_cents": cents, "currency": code},
        )  # fmt: skip
    rates.save_rates(
        context.store, [fx.Rate(TODAY - timedelta(days=30), "EUR", "USD", Decimal("1.10"))]
    )
    main = MainWindow(context)
    qtbot.addWidget(main)
    main.show()
    main.show_view(ViewKey.ACCOUNTS)
    main.start()
    qtbot.waitUntil(lambda: main.model.rowCount() == 3)
    yield main
    main.close()


def cells(window: MainWindow, name: str) -> tuple[str, str, str | None]:
    """An account's ARR, its reporting figure and that figure's tooltip."""
    model = window.model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == name)
    reporting = model.index(row, REPORTING)
    return (
        model.index(row, ARR).data(),
        reporting.data(),
        reporting.data(Qt.ItemDataRole.ToolTipRole),
    )


def test_a_foreign_account_shows_both_figures_and_a_home_one_one(window: MainWindow) -> None:
    assert window.model.headerData(REPORTING, Qt.Orientation.Horizontal) == "ARR (USD)"
    arr, converted, tip = cells(window, "Berlin")
    assert (arr, converted) == ("€120,000", "$132,000")
    assert tip == "1 EUR = 1.1 USD (23 Oct 2026)"
    assert cells(window, "Chicago")[:2] == ("$50,000", "")
    assert not window.accounts_list.view.table.isColumnHidden(REPORTING)


def test_a_one_currency_portfolio_shows_no_second_column(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    for account in catalog.accounts.find(context.store):
        if account.currency != "USD":
            catalog.accounts.update(context.store, account.id, {"currency": "USD"})
    table = window.accounts_list.view.table
    qtbot.waitUntil(lambda: table.isColumnHidden(REPORTING))
    # Its movement stays in EUR: the account's ARR converts it (€120,000 x 1.10), never
    # reads €120,000 as $120,000.
    assert cells(window, "Berlin")[:2] == ("$132,000", "")


def test_a_missing_rate_shows_a_dash_with_the_sentence(window: MainWindow) -> None:
    arr, converted, tip = cells(window, "Zurich")
    assert (arr, converted) == ("CHF 80,000", "—")
    assert tip is not None and tip.startswith("No CHF rate on or before 22 Nov 2026")


def test_the_list_follows_a_new_rate_and_sorts_arr_on_the_reporting_figure(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    rates.add_rate(context.store, TODAY.isoformat(), "CHF", "USD", "2")
    qtbot.waitUntil(lambda: cells(window, "Zurich")[1] == "$160,000")
    window.model.sort(REPORTING, Qt.SortOrder.DescendingOrder)  # a header click
    qtbot.waitUntil(
        lambda: (
            [window.model.index(r, 0).data() for r in range(3)] == ["Zurich", "Berlin", "Chicago"]
        )
    )


def test_the_reporting_currency_setting_relabels_the_second_figure(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    context.settings.prefs.reporting_currency = "EUR"
    qtbot.waitUntil(
        lambda: window.model.headerData(REPORTING, Qt.Orientation.Horizontal) == "ARR (EUR)"
    )
    assert cells(window, "Berlin")[:2] == ("€120,000", "")
    assert cells(window, "Chicago")[:2] == ("$50,000", "€45,455")


def test_an_unknown_arr_says_why_in_its_own_cell(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    """A USD account whose ledger holds a GBP renewal and no GBP rate: its own ARR is "—" and
    the cell says which rate is missing (``summaries.arr_problem``), as the second one does."""
    account = catalog.accounts.create(context.store, {"name": "Denver", "currency": "USD"})
    catalog.movements.create(
        context.store,
        {"account_id": account.id, "occurred_on": TODAY - timedelta(days=10),
         "type": "new", "amount_cents": 10_000_00, "currency": "GBP"},
    )  # fmt: skip
    qtbot.waitUntil(lambda: window.model.rowCount() == 4)
    model = window.model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "Denver")
    own = model.index(row, ARR)
    assert own.data() == "—"
    tip = own.data(Qt.ItemDataRole.ToolTipRole)
    assert tip is not None and tip.startswith("No GBP rate on or before")
    assert "into USD" in tip
    assert cells(window, "Berlin")[0] == "€120,000"  # a known ARR needs no tooltip
    berlin = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "Berlin")
    assert model.index(berlin, ARR).data(Qt.ItemDataRole.ToolTipRole) is None


def _change_currency(qtbot: QtBot, context: AppContext, name: str, code: str) -> AccountDialog:
    (account,) = [a for a in catalog.accounts.find(context.store) if a.name == name]
    dialog = AccountDialog(context, account)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.currency_note.isHidden()  # the saved currency: nothing to say
    select_currency(dialog.currency, code)
    return dialog


def test_changing_an_accounts_currency_says_what_stays_and_the_list_converts(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    dialog = _change_currency(qtbot, context, "Berlin", "USD")
    assert dialog.currency_note.isVisible()
    assert dialog.currency_note.text() == (
        "Existing contracts and ARR stay in EUR;\ntotals convert them at your exchange rates."
    )
    select_currency(dialog.currency, "EUR")
    assert dialog.currency_note.isHidden()  # back to the saved one
    select_currency(dialog.currency, "USD")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    # Its ledger stays €120,000; the list reads it in USD at 1.10.
    qtbot.waitUntil(lambda: cells(window, "Berlin")[:2] == ("$132,000", ""))


def test_a_new_currency_without_a_rate_shows_a_dash_with_the_reason(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    dialog = _change_currency(qtbot, context, "Zurich", "USD")
    assert "stay in CHF" in dialog.currency_note.text()
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: cells(window, "Zurich")[0] == "—")
    model = window.model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "Zurich")
    tip = model.index(row, ARR).data(Qt.ItemDataRole.ToolTipRole)
    assert tip is not None and tip.startswith("No CHF rate on or before")
