"""The Today view on its generic table models: what each list shows, opening, snoozing, ticking."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from am_desktop.services import catalog, notes
from am_desktop.ui.context import AppContext
from am_desktop.ui.tasks import InlineTaskRunner, Lane
from am_desktop.ui.today import TodayView
from tests.gui.conftest import TODAY

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)"
)


@pytest.fixture
def today(qtbot: QtBot, context: AppContext) -> Iterator[TodayView]:
    view = TodayView(context)
    qtbot.addWidget(view)
    view.resize(1100, 900)
    view.show()  # Today follows the change feed while shown
    yield view
    view.close()


@pytest.fixture
def acme(context: AppContext) -> int:
    account = catalog.accounts.create(context.store, {"name": "Acme", "tier": "key"}).id
    contract = catalog.contracts.create(
        context.store,
        {"account_id": account, "name": "Platform", "start_date": TODAY - timedelta(days=300),
         "end_date": TODAY + timedelta(days=30), "arr_cents": 500_000},
    )  # fmt: skip
    catalog.renewals.create(context.store, {"contract_id": contract.id, "stage": "proposal"})
    return account


def test_each_list_shows_its_rows_caption_and_empty_text(
    today: TodayView, context: AppContext, acme: int
) -> None:
    catalog.escalations.create(
        context.store,
        {"account_id": acme, "title": "Outage", "opened_on": TODAY, "severity": "high"},
    )
    today.refresh()
    renewals, issues = today.models["renewals"], today.models["issues"]
    assert today.captions["renewals"].text() == "Renewals in the next 90 days (1)"
    headers = [renewals.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headers == ["Account — contract", "Ends", "ARR", "Stage"]
    assert renewals.index(0, 0).data().startswith("Acme — ")
    assert renewals.index(0, 1).data() == "in 30 days"
    assert issues.index(0, 0).data() == "Outage"
    assert issues.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == "Outage"
    assert issues.index(0, 2).data() == "High"
    assert today.captions["health_drops"].text() == "Health dropped since last week"
    drops = today.models["health_drops"]
    assert drops.index(0, 0).data() == "No account's health band fell this week."
    assert drops.index(0, 0).flags() == Qt.ItemFlag.NoItemFlags
    assert today.welcome.isHidden()  # there is a portfolio
    assert "double-click opens" in today.subtitle.text()


def test_enter_opens_a_row_and_an_action_item_opens_its_note(
    qtbot: QtBot, today: TodayView, context: AppContext, acme: int
) -> None:
    note = notes.create_note(
        context.store,
        {"account_id": acme, "occurred_at": "2026-11-20T10:00Z",
         "body": f"- [ ] Send the deck due:{TODAY + timedelta(days=2)}\n"},
    )  # fmt: skip
    today.refresh()
    renewal_id = today.models["renewals"].id_at(0)
    view = today.views["renewals"]
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    with qtbot.waitSignal(today.open_requested) as opened:
        QTest.keyClick(view, Qt.Key.Key_Return)
    assert opened.args == ["renewal", acme, renewal_id]
    actions = today.views["actions"]
    with qtbot.waitSignal(today.open_requested) as opened:
        actions.activated.emit(actions.model().index(0, 1))  # what a double-click sends
    assert opened.args == ["note", acme, note.id]


def test_right_click_snoozes_a_row_for_three_days(
    qtbot: QtBot, today: TodayView, context: AppContext, acme: int
) -> None:
    catalog.escalations.create(
        context.store,
        {"account_id": acme, "title": "Outage", "opened_on": TODAY, "severity": "high"},
    )
    today.refresh()
    view = today.views["issues"]
    where = view.visualRect(view.model().index(0, 0)).center()
    view.customContextMenuRequested.emit(where)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    snooze = next(a for a in menu.actions() if a.text() == "Snooze for 3 days")
    snooze.trigger()
    menu.close()
    assert today.models["issues"].index(0, 0).data() == "No open escalations."
    snoozed = context.settings.snoozed_alerts()
    issue_id = catalog.escalations.find(context.store)[0].id
    assert snoozed[f"today:issue:{issue_id}"] == TODAY + timedelta(days=3)
    today.refresh()  # read again: still hidden
    assert today.models["issues"].ids() == []


def test_ticking_an_action_item_marks_it_done_on_the_write_lane(
    today: TodayView, context: AppContext, acme: int
) -> None:
    note = notes.create_note(
        context.store,
        {"account_id": acme, "occurred_at": "2026-11-20T10:00Z",
         "body": f"- [ ] Send the deck due:{TODAY + timedelta(days=2)}\n"},
    )  # fmt: skip
    today.refresh()
    actions = today.models["actions"]
    assert today.captions["actions"].text() == "Action items due (1)"
    runner = context.tasks
    assert isinstance(runner, InlineTaskRunner)
    runner.submitted.clear()
    actions.setData(actions.index(0, 0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert runner.submitted[0] is Lane.WRITE
    assert catalog.notes.get(context.store, note.id).body.startswith("- [x] Send the deck")
    assert actions.ids() == []  # the change feed refreshed Today
    assert actions.index(0, 0).data().startswith("Nothing due this week.")
    assert today.captions["actions"].text() == "Action items due"


def test_an_empty_portfolio_is_welcomed(today: TodayView) -> None:
    today.refresh()
    assert not today.welcome.isHidden()
    assert all(model.ids() == [] for model in today.models.values())
