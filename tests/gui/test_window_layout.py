"""The window's size and layout as a newcomer meets them (issue 16, items 4–8): on the screen's
available area, a sidebar that shows its labels, an alerts panel that does not keep coming
back, the name once in the title, and columns that use the width they have."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QTreeView
from pytestqt.qtbot import QtBot

from am_desktop.domain.portfolio import SavedFilter
from am_desktop.services import catalog, notes, renewals
from am_desktop.ui import main_window
from am_desktop.ui.column_fit import ColumnFit, fair_widths
from am_desktop.ui.context import AppContext
from am_desktop.ui.main_window import MainWindow, window_title
from am_desktop.ui.today import TodayView
from am_desktop.ui.window.geometry import Placement, first_placement, restored_placement
from tests.gui.conftest import TODAY

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\))"
)

LAPTOP = QRect(0, 0, 1366, 738)  # 1366x768 less a 30 px panel
SMALL = QRect(0, 30, 1280, 690)  # 1280x720 with a top panel
DESKTOP = QRect(0, 0, 1920, 1050)
MINIMUM = QSize(900, 560)


@pytest.mark.parametrize("screen", [LAPTOP, SMALL, DESKTOP])
def test_a_first_window_lies_within_the_available_area(screen: QRect) -> None:
    placement = first_placement(screen, MINIMUM)
    assert screen.contains(placement.rect)
    assert placement.rect.center() == screen.center()
    assert placement.maximized == (screen.width() < 1440)  # small screens open maximised


def test_a_saved_placement_is_kept_only_where_it_fits_its_screen() -> None:
    fits = Placement(QRect(100, 80, 1200, 640))
    assert restored_placement(fits, [LAPTOP], MINIMUM) == fits
    too_large = Placement(QRect(0, 0, 1366, 768))  # the status bar below the screen
    assert restored_placement(too_large, [LAPTOP], MINIMUM) == first_placement(LAPTOP, MINIMUM)
    off_screen = Placement(QRect(2500, 300, 1000, 700))  # a second monitor since unplugged
    assert LAPTOP.contains(restored_placement(off_screen, [LAPTOP], MINIMUM).rect)
    on_second = Placement(QRect(1500, 100, 1200, 800))
    assert restored_placement(on_second, [LAPTOP, DESKTOP.translated(1366, 0)], MINIMUM) == (
        on_second
    )
    assert Placement.from_text(fits.to_text()) == fits
    assert Placement.from_text("") is None and Placement.from_text("junk") is None


@pytest.fixture
def screens(monkeypatch: pytest.MonkeyPatch) -> Callable[[QRect], None]:
    """Pretend the desktop has one screen with this available area."""

    def use(area: QRect) -> None:
        monkeypatch.setattr(main_window, "available_screens", lambda: [area])

    return use


def opened(qtbot: QtBot, context: AppContext) -> MainWindow:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.start()
    return window


def test_the_window_opens_within_the_screen_and_forgets_a_placement_that_no_longer_fits(
    qtbot: QtBot, context: AppContext, screens: Callable[[QRect], None]
) -> None:
    screens(DESKTOP)
    first = MainWindow(context)
    qtbot.addWidget(first)
    assert DESKTOP.contains(first.geometry()) and not first.isMaximized()
    first.setGeometry(QRect(2600, 1400, 1500, 900))  # moved to a screen that has since gone
    first.save_state()
    first.deleteLater()
    screens(SMALL)
    second = MainWindow(context)
    qtbot.addWidget(second)
    assert SMALL.contains(second.geometry())
    second.setGeometry(QRect(40, 60, 1100, 600))
    second.save_state()
    second.deleteLater()
    third = MainWindow(context)
    qtbot.addWidget(third)
    assert third.geometry() == QRect(40, 60, 1100, 600)  # it fits: where the user left it


def test_the_title_names_the_app_once(context: AppContext, qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.applicationDisplayName()
    app.setApplicationDisplayName("AM Desktop")
    try:
        window = MainWindow(context)
        qtbot.addWidget(window)
        title = window.windowTitle()
        assert title == window_title(context.store.path.name)
        assert title.count("AM Desktop") == 1
        # Qt appends the display name to a title that does not already end with it.
        assert title.endswith(app.applicationDisplayName())
    finally:
        app.setApplicationDisplayName(before)


def _account_with_renewal(context: AppContext, name: str, days: int) -> tuple[int, int]:
    account = catalog.accounts.create(context.store, {"name": name}).id
    end = TODAY + timedelta(days=days)
    contract = catalog.contracts.create(
        context.store,
        {"account_id": account, "start_date": end - timedelta(days=364), "end_date": end,
         "arr_cents": 100},
    )  # fmt: skip
    return account, catalog.renewals.create(context.store, {"contract_id": contract.id}).id


def test_nothing_is_said_about_saving_until_the_user_saves(
    qtbot: QtBot, context: AppContext
) -> None:
    acme, _renewal = _account_with_renewal(context, "Acme", 25)
    window = opened(qtbot, context)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    assert window.status.saved_label.text() == ""
    assert "Saved" not in window.statusBar().currentMessage()
    notes.create_note(context.store, {"account_id": acme, "occurred_at": "2026-11-22T09:00"})
    assert window.status.saved_label.text().startswith("Saved ")
    window.close()


def test_the_sidebar_keeps_its_labels_width_with_an_account_open(
    qtbot: QtBot, context: AppContext
) -> None:
    acme, _renewal = _account_with_renewal(context, "Acme Corporation International", 25)
    window = opened(qtbot, context)
    window.resize(1280, 720)
    sidebar = window.sidebar
    qtbot.waitUntil(lambda: sidebar.filter_text(SavedFilter.ALL).endswith("1"))
    window.splitter.setSizes([40, 1240])  # dragged (or restored) as narrow as it goes
    window.open_account(acme)
    metrics, widest = sidebar.fontMetrics(), 0
    for top in range(sidebar.topLevelItemCount()):
        item = sidebar.topLevelItem(top)
        widest = max(widest, metrics.horizontalAdvance(item.text(0)))
        for child in (item.child(i) for i in range(item.childCount())):
            widest = max(widest, metrics.horizontalAdvance(child.text(0)) + sidebar.indentation())
    qtbot.waitUntil(lambda: sidebar.width() >= widest)
    assert sidebar.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert sidebar.horizontalScrollBar().maximum() == 0  # nothing sideways to scroll to
    window.close()


def test_the_alerts_panel_opens_by_itself_only_for_alerts_it_never_showed(
    qtbot: QtBot, context: AppContext
) -> None:
    _acme, renewal = _account_with_renewal(context, "Acme", 25)
    first = opened(qtbot, context)
    qtbot.waitUntil(lambda: first.alerts_panel is not None and first.alerts_panel.isVisible())
    first.close()

    second = opened(qtbot, context)  # the next start: the same alert, seen already
    qtbot.waitUntil(lambda: second.alerts_panel is not None)
    panel = second.alerts_panel
    assert not panel.isVisible()
    assert second.alerts_button.isVisible() and "1 renewal alert" in second.alerts_button.text()
    globex, globex_renewal = _account_with_renewal(context, "Globex", 20)  # a new alert: it opens
    qtbot.waitUntil(lambda: panel.isVisible() and len(panel.shown()) == 2)
    panel.hide()
    renewals.close_renewal(context.store, renewal, renewed=True, on=TODAY)
    assert len(panel.shown()) == 1 and not panel.isVisible()  # closing one reopens nothing
    second.alerts_button.click()
    assert panel.isVisible()
    panel.renewal_opened.emit(
        globex, globex_renewal
    )  # "Open": the renewal comes forward, the panel goes
    assert not panel.isVisible()
    second.close()


@pytest.fixture
def today(qtbot: QtBot, context: AppContext) -> Iterator[TodayView]:
    view = TodayView(context)
    qtbot.addWidget(view)
    view.resize(1100, 800)
    view.show()
    yield view
    view.close()


def test_the_today_action_text_gets_the_spare_width(
    qtbot: QtBot, context: AppContext, today: TodayView
) -> None:
    account = catalog.accounts.create(
        context.store, {"name": "The Very Long Named Holding Company of Northern Europe Ltd"}
    ).id
    notes.create_note(
        context.store,
        {"account_id": account, "occurred_at": "2026-11-20T09:00",
         "body": "- [ ] Send the revised order form to procurement and legal due:2026-11-25"},
    )  # fmt: skip
    today.refresh()
    view = today.views["actions"]
    qtbot.waitUntil(lambda: today.models["actions"].rowCount() == 1)
    width = view.viewport().width()
    assert view.columnWidth(0) >= 0.45 * width - 2  # the text keeps its share
    assert view.columnWidth(1) < view.sizeHintForColumn(1)  # the long name gives way
    assert sum(view.columnWidth(c) for c in range(4)) <= width + 1  # no sideways scrolling


def test_fair_widths_cap_the_widest_columns_evenly() -> None:
    assert fair_widths({1: 50, 2: 80}, 200) == {1: 50, 2: 80}
    assert fair_widths({1: 60, 2: 300, 3: 250}, 300) == {1: 60, 2: 120, 3: 120}


def test_a_fitted_column_is_as_wide_as_qt_measures_its_widest_cell(qtbot: QtBot) -> None:
    """The fit measures only the widest-looking cells whole: the width must still be what Qt's
    own measure of every row gives (bold rows and check boxes included), and a narrower view
    shares out the same widths again without new rows."""
    from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTreeView

    from am_desktop.ui.column_fit import ColumnFit, _content_width

    model = QStandardItemModel(0, 3)
    for row in range(40):
        owner = QStandardItem("me" if row % 7 else f"someone with a long name {row}")
        owner.setCheckable(row % 2 == 0)
        due = QStandardItem("WWWWWW" if row == 33 else f"{row} Dec")
        if row == 33:
            bold = QFont()
            bold.setBold(True)
            due.setFont(bold)
        model.appendRow([QStandardItem(f"item {row}"), owner, due])
    view = QTreeView()
    view.setModel(model)
    view.resize(900, 400)
    qtbot.addWidget(view)
    fit = ColumnFit(view, stretch=0)
    view.show()
    fit.fit()
    for column in (1, 2):
        assert _content_width(view, column) == view.sizeHintForColumn(column)
    wide = [view.header().sectionSize(c) for c in (1, 2)]
    view.resize(420, 400)
    qtbot.waitUntil(lambda: view.header().sectionSize(1) < wide[0])
    assert sum(view.header().sectionSize(c) for c in (1, 2)) <= round(
        view.viewport().width() * 0.55
    )


def _meetings_like_view(qtbot: QtBot) -> tuple[QTreeView, ColumnFit]:
    """Six rows of long texts in two columns and an empty third for buttons, fitted."""
    from PySide6.QtGui import QStandardItem, QStandardItemModel

    model = QStandardItemModel(0, 3)
    for row in range(6):
        model.appendRow(
            [
                QStandardItem(f"a long meeting title {row} " * 3),
                QStandardItem("a long attendee list " * 3),
                QStandardItem(""),
            ]
        )
    view = QTreeView()
    view.setModel(model)
    qtbot.addWidget(view)
    return view, ColumnFit(view, stretch=1, share=0.2)


def test_a_column_holding_buttons_keeps_their_width_when_the_view_is_narrow(
    qtbot: QtBot,
) -> None:
    """Text cells shorten with an ellipsis; buttons cannot, so their column is never cut."""
    from PySide6.QtWidgets import QToolButton

    view, fit = _meetings_like_view(qtbot)
    model = view.model()
    buttons = []
    for row in range(6):
        button = QToolButton()
        button.setText("Start note")
        view.setIndexWidget(model.index(row, 2), button)
        buttons.append(button)
    view.resize(170, 300)  # the other columns want more than their share: they are cut
    view.show()
    fit.fit()
    assert view.header().sectionSize(2) >= buttons[0].sizeHint().width()
    assert view.header().sectionSize(0) < view.sizeHintForColumn(0)


def test_a_column_of_painted_buttons_keeps_their_width_when_the_view_is_narrow(
    qtbot: QtBot,
) -> None:
    """Buttons painted by a delegate are kept whole as widgets are."""
    from am_desktop.ui.row_buttons import RowButton, RowButtons

    view, fit = _meetings_like_view(qtbot)
    buttons = RowButtons(view, (RowButton("Brief", str), RowButton("Start note", str)))
    view.setItemDelegateForColumn(2, buttons)
    view.resize(170, 300)
    view.show()
    fit.fit()
    assert view.header().sectionSize(2) >= buttons.buttons_size().width() > 0
    assert view.header().sectionSize(0) < view.sizeHintForColumn(0)
