"""The Contacts tab: the list and the map in step, gestures as undoable edits, export."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage, QUndoStack
from PySide6.QtTest import QTest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from am_desktop.domain.changes import ChangeSet, Origin
from am_desktop.services import catalog, contact_map
from am_desktop.ui.contact_map.banner import warnings_for
from am_desktop.ui.contact_map.contacts_tab import ContactsTab
from am_desktop.ui.contact_map.items import ContactCard
from am_desktop.ui.context import AppContext
from tests.gui.conftest import TODAY, added_on

# The offscreen platform says this whenever a top-level widget is shown; nothing is wrong.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def tab(qtbot: QtBot, context: AppContext) -> Iterator[ContactsTab]:
    store = context.store
    account = catalog.accounts.create(store, {"name": "Acme", "domain": "acme.com"}).id

    def add(name: str, **values: object) -> int:
        return catalog.contacts.create(
            store, {"account_id": account, "first_name": name, "last_name": "Doe", **values}
        ).id

    ceo = add("Cleo", title="CEO", role="economic_buyer", sentiment="supporter")
    cfo = add("Finn", title="CFO", role="decision_maker", reports_to_id=ceo)
    add("Ivy", title="IT Manager", role="champion", reports_to_id=cfo)
    add("Uma", title="Analyst", role="user")
    undo = QUndoStack()
    widget = ContactsTab(context, account, undo)
    widget.undo_stack = undo  # type: ignore[attr-defined]  # kept alive with the tab
    qtbot.addWidget(widget)
    widget.resize(1200, 600)

    def reload(*_args: object) -> None:
        widget.set_graph(contact_map.contact_graph(store, account), TODAY)

    context.data.changed.connect(reload)
    reload()
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.close()


def ids(tab: ContactsTab) -> dict[str, int]:
    assert tab.graph is not None
    return {node.name.split()[0]: node.id for node in tab.graph}


def centre(tab: ContactsTab, contact_id: int) -> QPoint:
    card = tab.scene.card(contact_id)
    assert card is not None
    return tab.view.mapFromScene(card.rect().center())


def drag(tab: ContactsTab, start: QPoint, end: QPoint) -> None:
    viewport = tab.view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 6):
        QTest.mouseMove(viewport, start + (end - start) * step / 5)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def test_every_contact_has_a_card_and_a_row(tab: ContactsTab, qtbot: QtBot) -> None:
    assert len(tab.scene.cards()) == 4
    assert tab.model.rowCount() == 4
    ModelTester(qtbot).check(tab.model)  # type: ignore[no-untyped-call]


def test_selecting_a_row_selects_the_card_and_back(tab: ContactsTab) -> None:
    people = ids(tab)
    tab.table.selectRow(0)
    first = tab.proxy.data(tab.proxy.index(0, 0), Qt.ItemDataRole.UserRole + 1)
    assert tab.scene.selected_ids() == [first]
    tab.scene.select_ids([people["Uma"]])
    rows = tab.table.selectionModel().selectedRows()
    assert [tab.proxy.data(r, Qt.ItemDataRole.UserRole + 1) for r in rows] == [people["Uma"]]


def test_dragging_a_card_pins_it_and_undo_unpins_it(tab: ContactsTab) -> None:
    uma = ids(tab)["Uma"]
    start = centre(tab, uma)
    drag(tab, start, start + QPoint(0, 150))
    assert tab.graph is not None
    pinned = tab.graph.node(uma).pinned  # type: ignore[arg-type]
    assert pinned is not None
    tab.undo.undo()
    assert tab.graph.node(uma).pinned is None  # type: ignore[arg-type]
    tab.undo.redo()
    assert tab.graph.node(uma).pinned == pinned  # type: ignore[arg-type]
    tab.relayout()
    assert tab.graph.node(uma).pinned is None  # type: ignore[arg-type]


def test_dropping_a_card_on_another_sets_the_manager_and_undo_restores_it(
    tab: ContactsTab,
) -> None:
    people = ids(tab)
    drag(tab, centre(tab, people["Uma"]), centre(tab, people["Ivy"]))
    assert tab.graph is not None
    assert tab.graph.manager_of(people["Uma"]) == people["Ivy"]  # type: ignore[arg-type]
    tab.undo.undo()
    assert tab.graph.manager_of(people["Uma"]) is None  # type: ignore[arg-type]
    tab.undo.redo()
    assert tab.graph.manager_of(people["Uma"]) == people["Ivy"]  # type: ignore[arg-type]


def test_a_drop_that_would_make_a_reporting_loop_is_refused(tab: ContactsTab) -> None:
    people = ids(tab)
    drag(tab, centre(tab, people["Cleo"]), centre(tab, people["Ivy"]))
    assert tab.graph is not None
    assert tab.graph.manager_of(people["Cleo"]) is None  # type: ignore[arg-type]
    assert "already reports" in tab.notice.text() and tab.notice.isVisible()
    assert tab.undo.count() == 0


def test_shift_drag_draws_an_influence_link_and_undo_removes_it(tab: ContactsTab) -> None:
    people = ids(tab)
    viewport = tab.view.viewport()
    start, end = centre(tab, people["Uma"]), centre(tab, people["Cleo"])
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, start)
    QTest.mouseMove(viewport, end)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, end)
    assert tab.graph is not None
    assert tab.graph.has_link(people["Uma"], people["Cleo"])  # type: ignore[arg-type]
    tab.undo.undo()
    assert not tab.graph.has_link(people["Uma"], people["Cleo"])  # type: ignore[arg-type]
    tab.undo.redo()
    assert tab.graph.has_link(people["Uma"], people["Cleo"])  # type: ignore[arg-type]


def test_a_link_started_from_the_menu_ends_on_the_next_card_clicked(tab: ContactsTab) -> None:
    people = ids(tab)
    tab.scene.select_ids([people["Finn"]])
    tab.map_actions["link"].trigger()
    QTest.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=centre(tab, people["Uma"]))
    assert tab.graph is not None
    assert tab.graph.has_link(people["Finn"], people["Uma"])  # type: ignore[arg-type]


def test_coverage_warnings_show_above_the_map(tab: ContactsTab) -> None:
    assert tab.banner.isVisible()
    assert "Nobody at the account was contacted" in tab.banner.label.text()


def test_the_svg_export_names_every_contact(tab: ContactsTab, tmp_path: Path) -> None:
    tab.save_map(tmp_path / "map.svg")
    texts = {
        (element.text or "").strip()
        for element in ET.parse(tmp_path / "map.svg").iter("{http://www.w3.org/2000/svg}text")
    }
    assert {"Cleo Doe", "Finn Doe", "Ivy Doe", "Uma Doe"} <= texts
    assert {"Acme", "Contact map · drawn 22 Nov 2026", "Advocate", "Champion"} <= texts  # key


def test_the_png_export_is_an_image_of_the_whole_map(tab: ContactsTab, tmp_path: Path) -> None:
    tab.save_map(tmp_path / "map")  # no suffix: PNG
    image = QImage(str(tmp_path / "map.png"))
    assert not image.isNull()
    assert image.width() > tab.scene.itemsBoundingRect().width()


def test_long_names_are_written_whole_in_exports(
    context: AppContext, tab: ContactsTab, tmp_path: Path
) -> None:
    long_name = "Maximiliana Wolfeschlegelsteinhausenbergerdorff-Vanderbilt"
    catalog.contacts.create(context.store, {"account_id": tab.account_id, "last_name": long_name})
    tab.save_map(tmp_path / "map.svg")
    assert long_name in (tmp_path / "map.svg").read_text()


def test_zoom_keeps_within_limits(tab: ContactsTab) -> None:
    for _ in range(30):
        tab.view.zoom_in()
    assert tab.view.zoom == pytest.approx(3.0)
    for _ in range(40):
        tab.view.zoom_out()
    assert tab.view.zoom == pytest.approx(0.15)
    tab.view.fit()
    assert 0.15 <= tab.view.zoom <= 1.0


def test_an_account_without_contacts_says_what_to_do(qtbot: QtBot, context: AppContext) -> None:
    account = catalog.accounts.create(context.store, {"name": "Empty"}).id
    widget = ContactsTab(context, account, QUndoStack())
    qtbot.addWidget(widget)
    widget.set_graph(contact_map.contact_graph(context.store, account), TODAY)
    assert widget.map_pages.currentWidget() is widget.empty
    assert not widget.map_actions["export"].isEnabled()


def test_cards_show_a_marker_when_contact_is_older_than_the_cadence(
    context: AppContext, tab: ContactsTab
) -> None:
    added_on(context.store, list(ids(tab).values()), TODAY - timedelta(days=120))
    cards = [item for item in tab.scene.items() if isinstance(item, ContactCard)]
    assert cards and all(card.quiet for card in cards)  # nobody was contacted since


def test_a_contact_added_today_is_new_not_quiet(context: AppContext, tab: ContactsTab) -> None:
    added_on(context.store, list(ids(tab).values()), TODAY)
    card = tab.scene.card(ids(tab)["Ivy"])
    assert card is not None and not card.quiet
    assert "new contact" in card.toolTip() and "cadence" not in card.toolTip()
    assert tab.graph is not None
    assert not [w for w in warnings_for(context, tab.graph, TODAY) if "cadence" in w.message]


def test_card_text_reads_at_the_size_of_the_window_text_when_the_map_opens(
    tab: ContactsTab,
) -> None:
    from PySide6.QtWidgets import QApplication

    card = tab.scene.card(ids(tab)["Ivy"])
    assert card is not None
    normal = QApplication.font().pointSizeF()
    assert all(font.pointSizeF() * tab.view.zoom >= normal for font in card.fonts())


def test_undo_of_a_second_drag_before_the_map_is_read_back_returns_to_the_first(
    context: AppContext, tab: ContactsTab
) -> None:
    uma = ids(tab)["Uma"]
    context.data.blockSignals(True)  # the map is not read back between the two drags
    start = centre(tab, uma)
    drag(tab, start, start + QPoint(0, 120))
    first = tab.scene.card(uma).pos()  # type: ignore[union-attr]
    drag(tab, start + QPoint(0, 120), start + QPoint(160, 120))
    tab.undo.undo()
    context.data.blockSignals(False)
    context.data.changed.emit(ChangeSet.whole(Origin.USER))  # now the map is read back
    assert tab.graph is not None
    assert tab.graph.node(uma).pinned == (first.x(), first.y())  # type: ignore[arg-type]


def test_a_drag_that_fails_shows_the_map_as_stored(context: AppContext, tab: ContactsTab) -> None:
    uma = ids(tab)["Uma"]
    context.data.blockSignals(True)  # deleted behind the map's back (another program)
    with context.store.raw(write=True) as connection:
        connection.execute("DELETE FROM contact WHERE id = ?", (uma,))
    context.data.blockSignals(False)
    start = centre(tab, uma)
    drag(tab, start, start + QPoint(0, 120))  # the write fails: that contact is gone
    assert "Uma" not in ids(tab)  # the map was read again, as the message says
    assert tab.scene.card(uma) is None and uma not in tab.editing.pins


def test_a_link_whose_first_contact_disappears_is_dropped_quietly(
    context: AppContext, tab: ContactsTab
) -> None:
    uma = ids(tab)["Uma"]
    tab.scene.select_ids([uma])
    tab.map_actions["link"].trigger()
    assert tab.scene.interaction is not None
    catalog.contacts.archive(context.store, uma)
    assert tab.scene.interaction is None
    QTest.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    assert tab.graph is not None and tab.graph.links == ()


def test_a_contact_whose_manager_was_archived_keeps_them_when_edited(
    qtbot: QtBot, context: AppContext, tab: ContactsTab
) -> None:
    from am_desktop.ui.dialogs.contact_dialog import ContactDialog

    people = ids(tab)
    catalog.contacts.archive(context.store, people["Finn"])
    ivy = catalog.contacts.get(context.store, people["Ivy"])
    assert tab.graph is not None
    dialog = ContactDialog(context, tab.graph, ivy, tab.undo)
    qtbot.addWidget(dialog)
    dialog.title.setText("Head of IT")
    dialog.buttons.accepted.emit()
    saved = catalog.contacts.get(context.store, ivy.id)
    assert (saved.title, saved.reports_to_id) == ("Head of IT", people["Finn"])


@pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)"
)
def test_right_click_menus_do_not_pile_up(qtbot: QtBot, tab: ContactsTab) -> None:
    from PySide6.QtWidgets import QApplication, QMenu

    for contact_id in [*ids(tab).values(), None]:
        menu = tab._menu_for(contact_id)
        menu.popup(QPoint(0, 0))
        menu.close()
    QApplication.sendPostedEvents(None, 0)  # deleteLater

    def ours() -> list[QMenu]:  # (the toolbar's own overflow menu stays, rightly)
        return [m for m in tab.findChildren(QMenu) if m.parent() is tab]

    qtbot.waitUntil(lambda: not ours())


def test_an_exported_map_can_be_shared_like_any_saved_file(
    tab: ContactsTab, tmp_path: Path
) -> None:
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    folder = tmp_path / "exports"
    folder.mkdir()
    tab.save_map(folder / "map.svg")
    assert (folder / "map.svg").stat().st_mode & 0o777 == 0o666 & ~mask
    assert [p.name for p in folder.iterdir()] == ["map.svg"]  # no temporary file left


def test_the_expected_seniority_is_a_preference(context: AppContext, tab: ContactsTab) -> None:
    people = ids(tab)
    for name in ("Cleo", "Finn"):  # the CEO and CFO leave: an IT manager is the most senior
        catalog.contacts.archive(context.store, people[name])
    assert "No contact at vice-president level or above" in tab.banner.label.text()
    context.settings.prefs.coverage_senior_level = 4
    context.data.changed.emit(ChangeSet.whole(Origin.USER))  # the window re-reads its tabs
    assert "No contact at C-level or above" in tab.banner.label.text()
    context.settings.prefs.coverage_senior_level = 1
    context.data.changed.emit(ChangeSet.whole(Origin.USER))
    assert "or above" not in tab.banner.label.text()


def test_ctrl_wheel_and_ctrl_equals_zoom(qtbot: QtBot, tab: ContactsTab) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    tab.view.set_zoom(1.0)
    wheel = QWheelEvent(
        QPointF(50, 50),
        QPointF(tab.view.viewport().mapToGlobal(QPoint(50, 50))),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(tab.view.viewport(), wheel)
    assert tab.view.zoom == pytest.approx(1.2)
    tab.activateWindow()
    tab.view.setFocus()
    qtbot.waitUntil(tab.view.hasFocus)
    QTest.keyClick(tab.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert tab.view.zoom == pytest.approx(1.0)
    QTest.keyClick(tab.view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert tab.view.zoom == pytest.approx(1.2)
