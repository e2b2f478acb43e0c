"""WCAG contrast: the ratios, and the colours made to read (ui/contrast.py)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from am_desktop.ui.contrast import READABLE, background_for, contrast_ratio, secondary_on

WHITE, BLACK = QColor("#ffffff"), QColor("#000000")


def test_ratios_match_wcag() -> None:
    assert contrast_ratio(WHITE, BLACK) == pytest.approx(21.0)
    assert contrast_ratio(WHITE, WHITE) == pytest.approx(1.0)
    assert contrast_ratio(WHITE, QColor("#767676")) == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio(WHITE, QColor("#308cc6")) < READABLE  # Fusion's light selection


@pytest.mark.parametrize("text", [WHITE, BLACK])
def test_a_background_is_adjusted_only_as_far_as_needed(text: QColor) -> None:
    blue = QColor("#308cc6")
    adjusted = background_for(text, blue)
    assert contrast_ratio(text, adjusted) >= READABLE
    assert abs(adjusted.hslHue() - blue.hslHue()) <= 2
    readable = QColor("#1f4f80")
    assert background_for(WHITE, readable) == readable  # already fine: untouched


def test_a_secondary_tone_is_quieter_yet_readable() -> None:
    for text, background in ((BLACK, WHITE), (QColor("#e6e6e6"), QColor("#17191b"))):
        tone = secondary_on(text, background)
        assert READABLE <= contrast_ratio(tone, background) < contrast_ratio(text, background)
