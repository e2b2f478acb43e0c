"""Alembic environment: runs on the connection ``db.migrate`` hands over, in batch mode."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

import am_desktop.db.models  # noqa: F401 - registers every table on Base.metadata
from am_desktop.db.base import Base


def run_migrations(connection: Connection) -> None:
    """Migrate on ``connection``; SQLite needs batch ("move and copy") ALTERs."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through am_desktop.db.migrate, which passes a connection.")
run_migrations(connection)
