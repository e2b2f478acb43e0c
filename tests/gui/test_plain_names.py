"""Names are user data: a name that looks like HTML shows as typed, never bold or as an image."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument, QUndoStack
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from am_desktop.services import catalog
from am_desktop.ui.context import AppContext
from am_desktop.ui.palette import AccountPalette
from am_desktop.ui.plain_text import tooltip_text
from am_desktop.ui.today import TodayView
from am_desktop.ui.window.workspace_tabs import WorkspaceTabs
from am_desktop.ui.workspace import AccountWorkspace
from tests.gui.conftest import TODAY

NAME = "<b>Acme</b> <img src=x>"

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)"
)


def shown(tooltip: str) -> str:
    """What a tooltip shows: Qt renders it as HTML when it guesses it is HTML."""
    if not GuiQt.mightBeRichText(tooltip):
        return tooltip
    document = QTextDocument()
    document.setHtml(tooltip)
    return document.toPlainText()


def shows_literally(label: QLabel, text: str) -> bool:
    return label.text() == text and label.textFormat() == Qt.TextFormat.PlainText


@pytest.fixture
def acme(context: AppContext) -> int:
    account = catalog.accounts.create(context.store, {"name": NAME, "industry": "<i>x</i>"}).id
    contract = catalog.contracts.create(
        context.store,
        {"account_id": account, "name": "<u>Platform</u>", "start_date": TODAY - timedelta(days=300),
         "end_date": TODAY + timedelta(days=30), "arr_cents": 500_000},
    )  # fmt: skip
    catalog.renewals.create(context.store, {"contract_id": contract.id, "stage": "proposal"})
    return account


def test_the_tooltip_helper_keeps_plain_text_and_escapes_what_qt_would_take_for_html() -> None:
    assert tooltip_text("AT&T") == "AT&T"
    assert shown(tooltip_text(NAME)) == NAME
    assert shown(tooltip_text(f"{NAME}\nsecond line")) == f"{NAME}\nsecond line"


def test_the_workspace_header_and_its_tab_show_the_name_as_typed(
    qtbot: QtBot, context: AppContext, acme: int
) -> None:
    workspace = AccountWorkspace(context, acme, QUndoStack())
    qtbot.addWidget(workspace)
    workspace.show()
    assert shows_literally(workspace.header.name_label, NAME)
    assert workspace.header.facts_label.textFormat() == Qt.TextFormat.PlainText
    tabs = WorkspaceTabs(context, QUndoStack(), QWidget())
    qtbot.addWidget(tabs)
    tabs.open_account(acme)
    qtbot.waitUntil(lambda: tabs.tabToolTip(1) != "")
    assert NAME.startswith(tabs.tabText(1).rstrip("…")) and shown(tabs.tabToolTip(1)) == NAME
    workspace.close()


def test_today_lists_and_the_palette_show_the_name_as_typed(
    qtbot: QtBot, context: AppContext, acme: int
) -> None:
    today = TodayView(context)
    qtbot.addWidget(today)
    today.show()
    today.refresh()
    first = today.models["renewals"].index(0, 0)
    assert first.data().startswith(NAME)
    assert shown(first.data(Qt.ItemDataRole.ToolTipRole)).startswith(NAME)
    today.close()
    palette = AccountPalette(context)
    qtbot.addWidget(palette)
    palette.popup()
    item = palette.results.item(0)
    assert item.text() == NAME and shown(item.toolTip()) == NAME
    palette.close()
