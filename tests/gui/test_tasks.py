"""The task runner: work off the GUI thread, answers back on it, and none delivered to a
widget that was closed while the work ran."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from am_desktop.ui.tasks import Lane, ThreadTaskRunner


def test_an_answer_for_a_closed_widget_is_dropped(qtbot: QtBot) -> None:
    errors: list[BaseException] = []
    runner = ThreadTaskRunner(errors.append)
    label = QLabel()
    delivered: list[str] = []

    def slow(_progress: object) -> str:
        time.sleep(0.2)
        return "read"

    runner.submit(slow, lane=Lane.READ, receiver=label,
                  on_done=lambda text: (delivered.append(text), label.setText(text)))  # fmt: skip
    label.deleteLater()  # the tab closes while the read runs
    qtbot.wait(600)
    kept = QLabel()
    qtbot.addWidget(kept)
    runner.submit(slow, lane=Lane.READ, receiver=kept, on_done=kept.setText)
    qtbot.waitUntil(lambda: kept.text() == "read")
    runner.shutdown()
    assert delivered == [] and errors == []
