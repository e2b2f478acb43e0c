"""Renewals in the window: the timeline, the upcoming list, the forecast, closing in a workspace."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from am_desktop.domain.enums import MovementType, RenewalStage
from am_desktop.services import catalog, ledger
from am_desktop.ui.context import AppContext
from am_desktop.ui.renewals.timeline import HEADER_HEIGHT, LABEL_WIDTH, ROW_HEIGHT
from am_desktop.ui.renewals.view import RenewalsView
from tests.gui.conftest import TODAY

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def accounts(context: AppContext) -> list[int]:
    store = context.store
    made = []
    for name, tier, ends_in, likelihood in (
        ("Acme", "strategic", 20, 80),
        ("Globex", "key", 75, 30),
        ("Initech", "standard", 150, 60),
    ):
        account = catalog.accounts.create(store, {"name": name, "tier": tier}).id
        catalog.movements.create(
            store,
            {"account_id": account, "occurred_on": TODAY - timedelta(days=400), "type": "new",
             "amount_cents": 10_000_00},
        )  # fmt: skip
        end = TODAY + timedelta(days=ends_in)
        contract = catalog.contracts.create(
            store,
            {"account_id": account, "name": "Platform", "start_date": end - timedelta(days=364),
             "end_date": end, "arr_cents": 10_000_00, "notice_days": 30},
        )  # fmt: skip
        catalog.renewals.create(
            store, {"contract_id": contract.id, "stage": "proposal", "likelihood": likelihood}
        )
        made.append(account)
    return made


@pytest.fixture
def view(qtbot: QtBot, context: AppContext, accounts: list[int]) -> Iterator[RenewalsView]:
    widget = RenewalsView(context)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    widget.refresh()
    yield widget
    widget.close()


def test_the_timeline_lists_each_contract_and_a_click_opens_its_renewal(
    qtbot: QtBot, view: RenewalsView, accounts: list[int]
) -> None:
    timeline = view.timeline
    assert [line.row.account for line in timeline.lines if line.row] == [
        "Acme",
        "Globex",
        "Initech",
    ]
    timeline.verticalScrollBar().setValue(0)
    y = int(HEADER_HEIGHT + ROW_HEIGHT * 1.5)
    x = int(LABEL_WIDTH + timeline.scale.x(TODAY)) + 4  # on Globex's bar, which spans today
    with qtbot.waitSignal(timeline.renewal_activated) as opened:
        QTest.mouseClick(timeline.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    assert opened.args[0] == accounts[1]
    assert "Globex" in timeline._tooltip(timeline.lines[1].row)  # type: ignore[arg-type]
    image = timeline.viewport().grab().toImage()
    assert not image.isNull()


def test_grouping_adds_a_heading_per_group(view: RenewalsView) -> None:
    view.group.setCurrentIndex(view.group.findData("tier"))
    headings = [line.heading for line in view.timeline.lines if line.heading]
    assert headings == ["Key", "Standard", "Strategic"]


def test_zoom_and_scroll_move_the_days_under_the_view(view: RenewalsView) -> None:
    timeline = view.timeline
    per_day = timeline.scale.px_per_day
    timeline.zoom(2.0, 100.0)
    assert timeline.scale.px_per_day == pytest.approx(per_day * 2)
    start = timeline.scale.start
    QTest.keyClick(timeline, Qt.Key.Key_Right)
    assert timeline.scale.start == start + timedelta(days=14)
    QTest.keyClick(timeline, Qt.Key.Key_Home)
    assert timeline.scale.start < TODAY
    view.spans.button(24).click()
    assert timeline.chart_width / timeline.scale.px_per_day > 700  # two years across


def test_the_upcoming_list_filters_by_window_and_stage(qtbot: QtBot, view: RenewalsView) -> None:
    ModelTester(qtbot).check(view.model)  # type: ignore[no-untyped-call]
    assert [r.account for r in view.model.rows] == ["Acme", "Globex"]  # within 90 days
    view.window_filter.setCurrentIndex(view.window_filter.findData(None))
    assert len(view.model.rows) == 3
    view.stage.setCurrentIndex(view.stage.findData("negotiation"))
    assert view.model.rows == []
    assert "0 renewals" in view.summary.text()


def test_the_forecast_is_shown_and_exported(view: RenewalsView, tmp_path: Path) -> None:
    assert [q.renewals for q in view.quarters] == [1, 1, 1, 0]  # Q4 2026 … Q3 2027
    assert view.forecast_model.index(0, 0).data() == "Q4 2026"
    target = tmp_path / "forecast.csv"
    view.export_forecast(target)
    lines = target.read_text().splitlines()
    assert lines[0].startswith("quarter,start,end,renewals,total_arr")
    assert lines[1] == "Q4 2026,2026-10-01,2026-12-31,1,10000.00,8000.00,0.00,USD"


def test_closing_a_renewal_in_the_workspace_writes_the_ledger_and_undo_reopens(
    qtbot: QtBot, context: AppContext, accounts: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from am_desktop.ui.renewals.close_dialog import CloseRenewalDialog
    from am_desktop.ui.workspace import AccountWorkspace

    undo = QUndoStack()
    workspace = AccountWorkspace(context, accounts[0], undo)
    qtbot.addWidget(workspace)
    context.data.changed.connect(lambda *_a: workspace.refresh())
    assert workspace.overview is not None and len(workspace.overview.renewals) == 1
    renewal = workspace.overview.renewals[0]
    workspace.open_renewal(renewal.id)
    assert workspace.renewals.selected_ids() == [renewal.id]

    def answer(dialog: CloseRenewalDialog) -> int:
        dialog.arr.setText("12500")
        assert "expansion of $2,500" in dialog.effect.text()
        dialog.next_term.setChecked(False)
        return 1

    monkeypatch.setattr(CloseRenewalDialog, "exec", answer)
    workspace.close_renewal_button.click()
    assert workspace.overview.renewals[0].stage is RenewalStage.RENEWED
    moves = [m.type for m in ledger.account_movements(context.store, accounts[0]) if not m.archived]
    assert moves == [MovementType.NEW, MovementType.EXPANSION]
    undo.undo()
    assert workspace.overview.renewals[0].stage is RenewalStage.PROPOSAL
    assert workspace.overview.renewals[0].likelihood == 80  # as it was before the close
    moves = [m.type for m in ledger.account_movements(context.store, accounts[0]) if not m.archived]
    assert moves == [MovementType.NEW]
    undo.redo()
    assert workspace.overview.renewals[0].stage is RenewalStage.RENEWED
    workspace.renewals.select_id(renewal.id)
    workspace.reopen_button.click()  # Re-open, then undo it: the close comes back as it was
    assert workspace.overview.renewals[0].stage is RenewalStage.NEGOTIATION
    undo.undo()
    line = workspace.overview.renewals[0]
    assert (line.stage, line.outcome_arr_cents) == (RenewalStage.RENEWED, 12_500_00)
    moves = [m.type for m in ledger.account_movements(context.store, accounts[0]) if not m.archived]
    assert moves == [MovementType.NEW, MovementType.EXPANSION]


def test_a_stage_edit_cannot_close_a_renewal_behind_the_ledgers_back(
    qtbot: QtBot, context: AppContext, accounts: list[int]
) -> None:
    from am_desktop.ui.workspace import AccountWorkspace

    workspace = AccountWorkspace(context, accounts[0], QUndoStack())
    qtbot.addWidget(workspace)
    model = workspace.renewals.model
    stage_column = [f.name for f in model.fields].index("stage")
    model.setData(model.index(0, stage_column), "renewed")
    assert "Close renewal" in workspace.renewals.error.text()
    assert workspace.overview is not None
    assert workspace.overview.renewals[0].stage is RenewalStage.PROPOSAL


def test_an_empty_timeline_says_what_to_do(qtbot: QtBot, context: AppContext) -> None:
    widget = RenewalsView(context)
    qtbot.addWidget(widget)
    widget.refresh()
    assert widget.timeline.lines == [] and widget.model.rowCount() == 0
    image = widget.timeline.viewport().grab().toImage()  # paints its empty state, no error
    assert not image.isNull() and image.width() > LABEL_WIDTH
