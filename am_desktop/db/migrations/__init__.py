"""Alembic migrations, shipped inside the package (configured in code by ``db.migrate``)."""
