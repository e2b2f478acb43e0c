"""Draw the app icon in every size and format the platforms want from one SVG source.

    .venv/bin/python packaging/make_icons.py      # writes packaging/build/icons/

PNG 16–512 (Linux's hicolor theme), ICO (Windows), ICNS (macOS), drawn with Qt's SVG renderer
(offscreen) and packed with Pillow, both already installed with the app.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from am_desktop.resources import ICON, resource_path  # noqa: E402

SOURCE = resource_path(ICON)
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def make_icons(out: Path) -> dict[str, Path]:
    """Write ``am-desktop-<size>.png``, ``am-desktop.ico`` and ``am-desktop.icns`` into ``out``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv)
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE} is not a valid SVG")
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = out / f"am-desktop-{size}.png"
        image.save(str(target))
        written[f"png{size}"] = target
    largest = Image.open(out / "am-desktop-256.png")
    largest.save(out / "am-desktop.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    Image.open(out / "am-desktop-512.png").save(out / "am-desktop.icns")
    written["ico"], written["icns"] = out / "am-desktop.ico", out / "am-desktop.icns"
    del app
    return written


if __name__ == "__main__":
    for name, path in make_icons(ROOT / "packaging" / "build" / "icons").items():
        print(f"{name:>7}  {path}")
