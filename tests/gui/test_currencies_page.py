"""Preferences → Currencies (issue 20): the rate table listed newest first, an import that
adds rates or names each bad row, a rate added and deleted by hand, the empty state, and the
reporting currency saved on OK."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from am_desktop.domain import fx
from am_desktop.services import rates
from am_desktop.ui.context import AppContext
from am_desktop.ui.dialogs.currencies_page import EMPTY_TEXT, CurrenciesPage
from am_desktop.ui.dialogs.preferences import PreferencesDialog

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def shown_rates(page: CurrenciesPage) -> list[tuple[str, str]]:
    """The table's rows as the user reads them, top to bottom."""
    proxy = page.proxy
    return [
        (proxy.index(row, 0).data(), proxy.index(row, 1).data()) for row in range(proxy.rowCount())
    ]


def open_page(qtbot: QtBot, context: AppContext) -> CurrenciesPage:
    page = CurrenciesPage(context, "", "USD")
    qtbot.addWidget(page)
    page.show()  # the page follows the change feed while shown
    return page


def test_the_page_lists_rates_newest_first_and_says_what_to_do_when_empty(
    qtbot: QtBot, context: AppContext
) -> None:
    page = open_page(qtbot, context)
    assert page.stack.currentWidget() is page.empty
    assert page.empty.text.text() == EMPTY_TEXT
    assert "Import a CSV with date,base,quote,rate columns, or add a rate below" in EMPTY_TEXT
    rates.save_rates(
        context.store,
        [
            fx.Rate(date(2026, 1, 2), "EUR", "USD", Decimal("1.0841")),
            fx.Rate(date(2026, 6, 1), "GBP", "USD", Decimal("1.27")),
        ],
    )  # written elsewhere (the command line): the page follows the change feed
    assert page.stack.currentWidget() is page.table
    assert shown_rates(page) == [
        ("1 Jun 2026", "1 GBP = 1.27 USD"),
        ("2 Jan 2026", "1 EUR = 1.0841 USD"),
    ]
    page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert shown_rates(page)[0][0] == "2 Jan 2026"  # sortable: oldest first


def test_an_import_adds_rates_and_says_how_many(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    page = open_page(qtbot, context)
    path = tmp_path / "rates.csv"
    path.write_text("date,base,quote,rate\n2026-06-01,EUR,USD,1.20\n2026-06-01,GBP,USD,1.27\n")
    page.import_file(path)
    assert page.report.text() == (
        "rates.csv: 2 rates added, 0 replaced with a new value, 0 already recorded."
    )
    assert [text for _day, text in shown_rates(page)] == ["1 EUR = 1.2 USD", "1 GBP = 1.27 USD"]
    assert page.import_button.isEnabled()


def test_an_import_with_a_bad_row_names_it_and_writes_nothing(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    page = open_page(qtbot, context)
    path = tmp_path / "rates.csv"
    path.write_text("date,base,quote,rate\n2026-06-01,EUR,USD,1.20\n2026-06-02,EUR,USD,lots\n")
    page.import_file(path)
    report = page.report.text()
    assert report.startswith("Nothing was imported: 1 row has a problem.")
    assert "Row 3: rate 'lots' is not a number such as 1.0841." in report
    assert rates.list_rates(context.store) == []
    assert page.stack.currentWidget() is page.empty


def test_a_rate_is_added_and_deleted_by_hand(qtbot: QtBot, context: AppContext) -> None:
    page = open_page(qtbot, context)
    page.new_day.setDate(QDate(2026, 6, 1))
    page.new_base.setText("eur")
    page.new_quote.setText("USD")
    page.new_rate.setText("1.0841")
    page.add_button.click()
    assert rates.list_rates(context.store) == [
        fx.Rate(date(2026, 6, 1), "EUR", "USD", Decimal("1.0841"))
    ]
    assert shown_rates(page) == [("1 Jun 2026", "1 EUR = 1.0841 USD")]
    assert page.report.text() == "1 EUR = 1.0841 USD on 1 Jun 2026: added."
    page.new_rate.setText("abc")
    page.add_button.click()
    assert "The rate 'abc' is not a number" in page.report.text()
    assert len(rates.list_rates(context.store)) == 1
    assert not page.delete_button.isEnabled()
    page.table.selectionModel().select(
        page.proxy.index(0, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert page.delete_button.isEnabled()
    page.delete_button.click()
    assert rates.list_rates(context.store) == []
    assert page.report.text() == "1 rate deleted."
    assert page.stack.currentWidget() is page.empty


def test_the_reporting_currency_lives_on_the_currencies_page_and_is_saved_on_ok(
    qtbot: QtBot, context: AppContext
) -> None:
    dialog = PreferencesDialog(context, section="currencies")
    qtbot.addWidget(dialog)
    assert dialog.pages.tabText(dialog.pages.currentIndex()) == "C&urrencies"
    assert dialog.pages.currentWidget() is dialog.currencies
    dialog.reporting_currency.setCurrentText("eur")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert context.settings.prefs.reporting_currency == "EUR"


def test_the_first_reporting_choice_names_my_currency_as_typed_on_general(
    qtbot: QtBot, context: AppContext
) -> None:
    context.settings.prefs.currency = "GBP"
    dialog = PreferencesDialog(context, section="currencies")
    qtbot.addWidget(dialog)
    assert dialog.reporting_currency.currentText() == "My currency (GBP)"
    dialog.currency.setCurrentText("eur")
    assert dialog.reporting_currency.itemText(0) == "My currency (EUR)"
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert context.settings.prefs.reporting_currency == ""  # follows my currency
