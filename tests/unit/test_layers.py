"""The UI, the entry points and the charts reach the database through services only.

import-linter keeps them from importing SQLAlchemy or ``sqlite3``, but not from calling
``store.engine`` or ``store.raw()`` on the Store they are handed: this scan does. Tests may
keep low-level access; the services and ``db`` are where it belongs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "am_desktop"
#: The Store's ways into the database, for services only.
STORE_DOORS = {"raw", "read", "write"}


def _checked_files() -> list[Path]:
    files = [*PACKAGE.joinpath("ui").rglob("*.py"), *PACKAGE.joinpath("charts").rglob("*.py")]
    return sorted([*files, PACKAGE / "app.py", *PACKAGE.glob("cli*.py")])


def _name_of(node: ast.expr) -> str:
    """The last name of ``store`` / ``self.context.store`` (empty for anything else)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def database_access(source: str) -> list[str]:
    """Each ``….engine`` and ``store.raw/read/write`` in ``source``, as ``line: text``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Attribute):
            continue
        owner = _name_of(node.value).lower()
        if node.attr == "engine" or (node.attr in STORE_DOORS and "store" in owner):
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def test_the_scan_finds_engines_and_store_sessions() -> None:
    source = (
        "store.engine.connect()\n"
        "with self.context.store.raw() as c: pass\n"
        "with window._store.write() as s: pass\n"
        "from am_desktop.services.sync.engine import SyncEngine\n"
        "path.read_text(); out.write(b'')\n"
    )
    assert database_access(source) == [
        "1: store.engine",
        "2: self.context.store.raw",
        "3: window._store.write",
    ]


@pytest.mark.parametrize("path", _checked_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_database_access_outside_services(path: Path) -> None:
    assert database_access(path.read_text(encoding="utf-8")) == []


def test_the_scan_covers_the_ui_the_entry_points_and_the_charts() -> None:
    names = {str(p.relative_to(PACKAGE)) for p in _checked_files()}
    assert {"app.py", "cli.py", "cli_crm.py", "charts/kpi.py", "ui/main_window.py"} <= names
