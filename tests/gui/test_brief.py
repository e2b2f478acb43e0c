"""Today's Meetings, the Brief button and window, and Start note (issue 19)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from am_desktop.services import catalog, notes
from am_desktop.ui.brief.window import BriefWindow
from am_desktop.ui.context import AppContext
from am_desktop.ui.main_window import MainWindow
from am_desktop.ui.today import TodayView

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)"
)


@pytest.fixture
def meeting(context: AppContext) -> tuple[int, int, int]:
    """Acme's meeting with Dana this afternoon (22 Nov 2026, 15:00 UTC): (account, note,
    contact)."""
    acme = catalog.accounts.create(context.store, {"name": "Acme", "tier": "key"}).id
    dana = catalog.contacts.create(
        context.store,
        {"account_id": acme, "first_name": "Dana", "last_name": "Reyes", "role": "champion"},
    ).id
    note = notes.create_note(
        context.store,
        {"account_id": acme, "title": "Renewal meeting", "kind": "meeting",
         "occurred_at": datetime(2026, 11, 22, 15, tzinfo=UTC)},
        [dana],
    )  # fmt: skip
    return acme, note.id, dana


@pytest.fixture
def today(qtbot: QtBot, context: AppContext) -> Iterator[TodayView]:
    view = TodayView(context)
    qtbot.addWidget(view)
    view.resize(1200, 900)
    view.show()
    yield view
    view.close()


def _click(qtbot: QtBot, view: TodayView, row: int, text: str) -> None:
    """Click a meeting's button where it is painted."""
    buttons = view.meeting_buttons
    which = {"Brief": 0, "Start note": 1}[text]
    meetings = view.views["meetings"]
    meetings.scrollTo(view.models["meetings"].index(row, 0))
    rect = buttons.button_rect(row, which)
    assert meetings.viewport().rect().contains(rect)  # painted whole, not cut
    qtbot.mouseClick(meetings.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_meetings_list_time_title_account_and_attendees(
    today: TodayView, meeting: tuple[int, int, int]
) -> None:
    today.refresh()
    model = today.models["meetings"]
    local = datetime(2026, 11, 22, 15, tzinfo=UTC).astimezone()
    day = "today" if local.date().day == 22 else "tomorrow" if local.date().day == 23 else None
    assert day is not None  # every zone from UTC-9 to UTC+14 keeps it today or tomorrow
    row = [model.index(0, c).data() for c in range(4)]
    assert row == ["Renewal meeting", f"{day} {local:%H:%M}", "Acme", "Dana Reyes"]
    assert today.captions["meetings"].text() == "Meetings today and tomorrow (1)"


def test_enter_on_a_meeting_opens_its_note(
    qtbot: QtBot, today: TodayView, meeting: tuple[int, int, int]
) -> None:
    today.refresh()
    view = today.views["meetings"]
    view.setCurrentIndex(today.models["meetings"].index(0, 0))
    with qtbot.waitSignal(today.open_requested) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened.args == ["note", meeting[0], meeting[1]]


def test_the_brief_button_opens_the_meetings_brief(
    qtbot: QtBot, today: TodayView, meeting: tuple[int, int, int], tmp_path: Path
) -> None:
    today.refresh()
    _click(qtbot, today, 0, "Brief")
    (window,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, BriefWindow)]
    qtbot.waitUntil(lambda: window.brief is not None)
    assert window.windowTitle() == "Pre-call brief: Acme — Renewal meeting"
    shown = window.text.toPlainText()
    assert "Attendees" in shown and "Dana Reyes" in shown and "Suggested agenda" in shown
    assert window.print_button.isEnabled() and window.save_button.isEnabled()
    window.save(tmp_path / "brief")  # no suffix: PDF
    assert (tmp_path / "brief.pdf").read_bytes().startswith(b"%PDF")
    assert window.status.text() == f"Saved {tmp_path / 'brief.pdf'}."
    window.close()


def test_painted_buttons_click_only_on_a_press_and_release_on_the_same_button(
    qtbot: QtBot, today: TodayView, meeting: tuple[int, int, int]
) -> None:
    """Pressing Brief and releasing on Start note clicks neither; a click selects no row."""
    today.refresh()
    view, buttons = today.views["meetings"], today.meeting_buttons
    brief, start = buttons.button_rect(0, 0), buttons.button_rect(0, 1)
    opened: list[tuple[str, int, int]] = []
    today.open_requested.connect(lambda *args: opened.append(args))
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=brief.center())
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=start.center())
    _click(qtbot, today, 0, "Start note")
    assert opened == [("note", meeting[0], meeting[1])]
    assert not view.selectionModel().hasSelection()


def test_painted_buttons_have_their_own_tooltips(
    qtbot: QtBot, today: TodayView, meeting: tuple[int, int, int]
) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    today.refresh()
    view, buttons = today.views["meetings"], today.meeting_buttons
    for which, tip in ((0, "The pre-call brief for Acme"), (1, "Open this meeting's note")):
        at = buttons.button_rect(0, which).center()
        event = QHelpEvent(QEvent.Type.ToolTip, at, view.viewport().mapToGlobal(at))
        QApplication.sendEvent(view.viewport(), event)
        qtbot.waitUntil(lambda tip=tip: QToolTip.text().startswith(tip))


def test_a_meetings_menu_offers_its_buttons(
    qtbot: QtBot, today: TodayView, meeting: tuple[int, int, int]
) -> None:
    """The keyboard's way to the buttons: the row's menu (Menu key) has Start note and Brief."""
    from PySide6.QtWidgets import QMenu

    today.refresh()
    view = today.views["meetings"]
    today._on_menu_requested(
        "meetings", view.visualRect(today.models["meetings"].index(0, 0)).center()
    )
    (menu,) = [m for m in today.findChildren(QMenu) if m.isVisible()]
    assert [a.text() for a in menu.actions()] == ["Start note", "Brief", "Snooze for 3 days"]
    with qtbot.waitSignal(today.open_requested) as opened:
        menu.actions()[0].trigger()
    assert opened.args == ["note", meeting[0], meeting[1]]
    menu.close()


def test_start_note_opens_the_planned_note_filled(
    qtbot: QtBot, context: AppContext, meeting: tuple[int, int, int]
) -> None:
    acme, note_id, dana = meeting
    main = MainWindow(context)
    qtbot.addWidget(main)
    main.show()
    main.start()
    today = main.today_view
    qtbot.waitUntil(lambda: today.models["meetings"].row_at(0) is not None)
    _click(qtbot, today, 0, "Start note")
    workspace = main.tabs.current_workspace()
    assert workspace is not None and workspace.account_id == acme
    editor = workspace.notes.editor
    qtbot.waitUntil(lambda: editor.note is not None and editor.note.id == note_id)
    assert editor.kind.currentData() == "meeting"
    assert editor.title.text() == "Renewal meeting"
    shown = editor.when.dateTime().toPython()
    assert shown == datetime(2026, 11, 22, 15, tzinfo=UTC).astimezone().replace(tzinfo=None)
    assert editor.attendees.ids == [dana]
    main.close()


def test_pre_call_brief_from_the_account_workspace(
    qtbot: QtBot, context: AppContext, meeting: tuple[int, int, int]
) -> None:
    main = MainWindow(context)
    qtbot.addWidget(main)
    main.show()
    main.start()
    main.tabs.open_account(meeting[0])
    (action,) = [a for a in main.findChildren(type(main.menuBar().actions()[0]))
                 if a.text() == "Pre-call &brief…"]  # fmt: skip
    assert action.shortcut().toString() == "Ctrl+Shift+P"
    action.trigger()
    (window,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, BriefWindow)]
    qtbot.waitUntil(lambda: window.brief is not None)
    assert window.windowTitle() == "Pre-call brief: Acme"
    assert "Key contacts" in window.text.toPlainText()
    window.close()
    main.close()


def test_the_brief_window_fits_a_small_screen() -> None:
    """On a 1366×768 laptop the Print and Save buttons stay on screen."""
    from PySide6.QtCore import QSize

    from am_desktop.ui.brief.window import fitted

    assert fitted(QSize(760, 820), QSize(1366, 738)) == QSize(760, 690)
    assert fitted(QSize(760, 820), QSize(1920, 1050)) == QSize(760, 820)


def test_a_refresh_between_press_and_release_clicks_nothing(
    qtbot: QtBot, today: TodayView, context: AppContext, meeting: tuple[int, int, int]
) -> None:
    """The list read again between the press and the release may put another meeting under
    the mouse: the release must not open that one."""
    notes.create_note(
        context.store,
        {"account_id": meeting[0], "title": "Earlier meeting", "kind": "meeting",
         "occurred_at": datetime(2026, 11, 22, 9, tzinfo=UTC)},
        [meeting[2]],
    )  # fmt: skip
    today.refresh()
    model = today.models["meetings"]
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    view, buttons = today.views["meetings"], today.meeting_buttons
    start = buttons.button_rect(0, 1)
    opened: list[tuple[str, int, int]] = []
    today.open_requested.connect(lambda *args: opened.append(args))
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start.center())
    model.set_rows(list(reversed(model.rows)))  # another meeting now sits under the mouse
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=start.center())
    assert opened == []
