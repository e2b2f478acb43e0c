"""Where the database lives, and making its folder private to the user (PRODUCT.md §6)."""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "am-desktop"
DB_FILENAME = "am-desktop.sqlite3"
DEMO_DB_FILENAME = "am-desktop-demo.sqlite3"
DB_ENV_VAR = "AM_DESKTOP_DB"


def user_data_dir() -> Path:
    """The platform's per-user data folder for the app (not created here)."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def resolve_db_path(cli_path: str | None, environ: Mapping[str, str] | None = None) -> Path:
    """``--db``, else ``$AM_DESKTOP_DB``, else the file in the user data folder."""
    env = os.environ if environ is None else environ
    if cli_path:
        return Path(cli_path).expanduser()
    if env.get(DB_ENV_VAR):
        return Path(env[DB_ENV_VAR]).expanduser()
    return user_data_dir() / DB_FILENAME


def make_private_dir(folder: Path) -> None:
    """Create ``folder`` (and parents) readable by the user alone; tighten it if it exists."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if stat.S_IMODE(folder.stat().st_mode) != 0o700:
        folder.chmod(0o700)


def make_private_file(path: Path) -> None:
    """Create an empty file readable by the user alone, unless it exists already."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def access_problem(path: Path) -> str | None:
    """Why the database at ``path`` cannot be read and written, in words; None when it can.

    Checked before SQLite sees the file, whose own errors ("unable to open database file") do
    not say which of these it is — and must never be taken for damage.
    """
    if path.is_symlink() and not path.exists():
        return (
            f"The database {path} does not exist: it is a link to {path.readlink()}, "
            "which is missing. Reconnect the drive or folder it points to, or choose another file."
        )
    if path.is_dir():
        return f"{path} is a folder, not a database file. Choose a file name."
    folder = path.parent
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK):
            return (
                f"The database {path} is read-only, so AM Desktop cannot use it. "
                "Make it writable (check its permissions), or copy it into a folder of yours."
            )
    elif not folder.exists():
        return None  # created, private, by prepare_db_file
    if not os.access(folder, os.W_OK | os.X_OK):
        return (
            f"AM Desktop cannot create files in {folder} (the database needs its journal "
            "beside it). Check the folder's permissions, or move the database to a folder of yours."
        )
    return None


def prepare_db_file(path: Path) -> None:
    """Make sure the database file can be created privately.

    The app's own data folder is always kept at 0700; a folder the user named with ``--db`` is
    created private when missing but otherwise left as the user set it. A new file is 0600
    (SQLite gives its -wal and -shm files the same mode).
    """
    folder = path.parent
    if folder.resolve() == user_data_dir().resolve() or not folder.exists():
        make_private_dir(folder)
    make_private_file(path)
