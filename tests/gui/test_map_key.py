"""The header and key around an exported contact map: what they say and where they go."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSizeF
from PySide6.QtGui import QFont, QImage, QPalette
from pytestqt.qtbot import QtBot

from am_desktop.domain.contact_graph import ContactGraph, ContactNode
from am_desktop.domain.enums import ContactRole, Sentiment
from am_desktop.domain.ids import AccountId, ContactId
from am_desktop.ui.contact_map.legend import MapHeading, MapKey
from am_desktop.ui.contact_map.render import draw_map, export_graph
from am_desktop.ui.contact_map.scene import ContactMapScene

DAY = date(2026, 12, 3)
HEADING = MapHeading("Acme", DAY)


def key_for(width: float, height: float) -> MapKey:
    device = QImage(1, 1, QImage.Format.Format_ARGB32_Premultiplied)
    return MapKey(QPalette(), QFont(), QSizeF(width, height), HEADING, device)


def graph(people: int, *, chain: bool) -> ContactGraph:
    """A champion and others: each reporting to the one before (a tall map) or all to the
    champion (a wide one)."""
    nodes = [ContactNode(ContactId(1), "Cham Pion", "VP", ContactRole.CHAMPION, Sentiment.ADVOCATE)]
    for index in range(2, people + 1):
        manager = ContactId(index - 1 if chain else 1)
        nodes.append(ContactNode(ContactId(index), f"Ana Lyst {index}", reports_to_id=manager))
    return ContactGraph(AccountId(1), "Acme", 30, tuple(nodes))


def test_a_wide_map_has_its_key_below_and_a_tall_one_at_the_right(qtbot: QtBot) -> None:
    del qtbot  # a QApplication for the fonts
    wide = key_for(1600, 500)
    assert wide.placed and all(p.rect.top() >= wide.map_rect.bottom() for p in wide.placed)
    assert wide.size.height() - wide.map_rect.bottom() < 140  # one or two rows
    tall = key_for(400, 1400)
    assert all(p.rect.left() >= tall.map_rect.right() for p in tall.placed)
    assert tall.size.height() == pytest.approx(tall.map_rect.bottom())
    for key in (wide, tall):
        assert key.map_rect.top() >= 60  # under the header
        assert key.text_font.pointSizeF() >= QFont().pointSizeF()  # readable at 100 %


def test_a_small_map_widens_its_page_to_fit_the_key(qtbot: QtBot) -> None:
    del qtbot
    key = key_for(300, 250)
    assert key.size.width() > 300
    assert all(p.rect.right() <= key.size.width() for p in key.placed)


@pytest.mark.parametrize("chain", [False, True], ids=["wide", "tall"])
def test_the_png_is_the_map_plus_its_header_and_key(qtbot: QtBot, chain: bool) -> None:
    del qtbot
    scene = ContactMapScene()
    scene.set_graph(graph(4, chain=chain), DAY)
    image = draw_map(scene, Path("map.png"), "Acme", DAY)
    assert isinstance(image, QImage)
    bounds = scene.itemsBoundingRect().adjusted(-32, -32, 32, 32)  # the map's own margin
    assert (bounds.height() > bounds.width()) == chain
    width, height = image.width() / 2, image.height() / 2  # drawn at 2x
    assert height >= bounds.height() + 60  # a header above the map
    if chain:
        assert width >= bounds.width() + 300  # the key in a column at the right
    else:
        assert height >= bounds.height() + 60 + 50  # the key in rows below


def test_the_svg_names_the_account_the_day_and_explains_the_cards(
    qtbot: QtBot, tmp_path: Path
) -> None:
    del qtbot
    target = export_graph(graph(3, chain=False), DAY, tmp_path / "acme.svg")
    svg = target.read_text()
    for text in ("Acme", "Contact map", "3 Dec 2026", "Advocate", "Detractor", "Champion"):
        assert text in svg
    for text in ("Economic buyer", "Blocker", "Not contacted within the cadence", "Reports to"):
        assert text in svg
