"""Column types: UTC timestamps and closed lists stored as their text value."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from am_desktop.db.connection import datetime_from_db, datetime_to_db
from am_desktop.domain.enums import Choice


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC text and read back as an aware UTC datetime."""

    impl = String(26)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        return None if value is None else datetime_to_db(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:
        return None if value is None else datetime_from_db(value)


C = TypeVar("C", bound=Choice)


class ChoiceType(TypeDecorator[C], Generic[C]):
    """A :class:`~am_desktop.domain.enums.Choice` stored as its value (plain text, no CHECK)."""

    impl = String(32)
    cache_ok = True

    def __init__(self, choice: type[C], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice = choice

    def process_bind_param(self, value: C | str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.choice(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> C | None:
        return None if value is None else self.choice(value)


def currency_of(table: str, key: str) -> Any:
    """A column default: the currency of the row that ``key`` points to in ``table`` (the
    account's, or the contract's), so a new amount is in its owner's currency unless told
    otherwise (issue 20); USD when the owner is unknown."""
    from sqlalchemy import text

    query = text(f"SELECT currency FROM {table} WHERE id = :id")

    def default(context: Any) -> str:
        owner = context.get_current_parameters().get(key)
        if owner is None:
            return "USD"
        found = context.connection.execute(query, {"id": owner}).scalar()
        return str(found) if found else "USD"

    return default
