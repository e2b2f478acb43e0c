"""Full-text search over notes, and opportunities that remember the note they came from.

``note_fts`` is an FTS5 index over each note's title and body, kept in step by triggers, so
every way a note is written (the editor, an import, a sync) updates it in the same
transaction. Its rows are keyed by time (see ``KEY``): search reads the newest matches first.
The index reads the notes through the ``note_search`` view only to rebuild itself; snippets are
made from the few notes a search returns, so the view needs no index of its own.
It keeps no prefix indexes (they doubled the time to build it): search expands a prefix into
the index's own words. Built from the notes already there when
the migration runs (about a minute for a million notes).

Revision ID: 0003_note_search
Revises: 0002_account_summary
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_note_search"
down_revision: str | None = "0002_account_summary"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: A note's key in the index: its time (seconds) then its id, so the index's own order is
#: newest first and a search can rank the newest matches without reading every match. The id
#: is the key modulo ``KEY_SPAN`` (ten million notes; a key fits 64 bits up to year 29000).
KEY_SPAN = 10_000_000
KEY = "(CAST(strftime('%s', {t}occurred_at) AS INTEGER) * 10000000 + {t}id % 10000000)"

#: The index, its triggers and the first fill; the shadow tables FTS5 makes are named note_fts_*.
FTS_STATEMENTS = (
    f"CREATE VIEW note_search (key, title, body) AS SELECT {KEY.format(t='')}, title, body "
    "FROM note",
    """CREATE VIRTUAL TABLE note_fts USING fts5(
        title, body, content='note_search', content_rowid='key',
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER note_fts_after_insert AFTER INSERT ON note BEGIN
        INSERT INTO note_fts(rowid, title, body)
        VALUES ({KEY.format(t="new.")}, new.title, new.body);
    END""",
    f"""CREATE TRIGGER note_fts_after_delete AFTER DELETE ON note BEGIN
        INSERT INTO note_fts(note_fts, rowid, title, body)
        VALUES ('delete', {KEY.format(t="old.")}, old.title, old.body);
    END""",
    f"""CREATE TRIGGER note_fts_after_update AFTER UPDATE OF title, body, occurred_at ON note
    BEGIN
        INSERT INTO note_fts(note_fts, rowid, title, body)
        VALUES ('delete', {KEY.format(t="old.")}, old.title, old.body);
        INSERT INTO note_fts(rowid, title, body)
        VALUES ({KEY.format(t="new.")}, new.title, new.body);
    END""",
    "INSERT INTO note_fts(note_fts) VALUES ('rebuild')",
)


def upgrade() -> None:
    for statement in FTS_STATEMENTS:
        op.execute(statement)
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_opportunity_note_id"), "note", ["note_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_opportunity_note_id"), type_="foreignkey")
        batch_op.drop_column("note_id")
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER note_fts_after_{trigger}")
    op.execute("DROP TABLE note_fts")
    op.execute("DROP VIEW note_search")
