"""Contact map figures: layout and first paint of a 200-contact map, a card dragged, exports.

    .venv/bin/python -m benchmarks.map_figures        # prints one JSON line

A large buying committee (an org chart five levels deep, with influence links) is written to a
temporary database and read back through the service the app uses; everything runs offscreen.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

_LEVELS = (
    ("economic_buyer", ("Chief Executive Officer", "Chief Financial Officer")),
    ("decision_maker", ("VP Operations", "VP Engineering", "VP Finance", "SVP Sales")),
    ("technical_buyer", ("Director of IT", "Head of Data", "Director of Operations")),
    ("champion", ("Operations Manager", "IT Manager", "Analytics Lead")),
    ("user", ("Data Analyst", "Engineer", "Coordinator", "Specialist")),
)
_FIRST = ("Ana", "Ben", "Chloé", "Dev", "Eli", "Fatima", "Greg", "Hana", "Ivan", "Jo", "Kai", "Lea")
_LAST = ("Okafor", "Schmidt", "Nakamura", "Silva", "Dubois", "Kowalski", "Haddad", "Larsen")
_SENTIMENTS = ("advocate", "supporter", "neutral", "skeptic", "detractor")


def committee(size: int, seed: int = 7) -> list[dict[str, Any]]:
    """A buying committee as an org chart: ``size`` contacts, each with a ``manager`` index."""
    rng = random.Random(seed)
    people: list[dict[str, Any]] = []
    frontier: list[int] = []
    now = datetime(2026, 11, 22, 12, tzinfo=UTC)
    while len(people) < size:
        manager = frontier.pop(0) if frontier else None
        level = 0 if manager is None else min(people[manager]["level"] + 1, len(_LEVELS) - 1)
        reports = 1 if manager is None else rng.randint(2, 5 + level)
        for _ in range(reports):
            if len(people) >= size:
                break
            role, titles = _LEVELS[level]
            if level == len(_LEVELS) - 1 and rng.random() < 0.2:
                role = rng.choice(("influencer", "coach", "procurement", "blocker"))
            people.append(
                {
                    "level": level,
                    "manager": manager,
                    "first_name": rng.choice(_FIRST),
                    "last_name": rng.choice(_LAST),
                    "title": rng.choice(titles),
                    "role": role,
                    "sentiment": rng.choices(_SENTIMENTS, (2, 4, 3, 2, 1))[0],
                    "influence": max(1, min(5, 5 - level + rng.choice((-1, 0, 0, 1)))),
                    "relationship_strength": rng.randint(1, 5),
                    "last_contacted_at": now - timedelta(days=rng.randint(0, 120)),
                }
            )
            frontier.append(len(people) - 1)
    return people


def add_committee(store: Any, account_id: int, size: int, seed: int = 7) -> list[int]:
    """Write a committee to an account through the services; returns the contact ids."""
    from am_desktop.services import catalog, contact_map

    rng = random.Random(seed)
    ids: list[int] = []
    for person in committee(size, seed):
        values = {k: v for k, v in person.items() if k not in ("level", "manager")}
        manager = person["manager"]
        values["reports_to_id"] = ids[manager] if manager is not None else None
        ids.append(catalog.contacts.create(store, {"account_id": account_id, **values}).id)
    for _ in range(size // 10):
        source, target = rng.sample(ids, 2)
        contact_map.link_contacts(store, account_id, source, target)
    return ids


def measure(size: int = 200, runs: int = 5) -> dict[str, float]:
    """Layout and first paint, drag frames and exports, for a ``size``-contact map."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from am_desktop.services import catalog
    from am_desktop.services.store import open_store
    from am_desktop.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv)
    apply_theme(app)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory(prefix="am-map-bench-") as folder:
        store = open_store(Path(folder) / "map.sqlite3")
        account = catalog.accounts.create(store, {"name": "Big Committee Inc"}).id
        add_committee(store, account, size)
        figures = {"contacts": float(size), **_first_paint(app, store, account, runs)}
        figures.update(_drag_and_export(app, store, account, Path(folder)))
        store.close()
    return figures


def _first_paint(app: Any, store: Any, account: int, runs: int) -> dict[str, float]:
    """Read the graph, lay it out and paint it fitted, in a new view each run."""
    from am_desktop.services.contact_map import contact_graph
    from am_desktop.ui.contact_map.scene import ContactMapScene
    from am_desktop.ui.contact_map.view import ContactMapView

    today = datetime.now(UTC).date()
    first_paint, reads = [], []
    for _ in range(runs):
        start = time.perf_counter()
        graph = contact_graph(store, account)
        read = time.perf_counter()
        scene = ContactMapScene()
        view = ContactMapView(scene)
        view.resize(900, 560)
        scene.set_graph(graph, today)
        view.show()
        view.fit()
        view.viewport().repaint()
        app.processEvents()
        first_paint.append(time.perf_counter() - read)
        reads.append(read - start)
        view.close()
        view.deleteLater()
        scene.deleteLater()
        app.processEvents()
    return {
        "graph_read_ms": 1000 * statistics.median(reads),
        "layout_first_paint_ms": 1000 * statistics.median(first_paint),
        "layout_first_paint_max_ms": 1000 * max(first_paint),
    }


def _drag_and_export(app: Any, store: Any, account: int, folder: Path) -> dict[str, float]:
    """Drag the busiest card with real mouse events, then draw and write both exports."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    from am_desktop.services.contact_map import contact_graph
    from am_desktop.ui.contact_map.render import draw_map, write_drawing
    from am_desktop.ui.contact_map.scene import ContactMapScene
    from am_desktop.ui.contact_map.view import ContactMapView

    scene = ContactMapScene()
    view = ContactMapView(scene)
    view.resize(1100, 620)
    scene.set_graph(contact_graph(store, account), datetime.now(UTC).date())
    view.show()
    view.set_zoom(0.6)
    card = max(scene.cards(), key=lambda c: len(c.lines))
    view.centerOn(card)
    app.processEvents()
    viewport = view.viewport()
    press = view.mapFromScene(card.rect().center())
    no_keys = Qt.KeyboardModifier.NoModifier
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, no_keys, press)
    frames = []
    for step in range(1, 121):  # mouse events through the scene, then the paint they cause
        start = time.perf_counter()
        QTest.mouseMove(viewport, press + QPoint(step * 2, step))
        app.processEvents()
        frames.append(time.perf_counter() - start)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, no_keys, press)
    exports = {}
    for suffix in ("svg", "png"):
        target = folder / f"map.{suffix}"
        start = time.perf_counter()
        drawing = draw_map(scene, target, "Bench account")
        drawn = time.perf_counter()
        write_drawing(drawing, target)
        exports[suffix] = (drawn - start, time.perf_counter() - drawn)
    view.close()
    return {
        "drag_frame_p95_ms": 1000 * sorted(frames)[int(0.95 * (len(frames) - 1))],
        "drag_lines_on_card": float(len(card.lines)),
        "export_svg_draw_ms": 1000 * exports["svg"][0],
        "export_png_draw_ms": 1000 * exports["png"][0],
        "export_png_write_ms": 1000 * exports["png"][1],
    }


if __name__ == "__main__":
    print(json.dumps(measure()))
