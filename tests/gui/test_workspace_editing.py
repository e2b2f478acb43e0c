"""Editing in an account's workspace (issue 16, items 9–11): the Renewals tab's buttons follow
the selected renewal and its messages do not outlive the state they were about; an added
record's row is selected, shown and edited; a win shows its ledger movement before writing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QAbstractItemView, QDialogButtonBox
from pytestqt.qtbot import QtBot

from am_desktop.services import catalog, ledger, renewals
from am_desktop.ui.bus import Level
from am_desktop.ui.context import AppContext
from am_desktop.ui.record_table import RecordTable
from am_desktop.ui.workspace import AccountWorkspace, WorkspaceTab
from am_desktop.ui.workspace.won_dialog import WonPreviewDialog
from tests.gui.conftest import TODAY

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\))"
)


@pytest.fixture
def acme(context: AppContext) -> int:
    return catalog.accounts.create(context.store, {"name": "Acme"}).id


@pytest.fixture
def workspace(qtbot: QtBot, context: AppContext, acme: int) -> Iterator[AccountWorkspace]:
    undo = QUndoStack()
    widget = AccountWorkspace(context, acme, undo)
    widget.undo_stack = undo  # type: ignore[attr-defined]  # kept alive with the workspace
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.close()


def test_the_renewals_table_has_no_blank_button(workspace: AccountWorkspace) -> None:
    workspace.show_tab(WorkspaceTab.RENEWALS)
    table = workspace.renewals_tab.renewals
    shown = [b for b in table.findChildren(type(table.add_button)) if b.isVisibleTo(table)]
    assert shown and all(button.text().strip() for button in shown)


def test_reopen_follows_the_selected_renewal_and_messages_clear(
    qtbot: QtBot, context: AppContext, workspace: AccountWorkspace, acme: int
) -> None:
    renewals.add_contract(context.store, acme, TODAY - timedelta(days=300))
    workspace.show_tab(WorkspaceTab.RENEWALS)
    tab = workspace.renewals_tab
    qtbot.waitUntil(lambda: tab.renewals.model.rowCount() == 1)
    renewal_id = tab.renewals.model.ids()[0]
    assert not tab.reopen_button.isEnabled()  # nothing selected
    tab.renewals.select_id(renewal_id)
    assert tab.close_renewal_button.isEnabled() and not tab.reopen_button.isEnabled()
    tab.renewals.show_error("Use Close renewal… to mark it renewed or churned.")
    renewals.close_renewal(context.store, renewal_id, renewed=False, on=TODAY)
    qtbot.waitUntil(tab.reopen_button.isEnabled)
    assert not tab.close_renewal_button.isEnabled()
    assert tab.renewals.selected_ids() == [renewal_id]  # still selected, now closed
    assert tab.renewals.error.isHidden()  # the complaint was about the open renewal
    tab.renewals.show_error("Something about this one")
    tab.renewals.view.clearSelection()
    assert tab.renewals.error.isHidden() and not tab.reopen_button.isEnabled()


TablePick = Callable[[AccountWorkspace], RecordTable]


@pytest.mark.parametrize(
    "case",
    [
        (WorkspaceTab.OVERVIEW, lambda w: w.overview_tab.objectives, "New objective"),
        (WorkspaceTab.OVERVIEW, lambda w: w.overview_tab.whitespace, "New product"),
        (WorkspaceTab.OPPORTUNITIES, lambda w: w.pipeline.opportunities, "New opportunity"),
        (WorkspaceTab.ISSUES, lambda w: w.issues_tab.issues, "New issue"),
    ],
)
def test_an_added_row_is_selected_shown_and_edited(
    qtbot: QtBot,
    context: AppContext,
    workspace: AccountWorkspace,
    acme: int,
    case: tuple[WorkspaceTab, TablePick, str],
) -> None:
    tab_key, table_of, first = case
    for number in range(12):  # enough rows that the new one is below the fold
        catalog.objectives.create(context.store, {"account_id": acme, "title": f"Goal {number}"})
    workspace.show_tab(tab_key)
    table = table_of(workspace)
    table.add_button.click()
    view = table.view
    qtbot.waitUntil(lambda: view.state() is QAbstractItemView.State.EditingState)
    (new_id,) = table.selected_ids()
    row = table.model.row_for_id(new_id)
    assert table.model.index(row, 0).data() == first
    assert view.currentIndex().row() == row and view.currentIndex().column() == 0
    rect = view.visualRect(view.currentIndex())
    assert view.viewport().rect().contains(rect.center())  # scrolled to it
    assert (
        view.viewport().visibleRegion().contains(rect.center())
    )  # and the table to it, in its page


def _opportunity(context: AppContext, acme: int, amount: int = 1_200_000) -> int:
    values = {"account_id": acme, "name": "Analytics add-on", "amount_cents": amount}
    return catalog.opportunities.create(context.store, values).id


def _answer(monkeypatch: pytest.MonkeyPatch, confirm: bool) -> list[str]:
    """Answer the win preview (and keep what it said)."""
    said: list[str] = []

    def exec_(dialog: WonPreviewDialog) -> int:
        said.append(dialog.effect.text())
        cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        (dialog.confirm if confirm else cancel).click()
        return int(dialog.result())

    monkeypatch.setattr(WonPreviewDialog, "exec", exec_)
    return said


def test_a_win_shows_its_movement_and_cancel_writes_nothing(
    qtbot: QtBot,
    context: AppContext,
    workspace: AccountWorkspace,
    acme: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opportunity = _opportunity(context, acme)
    workspace.show_tab(WorkspaceTab.OPPORTUNITIES)
    table = workspace.pipeline.opportunities
    qtbot.waitUntil(lambda: table.model.rowCount() == 1)
    table.select_id(opportunity)
    said = _answer(monkeypatch, confirm=False)
    workspace.pipeline.won_button.click()
    assert said == [
        "Writes an expansion of $12,000 to the ARR ledger on 22 Nov 2026, "
        "and marks the opportunity won."
    ]
    assert ledger.account_movements(context.store, acme) == []
    assert not catalog.opportunities.get(context.store, opportunity).stage.is_closed


def test_a_confirmed_win_is_written_and_said_in_the_status_bar(
    qtbot: QtBot,
    context: AppContext,
    workspace: AccountWorkspace,
    acme: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opportunity = _opportunity(context, acme)
    workspace.show_tab(WorkspaceTab.OPPORTUNITIES)
    table = workspace.pipeline.opportunities
    qtbot.waitUntil(lambda: table.model.rowCount() == 1)
    table.select_id(opportunity)
    posted: list[tuple[Level, str]] = []
    context.messages.flush_to_listeners()
    context.messages.posted.connect(lambda level, text: posted.append((level, text)))
    _answer(monkeypatch, confirm=True)
    workspace.pipeline.won_button.click()
    (movement,) = ledger.account_movements(context.store, acme)
    assert movement.amount_cents == 1_200_000 and movement.occurred_on == TODAY
    assert posted == [(Level.INFO, "Won: +$12,000 expansion written to the ledger")]
    qtbot.waitUntil(lambda: not workspace.pipeline.won_button.isEnabled())  # won: closed
