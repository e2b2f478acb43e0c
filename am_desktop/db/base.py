"""The declarative base and the columns every syncable record shares."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from am_desktop.db.types import UtcDateTime

NAMING_CONVENTION = {
    "pk": "pk_%(table_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ix": "ix_%(column_0_label)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
}


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def new_uid() -> str:
    """A fresh record uid: a random UUID as text."""
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    """Base of every model; constraint names are deterministic for Alembic."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime}


class Record(Base):
    """Columns of a record that can sync: a stable uid, timestamps, a tombstone, a version.

    ``version`` is SQLAlchemy's version counter: every ORM update bumps it and checks it, so an
    edit based on a stale read fails instead of overwriting. ``archived_at`` is the tombstone:
    archived records are hidden, restorable, and synced as archived.
    """

    __abstract__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    archived_at: Mapped[datetime | None]

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - declared_attr receives the class
        return {"version_id_col": cls.version}
