"""The account palette: type a few letters, the right account is on top, Enter opens it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from am_desktop.services import catalog, portfolio
from am_desktop.services.store import Store
from am_desktop.ui.context import AppContext
from am_desktop.ui.palette import DOMAIN_ROLE, ID_ROLE, AccountPalette
from am_desktop.ui.tasks import InlineTaskRunner, Lane

# The palette is a popup, so these tests show it. The offscreen platform cannot pass a shown
# window's size hints on and says so once per window; that is the test platform, not the app.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def _make_accounts(store: Store) -> dict[str, int]:
    specs = [
        ("Acme", "acme.com"),
        ("Globex", "globex.com"),
        ("Initech", "initech.com"),
        ("Global Logistics", "glog.example"),
        ("Umbrella", None),
    ]
    return {
        name: catalog.accounts.create(store, {"name": name, "domain": domain}).id
        for name, domain in specs
    }


def _names(palette: AccountPalette) -> list[str]:
    return [palette.results.item(row).text() for row in range(palette.results.count())]


def _open(qtbot: QtBot, context: AppContext) -> AccountPalette:
    palette = AccountPalette(context)
    qtbot.addWidget(palette)
    palette.popup()
    return palette


def test_account_names_lists_active_accounts_by_name(store: Store) -> None:
    ids = _make_accounts(store)
    catalog.accounts.archive(store, ids["Initech"])
    names = portfolio.account_names(store)
    assert [name for _, name, _ in names] == ["Acme", "Global Logistics", "Globex", "Umbrella"]
    assert (ids["Globex"], "Globex", "globex.com") in names
    assert (ids["Umbrella"], "Umbrella", None) in names


def test_names_are_loaded_once_on_the_read_lane(qtbot: QtBot, context: AppContext) -> None:
    _make_accounts(context.store)
    palette = _open(qtbot, context)
    assert isinstance(context.tasks, InlineTaskRunner)
    assert context.tasks.submitted == [Lane.READ]
    qtbot.keyClicks(palette.search, "acm")
    assert context.tasks.submitted == [Lane.READ]  # typing re-ranks in memory
    assert _names(palette) == ["Acme"]
    palette.close()


def test_a_fuzzy_query_puts_the_account_on_top_and_enter_chooses_it(
    qtbot: QtBot, context: AppContext
) -> None:
    ids = _make_accounts(context.store)
    palette = _open(qtbot, context)
    assert _names(palette)[:3] == ["Acme", "Global Logistics", "Globex"]  # empty query: by name
    qtbot.keyClicks(palette.search, "glbx")
    assert _names(palette)[0] == "Globex"
    assert palette.chosen_id() == ids["Globex"]
    with qtbot.waitSignal(palette.account_chosen, timeout=1000) as chosen:
        qtbot.keyClick(palette.search, Qt.Key.Key_Return)
    assert chosen.args == [ids["Globex"]]
    assert palette.result() == palette.DialogCode.Accepted
    assert not palette.isVisible()


def test_arrow_keys_in_the_search_move_the_selection(qtbot: QtBot, context: AppContext) -> None:
    ids = _make_accounts(context.store)
    palette = _open(qtbot, context)
    qtbot.keyClicks(palette.search, "gl")
    assert _names(palette)[:2] == ["Globex", "Global Logistics"]  # both prefixes: shorter first
    qtbot.keyClick(palette.search, Qt.Key.Key_Down)
    assert palette.chosen_id() == ids["Global Logistics"]
    qtbot.keyClick(palette.search, Qt.Key.Key_Up)
    assert palette.chosen_id() == ids["Globex"]
    qtbot.keyClick(palette.search, Qt.Key.Key_PageDown)
    assert palette.results.currentRow() == palette.results.count() - 1
    qtbot.keyClick(palette.search, Qt.Key.Key_PageUp)
    assert palette.results.currentRow() == 0
    assert palette.search.text() == "gl"  # the keys did not reach the text
    palette.close()


def test_the_domain_is_matched_and_shown_muted(qtbot: QtBot, context: AppContext) -> None:
    ids = _make_accounts(context.store)
    palette = _open(qtbot, context)
    qtbot.keyClicks(palette.search, "glog")
    top = palette.results.item(0)
    assert top.data(ID_ROLE) == ids["Global Logistics"]
    assert top.data(DOMAIN_ROLE) == "glog.example"
    assert "glog.example" in top.toolTip()
    palette.results.grab()  # paints the rows through the delegate (a Qt warning would fail)
    palette.close()


def test_no_match_shows_a_line_that_cannot_be_chosen(qtbot: QtBot, context: AppContext) -> None:
    _make_accounts(context.store)
    palette = _open(qtbot, context)
    qtbot.keyClicks(palette.search, "zzqq")
    assert _names(palette) == ["No account matches"]
    assert palette.chosen_id() is None
    with qtbot.assertNotEmitted(palette.account_chosen):
        qtbot.keyClick(palette.search, Qt.Key.Key_Return)
    assert palette.isVisible()
    palette.close()


def test_double_click_chooses_and_escape_cancels(qtbot: QtBot, context: AppContext) -> None:
    ids = _make_accounts(context.store)
    palette = _open(qtbot, context)
    qtbot.keyClicks(palette.search, "init")
    item = palette.results.item(0)
    qtbot.waitUntil(lambda: not palette.results.visualItemRect(item).isEmpty())
    centre = palette.results.visualItemRect(item).center()
    viewport = palette.results.viewport()
    with qtbot.waitSignal(palette.account_chosen, timeout=1000) as chosen:
        # A real double-click starts with a click; QTest's double-click event alone does not.
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=centre)
        assert palette.isVisible()  # a single click only selects
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=centre)
    assert chosen.args == [ids["Initech"]]

    again = _open(qtbot, context)
    with qtbot.assertNotEmitted(again.account_chosen):
        qtbot.keyClick(again.search, Qt.Key.Key_Escape)
    assert again.result() == again.DialogCode.Rejected
    assert not again.isVisible()


def test_popup_centres_over_the_parent_and_focuses_the_search(
    qtbot: QtBot, context: AppContext
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.setGeometry(100, 100, 1000, 700)
    window.show()
    palette = AccountPalette(context, parent=window)
    palette.popup()
    qtbot.waitUntil(palette.isVisible)
    assert (palette.width(), palette.height()) == (560, 420)
    offset = palette.frameGeometry().center() - window.frameGeometry().center()
    assert offset.manhattanLength() <= 4
    assert palette.search.accessibleName()
    qtbot.waitUntil(palette.search.hasFocus)
    palette.close()
    window.close()
