"""Build the standalone AM Desktop for this OS, and smoke-test it (issue 9).

    .venv/bin/pip install -e ".[package]"
    .venv/bin/python packaging/build.py            # build: packaging/build/dist/am-desktop/
    .venv/bin/python packaging/build.py --smoke    # build, then test the bundle, print figures

On Linux the bundle is also packed as ``am-desktop-<version>-linux-<arch>.tar.gz`` with the
desktop entry, the AppStream metainfo and the icons (``install.sh`` puts them in ~/.local).
Windows (Inno Setup) and macOS (.app, DMG) are built the same way on those systems; see
packaging/README.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BUILD = HERE / "build"
DIST = BUILD / "dist"
BUNDLE = DIST / "am-desktop"
sys.path.insert(0, str(ROOT))


def version() -> str:
    from am_desktop import __version__

    return __version__


def build() -> Path:
    """Icons, then PyInstaller; the one-folder bundle's path."""
    sys.path.insert(0, str(HERE))
    from make_icons import make_icons

    make_icons(BUILD / "icons")
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(DIST), "--workpath", str(BUILD / "work"), str(HERE / "am-desktop.spec")],
        check=True, cwd=ROOT,
    )  # fmt: skip
    if sys.platform.startswith("linux"):
        shrink_icu(BUNDLE)
        strip_debug(BUNDLE)
        tarball = pack_linux()
        print(f"packed {tarball}")
    return BUNDLE


def shrink_icu(bundle: Path) -> None:
    """ICU's data library without the data Qt never reads (packaging/icu_subset.py)."""
    from icu_subset import shrink_icu_data

    for library in bundle.rglob("libicudata.so*"):
        if library.is_file() and not library.is_symlink():
            saved = shrink_icu_data(library)
            note = f"{saved / 1_000_000:.1f} MB less" if saved else "left whole (no readelf/cc)"
            print(f"ICU data {library.name}: {note}")


def strip_debug(bundle: Path) -> None:
    """Debug symbols and the static symbol tables out of the shared libraries (tens of MB;
    what the loader needs, the dynamic symbols, stays), except those auditwheel patched:
    stripping breaks their loading ("ELF load command address/offset not page-aligned"; numpy's
    OpenBLAS, so no charts). They are the ones in ``*.libs`` folders, or copied beside the others
    with the hash auditwheel gave their names (``libscipy_openblas64_-32a4b2a6.so``)."""
    strip = shutil.which("strip")
    if strip is None:
        return
    for library in bundle.rglob("*.so*"):
        if library.is_symlink() or not library.is_file():
            continue
        if any(part.endswith(".libs") for part in library.relative_to(bundle).parts):
            continue
        if re.search(r"-[0-9a-f]{8}\.so", library.name):
            continue
        subprocess.run([strip, "--strip-unneeded", str(library)], check=False,
                       capture_output=True)  # fmt: skip


def pack_linux() -> Path:
    """The bundle with its desktop entry, metainfo, icons and an installer script."""
    from am_desktop.resources import DESKTOP_ENTRY, ICON, METAINFO, resource_path

    name = f"am-desktop-{version()}-linux-{platform.machine()}"
    target = DIST / f"{name}.tar.gz"
    with tarfile.open(target, "w:gz") as tar:
        tar.add(BUNDLE, arcname=f"{name}/am-desktop")
        for data in (DESKTOP_ENTRY, METAINFO):
            tar.add(resource_path(data), arcname=f"{name}/{data}")
        tar.add(HERE / "linux" / "install.sh", arcname=f"{name}/install.sh")
        tar.add(resource_path(ICON), arcname=f"{name}/icons/scalable/am-desktop.svg")
        for png in sorted((BUILD / "icons").glob("am-desktop-*.png")):
            size = png.stem.rsplit("-", 1)[1]
            tar.add(png, arcname=f"{name}/icons/{size}x{size}/am-desktop.png")
    return target


def _size_mb(path: Path) -> float:
    """Disk size, each file once (the bundle links some libraries)."""
    files = (f for f in path.rglob("*") if f.is_file() and not f.is_symlink())
    return sum(f.stat().st_size for f in files) / 1_000_000


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The command's outcome; one still running after two minutes (say, waiting on a dialog
    nobody can see offscreen) is killed and fails its check instead of hanging the smoke."""
    try:
        return subprocess.run(command, env=env, capture_output=True, text=True, check=False,
                              timeout=120)  # fmt: skip
    except subprocess.TimeoutExpired as late:
        out = late.stdout.decode() if isinstance(late.stdout, bytes) else (late.stdout or "")
        return subprocess.CompletedProcess(command, -1, out, "timed out after 120 s")


def _startup(command: list[str], db: Path, env: dict[str, str], runs: int = 5) -> float:
    """Median seconds from launch to a painted, filled account list."""
    times = []
    probe = {**env, "AM_DESKTOP_STARTUP_PROBE": "1"}
    _run([*command, "--db", str(db)], probe)  # warm the file cache once
    for _ in range(runs):
        began = time.monotonic()
        done = _run([*command, "--db", str(db)], probe)
        painted = float(done.stdout.strip().splitlines()[-1])
        times.append(painted - began)
    return statistics.median(times)


def _logos(folder: Path) -> list[Path]:
    """A PNG and a JPEG logo, the two formats the app accepts."""
    from PIL import Image

    logos = [folder / "logo.png", folder / "logo.jpg"]
    for logo in logos:
        Image.new("RGB", (120, 40), (30, 90, 160)).save(logo)
    return logos


def _workbook(folder: Path) -> Path:
    """The example accounts as an .xlsx workbook, as users have them."""
    from openpyxl import Workbook

    from am_desktop.resources import resource_path

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    with resource_path("examples/accounts.csv").open(newline="", encoding="utf-8") as rows:
        for row in csv.reader(rows):
            sheet.append(row)
    path = folder / "accounts.xlsx"
    book.save(path)
    return path


CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//AM Desktop//bundle smoke//EN
BEGIN:VEVENT
UID:weekly@ours.example
DTSTAMP:{day}T000000Z
DTSTART;TZID=Europe/Berlin:{day}T100000
DTEND;TZID=Europe/Berlin:{day}T103000
RRULE:FREQ=WEEKLY;COUNT=4
SUMMARY:Weekly sync
ORGANIZER:mailto:you@ours.example
ATTENDEE:mailto:{guest}
END:VEVENT
END:VCALENDAR
"""


def _encrypted_checks(program: Path, db: Path, home: Path, env: dict[str, str]) -> dict[str, bool]:
    """SQLCipher (issue 21) and the calendar import (icalendar, recurring-ical-events, time
    zones; issue 19) on a copy of the smoke database, encrypted with a key from the
    environment (the keyring of a fresh home folder may have no backend)."""
    keyed = {**env, "AM_DESKTOP_DB_KEY": "ab" * 32}
    secret = home / "encrypted.sqlite3"
    shutil.copyfile(db, secret)
    done = _run([str(program), "db", "encrypt", "--db", str(secret)], keyed)
    encrypted = done.returncode == 0 and not secret.read_bytes()[:16].startswith(b"SQLite format")
    done = _run([str(program), "kpis", "--json", "--db", str(secret)], keyed)
    checks = {"db encrypt, then kpis (sqlcipher3)": encrypted and "nrr" in done.stdout}
    done = _run([str(program), "export", "contacts", "--db", str(secret)], keyed)
    guest = next(csv.DictReader(io.StringIO(done.stdout)), {}).get("email", "")
    ics = home / "week.ics"
    ics.write_text(CALENDAR.format(day=time.strftime("%Y%m%d"), guest=guest), encoding="utf-8")
    done = _run([str(program), "import", "calendar", str(ics), "--me", "you@ours.example",
                 "--json", "--db", str(secret)], keyed)  # fmt: skip
    added = json.loads(done.stdout).get("added") if done.returncode == 0 else None
    checks["import calendar (weekly, encrypted db)"] = added == 4
    return checks


def _feature_checks(program: Path, db: Path, home: Path, env: dict[str, str]) -> dict[str, bool]:
    """What leans on the parts the recipe trims: business reviews in every format (python-pptx,
    matplotlib, Pillow) with a PNG and a JPEG logo, a contact map as SVG and PNG (Qt's SVG and
    image plugins), and an .xlsx import (openpyxl)."""
    checks: dict[str, bool] = {}
    for logo in _logos(home):
        out = home / f"deck-{logo.suffix[1:]}"
        done = _run([str(program), "qbr", "--portfolio", "--out", str(out), "--format",
                     "pptx,pdf,png,svg", "--logo", str(logo), "--db", str(db)], env)  # fmt: skip
        made = {f.suffix for f in out.rglob("*") if f.is_file() and f.stat().st_size > 0}
        checks[f"qbr pptx,pdf,png,svg ({logo.suffix[1:]} logo)"] = (
            done.returncode == 0 and {".pptx", ".pdf", ".png", ".svg"} <= made
        )
    done = _run([str(program), "export", "accounts", "--db", str(db)], env)
    account = next(csv.DictReader(io.StringIO(done.stdout)), {}).get("name", "")
    for suffix in ("svg", "png"):
        target = home / f"map.{suffix}"
        done = _run([str(program), "map", account, "--out", str(target), "--db", str(db)], env)
        checks[f"map {suffix}"] = done.returncode == 0 and target.exists()
    workbook = _workbook(home)
    fresh = home / "import.sqlite3"
    done = _run([str(program), "import", "accounts", str(workbook), "--db", str(fresh)], env)
    listed = _run([str(program), "export", "accounts", "--db", str(fresh)], env)
    checks["import xlsx"] = done.returncode == 0 and "Northwind Logistics" in listed.stdout
    return checks


def smoke(bundle: Path) -> dict[str, Any]:
    """Run the bundle on a fresh data folder: version, self-test, seed, export, start-up."""
    program = bundle / ("am-desktop.exe" if sys.platform == "win32" else "am-desktop")
    results: dict[str, Any] = {"bundle": str(bundle), "bundle_mb": round(_size_mb(bundle), 1)}
    with tempfile.TemporaryDirectory(prefix="am-smoke-") as folder:
        home = Path(folder)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(home)}
        for name in ("data", "config", "state", "cache"):  # the platform's places, all fresh
            env[f"XDG_{name.upper()}_HOME"] = str(home / name)
        env.pop("AM_DESKTOP_DB", None)
        checks: dict[str, bool] = {}
        done = _run([str(program), "--version"], env)
        checks["--version"] = done.returncode == 0 and version() in done.stdout
        done = _run([str(program), "self-test"], env)
        checks["self-test"] = done.returncode == 0
        results["self_test_output"] = done.stdout.strip().splitlines()[-3:]
        db = home / "smoke.sqlite3"
        done = _run([str(program), "seed", "--db", str(db), "--scale", "small"], env)
        checks["seed"] = done.returncode == 0 and db.exists()
        done = _run([str(program), "export", "accounts", "--db", str(db)], env)
        lines = done.stdout.splitlines()
        checks["export"] = done.returncode == 0 and len(lines) > 10 and "name" in lines[0]
        done = _run([str(program), "kpis", "--json", "--db", str(db)], env)
        checks["kpis (matplotlib-free, SQL)"] = done.returncode == 0 and "nrr" in done.stdout
        checks.update(_feature_checks(program, db, home, env))
        checks.update(_encrypted_checks(program, db, home, env))
        results["checks"] = checks
        results["startup_bundle_s"] = round(_startup([str(program)], db, env), 3)
        results["startup_installed_s"] = round(
            _startup([sys.executable, "-m", "am_desktop"], db, env), 3
        )
        results["startup_ratio"] = round(
            results["startup_bundle_s"] / results["startup_installed_s"], 2
        )
        results["data_folder_used"] = sorted(
            str(p.relative_to(home)) for p in home.rglob("*") if p.is_dir() and p.parent == home
        )
    results["ok"] = all(results["checks"].values())
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="test the bundle after building")
    parser.add_argument("--no-build", action="store_true", help="test the bundle already built")
    args = parser.parse_args()
    bundle = BUNDLE if args.no_build else build()
    print(f"built {bundle} ({_size_mb(bundle):.0f} MB)")
    if args.smoke or args.no_build:
        results = smoke(bundle)
        print(json.dumps(results, indent=2))
        return 0 if results["ok"] else 1
    return 0


if __name__ == "__main__":
    if shutil.which("true") is None and sys.platform != "win32":
        print("warning: a minimal system; the smoke test may lack Qt's libraries", file=sys.stderr)
    sys.exit(main())
