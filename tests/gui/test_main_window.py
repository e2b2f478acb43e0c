"""The main window with the account list and workspaces, driven as a user would."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from am_desktop.domain.portfolio import SavedFilter
from am_desktop.services import catalog
from am_desktop.ui.context import AppContext
from am_desktop.ui.main_window import MainWindow
from am_desktop.ui.window.views import ViewKey
from am_desktop.ui.workspace import AccountWorkspace, WorkspaceTab
from tests.gui.conftest import TODAY


@pytest.fixture
def window(qtbot: QtBot, context: AppContext) -> Iterator[MainWindow]:
    specs = [
        ("Acme", "acme.com", "strategic", 5000, 30),
        ("Globex", "globex.com", "key", 9000, 200),
        ("Initech", "initech.com", "standard", 100, None),
    ]
    for name, domain, tier, arr, renew_in in specs:
        account = catalog.accounts.create(
            context.store, {"name": name, "domain": domain, "tier": tier}
        )
        catalog.movements.create(
            context.store,
            {
                "account_id": account.id,
                "occurred_on": TODAY - timedelta(days=100),
                "type": "new",
                "amount_cents": arr * 100,
            },
        )
        if renew_in:
            catalog.contracts.create(
                context.store,
                {
                    "account_id": account.id,
                    "start_date": TODAY - timedelta(days=300),
                    "end_date": TODAY + timedelta(days=renew_in),
                    "arr_cents": arr * 100,
                },
            )
    main = MainWindow(context)
    qtbot.addWidget(main)
    main.show()  # screens follow changes while they are shown (hidden ones catch up on show)
    main.show_view(ViewKey.ACCOUNTS)
    main.start()
    yield main
    main.close()


def names(window: MainWindow) -> list[str]:
    model = window.model
    return [model.data(model.index(row, 0)) for row in range(model.rowCount())]


def test_the_account_list_model_is_sound(window: MainWindow, qtbot: QtBot) -> None:
    ModelTester(qtbot).check(window.model)  # pytest-qt's qtmodeltester on the live model
    assert names(window) == ["Acme", "Globex", "Initech"]


def test_typing_filters_the_list(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClicks(window.accounts.filter_edit, "glob")
    qtbot.waitUntil(lambda: names(window) == ["Globex"], timeout=2000)
    assert window.accounts.count_label.text() == "1 account"
    window.accounts.filter_edit.setText("nothing like this")
    qtbot.waitUntil(
        lambda: window.accounts.pages.currentWidget() is window.accounts.empty, timeout=2000
    )
    assert "No account matches" in window.accounts.empty.title.text()


def test_header_clicks_sort_in_sql(window: MainWindow, qtbot: QtBot) -> None:
    arr_column = 4
    window.model.sort(arr_column, Qt.SortOrder.DescendingOrder)
    assert names(window) == ["Globex", "Acme", "Initech"]
    window.model.sort(arr_column, Qt.SortOrder.AscendingOrder)
    assert names(window) == ["Initech", "Acme", "Globex"]


def test_saved_filters_show_their_accounts_and_counts(window: MainWindow) -> None:
    window.show_view(ViewKey.ACCOUNTS, SavedFilter.STRATEGIC)
    assert names(window) == ["Acme"]
    window.show_view(ViewKey.ACCOUNTS, SavedFilter.RENEWING_90)
    assert names(window) == ["Acme"]
    counts = {s: window.sidebar.filter_text(s) for s in SavedFilter}
    assert counts[SavedFilter.ALL].endswith("3") and counts[SavedFilter.STRATEGIC].endswith("1")


def test_a_multi_selection_survives_the_list_following_a_change(window: MainWindow) -> None:
    table = window.accounts.table
    table.selectAll()
    assert len(window.accounts.selected_ids()) == 3
    acme = catalog.accounts.find(window.context.store, name="Acme")[0].id
    catalog.accounts.update(window.context.store, acme, {"industry": "Retail"})  # same rows
    assert len(window.accounts.selected_ids()) == 3
    catalog.accounts.create(window.context.store, {"name": "Hooli"})  # a new row: a reset
    assert names(window) == ["Acme", "Globex", "Hooli", "Initech"]
    selected = window.accounts.selected_ids()
    assert len(selected) == 3 and acme in selected


def test_archiving_hides_and_undo_restores(window: MainWindow) -> None:
    acme = catalog.accounts.find(window.context.store, name="Acme")[0].id
    window.accounts.archive_requested.emit([acme], True)
    assert names(window) == ["Globex", "Initech"]
    window.show_view(ViewKey.ACCOUNTS, SavedFilter.ARCHIVED)
    assert names(window) == ["Acme"]
    window.undo_stack.undo()
    window.show_view(ViewKey.ACCOUNTS, SavedFilter.ALL)
    assert names(window) == ["Acme", "Globex", "Initech"]


def test_a_workspace_opens_edits_in_place_and_undoes(window: MainWindow, qtbot: QtBot) -> None:
    acme = catalog.accounts.find(window.context.store, name="Acme")[0].id
    window.open_account(acme)
    workspace = window.tabs.currentWidget()
    assert isinstance(workspace, AccountWorkspace)
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Acme"
    assert workspace.figures["ARR"].text() == "$5,000"
    workspace.objectives.add_requested.emit()
    assert [o.title for o in workspace.overview.objectives] == ["New objective"]
    model = workspace.objectives.model
    assert model.setData(model.index(0, 0), "Grow adoption in EMEA")
    assert [o.title for o in workspace.overview.objectives] == ["Grow adoption in EMEA"]
    window.undo_stack.undo()
    assert [o.title for o in workspace.overview.objectives] == ["New objective"]
    window.undo_stack.redo()
    assert [o.title for o in workspace.overview.objectives] == ["Grow adoption in EMEA"]


def test_winning_an_opportunity_writes_the_ledger(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from am_desktop.ui.workspace.won_dialog import WonPreviewDialog

    monkeypatch.setattr(WonPreviewDialog, "exec", lambda _dialog: 1)  # Confirm
    acme = catalog.accounts.find(window.context.store, name="Acme")[0].id
    catalog.opportunities.create(
        window.context.store, {"account_id": acme, "name": "Seats", "amount_cents": 100000}
    )
    window.open_account(acme)
    workspace = window.tabs.currentWidget()
    assert isinstance(workspace, AccountWorkspace)
    workspace.show_tab(WorkspaceTab.OPPORTUNITIES)  # a hidden tab catches up when shown
    workspace.opportunities.view.selectRow(0)
    workspace.won_button.click()
    assert workspace.overview.opportunities[0].stage.value == "won"
    assert workspace.figures["ARR"].text() == "$6,000"
    window.undo_stack.undo()
    assert workspace.overview.opportunities[0].stage.value == "identified"
    assert workspace.figures["ARR"].text() == "$5,000"


def test_an_invalid_edit_is_explained_beside_the_table_and_not_kept(window: MainWindow) -> None:
    acme = catalog.accounts.find(window.context.store, name="Acme")[0].id
    catalog.opportunities.create(window.context.store, {"account_id": acme, "name": "Seats"})
    window.open_account(acme)
    workspace = window.tabs.currentWidget()
    assert isinstance(workspace, AccountWorkspace)
    workspace.show_tab(WorkspaceTab.OPPORTUNITIES)
    model = workspace.opportunities.model
    model.setData(model.index(0, 3), "lots")
    assert "is not an amount" in workspace.opportunities.error.text()
    assert not workspace.opportunities.error.isHidden()
    assert workspace.overview.opportunities[0].amount_cents == 0
    assert window.undo_stack.count() == 0  # a refused edit leaves nothing to undo
    model.setData(model.index(0, 3), "1,500")
    assert workspace.opportunities.error.isHidden()
    assert workspace.overview.opportunities[0].amount_cents == 150000


def test_the_last_view_is_remembered(window: MainWindow, context: AppContext, qtbot: QtBot) -> None:
    window.show_view(ViewKey.RENEWALS)
    assert window.current_view() is ViewKey.RENEWALS
    window.save_state()
    second = MainWindow(context)
    qtbot.addWidget(second)
    assert second.current_view() is ViewKey.RENEWALS
    second.close()


def test_changing_the_currency_preference_converts_into_it(window: MainWindow) -> None:
    """An account's ARR stays in its own currency (issue 20); the reporting figure beside it
    follows the setting, and says so when no rate converts it."""
    window.context.settings.prefs.currency = "EUR"
    assert window.model.data(window.model.index(0, 4)) == "$5,000"
    assert window.model.headerData(5, Qt.Orientation.Horizontal) == "ARR (EUR)"
    assert window.model.data(window.model.index(0, 5)) == "—"


def test_a_bug_is_logged_and_shown_once(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    import sys
    import threading

    from am_desktop.ui import crash

    shown: list[object] = []
    monkeypatch.setattr(crash, "_show", shown.append)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    crash.install(tmp_path / "am.log")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: shown == [tmp_path / "am.log"], timeout=2000)
    assert "RuntimeError: boom" in caplog.text


def test_a_daily_backup_is_taken_once_the_list_shows(window: MainWindow) -> None:
    backups = list(
        (window.context.store.path.parent / "backups").glob("*-daily-2026-11-22.sqlite3")
    )
    assert len(backups) == 1


def test_the_header_warns_about_coverage_and_file_menu_exports_the_map(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    messages: list[str] = []
    window.context.messages.posted.connect(lambda _level, text: messages.append(text))
    window.export_map_action.trigger()  # no account open: explained, nothing written
    assert any("Open an account first" in m for m in messages)

    acme = catalog.accounts.find(window.context.store, name="Acme")[0].id
    catalog.contacts.create(
        window.context.store, {"account_id": acme, "last_name": "Lee", "title": "Analyst"}
    )
    window.open_account(acme)
    workspace = window.tabs.currentWidget()
    assert isinstance(workspace, AccountWorkspace)
    assert not workspace.coverage_label.isHidden()
    assert "coverage warnings" in workspace.coverage_label.text()
    assert len(workspace.contacts.scene.cards()) == 1

    target = tmp_path / "acme.svg"
    monkeypatch.setattr(
        "am_desktop.ui.contact_map.export.QFileDialog.getSaveFileName",
        lambda *_args, **_kw: (str(target), ""),
    )
    window.export_map_action.trigger()
    assert "Lee" in target.read_text()


def test_notes_menu_starts_a_note_and_the_timeline_opens_it(window: MainWindow) -> None:
    from am_desktop.services import notes

    acme = catalog.accounts.find(window.context.store, name="Acme")[0].id
    note = notes.create_note(
        window.context.store,
        {"account_id": acme, "occurred_at": "2026-11-20T10:00Z", "title": "Kick-off", "body": "x"},
    )
    window.open_account(acme)
    workspace = window.tabs.currentWidget()
    assert isinstance(workspace, AccountWorkspace)
    item = workspace.timeline.item(0)
    assert item is not None and "Kick-off" in item.text()
    workspace.timeline.itemActivated.emit(item)
    assert workspace.tabs.tabText(workspace.tabs.currentIndex()) == "Notes"
    editor = workspace.notes.editor
    assert editor.note is not None and editor.note.id == note.id
    window.new_note()  # Ctrl+N in a workspace: a new note for its account
    assert editor.note is None and editor.account_id == acme
    editor.body.setPlainText("Follow-up #risk")
    editor.flush()
    assert [r.description for r in catalog.risks.find(window.context.store, account_id=acme)] == [
        "Follow-up"
    ]


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
def test_renewal_alerts_show_and_a_dismissal_is_remembered(
    qtbot: QtBot, context: AppContext
) -> None:
    account = catalog.accounts.create(context.store, {"name": "Acme"}).id
    end = TODAY + timedelta(days=25)
    contract = catalog.contracts.create(
        context.store,
        {"account_id": account, "start_date": end - timedelta(days=364), "end_date": end,
         "arr_cents": 100, "notice_days": 10},
    )  # fmt: skip
    renewal = catalog.renewals.create(context.store, {"contract_id": contract.id}).id

    def opened() -> MainWindow:
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        window.start()
        return window

    first = opened()
    qtbot.waitUntil(lambda: first.alerts_panel is not None)
    panel = first.alerts_panel
    assert [a.key.split(":")[1] for a in panel.shown()] == ["notice", "band-30"]
    assert panel.isVisible() and "2 renewal alerts" in first.alerts_button.text()
    for alert in panel.shown():
        if alert.is_notice:
            panel.dismiss(alert.key)
        else:
            panel.snooze(alert.key)
    assert panel.shown() == [] and not panel.isVisible()
    first.close()
    second = opened()
    qtbot.waitUntil(lambda: second.alerts_panel is not None)
    assert second.alerts_panel.shown() == []  # remembered across a restart
    second.alerts_panel.renewal_opened.emit(account, renewal)
    workspace = second.tabs.currentWidget()
    assert isinstance(workspace, AccountWorkspace)
    assert workspace.renewals.selected_ids() == [renewal]
    second.close()


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
def test_closing_a_renewal_takes_its_alert_away_at_once(qtbot: QtBot, context: AppContext) -> None:
    from am_desktop.services import renewals

    account = catalog.accounts.create(context.store, {"name": "Acme"}).id
    end = TODAY + timedelta(days=25)
    contract = catalog.contracts.create(
        context.store,
        {"account_id": account, "start_date": end - timedelta(days=364), "end_date": end,
         "arr_cents": 100},
    )  # fmt: skip
    renewal = catalog.renewals.create(context.store, {"contract_id": contract.id}).id
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.alerts_panel is not None)
    assert len(window.alerts_panel.shown()) == 1
    renewals.close_renewal(context.store, renewal, renewed=True, on=TODAY)
    assert window.alerts_panel.shown() == [] and window.alerts_button.isHidden()
    window.close()


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
def test_a_closed_alerts_panel_opens_again_only_for_a_new_alert(
    qtbot: QtBot, context: AppContext
) -> None:
    from am_desktop.services import notes

    def renewing_in(days: int, account: int) -> None:
        end = TODAY + timedelta(days=days)
        contract = catalog.contracts.create(
            context.store,
            {"account_id": account, "start_date": end - timedelta(days=364), "end_date": end,
             "arr_cents": 100},
        )  # fmt: skip
        catalog.renewals.create(context.store, {"contract_id": contract.id})

    acme = catalog.accounts.create(context.store, {"name": "Acme"}).id
    renewing_in(25, acme)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.alerts_panel is not None and window.alerts_panel.isVisible())
    panel = window.alerts_panel
    panel.hide()  # the user closed it
    notes.create_note(context.store, {"account_id": acme, "occurred_at": "2026-11-22T09:00"})
    catalog.accounts.update(context.store, acme, {"industry": "Retail"})  # edits re-check
    assert not panel.isVisible() and len(panel.shown()) == 1
    renewing_in(20, catalog.accounts.create(context.store, {"name": "Globex"}).id)
    qtbot.waitUntil(lambda: panel.isVisible() and len(panel.shown()) == 2)
    window.close()


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
def test_the_today_view_lists_the_days_work_and_ticks_actions_off(
    qtbot: QtBot, context: AppContext
) -> None:
    from am_desktop.services import notes

    account = catalog.accounts.create(context.store, {"name": "Acme"}).id
    note = notes.create_note(
        context.store,
        {"account_id": account, "occurred_at": "2026-11-20T10:00Z",
         "body": f"- [ ] Send the deck due:{TODAY + timedelta(days=2)}\n"},
    )  # fmt: skip
    catalog.escalations.create(
        context.store,
        {"account_id": account, "title": "Outage", "opened_on": TODAY, "severity": "high"},
    )
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.start()
    assert window.current_view() is ViewKey.TODAY  # the day starts here
    today = window.today_view
    actions, issues = today.models["actions"], today.models["issues"]
    assert actions.index(0, 0).data() == "Send the deck"
    assert issues.index(0, 0).data() == "Outage"
    assert today.captions["check_ins"].text() == "Check-ins overdue"  # the note touched it
    actions.setData(actions.index(0, 0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert catalog.notes.get(context.store, note.id).body.startswith("- [x] Send the deck")
    assert "Nothing due" in actions.index(0, 0).data()  # the change feed refreshed Today
    today.snooze("issue", catalog.escalations.find(context.store)[0].id)
    assert "No open escalations" in issues.index(0, 0).data()
    window.close()


def test_the_health_tab_explains_the_score_and_recomputes(window: MainWindow) -> None:
    acme = catalog.accounts.find(window.context.store, name="Acme")[0].id
    catalog.surveys.create(
        window.context.store,
        {"account_id": acme, "responded_on": TODAY, "kind": "nps", "score": 9},
    )
    window.open_account(acme)
    workspace = window.tabs.currentWidget()
    assert isinstance(workspace, AccountWorkspace)
    workspace.show_tab(WorkspaceTab.HEALTH)
    tab = workspace.health
    assert tab.component_model.index(2, 1).data() == "no data"  # scored at start
    tab.recompute.click()
    assert tab.component_model.rowCount() == 5
    labels = [tab.component_model.index(r, 0).data() for r in range(5)]
    assert labels == ["Engagement", "Stakeholders", "NPS / CSAT", "Usage", "Open issues"]
    assert tab.component_model.index(2, 1).data() == "90"
    assert tab.survey_model.rowCount() == 1
    assert workspace.figures["Health"].text() != "—"  # the header follows
    assert "·" in workspace.figures["Health"].text()  # with its band


def test_the_health_tab_imports_surveys_and_usage_from_csv(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from am_desktop.ui.dialogs.import_dialog import ImportDialog

    acme = catalog.accounts.find(window.context.store, name="Acme")[0].id
    window.open_account(acme)
    workspace = window.tabs.currentWidget()
    assert isinstance(workspace, AccountWorkspace)
    opened: list[str] = []
    monkeypatch.setattr(ImportDialog, "exec", lambda dialog: opened.append(dialog.kind()) or 0)
    workspace.health.import_buttons["usage"].click()
    workspace.health.import_buttons["surveys"].click()
    assert opened == ["usage", "surveys"]


def test_the_dashboard_shows_the_periods_kpis_and_charts(qtbot: QtBot, window: MainWindow) -> None:
    window.show_view(ViewKey.DASHBOARD)
    view = window.dashboard_view
    qtbot.waitUntil(view.ready)
    assert all(chart.image is not None and not chart.image.isNull() for chart in view.charts)
    assert view.tiles["arr"].text() == "$14k"  # the three accounts' ARR: 5,000 + 9,000 + 100
    view.period.setCurrentIndex(view.period.findData("last_year"))
    start, end = view.dates()
    assert (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
    assert end.year == TODAY.year - 1
    qtbot.waitUntil(lambda: view.tiles["arr"].text() == "—")  # no ledger yet: no figure, not $0
    assert view.tiles["nrr"].text() == "—"  # no cohort, no ratio


def test_a_chart_draws_again_at_its_new_size(qtbot: QtBot, context: AppContext) -> None:
    from functools import partial

    from am_desktop.charts.kpi import health_distribution
    from am_desktop.ui.chart_view import ChartView

    chart = ChartView(context.tasks)
    qtbot.addWidget(chart)
    chart.resize(400, 300)
    chart.show()
    qtbot.waitExposed(chart)
    chart.show_chart(partial(health_distribution, {"healthy": 2}, "now"))
    assert chart.current and chart.image is not None
    assert chart.image.deviceIndependentSize().toSize().width() == 400
    chart.resize(600, 300)
    assert not chart.current  # the old image, stretched, until the new one is drawn
    qtbot.waitUntil(lambda: chart.current)
    assert chart.image.deviceIndependentSize().toSize().width() == 600


def test_the_welcome_offers_the_import_wizard(
    qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = MainWindow(context)
    qtbot.addWidget(main)
    main.show()  # screens follow changes while they are shown (hidden ones catch up on show)
    opened: list[bool] = []
    monkeypatch.setattr(main, "import_csv", lambda: opened.append(True))
    main.start()
    main.show_view(ViewKey.TODAY)
    qtbot.waitUntil(lambda: main.today_view.lists is not None)
    main.today_view.import_button.click()
    main.close()
    assert opened == [True]


def test_the_start_up_probe_waits_for_the_view_in_front_to_show_its_data(
    window: MainWindow, qtbot: QtBot
) -> None:
    """The benchmarks time start-up to this: the start view filled, not merely drawn."""
    qtbot.waitUntil(window.start_view_ready)
    assert window.model.rowCount() == 3
    window.show_view(ViewKey.TODAY)
    today = window.views.currentWidget()
    qtbot.waitUntil(window.start_view_ready)
    assert today.lists is not None  # type: ignore[attr-defined]
