"""Ctrl+F's results (issue 16, item 16): a page more as the list is scrolled to its end, a
count of what shows, and a selected result whose every word reads on the selection."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from am_desktop.services import catalog, notes
from am_desktop.ui.context import AppContext
from am_desktop.ui.contrast import contrast_ratio
from am_desktop.ui.notes.search import PAGE, SearchDialog, result_colours
from am_desktop.ui.theme import dark_palette
from tests.gui.conftest import TODAY

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

MATCHING = 47


@pytest.fixture
def dialog(qtbot: QtBot, context: AppContext) -> Iterator[SearchDialog]:
    acme = catalog.accounts.create(context.store, {"name": "Acme"}).id
    for day in range(MATCHING):
        when = datetime.combine(TODAY - timedelta(days=day), datetime.min.time(), UTC)
        notes.create_note(
            context.store, {"account_id": acme, "occurred_at": when, "body": f"budget talk {day}"}
        )
    notes.create_note(context.store, {"account_id": acme, "occurred_at": when, "body": "other"})
    widget = SearchDialog(context)
    qtbot.addWidget(widget)
    widget.resize(760, 560)
    widget.show()
    yield widget
    widget.close()


def test_scrolling_to_the_end_shows_the_next_page_and_says_how_many(
    qtbot: QtBot, dialog: SearchDialog
) -> None:
    dialog.search.setText("budget")
    dialog.run()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == PAGE)
    assert f"Showing {PAGE} of {MATCHING} matches" in dialog.status.text()
    bar = dialog.results.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2 * PAGE)
    assert f"Showing {2 * PAGE} of {MATCHING}" in dialog.status.text()
    shown = [hit.note_id for hit in dialog.model.rows]
    assert len(set(shown)) == len(shown)  # the second page follows the first, no repeats
    end = bar.value()
    qtbot.waitUntil(lambda: bar.maximum() > end)  # the list grew: its end is further down
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: dialog.model.rowCount() == MATCHING)
    assert dialog.status.text().startswith(f"{MATCHING} best matches")


def test_a_new_search_starts_again_from_its_first_page(qtbot: QtBot, dialog: SearchDialog) -> None:
    dialog.search.setText("budget")
    dialog.run()
    bar = dialog.results.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2 * PAGE)
    dialog.search.setText("talk 3")
    dialog.run()
    qtbot.waitUntil(lambda: dialog.model.rowCount() < PAGE)
    assert all("3" in hit.snippet for hit in dialog.model.rows)


@pytest.mark.parametrize("palette", [QPalette(), dark_palette()], ids=["light", "dark"])
def test_every_word_of_a_selected_result_reads_on_the_selection(
    dialog: SearchDialog, palette: QPalette
) -> None:
    option = QStyleOptionViewItem()
    option.palette = palette
    for selected in (True, False):
        option.state = QStyle.StateFlag.State_Selected if selected else QStyle.StateFlag.State_None
        colours = result_colours(option)
        assert contrast_ratio(colours.text, colours.background) >= 4.5
        assert contrast_ratio(colours.secondary, colours.background) >= 4.5
        assert colours.secondary != colours.text  # still the quieter line
    highlight = palette.color(QPalette.ColorRole.Highlight)
    option.state = QStyle.StateFlag.State_Selected
    painted = result_colours(option).background
    assert abs(painted.hslHue() - highlight.hslHue()) <= 2  # the same blue, darker if need be


def test_the_painted_selection_uses_those_colours(qtbot: QtBot, dialog: SearchDialog) -> None:
    dialog.search.setText("budget")
    dialog.run()
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 1)
    index: QModelIndex = dialog.model.index(0, 0)
    dialog.results.setCurrentIndex(index)
    rect = dialog.results.visualRect(index)
    image = dialog.results.viewport().grab().toImage()
    option = QStyleOptionViewItem()
    option.palette = dialog.results.palette()
    option.state = QStyle.StateFlag.State_Selected
    expected = result_colours(option).background
    corner = image.pixelColor(rect.right() - 3, rect.center().y())
    assert corner.name() == expected.name() != palette_highlight(dialog).name()  # darker, to read


def palette_highlight(dialog: SearchDialog) -> QColor:
    return dialog.results.palette().color(QPalette.ColorRole.Highlight)
