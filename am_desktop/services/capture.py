"""Capture from files: .eml become e-mail notes, .vcf become contacts (issue 19).

One call for the window's drop and File → Import e-mail/contacts…: each file is its own unit
of work (one unreadable file does not undo the others), and each outcome is a sentence the
result dialog lists as it is.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from am_desktop.domain.cancel import CancelToken, Progress, no_progress
from am_desktop.services.store import Store

#: The file kinds captured, by suffix.
MAIL_SUFFIX, CARD_SUFFIX = ".eml", ".vcf"
SUFFIXES = (MAIL_SUFFIX, CARD_SUFFIX)


class CaptureStatus(enum.Enum):
    """What became of a file, or of a card in it."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class CaptureLine:
    """One outcome: the file (and card) it is about, and a sentence saying what happened."""

    source: str
    status: CaptureStatus
    sentence: str
    account_id: int | None = None
    #: The note (.eml) or contact (.vcf) written.
    record_id: int | None = None


@dataclass(frozen=True, slots=True)
class CaptureResult:
    """Every outcome of a capture, in file order."""

    lines: tuple[CaptureLine, ...]

    def count(self, status: CaptureStatus) -> int:
        """How many outcomes had ``status``."""
        return sum(1 for line in self.lines if line.status is status)

    def summary(self) -> str:
        """One sentence: "2 added, 1 updated, 3 skipped." (only the non-zero counts)."""
        parts = [
            f"{self.count(status):,} {status.value}"
            for status in CaptureStatus
            if self.count(status)
        ]
        return (", ".join(parts) + ".").capitalize() if parts else "Nothing to import."


def capturable(paths: Iterable[Path]) -> list[Path]:
    """The .eml and .vcf files among ``paths``, a folder's own such files included."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
        else:
            found.append(path)
    return found


def capture_files(
    store: Store,
    paths: Iterable[Path],
    *,
    my_email: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> CaptureResult:
    """Import each .eml as an e-mail note and each .vcf's cards as contacts.

    Args:
        my_email: the account manager's own address; mail whose every address is in its
            domain is internal and skipped.
    """
    from am_desktop.services.mail_import import import_mail_file
    from am_desktop.services.vcard_import import import_card_file

    files = capturable(paths)
    lines: list[CaptureLine] = []
    for done, path in enumerate(files):
        if cancel is not None:
            cancel.raise_if_cancelled()
        progress(done, len(files), f"Reading {path.name}")
        suffix = path.suffix.lower()
        if suffix == MAIL_SUFFIX:
            lines.append(import_mail_file(store, path, my_email=my_email))
        elif suffix == CARD_SUFFIX:
            lines += import_card_file(store, path)
        else:
            lines.append(
                CaptureLine(
                    path.name,
                    CaptureStatus.SKIPPED,
                    "Not an e-mail (.eml) or contact card (.vcf) file.",
                )
            )
    progress(len(files), len(files), "Done")
    return CaptureResult(tuple(lines))


def read_file(path: Path) -> bytes | str:
    """The file's bytes, or a sentence saying why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        return f"It could not be read ({error.strerror or 'unknown error'})."
