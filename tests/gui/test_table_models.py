"""Every table model, as its view uses it, passes Qt's model checks; rows are kept by id.

A model is checked once, empty; the tester stays connected and checks it again after every
change the test then makes (rows set, replaced, fetched by page, emptied).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import pytest
from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from am_desktop.domain.contact_graph import ContactGraph, ContactNode
from am_desktop.domain.enums import (
    ContactRole,
    HealthBand,
    NoteKind,
    RenewalStage,
    RiskStatus,
    Severity,
    Tier,
)
from am_desktop.domain.portfolio import AccountRow
from am_desktop.domain.records import RiskRecord
from am_desktop.services.note_search import SearchHit
from am_desktop.services.notes import NoteRow
from am_desktop.services.renewal_queries import QuarterForecast, RenewalRow
from am_desktop.services.today import (
    CheckIn,
    DueAction,
    HealthDrop,
    Meeting,
    OpenIssue,
    OverdueContact,
    TodayLists,
)
from am_desktop.ui.accounts_view import AccountTableModel
from am_desktop.ui.contact_map.contact_table import ContactTableModel
from am_desktop.ui.health_tab import COMPONENT_COLUMNS
from am_desktop.ui.notes.panel import note_columns
from am_desktop.ui.notes.search import RESULT_COLUMNS, HtmlRole
from am_desktop.ui.record_table import Field, RecordTable
from am_desktop.ui.renewals.view import FORECAST_COLUMNS
from am_desktop.ui.table_model import (
    Column,
    ColumnTableModel,
    Env,
    IdRole,
    SelectionKeeper,
    SortKeyRole,
)
from am_desktop.ui.today_sections import SECTIONS, TodayEnv

TODAY = date(2026, 11, 22)
WHEN = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)


def _account(account_id: int) -> AccountRow:
    return AccountRow(
        id=account_id,
        name=f"Account {account_id}",
        domain="example.com" if account_id % 2 else None,
        industry=None,
        tier=Tier.KEY,
        segment=None,
        owner=None,
        arr_cents=account_id * 100_000,
        health_score=55.0 if account_id % 3 else None,
        health_band=HealthBand.WATCH if account_id % 3 else None,
        next_renewal_on=TODAY,
        days_to_renewal=account_id,
        last_touch_at=WHEN,
        next_checkin_on=None,
        archived=False,
    )


class _Fetcher:
    """The accounts service's row reader, counting the ids each read asks for."""

    def __init__(self) -> None:
        self.asked: list[int] = []

    def __call__(self, ids: Sequence[int]) -> Mapping[int, AccountRow]:
        self.asked.extend(ids)
        return {i: _account(i) for i in ids}


def _risk(record_id: int, description: str) -> RiskRecord:
    return RiskRecord(
        id=record_id,
        uid=f"r{record_id}",
        version=1,
        created_at=WHEN,
        updated_at=WHEN,
        archived_at=None,
        account_id=1,
        description=description,
        mitigation=None,
        owner="Ann",
        severity=next(iter(Severity)),
        status=RiskStatus.OPEN,
        note_id=None,
    )


RISK_FIELDS = (
    Field("description", "Risk", width=220),
    Field("severity", "Severity", "choice", Severity),
    Field("owner", "Owner"),
)


@pytest.fixture
def tester(qtbot: QtBot) -> ModelTester:
    return ModelTester(qtbot)  # type: ignore[no-untyped-call]


# ------------------------------------------------------------------------------- each model


def test_the_accounts_list_checks_empty_paged_and_refreshed(tester: ModelTester) -> None:
    fetch = _Fetcher()
    model = AccountTableModel(fetch, TODAY)
    tester.check(model, force_py=True)  # type: ignore[no-untyped-call]
    model.set_ids(list(range(1, 251)))
    assert model.rowCount() == 250
    assert fetch.asked == list(range(1, 101))  # only the page the checks looked at
    assert model.index(120, 0).data() == "Account 121"
    assert fetch.asked[100:] == list(range(101, 201))  # one more page: the row's
    assert model.index(3, 4).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.headerData(4, Qt.Orientation.Horizontal) == "ARR"
    model.currency = "EUR"  # the rows are USD: their ARR stays so, converted beside (no rate)
    assert model.index(3, 4).data() == "$4,000"
    assert model.headerData(5, Qt.Orientation.Horizontal) == "ARR (EUR)"
    assert model.index(3, 5).data() == "—"
    asked = len(fetch.asked)
    model.refresh_rows()
    model.index(0, 0).data()
    assert len(fetch.asked) > asked  # read again after the refresh
    model.set_ids([])


def test_an_accounts_header_click_asks_for_a_query(qtbot: QtBot) -> None:
    model = AccountTableModel(_Fetcher(), TODAY)
    with qtbot.waitSignal(model.sort_requested) as asked:
        model.sort(4, Qt.SortOrder.DescendingOrder)
    assert asked.args == [model.columns[4].key, True]


def test_the_record_table_checks_and_edits_become_requests(
    qtbot: QtBot, tester: ModelTester
) -> None:
    table = RecordTable("Risks", RISK_FIELDS, "No risks.")
    qtbot.addWidget(table)
    tester.check(table.model, force_py=True)  # type: ignore[no-untyped-call]
    table.set_records([_risk(1, "Budget cut"), _risk(2, "Champion leaves")])
    column = [f.name for f in table.model.fields].index("description")
    index = table.model.index(1, column)
    assert index.data() == "Champion leaves"
    assert index.flags() & Qt.ItemFlag.ItemIsEditable
    with qtbot.waitSignal(table.edit_requested) as edited:
        assert table.model.setData(index, "Champion left", Qt.ItemDataRole.EditRole)
    assert edited.args == [2, "description", "Champion left"]
    assert index.data() == "Champion leaves"  # the table shows what is stored, not the edit
    table.set_records([])
    assert table.view.isHidden() and not table.empty.isHidden()


def test_the_contact_list_checks_and_sorts_by_its_keys(tester: ModelTester) -> None:
    model = ContactTableModel()
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SortKeyRole)
    tester.check(model, force_py=True)  # type: ignore[no-untyped-call]
    nodes = (
        ContactNode(1, "Zoe", influence=2),
        ContactNode(2, "adam", influence=5, last_contacted_at=WHEN),
    )
    model.set_graph(ContactGraph(1, "Acme", 30, nodes), TODAY)
    proxy.sort(0)
    assert [proxy.index(r, 0).data() for r in range(2)] == ["adam", "Zoe"]  # casefolded
    proxy.sort(4)
    assert proxy.index(0, 0).data(IdRole) == 2  # most influential first
    assert model.index(model.row_of(1), 6).data(Qt.ItemDataRole.ForegroundRole) is not None


def test_the_forecast_and_health_tables_check(tester: ModelTester) -> None:
    forecast = ColumnTableModel(FORECAST_COLUMNS, lambda q: q.label, Env(TODAY, "USD"))
    tester.check(forecast, force_py=True)  # type: ignore[no-untyped-call]
    forecast.set_rows([QuarterForecast(TODAY, TODAY, "Q4 2026", 2, 100_00, 50_00, 25_00)])
    assert forecast.index(0, 1).data() == "2"
    health = ColumnTableModel(COMPONENT_COLUMNS, lambda part: str(part["key"]), None)
    health.set_rows([{"key": "usage", "value": None, "weight": 20.0, "why": "No samples."}])
    assert health.index(0, 1).data() == "no data"


def test_the_notes_list_grows_a_page_at_a_time(tester: ModelTester) -> None:
    def note(note_id: int) -> NoteRow:
        return NoteRow(note_id, 1, "Acme", NoteKind.MEETING, WHEN, None, f"text {note_id}")

    asked: list[int] = []

    def more(offset: int) -> list[NoteRow]:
        asked.append(offset)
        return [note(i) for i in range(offset, min(offset + 3, 7))]

    model: ColumnTableModel[NoteRow, int, None] = ColumnTableModel(
        note_columns(show_account=True), lambda row: row.id, None
    )
    model.set_rows([note(i) for i in range(3)], more=more, page_size=3)
    # Checked with its first page (the checks fetch the next pages, as a scrolling view does;
    # Python's tester cannot fetch from inside its own reset handler).
    tester.check(model, force_py=True)  # type: ignore[no-untyped-call]
    assert model.ids() == list(range(7)) and asked == [3, 6]
    assert not model.canFetchMore(model.index(-1, -1).parent())
    assert model.index(0, 0).data().splitlines()[1].startswith("Acme · ")


def test_search_results_check_and_carry_their_rich_text(tester: ModelTester) -> None:
    model: ColumnTableModel[SearchHit, int, None] = ColumnTableModel(
        RESULT_COLUMNS, lambda hit: hit.note_id, None
    )
    tester.check(model, force_py=True)  # type: ignore[no-untyped-call]
    hit = SearchHit(5, 1, "Acme", NoteKind.MEETING, WHEN, "QBR", "the \x02budget\x03", 1.0)
    model.set_rows([hit])
    assert model.index(0, 0).data(IdRole) == 5
    assert model.index(0, 0).data(HtmlRole) is not None


def _today_lists() -> TodayLists:
    renewal = RenewalRow(
        7, 3, 1, "Acme", Tier.KEY, None, "Platform", TODAY, TODAY.replace(day=30), 20,
        500_000, "USD", RenewalStage.NOT_STARTED, 80,
    )  # fmt: skip
    return TodayLists(
        renewals=(renewal,),
        notices=(renewal,),
        check_ins=(CheckIn(1, "Acme", None, None),),
        actions=(DueAction(4, 1, "Acme", 9, "Send the deck", None, TODAY),),
        issues=(OpenIssue(5, 1, "Acme", "Outage", Severity.HIGH, TODAY),),
        totals={"renewals": 1, "notices": 1, "check_ins": 1, "actions": 1, "issues": 1},
        health_drops=(HealthDrop(1, "Acme", HealthBand.HEALTHY, HealthBand.AT_RISK, 31.0),),
        meetings=(Meeting(8, 1, "Acme", "Renewal meeting", WHEN, ("Dana Reyes",)),),
        stay_in_touch=(
            OverdueContact(6, 1, "Acme", "Ann Lee", ContactRole.CHAMPION, TODAY.replace(day=1), 30),
        ),
    )


@pytest.mark.parametrize("section", [s for s, _column, _row in SECTIONS], ids=lambda s: s.key)
def test_todays_lists_check_empty_filled_and_ticked(
    qtbot: QtBot, tester: ModelTester, section: Any
) -> None:
    model: ColumnTableModel[Any, int, TodayEnv] = ColumnTableModel(
        section.columns, section.item_id, TodayEnv(TODAY), empty_text=section.empty
    )
    tester.check(model, force_py=True)  # type: ignore[no-untyped-call]
    assert model.index(0, 0).data() == section.empty
    rows = section.rows(_today_lists())
    model.set_rows(rows)
    first = model.index(0, 0)
    assert first.data(IdRole) == section.item_id(rows[0])
    assert first.data(Qt.ItemDataRole.ToolTipRole) == first.data()  # long titles are cut
    assert model.columnCount() == len(section.columns) >= 3
    checkable = bool(first.flags() & Qt.ItemFlag.ItemIsUserCheckable)
    assert checkable == (section.key == "actions")  # only action items tick off
    if checkable:
        with qtbot.waitSignal(model.check_requested) as ticked:
            model.setData(first, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
        assert ticked.args == [4, True]
        model.set_env(TodayEnv(TODAY, ticked=frozenset({4})))  # shown ticked until written
        assert first.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    model.set_rows([])


# ------------------------------------------------------------------------------- by id


Row = tuple[int, str]
_COLUMNS: tuple[Column[Row, None], ...] = (
    Column("Name", lambda r, _e: r[1], check=lambda r, _e: r[0] % 2 == 0),
)


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[tuple[QTableView, ColumnTableModel[Row, int, None]]]:
    model: ColumnTableModel[Row, int, None] = ColumnTableModel(_COLUMNS, lambda r: r[0], None)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    table = QTableView()
    qtbot.addWidget(table)
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
    SelectionKeeper(table, model)
    model.set_rows([(1, "b"), (2, "a"), (3, "c")])
    yield table, model


def _selected(table: QTableView) -> set[int]:
    return {i.data(IdRole) for i in table.selectionModel().selectedRows()}


def test_a_refresh_with_the_same_ids_repaints_and_keeps_everything(
    qtbot: QtBot, view: tuple[QTableView, ColumnTableModel[Row, int, None]]
) -> None:
    table, model = view
    table.selectRow(0)
    chosen = _selected(table)
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.dataChanged):
        model.set_rows([(1, "B"), (2, "A"), (3, "C")])
    assert _selected(table) == chosen
    assert model.index(model.row_for_id(1), 0).data() == "B"


def test_selection_and_current_row_survive_a_changed_set_by_id(
    tester: ModelTester, view: tuple[QTableView, ColumnTableModel[Row, int, None]]
) -> None:
    table, model = view
    tester.check(model, force_py=True)  # type: ignore[no-untyped-call]
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # a, b, c: rows no longer match ids
    table.selectRow(1)  # "b", id 1
    table.setCurrentIndex(table.model().index(1, 0))
    model.set_rows([(9, "0 first"), (3, "c"), (1, "b")])  # new row above, one gone
    assert _selected(table) == {1}
    assert table.currentIndex().data(IdRole) == 1
    assert model.id_at(2) == 1 and model.row_for_id(2) == -1 and model.id_at(5) is None


def test_a_box_ticked_is_a_request(
    qtbot: QtBot, view: tuple[QTableView, ColumnTableModel[Row, int, None]]
) -> None:
    _table, model = view
    index = model.index(model.row_for_id(1), 0)
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    with qtbot.waitSignal(model.check_requested) as ticked:
        model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert ticked.args == [1, True]


def test_an_empty_table_can_say_why_in_its_one_row(tester: ModelTester) -> None:
    model: ColumnTableModel[Row, int, None] = ColumnTableModel(
        _COLUMNS, lambda r: r[0], None, empty_text="Nothing due."
    )
    tester.check(model, force_py=True)  # type: ignore[no-untyped-call]
    assert model.rowCount() == 1 and model.index(0, 0).data() == "Nothing due."
    assert model.index(0, 0).flags() == Qt.ItemFlag.NoItemFlags and model.ids() == []
    model.set_rows([(1, "x")])
    assert model.index(0, 0).data() == "x" and model.index(0, 0).data(IdRole) == 1
