"""Before the window opens on X11: are the system libraries Qt's xcb plugin loads there?

Without them Qt aborts with "Could not load the Qt platform plugin "xcb"" and names the wrong
library. A desktop Linux has them all; a minimal one (a server, a container, WSL) lacks a few.
Asking ``ldd`` which of the plugin's libraries are "not found" takes a few milliseconds, so the
app can say which Debian/Ubuntu packages to install instead. Qt-free: it runs before Qt loads.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

#: ``ldd``'s report for one library: the call is injectable so tests give a fake answer.
Ldd = Callable[[Path], str | None]

#: Library soname -> the Debian/Ubuntu package that has it, for every library the xcb plugin
#: loads from the system (``ldd`` on PySide6's ``libqxcb.so``, PySide6 6.11, Debian 12).
PACKAGES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libpng16.so.16": "libpng16-16",
    "libexpat.so.1": "libexpat1",
    "libbrotlidec.so.1": "libbrotli1",
    "libbrotlicommon.so.1": "libbrotli1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libpcre2-8.so.0": "libpcre2-8-0",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
}

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$", re.MULTILINE)
_LDD_SECONDS = 5


def missing_libraries_message(
    *,
    environ: Mapping[str, str] = os.environ,
    platform: str = sys.platform,
    plugin: Path | None = None,
    ldd: Ldd | None = None,
) -> str | None:
    """What to tell the user when Qt's xcb plugin cannot load, or None when all is well.

    Only asked when the window would open on X11 (Linux, ``$DISPLAY`` set, the xcb platform
    chosen or left to Qt outside a Wayland session); anything it cannot tell (no ``ldd``, no
    plugin file, an ``ldd`` that fails) counts as well: Qt then speaks for itself.
    """
    if not _uses_xcb(environ, platform):
        return None
    plugin = plugin or xcb_plugin()
    if plugin is None:
        return None
    report = (ldd or run_ldd)(plugin)
    if report is None:
        return None
    # Qt's own libraries missing is a broken PySide6, not a system to complete: Qt says so.
    missing = sorted({n for n in _NOT_FOUND.findall(report) if not n.startswith("libQt6")})
    return install_message(missing) if missing else None


def _uses_xcb(environ: Mapping[str, str], platform: str) -> bool:
    if not platform.startswith("linux") or not environ.get("DISPLAY"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(":", 1)[0].split(";", 1)[0] == "xcb"
    return not environ.get("WAYLAND_DISPLAY")  # Qt prefers Wayland in a Wayland session


def install_message(missing: list[str]) -> str:
    """The one message for ``missing`` library sonames: which packages to install, how."""
    packages = sorted({PACKAGES[name] for name in missing if name in PACKAGES})
    unknown = [name for name in missing if name not in PACKAGES]
    lines = [
        "AM Desktop cannot open its window: this system lacks libraries that Qt needs to draw "
        f"on X11 ({', '.join(missing)}).",
    ]
    if packages:
        lines += [
            "Install them (Debian or Ubuntu) with:",
            "",
            f"    sudo apt-get install -y {' '.join(packages)}",
            "",
        ]
    if unknown:
        lines.append(
            f"Find the package that has {', '.join(unknown)} with your package manager "
            "(on Debian or Ubuntu: apt-file search NAME)."
        )
    lines.append("Then start AM Desktop again.")
    return "\n".join(lines)


def xcb_plugin() -> Path | None:
    """PySide6's xcb platform plugin (installed or bundled), without importing Qt."""
    spec = importlib.util.find_spec("PySide6")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        plugin = Path(folder) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def run_ldd(library: Path) -> str | None:
    """``ldd library``'s report, or None when there is no ``ldd`` or it fails."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return None
    try:
        done = subprocess.run(
            [ldd, str(library)], capture_output=True, text=True, timeout=_LDD_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout  # ldd exits 0 with "not found" lines; a failure says nothing here
