"""SQLAlchemy models, the engine and migrations. Only services import this package."""
