"""The conflict dialog shows each side's amount in its currency (issue 20): the record's, or
each side's own while the currency itself is in conflict; an edited amount is read in the
record's currency (¥ has no decimals)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from am_desktop.errors import ValidationError
from am_desktop.services import catalog
from am_desktop.services.sync import state as st
from am_desktop.ui.context import AppContext
from am_desktop.ui.dialogs.conflict_dialog import ConflictDialog, editable_text, parse_edit


def _opportunity(context: AppContext, currency: str) -> int:
    account = catalog.accounts.create(context.store, {"name": "Acme", "currency": currency}).id
    return catalog.opportunities.create(
        context.store,
        {"account_id": account, "name": "Seats", "amount_cents": 1200_50, "currency": currency},
    ).id


def _open(qtbot: QtBot, context: AppContext) -> ConflictDialog:
    dialog = ConflictDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded)
    return dialog


def _sides(dialog: ConflictDialog) -> tuple[str, str, str]:
    base, mine, theirs = (dialog.values[k].toPlainText() for k in ("base", "local", "remote"))
    return base, mine, theirs


def test_an_amount_in_conflict_reads_in_the_records_currency(
    qtbot: QtBot, context: AppContext
) -> None:
    opportunity = _opportunity(context, "EUR")
    with context.store.raw(write=True) as connection:
        st.set_link(connection, "opportunity", opportunity, "77", 1)
        st.add_conflict(connection, "opportunity", opportunity, "amount_cents",
                        base=1000_00, local=1200_50, remote=1200_75)  # fmt: skip
    dialog = _open(qtbot, context)
    assert _sides(dialog) == ("€1,000", "€1,200.50", "€1,200.75")  # exact: they differ
    dialog.edit_button.click()
    assert dialog.edit_line.text() == "1200.50"
    dialog.close()


def test_each_side_reads_in_its_own_currency_while_the_currency_is_in_conflict(
    qtbot: QtBot, context: AppContext
) -> None:
    opportunity = _opportunity(context, "EUR")
    with context.store.raw(write=True) as connection:
        st.set_link(connection, "opportunity", opportunity, "77", 1)
        st.add_conflict(connection, "opportunity", opportunity, "currency",
                        base="USD", local="EUR", remote="JPY")  # fmt: skip
        st.add_conflict(connection, "opportunity", opportunity, "amount_cents",
                        base=1000_00, local=1200_50, remote=180_000)  # fmt: skip
    dialog = _open(qtbot, context)
    dialog.list.setCurrentRow(1)  # the amount
    assert dialog.heading.text() == "Seats: amount"
    assert _sides(dialog) == ("$1,000", "€1,200.50", "¥180,000")
    dialog.close()


def test_an_edited_amount_is_read_in_the_records_currency() -> None:
    assert editable_text("opportunity", "amount_cents", 1200, "JPY") == "1200"
    assert parse_edit("opportunity", "amount_cents", "¥1,200", "JPY") == 1200
    assert parse_edit("opportunity", "amount_cents", "1234.567", "KWD") == 1234567
    with pytest.raises(ValidationError, match="Enter an amount in JPY, such as 1200"):
        parse_edit("opportunity", "amount_cents", "12.50", "JPY")
