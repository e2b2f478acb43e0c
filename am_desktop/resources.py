"""Where the app's data files are: the icon, the desktop entry, the example files.

They live in ``resources/`` at the top of the repository. ``pip install`` (normal or editable)
installs that folder as the data package ``am_desktop_resources`` (pyproject.toml); a source
checkout that is not installed, and the standalone bundle (packaging/am-desktop.spec), keep it
as ``resources/`` beside ``am_desktop/``. Every reader asks :func:`resource_path`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

#: The installed name of the ``resources/`` folder.
PACKAGE = "am_desktop_resources"
#: The app icon's one source: the window draws it, packaging/make_icons.py makes every size.
ICON = "am-desktop.svg"
DESKTOP_ENTRY = "am-desktop.desktop"
METAINFO = "io.github.amdesktop.AmDesktop.metainfo.xml"
#: One example file per import kind, named ``<kind>.csv``.
EXAMPLES = "examples"


def resource_path(name: str) -> Path:
    """The path of the data file ``name`` (``"am-desktop.svg"``, ``"examples/notes.csv"``).

    Raises:
        FileNotFoundError: no such file (an installation that lost its data files).
    """
    path = resources_folder() / name
    if not path.exists():
        raise FileNotFoundError(f"AM Desktop's data file {name} is missing from {path.parent}")
    return path


@cache
def resources_folder() -> Path:
    """The folder holding the data files (the installed package, else the checkout's)."""
    try:
        return Path(str(resources.files(PACKAGE)))
    except ModuleNotFoundError:  # a source checkout run in place, or the bundle
        return Path(__file__).resolve().parent.parent / "resources"
