"""The Dashboard and the Renewals view in the reporting currency (issue 20): a two-currency
portfolio's tiles and forecast equal a hand computation, a missing rate is said in place of the
figures, and a one-currency portfolio reads as before."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot

from am_desktop.domain import fx
from am_desktop.domain.formatting import NO_DATA, money, percent
from am_desktop.services import catalog, rates
from am_desktop.services.store import Store
from am_desktop.ui.context import AppContext
from am_desktop.ui.dashboard import DashboardView
from am_desktop.ui.renewals.view import RenewalsView
from tests.gui.conftest import TODAY

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
EUR_USD = Decimal("1.20")  # the rate of 1 Jun 2026: the latest on or before every report's day


def portfolio(store: Store, de_currency: str) -> None:
    """US (USD, healthy) and DE (``de_currency``, at risk): each grew this year and renews
    within the quarter. The EUR rate of 1 Jun 2026 is the one every report uses."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    for name, code, arr, grew, ends_in, likelihood, band in (
        ("US", "USD", 1000_00, 200_00, 20, 80, "healthy"),
        ("DE", de_currency, 500_00, 100_00, 30, 50, "at_risk"),
    ):
        account = catalog.accounts.create(store, {"name": name, "currency": code}).id
        for days, kind, cents in ((400, "new", arr), (100, "expansion", grew)):
            catalog.movements.create(
                store,
                {"account_id": account, "occurred_on": TODAY - timedelta(days=days),
                 "type": kind, "amount_cents": cents, "currency": code},
            )  # fmt: skip
        end = TODAY + timedelta(days=ends_in)
        contract = catalog.contracts.create(
            store,
            {"account_id": account, "start_date": end - timedelta(days=364), "end_date": end,
             "arr_cents": arr},
        )  # fmt: skip
        catalog.renewals.create(
            store, {"contract_id": contract.id, "stage": "proposal", "likelihood": likelihood}
        )
        with store.raw(write=True) as connection:
            connection.execute(
                "INSERT INTO health_snapshot (account_id, computed_at, score, band, components) "
                "VALUES (?, ?, ?, ?, '[]')",
                (account, now, 40 if band == "at_risk" else 80, band),
            )
    if de_currency != "USD":
        rates.save_rates(
            store,
            [
                fx.Rate(date(2025, 1, 1), "EUR", "USD", Decimal("1.05")),  # older: not used
                fx.Rate(date(2026, 6, 1), "EUR", "USD", EUR_USD),
                fx.Rate(TODAY + timedelta(days=5), "EUR", "USD", Decimal("1.50")),  # future
            ],
        )


@pytest.fixture
def screens(qtbot: QtBot, context: AppContext) -> Iterator[tuple[DashboardView, RenewalsView]]:
    dashboard, renewals = DashboardView(context), RenewalsView(context)
    for widget in (dashboard, renewals):
        qtbot.addWidget(widget)
        widget.resize(1200, 800)
        widget.show()
    yield dashboard, renewals
    dashboard.close()
    renewals.close()


def read(qtbot: QtBot, screens: tuple[DashboardView, RenewalsView]) -> None:
    dashboard, renewals = screens
    dashboard.refresh()
    renewals.refresh()
    qtbot.waitUntil(dashboard.ready)


def test_two_currencies_convert_as_a_hand_computation(
    qtbot: QtBot, context: AppContext, screens: tuple[DashboardView, RenewalsView]
) -> None:
    portfolio(context.store, "EUR")
    read(qtbot, screens)
    dashboard, renewals = screens
    # Ending ARR: $1,000 + $200, and €500 + €100 at 1.20; the twelve months began at
    # $1,000 + €500 at 1.20 = $1,600.
    assert dashboard.period_figures is not None and dashboard.standing is not None
    kpis = dashboard.period_figures.kpis
    assert (kpis.starting_arr, kpis.ending_arr, kpis.expansion) == (1600_00, 1920_00, 320_00)
    tiles = {key: label.text() for key, label in dashboard.tiles.items()}
    assert tiles["arr"] == money(1920_00, "USD", compact=True)
    assert tiles["expansion"] == money(320_00, "USD", compact=True)
    assert tiles["nrr"] == percent(1.2, 0)
    assert tiles["at_risk"] == money(720_00, "USD", compact=True)  # DE's €600 at 1.20
    assert dashboard.rates.text() == "In USD at the rates of 22 Nov 2026: EUR 1.2"
    assert dashboard.rates.isVisibleTo(dashboard)
    # The forecast: this quarter renews $1,000 at 80% and €500 (= $600) at 50%.
    for quarters in (dashboard.standing.forecast, renewals.quarters):
        this_quarter = quarters[0]
        assert (this_quarter.total_cents, this_quarter.weighted_cents) == (1600_00, 1100_00)
    assert renewals.forecast_model.index(0, 2).data() == money(1600_00, "USD")
    assert renewals.summary.text() == (
        f"2 renewals · {money(1600_00, 'USD')} ARR · {money(1100_00, 'USD')} weighted"
    )
    assert renewals.rates.text() == "In USD at the rates of 22 Nov 2026: EUR 1.2"


def test_a_missing_rate_is_said_in_place_of_the_figures(
    qtbot: QtBot, context: AppContext, screens: tuple[DashboardView, RenewalsView]
) -> None:
    portfolio(context.store, "EUR")
    context.settings.prefs.reporting_currency = "GBP"  # no rate converts EUR or USD into GBP
    read(qtbot, screens)
    dashboard, renewals = screens
    sentence = "No EUR rate on or before 22 Nov 2026 to convert into GBP"
    assert dashboard.problem.startswith(sentence)
    assert dashboard.rates.text().startswith(sentence)
    assert {label.text() for label in dashboard.tiles.values()} == {NO_DATA}
    assert not any(chart.isVisibleTo(dashboard) for chart in dashboard.charts)
    assert renewals.rates.text().startswith(sentence)
    assert renewals.quarters == [] and renewals.forecast_model.rowCount() == 0
    assert renewals.summary.text() == "2 renewals"
    # Once the rates are there, the figures come back (in GBP).
    rates.save_rates(
        context.store,
        [fx.Rate(date(2026, 6, 1), "GBP", "USD", Decimal("1.25")),
         fx.Rate(date(2026, 6, 1), "EUR", "USD", EUR_USD)],
    )  # fmt: skip
    read(qtbot, screens)
    assert dashboard.problem == "" and renewals.problem == ""
    assert dashboard.tiles["arr"].text() == money(1536_00, "GBP", compact=True)  # $1,920/1.25


def test_one_currency_reads_as_before(
    qtbot: QtBot, context: AppContext, screens: tuple[DashboardView, RenewalsView]
) -> None:
    portfolio(context.store, "USD")  # no rate recorded, none needed
    read(qtbot, screens)
    dashboard, renewals = screens
    assert dashboard.tiles["arr"].text() == money(1800_00, "USD", compact=True)
    assert dashboard.tiles["at_risk"].text() == money(600_00, "USD", compact=True)
    assert renewals.quarters[0].total_cents == 1500_00
    assert renewals.quarters[0].weighted_cents == 800_00 + 250_00
    assert dashboard.rates.isHidden() and renewals.rates.isHidden()
    assert renewals.summary.text() == (
        f"2 renewals · {money(1500_00, 'USD')} ARR · {money(1050_00, 'USD')} weighted"
    )
