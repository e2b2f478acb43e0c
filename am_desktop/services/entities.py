"""Create, edit, archive and restore for every kind of record, written once.

Each kind is described by an :class:`EntityKind` (its model, its plain record type and the
rules of its editable fields); :class:`EntityService` turns that into the user actions. A
service call is one unit of work; values are checked by the same rules as imports.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import exc as sa_exc
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from am_desktop.db.base import Record, utcnow
from am_desktop.domain.fields import FieldRule
from am_desktop.domain.records import StoredRecord
from am_desktop.errors import NotFoundError, StaleRecordError, ValidationError
from am_desktop.services.store import Store

M = TypeVar("M", bound=Record)
D = TypeVar("D", bound=StoredRecord)

_UNIQUE_FAILED = re.compile(r"UNIQUE constraint failed: (\w+)\.(\w+)")


@dataclass(frozen=True)
class EntityKind(Generic[M, D]):
    """One kind of record.

    Args:
        model: the SQLAlchemy model.
        record: the frozen dataclass handed out.
        noun: the kind's name in messages ("account").
        rules: every field a user may set, with its rule.
        parents: reference fields and the model each must point to (checked before writing).
        guard: checks that span fields or rows, run before writing with the session, the
            checked values and the row being edited (None when creating); raises
            ``ValidationError``.
        after: runs after a create, an edit, an archive or a restore has been flushed, in the
            same transaction (keeping derived data such as an account's last touch in step).
    """

    model: type[M]
    record: type[D]
    noun: str
    rules: Mapping[str, FieldRule]
    parents: Mapping[str, type[Record]] = field(default_factory=dict)
    guard: Callable[[Session, Mapping[str, object], M | None], None] | None = None
    after: Callable[[Session, M], None] | None = None

    def to_record(self, row: M) -> D:
        """The plain copy of a stored row."""
        return self.record(
            **{f.name: getattr(row, f.name) for f in dataclasses.fields(self.record)}
        )

    def check(self, values: Mapping[str, object], *, creating: bool) -> dict[str, object]:
        """The stored form of ``values``.

        Raises:
            ValidationError: a field is unknown, missing (when creating) or invalid; the
                message names the field.
        """
        unknown = set(values) - set(self.rules)
        if unknown:
            raise ValidationError(
                f"A {self.noun} has no field {', '.join(sorted(unknown))}.", sorted(unknown)[0]
            )
        checked: dict[str, object] = {}
        names = self.rules if creating else values
        for name in names:
            rule = self.rules[name]
            try:
                checked[name] = rule.apply(values.get(name))
            except ValueError as error:
                label = rule.label or name.replace("_", " ").capitalize()
                raise ValidationError(f"{label} {error}.", name) from None
            if checked[name] is None and not creating and rule.required:
                raise ValidationError(f"{rule.label or name} is required.", name)
        if creating:
            checked = {k: v for k, v in checked.items() if v is not None or k in values}
        return checked


class EntityService(Generic[M, D]):
    """The user actions on one kind of record."""

    def __init__(self, kind: EntityKind[M, D]) -> None:
        self.kind = kind

    def create(self, store: Store, values: Mapping[str, object]) -> D:
        """Add a record; ``values`` are checked by the kind's rules."""
        checked = self.kind.check(values, creating=True)
        with self._explained(), store.write() as session:
            self._check_parents(session, checked)
            if self.kind.guard:
                self.kind.guard(session, checked, None)
            row = self.kind.model(**checked)
            session.add(row)
            session.flush()
            if self.kind.after:
                self.kind.after(session, row)
            return self.kind.to_record(row)

    def update(
        self,
        store: Store,
        record_id: int,
        changes: Mapping[str, object],
        expected_version: int | None = None,
    ) -> D:
        """Change some fields; a value equal to the stored one is not an edit (no new version).

        Args:
            expected_version: the version the caller edited; if the record moved on since,
                :class:`StaleRecordError` is raised and nothing is written.
        """
        checked = self.kind.check(changes, creating=False)
        with self._explained(), store.write() as session:
            row = self._load(session, record_id)
            if expected_version is not None and row.version != expected_version:
                raise self._stale()
            self._check_parents(session, checked)
            if self.kind.guard:
                self.kind.guard(session, checked, row)
            edited = False
            for name, value in checked.items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
                    edited = True
            session.flush()
            if edited and self.kind.after:
                self.kind.after(session, row)
            return self.kind.to_record(row)

    def archive(self, store: Store, record_id: int) -> D:
        """Hide a record (the tombstone); it stays restorable and syncs as archived."""
        return self._set_archived(store, record_id, archived=True)

    def restore(self, store: Store, record_id: int) -> D:
        """Bring an archived record back."""
        return self._set_archived(store, record_id, archived=False)

    def get(self, store: Store, record_id: int) -> D:
        """One record, archived or not."""
        with store.read() as session:
            return self.kind.to_record(self._load(session, record_id))

    def find(self, store: Store, *, include_archived: bool = False, **where: object) -> list[D]:
        """Records matching equality filters (``account_id=3``), oldest first."""
        model = self.kind.model
        query = select(model).filter_by(**where).order_by(model.id)
        if not include_archived:
            query = query.where(model.archived_at.is_(None))
        with store.read() as session:
            return [self.kind.to_record(row) for row in session.scalars(query)]

    # ------------------------------------------------------------------ helpers

    def _set_archived(self, store: Store, record_id: int, *, archived: bool) -> D:
        with self._explained(), store.write() as session:
            row = self._load(session, record_id)
            if (row.archived_at is not None) != archived:
                row.archived_at = utcnow() if archived else None
                session.flush()
                if self.kind.after:
                    self.kind.after(session, row)
            return self.kind.to_record(row)

    def _load(self, session: Session, record_id: int) -> M:
        row = session.get(self.kind.model, record_id)
        if row is None:
            raise NotFoundError(f"That {self.kind.noun} no longer exists.")
        return row

    def _check_parents(self, session: Session, checked: Mapping[str, object]) -> None:
        for name, parent in self.kind.parents.items():
            value = checked.get(name)
            if value is not None and session.get(parent, value) is None:
                raise ValidationError(
                    f"{name.removesuffix('_id').replace('_', ' ').capitalize()} "
                    f"#{value} does not exist.",
                    name,
                )

    def _stale(self) -> StaleRecordError:
        return StaleRecordError(
            f"This {self.kind.noun} was changed elsewhere since you opened it. "
            "Reload it and make your change again."
        )

    def _explained(self) -> _Explain:
        return _Explain(self)


class _Explain:
    """Turns the database's refusals inside a unit of work into messages about fields."""

    def __init__(self, service: EntityService[Any, Any]) -> None:
        self.service = service

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: object, error: BaseException | None, _tb: object) -> None:
        if isinstance(error, StaleDataError):
            raise self.service._stale() from error
        if isinstance(error, sa_exc.IntegrityError):
            noun = self.service.kind.noun
            match = _UNIQUE_FAILED.search(str(error.orig))
            if match:
                column = match[2]
                raise ValidationError(
                    f"Another {noun} already has this {column.replace('_', ' ')}.", column
                ) from error
            raise ValidationError(
                f"The {noun} breaks a rule of the data ({error.orig}).", None
            ) from error
