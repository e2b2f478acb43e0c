"""The data files in resources/ (issue 16): found by one function, installed with the package."""

from __future__ import annotations

import tomllib
from pathlib import Path

from am_desktop.domain.csv_formats import KINDS
from am_desktop.resources import DESKTOP_ENTRY, EXAMPLES, ICON, METAINFO, resource_path

ROOT = Path(__file__).resolve().parents[2]


def test_every_data_file_is_found_in_the_top_level_resources_folder() -> None:
    for name in (ICON, DESKTOP_ENTRY, METAINFO, *(f"{EXAMPLES}/{k}.csv" for k in KINDS)):
        path = resource_path(name)
        assert path.is_file() and path.stat().st_size > 0, name
        assert path.resolve() == (ROOT / "resources" / name).resolve() or "site-packages" in str(
            path
        )
    assert resource_path(ICON).read_text().lstrip().startswith("<")


def test_a_missing_data_file_is_named() -> None:
    try:
        resource_path("nothing-here.svg")
    except FileNotFoundError as error:
        assert "nothing-here.svg" in str(error)
    else:
        raise AssertionError("a missing file was found")


def test_pyproject_lists_every_package_and_installs_the_data_files() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "am_desktop").rglob("__init__.py")
    }
    assert set(config["packages"]) == on_disk | {"am_desktop_resources"}
    assert config["package-dir"] == {"am_desktop_resources": "resources"}
    patterns = config["package-data"]["am_desktop_resources"]
    data = [
        p
        for p in (ROOT / "resources").rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc")
    ]
    for path in data:
        relative = path.relative_to(ROOT / "resources")
        assert any(relative.match(pattern) for pattern in patterns), relative
