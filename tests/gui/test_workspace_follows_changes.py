"""An open account workspace follows every change by itself, part by part (issue 13): a quick
note's attendee reaches the map and the header's coverage line, a hidden tab catches up when
shown, and another account's writes read nothing here."""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import QDateTime
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from am_desktop.services import catalog, notes
from am_desktop.ui.context import AppContext
from am_desktop.ui.workspace import AccountWorkspace, WorkspaceTab
from tests.gui.conftest import TODAY, added_on

# The offscreen platform says this whenever a top-level widget is shown; nothing is wrong.
pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\))"
)

#: Every read an open workspace makes, by where its parts look it up.
READS = (
    "am_desktop.ui.workspace.header.account_figures",
    "am_desktop.ui.workspace.overview.account_plan",
    "am_desktop.ui.workspace.pipeline.account_opportunities",
    "am_desktop.ui.workspace.renewals.account_contracts",
    "am_desktop.ui.workspace.issues.account_escalations",
    "am_desktop.services.contact_map.contact_graph",
    "am_desktop.services.sync.record_state.record_state",
    "am_desktop.services.health.latest",
    "am_desktop.services.notes.list_notes",
)


@pytest.fixture
def acme(context: AppContext) -> int:
    return catalog.accounts.create(context.store, {"name": "Acme"}).id


@pytest.fixture
def ivy(context: AppContext, acme: int) -> int:
    """Acme's champion, added a year ago and never contacted: "gone quiet"."""
    values = {"account_id": acme, "first_name": "Ivy", "last_name": "Doe", "role": "champion"}
    contact = catalog.contacts.create(context.store, values).id
    added_on(context.store, [contact], TODAY.replace(year=TODAY.year - 1))
    return contact


@pytest.fixture
def workspace(qtbot: QtBot, context: AppContext, acme: int, ivy: int) -> Iterator[AccountWorkspace]:
    undo = QUndoStack()
    widget = AccountWorkspace(context, acme, undo)
    widget.undo_stack = undo  # type: ignore[attr-defined]  # kept alive with the workspace
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()  # parts follow changes at once while shown
    qtbot.waitExposed(widget)
    yield widget
    widget.close()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each read of :data:`READS` runs from now on."""
    counted: Counter[str] = Counter()
    for target in READS:
        module, name = target.rsplit(".", 1)
        real = getattr(importlib.import_module(module), name)
        monkeypatch.setattr(target, _counting(counted, name, real))
    return counted


def _counting(counted: Counter[str], name: str, real: Callable[..., Any]) -> Callable[..., Any]:
    def read(*args: Any, **kwargs: Any) -> Any:
        counted[name] += 1
        return real(*args, **kwargs)

    return read


def champion_quiet(workspace: AccountWorkspace) -> bool:
    """Whether the header's coverage line warns that the champion went quiet (the line
    shows the first warning; its tooltip lists them all)."""
    label = workspace.coverage_label
    return not label.isHidden() and "Champion Ivy Doe" in label.text() + label.toolTip()


def test_a_quick_note_with_an_attendee_clears_the_quiet_marker_and_the_warning(
    context: AppContext, workspace: AccountWorkspace, acme: int, ivy: int
) -> None:
    card = workspace.contacts.scene.card(ivy)
    assert card is not None and card.quiet  # the clock badge
    assert champion_quiet(workspace)
    assert workspace.current_tab() is WorkspaceTab.OVERVIEW  # the map is not even shown
    met = datetime(TODAY.year, TODAY.month, TODAY.day, 10, tzinfo=UTC)
    notes.create_note(context.store, {"account_id": acme, "occurred_at": met, "body": "x"}, [ivy])
    card = workspace.contacts.scene.card(ivy)
    assert card is not None and not card.quiet
    assert not champion_quiet(workspace)


def test_the_quick_capture_window_reaches_the_open_workspace(
    context: AppContext, workspace: AccountWorkspace, acme: int, ivy: int
) -> None:
    from am_desktop.ui.notes.quick_capture import QuickCapture

    workspace.show_tab(WorkspaceTab.CONTACTS)
    assert champion_quiet(workspace)
    QuickCapture.open(context, acme, parent=workspace)  # Ctrl+Shift+N (over the window)
    capture = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, QuickCapture) and w.isVisible()
    )
    met = QDateTime(TODAY.year, TODAY.month, TODAY.day, 10, 0, 0)
    capture.editor.when.setDateTime(met)
    capture.editor.attendees._on_completer_activated("Ivy Doe")
    capture.editor.body.setPlainText("Checked in about the roll-out")
    capture.close()  # saves
    card = workspace.contacts.scene.card(ivy)
    assert card is not None and not card.quiet
    assert not champion_quiet(workspace)


def test_a_hidden_tab_is_stale_until_shown_and_the_shown_one_follows_at_once(
    qtbot: QtBot, context: AppContext, workspace: AccountWorkspace, acme: int
) -> None:
    issue = {"account_id": acme, "title": "Outage in EMEA", "opened_on": TODAY}
    catalog.escalations.create(context.store, issue)
    timeline = [workspace.timeline.item(i).text() for i in range(workspace.timeline.count())]
    assert any("Outage in EMEA" in line for line in timeline)  # the Overview tab is in front
    issues = workspace.issues_tab
    assert issues.follower.stale and workspace.issues.model.rowCount() == 0
    workspace.show_tab(WorkspaceTab.ISSUES)
    qtbot.waitUntil(lambda: workspace.issues.model.rowCount() == 1)
    assert not issues.follower.stale


def test_another_accounts_writes_read_nothing_here(
    context: AppContext, workspace: AccountWorkspace, reads: Counter[str]
) -> None:
    store = context.store
    other = catalog.accounts.create(store, {"name": "Globex"}).id
    ana = catalog.contacts.create(store, {"account_id": other, "last_name": "Ana"}).id
    notes.create_note(store, {"account_id": other, "occurred_at": "2026-11-20T10:00Z"}, [ana])
    catalog.escalations.create(store, {"account_id": other, "title": "Outage", "opened_on": TODAY})
    catalog.risks.create(store, {"account_id": other, "description": "Budget"})
    assert reads == Counter()


def test_each_part_reads_only_what_concerns_it(
    context: AppContext, workspace: AccountWorkspace, acme: int, reads: Counter[str]
) -> None:
    catalog.risks.create(context.store, {"account_id": acme, "description": "Budget frozen"})
    assert reads == Counter({"account_plan": 1})  # not the header, contacts, contracts…
    hidden = (workspace.pipeline, workspace.renewals_tab, workspace.issues_tab, workspace.health)
    assert not any(tab.follower.stale for tab in hidden)  # nor once they are shown
    assert [r.description for r in workspace.overview_tab.plan.risks] == ["Budget frozen"]  # type: ignore[union-attr]


def test_tabs_are_addressed_by_key(
    workspace: AccountWorkspace,
) -> None:
    for key in WorkspaceTab:
        workspace.show_tab(key)
        assert workspace.current_tab() is key
        assert workspace.tabs.tabText(workspace.tabs.currentIndex()) == key.label
