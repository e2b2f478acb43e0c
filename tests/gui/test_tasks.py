"""The task runner: work off the GUI thread, answers back on it, none delivered to a widget
closed meanwhile or for a request a newer one superseded, and no object freed twice or from
the wrong thread whatever is dropped when (issue 13's SIGSEGV)."""

from __future__ import annotations

import random
import threading
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from am_desktop.ui import tasks
from am_desktop.ui.tasks import InlineTaskRunner, Lane, ThreadTaskRunner

BOUND = 10  # seconds a worker blocks at most on a gate the test forgot to open


@pytest.fixture
def errors() -> list[BaseException]:
    return []


@pytest.fixture
def runner(errors: list[BaseException]) -> Iterator[ThreadTaskRunner]:
    runner = ThreadTaskRunner(errors.append)
    yield runner
    runner.shutdown()


def flush(qtbot: QtBot) -> None:
    """Wait until every answer posted so far was handled (the mailbox is first in, first out)."""
    opened = threading.Event()
    tasks._gui_mailbox().post(opened.set)
    qtbot.waitUntil(opened.is_set)


def settled(qtbot: QtBot, runner: ThreadTaskRunner) -> None:
    """Wait for every job to finish and every answer to be handled."""
    runner.shutdown()
    flush(qtbot)
    assert runner._ledger.open_count == 0 and runner._ledger.key_count == 0


def close(label: QLabel, *, later: bool) -> None:
    """Delete ``label`` now or at the next turn of the event loop, unless already gone."""
    if shiboken6.isValid(label):
        label.deleteLater() if later else shiboken6.delete(label)


def gated(gate: threading.Event, value: object) -> tasks.Work[object]:
    def work(_progress: object) -> object:
        assert gate.wait(BOUND)
        return value

    return work


def test_an_answer_for_a_closed_widget_is_dropped(
    qtbot: QtBot, runner: ThreadTaskRunner, errors: list[BaseException]
) -> None:
    label, gate, delivered = QLabel(), threading.Event(), []
    runner.submit(gated(gate, "read"), lane=Lane.READ, receiver=label,
                  on_done=lambda text: (delivered.append(text), label.setText(text)))  # fmt: skip
    label.deleteLater()  # the tab closes while the read runs
    qtbot.waitUntil(lambda: not shiboken6.isValid(label))
    gate.set()
    kept = QLabel()
    qtbot.addWidget(kept)
    runner.submit(gated(gate, "read"), lane=Lane.READ, receiver=kept, on_done=kept.setText)
    qtbot.waitUntil(lambda: kept.text() == "read")
    settled(qtbot, runner)
    assert delivered == [] and errors == []


def test_a_runner_whose_last_reference_its_own_answer_drops_is_freed_once(
    qtbot: QtBot,
) -> None:
    """The crash: a per-job signals object, child of a runner kept alive only by that job's
    own bookkeeping slot, was deleted twice when its ``deleteLater`` freed the runner."""
    for n in range(20):
        assert answer_then_drop_the_runner(qtbot, n) == [n]


def answer_then_drop_the_runner(qtbot: QtBot, value: int) -> list[int]:
    holder = [ThreadTaskRunner(pytest.fail)]
    gone = weakref.ref(holder[0])
    got: list[int] = []
    holder[0].submit(lambda _p: value, lane=Lane.READ,
                     on_done=lambda answer: (got.append(answer), holder.clear()))  # fmt: skip
    qtbot.waitUntil(lambda: got != [] and gone() is None)
    flush(qtbot)  # with the old runner, the signals object's deleteLater crashed here
    return got


def test_a_runner_dropped_while_its_jobs_run_waits_for_them_and_answers_nothing(
    qtbot: QtBot,
) -> None:
    gate, started, answers = threading.Event(), threading.Semaphore(0), []
    holder = [ThreadTaskRunner(answers.append)]

    def work(progress: Any) -> None:
        started.release()
        progress(0, 1, "working")
        assert gate.wait(BOUND)  # still running when the runner goes

    for lane in [Lane.READ, Lane.READ, Lane.NET, Lane.WRITE, Lane.READ, Lane.WRITE]:
        holder[0].submit(work, lane=lane, on_done=answers.append, on_error=answers.append,
                         on_progress=lambda *a: answers.append(a))  # fmt: skip
    for _ in range(4):  # two readers, one exporter, the writer: all running
        assert started.acquire(timeout=BOUND)
    holder[0].destroyed.connect(gate.set)  # set before its pools wait for their jobs
    qtbot.waitUntil(lambda: len(answers) == 4)  # progress arrives while they run
    answers.clear()
    holder.clear()  # the pools' destructors wait; queued jobs run with nowhere to answer
    flush(qtbot)
    assert answers == []


def test_many_jobs_with_receivers_deleted_at_random_points_and_a_shutdown_mid_way(
    qtbot: QtBot, runner: ThreadTaskRunner, errors: list[BaseException]
) -> None:
    rng = random.Random(13)
    labels = [QLabel() for _ in range(300)]
    newest: dict[object, int] = {}  # key -> the last submission made with it
    finals: dict[int, str] = {}
    wrong: list[str] = []

    def answer(i: int, key: object, kind: str) -> Any:
        def call(*args: object) -> None:
            if not shiboken6.isValid(labels[i]):
                wrong.append(f"{i} {kind}: receiver deleted")
                return
            labels[i].setText(kind)  # would crash on a deleted widget
            if i in finals:
                wrong.append(f"{i} {kind}: after {finals[i]}")
            if key is not None and newest[key] != i:
                wrong.append(f"{i} {kind}: superseded by {newest[key]}")
            if kind != "progress":
                finals[i] = kind
            if rng.random() < 0.1:  # an answer closes some other widget
                close(rng.choice(labels), later=True)

        return call

    def work(i: int, fails: bool) -> tasks.Work[int]:
        def run(progress: Any) -> int:
            for step in range(3):
                progress(step, 3, "step")
            if fails:
                raise ValueError(i)
            return i

        return run

    for i in range(len(labels)):
        key = rng.choice([None, None, "a", "b", ("view", i % 7)])
        if key is not None:
            newest[key] = i
        runner.submit(work(i, rng.random() < 0.2), lane=rng.choice(list(Lane)),
                      receiver=labels[i], supersede=key, on_done=answer(i, key, "done"),
                      on_error=answer(i, key, "error"),
                      on_progress=answer(i, key, "progress"))  # fmt: skip
        roll = rng.random()
        if roll < 0.2:
            close(labels[i], later=True)
        elif roll < 0.25:
            close(labels[rng.randrange(i + 1)], later=False)
        if rng.random() < 0.2:
            QApplication.processEvents()  # let the answers so far in between submissions
        if i == 200:
            runner.shutdown()  # with jobs running and queued
    settled(qtbot, runner)
    assert wrong == [] and errors == []
    assert len(finals) > 50  # most answers arrived: the test exercised delivery too
    for label in labels:
        close(label, later=False)


# ------------------------------------------------------------------------ superseding


def test_only_the_newest_answer_for_a_key_is_delivered(
    qtbot: QtBot, runner: ThreadTaskRunner, errors: list[BaseException]
) -> None:
    slow, got = threading.Event(), []
    runner.submit(gated(slow, "old"), lane=Lane.READ, supersede=("view", "overview"),
                  on_done=got.append, on_progress=lambda *a: got.append(a))  # fmt: skip
    runner.submit(lambda _p: "new", lane=Lane.READ, supersede=("view", "overview"),
                  on_done=got.append)  # fmt: skip
    qtbot.waitUntil(lambda: got == ["new"])
    slow.set()  # the first, slower request answers last
    settled(qtbot, runner)
    assert got == ["new"] and errors == []


def test_a_superseded_failure_and_progress_are_dropped_too(
    qtbot: QtBot, runner: ThreadTaskRunner, errors: list[BaseException]
) -> None:
    gate, reported, got = threading.Event(), threading.Event(), []

    def failing(progress: Any) -> None:
        progress(1, 2, "first")
        assert gate.wait(BOUND)
        progress(2, 2, "late")
        raise RuntimeError("late")

    runner.submit(failing, lane=Lane.NET, supersede="sync", on_done=got.append,
                  on_progress=lambda *a: (got.append(a), reported.set()))  # fmt: skip
    qtbot.waitUntil(reported.is_set)
    runner.submit(lambda _p: "fresh", lane=Lane.READ, supersede="sync", on_done=got.append)
    qtbot.waitUntil(lambda: "fresh" in got)
    gate.set()
    settled(qtbot, runner)
    assert got == [(1, 2, "first"), "fresh"] and errors == []


def test_different_keys_and_no_key_are_all_delivered(
    qtbot: QtBot, runner: ThreadTaskRunner
) -> None:
    got: set[str] = set()
    for key, value in [("a", "a"), ("b", "b"), (None, "x"), (None, "y")]:
        runner.submit(lambda _p, v=value: v, lane=Lane.READ, supersede=key, on_done=got.add)
    qtbot.waitUntil(lambda: got == {"a", "b", "x", "y"})
    settled(qtbot, runner)


def test_a_key_is_not_kept_alive_once_its_last_request_answered(
    qtbot: QtBot, runner: ThreadTaskRunner
) -> None:
    class View:
        pass

    view, got = View(), []
    gone = weakref.ref(view)
    for value in ["first", "second"]:
        runner.submit(lambda _p, v=value: v, lane=Lane.READ, supersede=(view, "overview"),
                      on_done=got.append)  # fmt: skip
    del view
    qtbot.waitUntil(lambda: "second" in got)
    settled(qtbot, runner)
    assert gone() is None and got == ["second"]


def test_progress_reported_after_the_answer_is_dropped(
    qtbot: QtBot, runner: ThreadTaskRunner
) -> None:
    kept: list[Any] = []
    got: list[object] = []
    runner.submit(kept.append, lane=Lane.READ,
                  on_done=got.append, on_progress=lambda *a: got.append(a))  # fmt: skip
    qtbot.waitUntil(lambda: got == [None])
    kept[0](1, 1, "too late")  # work that leaked its progress callable
    flush(qtbot)
    assert got == [None]


def test_a_failing_callback_does_not_hold_up_the_answers_behind_it(
    qtbot: QtBot, runner: ThreadTaskRunner
) -> None:
    got: list[str] = []

    def boom(_value: object) -> None:
        raise RuntimeError("a bug in a view")

    with qtbot.capture_exceptions() as raised:
        runner.submit(lambda _p: 1, lane=Lane.WRITE, on_done=boom)
        runner.submit(lambda _p: "after", lane=Lane.WRITE, on_done=got.append)
        qtbot.waitUntil(lambda: got == ["after"])
    assert [str(error) for _, error, _ in raised] == ["a bug in a view"]


def test_inline_answers_arrive_before_submit_returns_so_none_is_superseded() -> None:
    inline, got = InlineTaskRunner(), []
    for value in ["first", "second"]:
        inline.submit(lambda _p, v=value: v, lane=Lane.READ, supersede="k", on_done=got.append)
    assert got == ["first", "second"]


def test_inline_a_same_key_request_made_while_work_runs_supersedes_it() -> None:
    inline, got = InlineTaskRunner(), []

    def outer(progress: Any) -> str:
        progress(1, 2, "half")  # its callback asks again
        progress(2, 2, "all")
        return "outer"

    def ask_again(*_a: object) -> None:
        got.append("progress")
        inline.submit(lambda _p: "inner", lane=Lane.READ, supersede="k", on_done=got.append)

    inline.submit(outer, lane=Lane.READ, supersede="k", on_done=got.append,
                  on_progress=ask_again)  # fmt: skip
    assert got == ["progress", "inner"]
    assert inline._ledger.open_count == 0 and inline._ledger.key_count == 0


def test_inline_a_failure_with_no_handler_is_raised() -> None:
    def fails(_p: object) -> None:
        raise LookupError("nobody to tell")

    with pytest.raises(LookupError):
        InlineTaskRunner().submit(fails, lane=Lane.WRITE)


# ------------------------------------------------------------------------ quitting


def test_quitting_waits_for_writes_but_not_for_a_running_read(
    qtbot: QtBot, runner: ThreadTaskRunner
) -> None:
    """Quit is prompt: a read still running is given a bounded wait, a write is finished."""
    read_gate, write_gate = threading.Event(), threading.Event()
    read_started, wrote = threading.Event(), threading.Event()

    def read(_progress: object) -> None:
        read_started.set()
        read_gate.wait()

    def write(_progress: object) -> None:
        write_gate.wait()
        wrote.set()

    runner.submit(read, lane=Lane.READ)
    runner.submit(write, lane=Lane.WRITE)
    qtbot.waitUntil(read_started.is_set)
    write_gate.set()
    assert runner.shutdown(reads_ms=10) is False  # the read still runs: not waited for
    assert wrote.is_set(), "the write finished before shutdown returned"
    read_gate.set()
    assert runner.shutdown() is True


def test_a_closed_runner_waits_for_its_work_then_answers_and_takes_nothing_more(
    runner: ThreadTaskRunner, qtbot: QtBot
) -> None:
    """Switching databases closes the window's runner: the answers still on their way and the
    work a late callback would submit never reach the closed window or its closed store."""
    gate, answered, ran = threading.Event(), [], []
    runner.submit(gated(gate, "late"), lane=Lane.READ, on_done=answered.append)
    gate.set()
    runner.close()  # waits for the read: its answer is posted, not yet handled
    flush(qtbot)
    runner.submit(lambda _p: ran.append(True), lane=Lane.WRITE, on_done=answered.append)
    runner.shutdown()
    flush(qtbot)
    assert answered == [] and ran == []
