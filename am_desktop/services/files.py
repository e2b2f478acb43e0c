"""Files the user saves (exports): written whole or not at all, with the usual permissions."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from am_desktop.errors import ExportError


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: Read once at start-up: os.umask can only be read by setting it, which is not thread-safe.
_UMASK = _read_umask()


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A temporary file beside ``target`` that replaces it when the block ends without error.

    The file gets the permissions any new file of the user's gets (not the owner-only ones of a
    temporary file): an export is meant to be shared. A failure leaves no half-written file.

    Raises:
        ExportError: the folder is missing or the file cannot be written.
    """
    target = target.expanduser()
    if not target.parent.is_dir():
        raise ExportError(f"There is no folder {target.parent} to write to.")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as error:
        raise ExportError(f"{target} could not be written: {error.strerror}.") from error
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        temporary.chmod(0o666 & ~_UMASK)
        temporary.replace(target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ExportError(f"{target} could not be written: {error.strerror}.") from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextmanager
def writing(target: Path) -> Iterator[IO[bytes]]:
    """``target`` open for writing in binary, :func:`replacing` it when the block ends without
    error (a chart or a deck is drawn straight into it)."""
    with replacing(target) as temporary, temporary.open("wb") as out:
        yield out
