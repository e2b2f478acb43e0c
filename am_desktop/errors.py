"""The application's error tree (Qt-free).

Every error a user may see is an :class:`AppError` carrying a plain-language ``user_message``;
the technical ``detail`` goes to the log only. Anything that is not an ``AppError`` is a bug.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass


class AppError(Exception):
    """An expected failure with a message meant for the user.

    Args:
        user_message: one or two plain sentences saying what went wrong and what to do.
        detail: technical context for the log, never shown as is.
    """

    def __init__(self, user_message: str, detail: str | None = None) -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.detail = detail


class ValidationError(AppError):
    """A value the user gave is not acceptable; ``field`` names it when known."""

    def __init__(self, user_message: str, field: str | None = None) -> None:
        super().__init__(user_message)
        self.field = field


class NotFoundError(AppError):
    """The record the user referred to does not exist (or no longer does)."""


class StaleRecordError(AppError):
    """The record changed since the caller read it (optimistic concurrency)."""


class StorageError(AppError):
    """The environment refuses: database locked, read-only, disk full, corrupt, too new."""


class ExportError(AppError):
    """A file could not be written."""


class Cancelled(AppError):  # noqa: N818 - named for what happened, like Anki's Interrupted
    """The user cancelled; never shown as an error."""

    def __init__(self) -> None:
        super().__init__("Cancelled.")


class SyncErrorKind(enum.Enum):
    """Why a CRM sync stopped."""

    AUTH = "auth"
    PERMISSION = "permission"
    NETWORK = "network"
    RATE_LIMIT = "rate_limit"
    QUOTA = "quota"
    CONFLICT = "conflict"
    SERVER = "server"
    INSECURE = "insecure"
    #: A write whose answer was lost: it may or may not have happened (creates are settled by
    #: looking their uid up before they are sent again).
    UNCERTAIN = "uncertain"


class SyncError(AppError):
    """A CRM sync could not complete."""

    def __init__(self, user_message: str, kind: SyncErrorKind, detail: str | None = None) -> None:
        super().__init__(user_message, detail)
        self.kind = kind


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One invalid cell or row of an imported file.

    Args:
        row: the row number as a spreadsheet shows it (the header is row 1).
        column: the column's header as written in the file, or None for the whole row.
        reason: what is wrong, in plain words.
    """

    row: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.column is None else f"row {self.row}, {self.column}"
        return f"{where}: {self.reason}"


class ImportRejected(ValidationError):  # noqa: N818 - reads as what happened
    """An import found invalid rows and wrote nothing.

    ``problems`` may be only the first of them (a file full of errors is not held in memory
    whole): ``invalid_rows`` and ``unlisted`` say how many rows were invalid and how many
    problems were left out of the list.
    """

    def __init__(
        self,
        problems: Sequence[RowProblem],
        total_rows: int,
        *,
        invalid_rows: int | None = None,
        unlisted: int = 0,
    ) -> None:
        count = len({p.row for p in problems}) if invalid_rows is None else invalid_rows
        noun = "row is" if count == 1 else "rows are"
        more = (
            f" The first {len(problems):,} problems are listed; {unlisted:,} more are not."
            if unlisted
            else ""
        )
        super().__init__(
            f"Nothing was imported: {count:,} of {total_rows:,} {noun} invalid. "
            "Fix them, or import with --skip-invalid to leave them out." + more
        )
        self.problems = tuple(problems)
        self.unlisted = unlisted
