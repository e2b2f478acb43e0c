"""The xcb library probe (issue 16): a plain install line instead of Qt's abort, or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from am_desktop import platform_check
from am_desktop.platform_check import missing_libraries_message

PLUGIN = Path("/venv/PySide6/Qt/plugins/platforms/libqxcb.so")
X11 = {"DISPLAY": ":0"}

LDD_ALL_FOUND = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007fe0)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007fe1)
\tlibxcb-icccm.so.4 => /lib/x86_64-linux-gnu/libxcb-icccm.so.4 (0x00007fe2)
\t/lib64/ld-linux-x86-64.so.2 (0x00007fe3)
"""
LDD_TWO_MISSING = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007fe0)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007fe1)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-frobnicate.so.9 => not found
"""


def fake_ldd(report: str | None) -> platform_check.Ldd:
    def ldd(library: Path) -> str | None:
        assert library == PLUGIN
        return report

    return ldd


def test_missing_libraries_are_named_with_the_one_apt_line() -> None:
    message = missing_libraries_message(
        environ=X11, platform="linux", plugin=PLUGIN, ldd=fake_ldd(LDD_TWO_MISSING)
    )
    assert message is not None
    assert "sudo apt-get install -y libxcb-icccm4 libxcb-keysyms1\n" in message
    assert message.count("apt-get install") == 1
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in message
    assert "libxcb-frobnicate.so.9 with your package manager" in message  # not in the table
    assert "xcb-cursor" not in message  # what Qt's own message wrongly blames


def test_nothing_is_said_when_every_library_is_there() -> None:
    assert (
        missing_libraries_message(
            environ=X11, platform="linux", plugin=PLUGIN, ldd=fake_ldd(LDD_ALL_FOUND)
        )
        is None
    )


def test_no_ldd_means_no_probe() -> None:
    assert (
        missing_libraries_message(environ=X11, platform="linux", plugin=PLUGIN, ldd=fake_ldd(None))
        is None
    )


def test_a_missing_ldd_program_is_no_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform_check.shutil, "which", lambda _name: None)
    assert platform_check.run_ldd(PLUGIN) is None


def test_qt_own_libraries_missing_is_left_to_qt() -> None:
    broken = "\tlibQt6Gui.so.6 => not found\n\tlibQt6Core.so.6 => not found\n"
    assert (
        missing_libraries_message(
            environ=X11, platform="linux", plugin=PLUGIN, ldd=fake_ldd(broken)
        )
        is None
    )


@pytest.mark.parametrize(
    ("environ", "platform"),
    [
        ({"DISPLAY": ":0"}, "win32"),
        ({"DISPLAY": ":0"}, "darwin"),
        ({}, "linux"),  # no X server: Qt is not going to use xcb
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux"),
        ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux"),
    ],
)
def test_the_probe_runs_only_when_the_window_opens_on_x11(
    environ: dict[str, str], platform: str
) -> None:
    def ldd(library: Path) -> str:
        raise AssertionError("ldd must not run")

    assert (
        missing_libraries_message(environ=environ, platform=platform, plugin=PLUGIN, ldd=ldd)
        is None
    )


@pytest.mark.parametrize("chosen", ["xcb", "xcb:nograb"])
def test_an_explicit_xcb_platform_is_probed(chosen: str) -> None:
    environ = {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": chosen}
    message = missing_libraries_message(
        environ=environ, platform="linux", plugin=PLUGIN, ldd=fake_ldd(LDD_TWO_MISSING)
    )
    assert message is not None and "libxcb-keysyms1" in message


def test_the_real_ldd_report_on_the_real_plugin_is_understood() -> None:
    """Whatever this machine lacks (a CI container may lack the X libraries), the probe's
    verdict is ldd's: a message exactly when a system library is "not found"."""
    plugin = platform_check.xcb_plugin()
    assert plugin is not None and plugin.name == "libqxcb.so"
    report = platform_check.run_ldd(plugin)
    assert report is not None and "libxcb.so.1" in report
    lacking = [line.split()[0] for line in report.splitlines() if "not found" in line]
    message = missing_libraries_message(environ=X11, platform="linux")
    assert (message is None) == (not lacking)
    assert all(name in (message or "") for name in lacking)


def test_the_readme_line_installs_every_x11_library_the_plugin_loads() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    line = next(
        text for text in readme.splitlines() if text.startswith("sudo apt-get install -y python3")
    )
    listed = set(line.split("install -y", 1)[1].split()) - {"python3-venv"}
    x11 = {
        p
        for p in platform_check.PACKAGES.values()
        if p.startswith(("libxcb", "libxkb", "libx11-xcb"))
    }
    assert x11 | {"libgl1", "libegl1", "libfontconfig1", "libglib2.0-0", "libdbus-1-3"} <= listed
    assert listed <= set(platform_check.PACKAGES.values())  # the probe and the README agree
