"""The database file: SQLAlchemy models, the engine, plain ``sqlite3`` connections,
migrations, backups, the sync and change-feed triggers. Services use it; the entry points
(``app``, ``cli``) only ask it where the file lives (``db.location``)."""
