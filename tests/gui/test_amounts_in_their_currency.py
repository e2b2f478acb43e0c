"""Per-record amounts read in their own currency on every screen (issue 20): a EUR opportunity
reads "€50,000" for a USD AM, a JPY contract's ARR has no decimals, and the forecast file names
the currency of its amounts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from am_desktop.domain.dashboard import QuarterForecast
from am_desktop.domain.enums import OpportunityKind, OpportunityStage, RenewalStage, Tier
from am_desktop.domain.records import OpportunityRecord
from am_desktop.services.renewal_queries import RenewalRow
from am_desktop.ui.record_table import RecordTable
from am_desktop.ui.renewals.close_dialog import CloseRenewalDialog
from am_desktop.ui.renewals.view import write_forecast_csv
from am_desktop.ui.table_model import ColumnTableModel
from am_desktop.ui.today_sections import RENEWALS, TodayEnv
from am_desktop.ui.workspace.pipeline import OPPORTUNITY_FIELDS

TODAY = date(2026, 11, 2)
NOW = datetime(2026, 11, 2, tzinfo=UTC)


def _opportunity(record_id: int, amount: int, currency: str) -> OpportunityRecord:
    return OpportunityRecord(
        id=record_id, uid=f"o{record_id}", version=1, created_at=NOW, updated_at=NOW,
        archived_at=None, account_id=1, kind=OpportunityKind.UPSELL, name=f"Deal {record_id}",
        product=None, amount_cents=amount, stage=OpportunityStage.QUALIFIED, probability=50,
        close_date=None, notes=None, note_id=None, currency=currency,
    )  # fmt: skip


def test_opportunities_show_in_their_own_currency_whatever_the_tables(qtbot: QtBot) -> None:
    table = RecordTable("Opportunities", OPPORTUNITY_FIELDS, "None.")
    qtbot.addWidget(table)
    table.model.currency = "USD"  # the AM's currency
    table.set_records(
        [_opportunity(1, 50_000_00, "EUR"), _opportunity(2, 1_200_000, "JPY"), _opportunity(3, 75_00, "USD")]
    )  # fmt: skip
    column = [f.name for f in table.model.fields].index("amount_cents")
    shown = [table.model.index(row, column).data() for row in range(3)]
    assert shown == ["€50,000", "¥1,200,000", "$75"]


def test_todays_renewals_show_each_contract_in_its_currency() -> None:
    def renewal(renewal_id: int, arr: int, currency: str) -> RenewalRow:
        return RenewalRow(
            renewal_id, 3, 1, "Acme", Tier.KEY, None, "Platform", TODAY, TODAY.replace(day=30),
            20, arr, currency, RenewalStage.NOT_STARTED, 80,
        )  # fmt: skip

    model: ColumnTableModel[RenewalRow, int, TodayEnv] = ColumnTableModel(
        RENEWALS.columns, RENEWALS.item_id, TodayEnv(TODAY, "USD")
    )
    model.set_rows([renewal(1, 120_000_00, "EUR"), renewal(2, 9_000_000, "JPY")])
    column = [c.header for c in RENEWALS.columns].index("ARR")
    assert [model.index(row, column).data() for row in range(2)] == ["€120,000", "¥9,000,000"]


def test_the_forecast_file_names_its_currency_with_its_decimals(tmp_path: Path) -> None:
    quarter = QuarterForecast(TODAY, TODAY, "Q4 2026", 2, 1_500_000, 1_200_001, 0)
    target = write_forecast_csv([quarter], tmp_path / "jpy.csv", "JPY")
    header, row = target.read_text().splitlines()
    assert header.endswith(",committed_arr,currency")
    assert row.endswith(",2,1500000,1200001,0,JPY")  # ¥1,500,000: no decimals, not 15000.00
    target = write_forecast_csv([quarter], tmp_path / "eur.csv", "EUR")
    assert target.read_text().splitlines()[1].endswith(",2,15000.00,12000.01,0.00,EUR")


def test_closing_a_jpy_renewal_reads_the_new_arr_in_yen(qtbot: QtBot) -> None:
    dialog = CloseRenewalDialog("Tokyo", 1_200_000, "JPY", TODAY)
    qtbot.addWidget(dialog)
    assert dialog.arr.text() == "1200000"  # ¥1,200,000, not "12000"
    dialog.arr.setText("1,500,000")
    assert dialog.effect.text() == "Writes an expansion of ¥300,000."
    assert dialog.outcome()[1] == 1_500_000


def test_editing_a_jpy_amount_in_place_is_in_yen(qtbot: QtBot) -> None:
    table = RecordTable("Opportunities", OPPORTUNITY_FIELDS, "None.")
    qtbot.addWidget(table)
    table.set_records([_opportunity(1, 1_200_000, "JPY"), _opportunity(2, 50_000_00, "EUR")])
    column = [f.name for f in table.model.fields].index("amount_cents")
    yen, euro = table.model.index(0, column), table.model.index(1, column)
    assert yen.data(Qt.ItemDataRole.EditRole) == "1200000"  # not "12000"
    assert euro.data(Qt.ItemDataRole.EditRole) == "50000"
    with qtbot.waitSignal(table.edit_requested) as edited:
        table.model.setData(yen, "1,500,000", Qt.ItemDataRole.EditRole)
    assert edited.args == [1, "amount_cents", 1_500_000]  # ¥1,500,000 in minor units
    with qtbot.waitSignal(table.edit_requested) as edited:
        table.model.setData(euro, "60000", Qt.ItemDataRole.EditRole)
    assert edited.args == [2, "amount_cents", "60000"]  # two decimals: as before
    with qtbot.assertNotEmitted(table.edit_requested):
        table.model.setData(yen, "12.50", Qt.ItemDataRole.EditRole)
    assert "no decimals" in table.error.text()


def test_closing_a_kwd_renewal_keeps_its_three_decimals(qtbot: QtBot) -> None:
    """The dialog's own pre-filled KWD 1,234.567 must be accepted, not refused nor rounded."""
    dialog = CloseRenewalDialog("Kuwait", 1_234_567, "KWD", TODAY)
    qtbot.addWidget(dialog)
    assert dialog.arr.text() == "1234.567"
    assert dialog.outcome()[1] == 1_234_567
    dialog.arr.setText("1,300.5")
    assert dialog.outcome()[1] == 1_300_500
    dialog = CloseRenewalDialog("Tokyo", 1_200_000, "JPY", TODAY)
    qtbot.addWidget(dialog)
    dialog.arr.setText("12.5")
    with pytest.raises(ValueError, match="no decimals"):
        dialog.outcome()


def test_editing_a_kwd_amount_in_place_keeps_its_three_decimals(qtbot: QtBot) -> None:
    table = RecordTable("Opportunities", OPPORTUNITY_FIELDS, "None.")
    qtbot.addWidget(table)
    table.set_records([_opportunity(1, 1_234_567, "KWD")])
    column = [f.name for f in table.model.fields].index("amount_cents")
    dinars = table.model.index(0, column)
    assert dinars.data(Qt.ItemDataRole.EditRole) == "1234.567"
    with qtbot.waitSignal(table.edit_requested) as edited:
        table.model.setData(dinars, "1,300.505", Qt.ItemDataRole.EditRole)
    assert edited.args == [1, "amount_cents", 1_300_505]  # KWD 1,300.505 in fils
