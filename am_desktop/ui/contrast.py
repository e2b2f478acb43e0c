"""Text that stays readable on the colour behind it: WCAG contrast ratios from the palette.

Qt's palettes do not promise readable pairs (Fusion's light selection, white on #308cc6, is
3.7:1), so what paints text on a selection or a tinted row checks the pair and adjusts.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

#: WCAG AA for body text.
READABLE = 4.5


def luminance(colour: QColor) -> float:
    """The relative luminance of an sRGB colour (0 black … 1 white)."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: QColor, second: QColor) -> float:
    """WCAG's contrast ratio of two colours (1 … 21)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def background_for(text: QColor, background: QColor, ratio: float = READABLE) -> QColor:
    """``background`` made darker (under light text) or lighter (under dark text) until
    ``text`` reads on it at ``ratio``; unchanged when it already does."""
    darken = luminance(text) > 0.5
    adjusted = QColor(background)
    for _ in range(50):
        if contrast_ratio(text, adjusted) >= ratio:
            break
        step = -0.02 if darken else 0.02
        adjusted = QColor.fromHslF(
            max(0.0, adjusted.hslHueF()),
            adjusted.hslSaturationF(),
            min(1.0, max(0.0, adjusted.lightnessF() + step)),
            adjusted.alphaF(),
        )
    return adjusted


def secondary_on(text: QColor, background: QColor, ratio: float = READABLE) -> QColor:
    """A quieter tone of ``text`` for secondary words: blended toward ``background`` as far as
    it still reads at ``ratio`` (``text`` itself when there is no room)."""
    best = QColor(text)
    low, high = 0.0, 0.6
    for _ in range(12):
        middle = (low + high) / 2
        blended = _blend(text, background, middle)
        if contrast_ratio(blended, background) >= ratio:
            best, low = blended, middle
        else:
            high = middle
    return best


def _blend(first: QColor, second: QColor, amount: float) -> QColor:
    """``first`` moved ``amount`` (0 … 1) of the way to ``second``."""
    return QColor.fromRgbF(
        first.redF() + (second.redF() - first.redF()) * amount,
        first.greenF() + (second.greenF() - first.greenF()) * amount,
        first.blueF() + (second.blueF() - first.blueF()) * amount,
    )
