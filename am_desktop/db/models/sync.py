"""What CRM sync keeps in the local database (issue 8): which local record is which remote one,
the fields changed locally since they last agreed with the CRM, conflicts waiting for the
account manager, and each object type's pull cursor.

Local changes are recorded by triggers (``db.sync_tracking``), in the transaction of the change
itself, whichever code path wrote it; the base kept is the value last agreed with the CRM.
"""

from __future__ import annotations

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from am_desktop.db.base import Base


class SyncLink(Base):
    """A local record and the CRM record it is."""

    __tablename__ = "sync_link"
    __table_args__ = (UniqueConstraint("obj", "remote_id"),)

    obj: Mapped[str] = mapped_column(String(20), primary_key=True)
    local_id: Mapped[int] = mapped_column(primary_key=True)
    remote_id: Mapped[str] = mapped_column(String(40))
    #: The CRM's last-modified time (epoch ms) when the two last agreed.
    remote_modified_ms: Mapped[int | None]


class SyncChange(Base):
    """A field changed locally since it last agreed with the CRM (one row a field: edits coalesce).

    ``base`` is the agreed value as JSON; ``seq`` grows with every edit, so a push removes the row
    only when no edit came in while it was on its way.
    """

    __tablename__ = "sync_change"

    obj: Mapped[str] = mapped_column(String(20), primary_key=True)
    local_id: Mapped[int] = mapped_column(primary_key=True)
    field: Mapped[str] = mapped_column(String(40), primary_key=True)
    base: Mapped[str | None] = mapped_column(Text)
    seq: Mapped[int]


class SyncConflict(Base):
    """Both sides changed a field differently (or one deleted what the other edited: ``field`` is
    None). Values are JSON; the local value stays in the record, unsent, until resolved."""

    __tablename__ = "sync_conflict"
    __table_args__ = (Index("ix_sync_conflict_record", "obj", "local_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    obj: Mapped[str] = mapped_column(String(20))
    local_id: Mapped[int]
    field: Mapped[str | None] = mapped_column(String(40))
    base: Mapped[str | None] = mapped_column(Text)
    local: Mapped[str | None] = mapped_column(Text)
    remote: Mapped[str | None] = mapped_column(Text)
    #: What happened to the record: "edited", "deleted_remotely", "deleted_locally".
    kind: Mapped[str] = mapped_column(String(20), default="edited")
    created_at: Mapped[str] = mapped_column(String(32))


class SyncState(Base):
    """Small named values: cursors (``cursor:<obj>``), the tracking switch, the last run."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)


class SyncOutbox(Base):
    """A create sent to the CRM whose answer has not been stored yet: after a lost answer or a
    crash, the record is looked up by its uid before it is sent again."""

    __tablename__ = "sync_outbox"

    obj: Mapped[str] = mapped_column(String(20), primary_key=True)
    local_id: Mapped[int] = mapped_column(primary_key=True)
    attempts: Mapped[int] = mapped_column(default=0)
