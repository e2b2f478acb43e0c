"""Alembic environment: runs on the connection ``db.migrate`` hands over, in batch mode."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

import am_desktop.db.models  # noqa: F401 - registers every table on Base.metadata
from am_desktop.db.base import Base


def _modelled(name: str | None, type_: str, _parents: object) -> bool:
    """The full-text index (note_fts and its shadow tables) is SQL of its own, not a model."""
    return not (type_ == "table" and name is not None and name.startswith("note_fts"))


def run_migrations(connection: Connection) -> None:
    """Migrate on ``connection``; SQLite needs batch ("move and copy") ALTERs."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=_modelled,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through am_desktop.db.migrate, which passes a connection.")
run_migrations(connection)
