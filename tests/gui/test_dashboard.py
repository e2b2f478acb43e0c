"""The Dashboard on real threads: the newest period asked for is what stays on screen."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from am_desktop.services import dashboard as service
from am_desktop.ui.context import AppContext
from am_desktop.ui.dashboard import DashboardView, period_of
from am_desktop.ui.tasks import ThreadTaskRunner
from tests.gui.conftest import TODAY

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
BOUND = 10  # seconds a worker blocks at most on a gate the test forgot to open


@pytest.fixture
def runner() -> Iterator[ThreadTaskRunner]:
    runner = ThreadTaskRunner(pytest.fail)  # a failed read fails the test
    yield runner
    runner.shutdown()


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    """Opened by the test when the held read may answer (at the latest on the way out)."""
    gate = threading.Event()
    yield gate
    gate.set()


@pytest.fixture
def view(qtbot: QtBot, context: AppContext, runner: ThreadTaskRunner) -> Iterator[DashboardView]:
    dashboard = DashboardView(replace(context, tasks=runner))
    qtbot.addWidget(dashboard)
    dashboard.resize(900, 700)
    dashboard.show()
    dashboard.refresh()
    qtbot.waitUntil(dashboard.ready)
    yield dashboard
    dashboard.close()


def answered(qtbot: QtBot, runner: ThreadTaskRunner) -> None:
    """Wait until every submission had its answer delivered or dropped."""
    qtbot.waitUntil(lambda: runner._ledger.open_count == 0)


def choose(view: DashboardView, period: str) -> None:
    view.period.setCurrentIndex(view.period.findData(period))


def test_a_slow_answer_for_an_earlier_period_never_replaces_the_newer_one(
    qtbot: QtBot,
    view: DashboardView,
    runner: ThreadTaskRunner,
    gate: threading.Event,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    last_year, trailing = period_of("last_year", TODAY), period_of("trailing", TODAY)
    real = service.period_data

    def period_data(store: Any, start: Any, end: Any, **options: Any) -> Any:
        if (start, end) == last_year:
            assert gate.wait(BOUND)  # last year's figures are slow to come back
        return real(store, start, end, **options)

    monkeypatch.setattr(service, "period_data", period_data)
    choose(view, "last_year")
    choose(view, "trailing")
    assert not view.ready()  # the newest figures are not on screen yet
    qtbot.waitUntil(view.ready)
    assert view.period_figures is not None
    assert (view.period_figures.kpis.start, view.period_figures.kpis.end) == trailing
    gate.set()  # last year's answer arrives last
    answered(qtbot, runner)
    assert (view.period_figures.kpis.start, view.period_figures.kpis.end) == trailing
    assert view.ready() and view.dates() == trailing


def test_todays_figures_asked_for_survive_a_period_change_that_supersedes_their_read(
    qtbot: QtBot,
    view: DashboardView,
    runner: ThreadTaskRunner,
    gate: threading.Event,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    trailing = period_of("trailing", TODAY)
    real_period, real_standing, read = service.period_data, service.standing_data, []

    def period_data(store: Any, start: Any, end: Any, **options: Any) -> Any:
        if (start, end) == trailing:
            assert gate.wait(BOUND)  # the read after the data change is slow
        return real_period(store, start, end, **options)

    def standing_data(store: Any, today: Any, **options: Any) -> Any:
        read.append(real_standing(store, today, **options))
        return read[-1]

    monkeypatch.setattr(service, "period_data", period_data)
    monkeypatch.setattr(service, "standing_data", standing_data)
    view.context.data.reread()  # the data changed: today's figures are read too, slowly
    choose(view, "last_year")  # supersedes that read, so it reads today's figures itself
    qtbot.waitUntil(view.ready)
    assert len(read) == 1 and view.standing is read[0]
    gate.set()  # the superseded read answers last, and is dropped
    answered(qtbot, runner)
    assert len(read) == 2 and view.standing is read[0]


def test_a_period_read_before_comes_back_without_reading_again_until_the_data_changes(
    qtbot: QtBot, view: DashboardView, runner: ThreadTaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    real, reads = service.period_data, []

    def period_data(store: Any, start: Any, end: Any, **options: Any) -> Any:
        reads.append((start, end))
        return real(store, start, end, **options)

    monkeypatch.setattr(service, "period_data", period_data)
    for period in ("last_year", "trailing", "last_year"):
        choose(view, period)
        qtbot.waitUntil(view.ready)
    assert reads == [period_of("last_year", TODAY)]  # trailing was read when it first showed
    assert (view.period_figures.kpis.start, view.period_figures.kpis.end) == reads[0]  # type: ignore[union-attr]
    view.context.data.reread()  # the data changed: the shown period is read again
    qtbot.waitUntil(lambda: len(reads) == 2 and view.ready())
    choose(view, "trailing")
    qtbot.waitUntil(lambda: len(reads) == 3 and view.ready())


def test_with_no_data_the_tiles_say_so_instead_of_zero(view: DashboardView) -> None:
    assert view.period_figures is not None and not view.period_figures.kpis.bridge.has_data
    for key in ("arr", "expansion", "nrr", "nps", "at_risk"):
        assert view.tiles[key].text() == "—", key
