"""Edits typed into a workspace table, as undoable service calls: a table never writes, and
what it shows is what the store holds once the write is announced."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from am_desktop.services.entities import EntityService
from am_desktop.ui.commands import ArchiveCommand, CreateCommand, EditCommand
from am_desktop.ui.context import AppContext
from am_desktop.ui.record_table import RecordTable
from am_desktop.ui.tasks import Lane

#: Whether an edit of (field, value) is refused (the check has said why, beside the table).
Refusal = Callable[[str, object], bool]


class RecordEditing:
    """Wires a part's record tables to their services, through the window's undo stack.

    Args:
        owner: the part the tables belong to (answers for it are dropped once it closed).
    """

    def __init__(
        self, context: AppContext, account_id: int, undo: QUndoStack, owner: QWidget
    ) -> None:
        self.context, self.account_id, self.undo, self._owner = context, account_id, undo, owner

    def wire(
        self,
        table: RecordTable,
        service: EntityService[Any, Any],
        *,
        add: Callable[[], object] | None = None,
        refuse: Refusal | None = None,
    ) -> None:
        """Edits and archiving in ``table`` go to ``service``; its Add button calls ``add``;
        ``refuse`` may turn an edit down."""
        table.edit_requested.connect(
            lambda record_id, name, value: self.edit(
                table, service, record_id, name, value, refuse=refuse
            )
        )
        table.archive_requested.connect(
            lambda ids: self.undo.push(ArchiveCommand(self.context, service, ids, True))
        )
        if add is not None:
            table.add_requested.connect(add)

    def edit(
        self,
        table: RecordTable,
        service: EntityService[Any, Any],
        record_id: int,
        name: str,
        value: object,
        *,
        refuse: Refusal | None = None,
    ) -> None:
        """Change one field of one record (undo puts the shown value back)."""
        if refuse is not None and refuse(name, value):
            return
        current = self.current(table, record_id, name)
        command = EditCommand(self.context, service, record_id, {name: current}, {name: value})
        command.explain = lambda error: table.show_error(error.user_message)  # beside the table
        self.undo.push(command)

    @staticmethod
    def current(table: RecordTable, record_id: int, name: str) -> object:
        """A field of a record as ``table`` shows it (None if it is not shown)."""
        for row in range(table.model.rowCount()):
            record = table.model.record_at(row)
            if record.id == record_id:
                return getattr(record, name)
        return None

    def create(
        self,
        service: EntityService[Any, Any],
        values: dict[str, object],
        table: RecordTable | None = None,
    ) -> None:
        """Add a record at this account (undo archives it); ``table`` then selects it and
        edits its first cell once it shows it."""
        values = {"account_id": self.account_id, **values}
        store = self.context.store
        self.context.tasks.submit(
            lambda _p: service.create(store, values),
            lane=Lane.WRITE,
            receiver=self._owner,
            on_done=lambda record: self.created(service, record.id, table),
        )

    def created(
        self, service: EntityService[Any, Any], record_id: int, table: RecordTable | None = None
    ) -> None:
        """A record was added (by :meth:`create` or a service call): one step to undo; the
        new row is edited in ``table``."""
        self.undo.push(CreateCommand(self.context, service, record_id))
        if table is not None:
            table.edit_when_shown(record_id)
